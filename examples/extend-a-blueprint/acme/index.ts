export * from './controls';
export * from './QualityRecordBucketsLocked';
export * from './AcmeQualityRecords';
export * from './AcmeChecks';
