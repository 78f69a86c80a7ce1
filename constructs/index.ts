export * from './tagging';
export * from './defaults/kms-defaults';
export * from './IipKeyRing';
