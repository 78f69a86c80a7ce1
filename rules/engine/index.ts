export * from './values';
export * from './model';
export * from './resolve';
export * from './rule';
export * from './zones';
export * from './policy';
export * from './run';
export * from './cache';
