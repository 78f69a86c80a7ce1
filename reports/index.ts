export * from './srm-iip-report';
