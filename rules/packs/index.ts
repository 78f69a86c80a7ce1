export * from './SrmIipChecks';
export * from './cdk-source';
