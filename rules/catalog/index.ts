export * from './types';
export * from './controls';
