export * from './types';
export * from './controls';
export * from './anchors';
