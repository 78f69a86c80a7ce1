export * from './check';
export * from './load';
