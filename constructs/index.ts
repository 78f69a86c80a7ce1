export * from './tagging';
export * from './defaults/kms-defaults';
export * from './defaults/vpc-defaults';
export * from './IipKeyRing';
export * from './IipNetwork';
