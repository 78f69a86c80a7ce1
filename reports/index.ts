export * from './srm-iip-report';
export * from './attestations';
export * from './ack-audit';
export * from './html';
export * from './sarif';
export * from './junit';
export * from './markdown';
export * from './write';
