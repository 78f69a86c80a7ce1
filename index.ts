// The public API of srm-iip-kit. Re-exports only; no logic here.
export * from './rules';
export * from './constructs';
export * from './blueprints';
export * from './reports';
