export * from './security-levels';
export * from './IipPlatform';
