import * as kit from '../../../index';

/** ACME's own control, with ACME's own ID prefix, in the kit's catalog format. */
export const ACME_QA_01: kit.Control = {
  id: 'ACME-QA-01',
  clause: 'ACME-QMS 4.2.4',
  title: 'Quality-record buckets keep object lock',
  objective:
    'Inspection results and batch releases are evidence for customers and auditors for ten years, so the buckets that hold them lock every object version in compliance mode: nobody, not even an administrator, can change or delete a record before its retention ends.',
  domains: [kit.SecurityDomain.PLATFORM],
  stages: [kit.LifecycleStage.DEVELOPMENT_PRODUCTION, kit.LifecycleStage.UTILIZATION_SUPPORT],
  scenarios: [],
  threats: [kit.ThreatId.T3, kit.ThreatId.T14],
  iec62443: ['SR 3.9'],
  verification: kit.Verification.AUTOMATED,
  severity: kit.Severity.ERROR,
  check: 'S3 buckets tagged `acme:record-type` = `quality` enable object lock with a COMPLIANCE default retention of at least 3650 days.',
  mappingBasis: 'acme-qms',
};

/** Every control ACME adds to the SRM-IIP catalog. */
export const ACME_CONTROLS: kit.Control[] = [ACME_QA_01];
