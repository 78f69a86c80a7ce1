import {
  BusinessScenario,
  Control,
  LifecycleStage,
  SecurityDomain,
  Severity,
  ThreatId,
  Verification,
} from './types';

// The catalog is the kit's own engineering controls, mapped to the clause titles of
// ISO/IEC 24392:2023 and cross-walked to IEC 62443-3-3 SRs. Objectives are written in the
// kit's own words; nothing here reproduces standard text (see the shared catalog spec, controls.md).

const EDGE = SecurityDomain.EDGE;
const CLOUD = SecurityDomain.CLOUD_INFRASTRUCTURE;
const PLATFORM = SecurityDomain.PLATFORM;
const APP = SecurityDomain.APPLICATION;

const BUILD = LifecycleStage.DEVELOPMENT_PRODUCTION;
const RUN = LifecycleStage.UTILIZATION_SUPPORT;
const RETIRE = LifecycleStage.RETIREMENT;
const ALL_STAGES = [BUILD, RUN, RETIRE];

const PROD_OPT = BusinessScenario.PRODUCTION_OPTIMIZATION;
const PROD_CUST = BusinessScenario.PRODUCT_CUSTOMIZATION;
const MULTILEVEL = BusinessScenario.MULTILEVEL_SECURITY_PRODUCTION;
const TRANSNATIONAL = BusinessScenario.TRANSNATIONAL_COOPERATION;

const { T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14 } = ThreatId;
const { AUTOMATED, PARTIAL, MANUAL, INHERITED } = Verification;
const { ERROR, WARNING } = Severity;

/** Clause number → clause title (titles only; the clause bodies are not public). */
export const CLAUSES: Readonly<Record<string, string>> = Object.freeze({
  '8.2.2': 'Physical security',
  '8.2.3': 'Network security',
  '8.2.4': 'Access security',
  '8.2.5': 'Communication security',
  '8.2.6': 'System security',
  '8.2.7': 'Application security',
  '8.2.8': 'Operation and maintenance security',
  '8.2.9': 'Security management',
});

/** The kit's own threat list (placeholders for SRM-IIP clause 6.2). */
export const THREATS: Readonly<Record<ThreatId, string>> = Object.freeze({
  T1: 'identity spoofing',
  T2: 'eavesdropping',
  T3: 'tampering with data, commands or code',
  T4: 'unauthorized access or privilege misuse',
  T5: 'lateral movement between zones or from IT into OT',
  T6: 'disclosure of data at rest',
  T7: 'denial of service',
  T8: 'malicious or vulnerable code, supply chain',
  T9: 'repudiation, undetected activity',
  T10: 'residual data or keys after retirement',
  T11: 'cross-border transfer outside the agreed jurisdictions',
  T12: 'leakage across classification levels',
  T13: 'physical tampering or theft',
  T14: 'insider or operator error',
});

// Every entry carries the same basis; a helper keeps that invariant in one place.
type ControlInput = Omit<Control, 'mappingBasis'>;
const c = (input: ControlInput): Control => Object.freeze({ ...input, mappingBasis: 'clause-title' });

export const CONTROLS: readonly Control[] = Object.freeze([
  // 8.2.2 Physical security
  c({
    id: 'SRM-IIP-PHY-01',
    clause: '8.2.2',
    title: 'Cloud data centres are physically secured',
    objective:
      'The facilities that host the platform must resist intrusion, theft and power loss, because no logical control survives an attacker with hands on the hardware. On AWS this is the provider\'s duty, so the kit records the provider\'s audit evidence instead of checking it.',
    domains: [CLOUD],
    stages: ALL_STAGES,
    scenarios: [],
    threats: [T13, T10, T7],
    iec62443: ['SR 4.2', 'SR 7.5'],
    verification: INHERITED,
    severity: WARNING,
    check: "Attestation citing the provider's ISO/IEC 27001 or SOC 2 report.",
  }),
  c({
    id: 'SRM-IIP-PHY-02',
    clause: '8.2.2',
    title: 'Edge gateways and controllers are physically protected',
    objective:
      'Gateways and controllers on the shop floor hold device credentials and bridge OT to the cloud, so locked enclosures, disabled spare ports and tamper evidence keep a passer-by from extracting keys or injecting commands.',
    domains: [EDGE],
    stages: ALL_STAGES,
    scenarios: [],
    threats: [T13, T3, T10],
    iec62443: ['SR 2.3', 'SR 7.5', 'SR 7.7'],
    verification: MANUAL,
    severity: WARNING,
    check: 'Attestation by the site owner.',
  }),
  c({
    id: 'SRM-IIP-PHY-03',
    clause: '8.2.2',
    title: 'Top classification level runs on dedicated hardware',
    objective:
      'Workloads at the highest classification level must not share physical hosts with other tenants or lower levels, which removes side channels and co-residency as a path for leaking the most sensitive production data.',
    domains: [CLOUD],
    stages: [BUILD, RUN],
    scenarios: [MULTILEVEL],
    threats: [T12, T6],
    iec62443: ['SR 5.1', 'SR 4.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'For resources at the highest declared level, the EC2 Instance or LaunchTemplate `Tenancy` is `dedicated` or `host`.',
  }),

  // 8.2.3 Network security
  c({
    id: 'SRM-IIP-NET-01',
    clause: '8.2.3',
    title: 'Every subnet belongs to exactly one security zone',
    objective:
      'Zones are only enforceable if each network segment has one unambiguous owner, so every subnet is tagged with a single zone and zones of different domains never share address space.',
    domains: [CLOUD],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T5, T12],
    iec62443: ['SR 5.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'Each `AWS::EC2::Subnet` carries exactly one zone tag, and zones of different domains never share a subnet.',
  }),
  c({
    id: 'SRM-IIP-NET-02',
    clause: '8.2.3',
    title: 'Security groups deny by default',
    objective:
      'Only the traffic a zone actually needs may reach it; open ingress from the internet or all-port rules expose platform and device endpoints to scanning and exploitation.',
    domains: [CLOUD, EDGE],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T4, T5, T7],
    iec62443: ['SR 5.2', 'SR 7.7'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'No ingress from `0.0.0.0/0` or `::/0` except TCP 443 (and 8883 for device MQTT) into the declared internet-facing zone, and no all-ports rules.',
  }),
  c({
    id: 'SRM-IIP-NET-03',
    clause: '8.2.3',
    title: 'Platform, application and data zones have no public path',
    objective:
      'Everything behind the ingress zone must be unreachable from the internet, so a misconfigured service cannot become a direct entry point into the platform or its data.',
    domains: [CLOUD, PLATFORM],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T4, T5, T6],
    iec62443: ['SR 5.1', 'SR 5.2', 'SR 1.13'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      '`MapPublicIpOnLaunch` is false outside the ingress zone; routes to an internet gateway exist only in ingress-zone route tables; RDS, Redshift, OpenSearch, DMS and EC2 resources are not publicly accessible.',
  }),
  c({
    id: 'SRM-IIP-NET-04',
    clause: '8.2.3',
    title: 'Cloud services are reached through private endpoints',
    objective:
      'Calls from private workloads to storage, key and logging services should stay on the provider network, which avoids an internet egress path that could carry data out or be intercepted.',
    domains: [CLOUD],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T2, T6, T5],
    iec62443: ['SR 5.2', 'SR 4.1'],
    verification: AUTOMATED,
    severity: WARNING,
    check:
      'A VPC with private workloads has gateway or interface endpoints for S3, KMS, CloudWatch Logs and the data services it uses.',
  }),
  c({
    id: 'SRM-IIP-NET-05',
    clause: '8.2.3',
    title: 'Every VPC records flow logs',
    objective:
      'Network flow records are the evidence needed to spot and reconstruct lateral movement or exfiltration, so every VPC keeps them for accepted and rejected traffic alike.',
    domains: [CLOUD],
    stages: [RUN],
    scenarios: [],
    threats: [T9, T5],
    iec62443: ['SR 2.8', 'SR 6.2'],
    verification: AUTOMATED,
    severity: ERROR,
    check: 'An `AWS::EC2::FlowLog` with `TrafficType: ALL` references each VPC.',
  }),
  c({
    id: 'SRM-IIP-NET-06',
    clause: '8.2.3',
    title: 'Traffic between zones flows only through declared conduits',
    objective:
      'Inter-zone paths, above all between edge and platform, must be deliberate and reviewable, so every rule that crosses a zone boundary has to match a conduit declared in the zone model.',
    domains: [CLOUD, EDGE],
    stages: [BUILD, RUN],
    scenarios: [PROD_OPT],
    threats: [T5, T4],
    iec62443: ['SR 5.1', 'SR 5.2'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'Every security-group rule or NACL entry that lets one zone reach another matches a conduit declared in the zone model (source zone, target zone, protocol, ports).',
  }),
  c({
    id: 'SRM-IIP-NET-07',
    clause: '8.2.3',
    title: 'Internet-facing entry points are protected against flooding',
    objective:
      'Public endpoints are the first thing an attacker can overload; rate limiting at the edge keeps customer-facing services and the platform behind them available.',
    domains: [CLOUD, APP],
    stages: [RUN],
    scenarios: [PROD_CUST],
    threats: [T7],
    iec62443: ['SR 7.1', 'SR 7.2'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'Every ALB, API Gateway stage or CloudFront distribution in the ingress zone has a WAFv2 web ACL with a rate-based rule.',
  }),
  c({
    id: 'SRM-IIP-NET-08',
    clause: '8.2.3',
    title: 'The default security group allows nothing',
    objective:
      'Resources that fall back to the default security group should be isolated rather than silently connected, so a forgotten assignment cannot open a path between workloads.',
    domains: [CLOUD],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T4, T5],
    iec62443: ['SR 5.2', 'SR 7.6'],
    verification: AUTOMATED,
    severity: WARNING,
    check: "The VPC's default security group is restricted.",
  }),

  // 8.2.4 Access security
  c({
    id: 'SRM-IIP-ACC-01',
    clause: '8.2.4',
    title: 'IAM grants least privilege',
    objective:
      'Each principal gets only the actions and resources it needs, which limits what a stolen credential or a mistaken operator can do to the platform.',
    domains: [CLOUD, PLATFORM, APP],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T4, T14],
    iec62443: ['SR 2.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'No statement allows `*` actions or service-wide `svc:*` on `*` resources, no statement allows `iam:PassRole` on `*`, and no AdministratorAccess is attached.',
  }),
  c({
    id: 'SRM-IIP-ACC-02',
    clause: '8.2.4',
    title: 'Workloads use roles, not long-lived keys',
    objective:
      'Short-lived role credentials expire on their own, whereas static access keys leak into code and logs and keep working; workloads therefore authenticate through roles with scoped trust.',
    domains: [CLOUD, PLATFORM, APP],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T1, T4],
    iec62443: ['SR 1.2', 'SR 1.5'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'No `AWS::IAM::User` with access keys and no `AWS::IAM::AccessKey`; trust policies never trust `*`.',
  }),
  c({
    id: 'SRM-IIP-ACC-03',
    clause: '8.2.4',
    title: 'Every device has its own identity',
    objective:
      'A unique certificate per device lets the platform tell machines apart, attribute telemetry and revoke one compromised device without touching the rest of the fleet.',
    domains: [EDGE],
    stages: [BUILD, RUN],
    scenarios: [PROD_OPT],
    threats: [T1],
    iec62443: ['SR 1.2', 'SR 1.8', 'SR 1.9'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'Each IoT Thing has its own X.509 certificate attachment, and no certificate is attached to two things.',
  }),
  c({
    id: 'SRM-IIP-ACC-04',
    clause: '8.2.4',
    title: 'Device policies are scoped to the device',
    objective:
      "A device may only connect as itself and use its own topics, so a captured device cannot impersonate others, read their data or send commands to the wider fleet.",
    domains: [EDGE],
    stages: [BUILD, RUN],
    scenarios: [PROD_OPT],
    threats: [T4, T1, T5],
    iec62443: ['SR 2.1', 'SR 1.2'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      '`AWS::IoT::Policy` has no `iot:*` and no `Resource: *`; connect, publish and subscribe resources use `${iot:Connection.Thing.ThingName}`.',
  }),
  c({
    id: 'SRM-IIP-ACC-05',
    clause: '8.2.4',
    title: 'People and APIs authenticate strongly',
    objective:
      'Customer and operator accounts reach the platform over untrusted networks, so multi-factor sign-in, long passwords and authenticated APIs keep guessed or phished credentials from being enough.',
    domains: [APP, PLATFORM],
    stages: [BUILD, RUN],
    scenarios: [PROD_CUST],
    threats: [T1, T4],
    iec62443: ['SR 1.1', 'SR 1.5', 'SR 1.7'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'Cognito user pools enforce MFA and a password policy of at least 12 characters; API methods and routes are not `NONE`-authorized.',
  }),
  c({
    id: 'SRM-IIP-ACC-06',
    clause: '8.2.4',
    title: 'No data store is publicly readable or writable',
    objective:
      'Production, design and customer data must never be reachable by anonymous principals; a single public bucket or queue policy can expose or corrupt it.',
    domains: [CLOUD, PLATFORM],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T6, T4, T3],
    iec62443: ['SR 2.1', 'SR 4.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'S3 block-public-access settings are all true; bucket, queue, topic and key policies never grant `Principal: *` without an organization, VPC-endpoint or account condition.',
  }),
  c({
    id: 'SRM-IIP-ACC-07',
    clause: '8.2.4',
    title: 'Key policies separate key administration from key use',
    objective:
      'Whoever manages a key should not also be able to decrypt with it, so one compromised administrator cannot read protected data, which matters most where several classification levels share the platform.',
    domains: [PLATFORM, CLOUD],
    stages: [BUILD, RUN],
    scenarios: [MULTILEVEL],
    threats: [T4, T14, T12],
    iec62443: ['SR 2.1', 'SR 4.3'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'KMS key policies grant nothing to an unconditioned `*` principal, and key administrators do not hold `kms:Decrypt`.',
  }),
  c({
    id: 'SRM-IIP-ACC-08',
    clause: '8.2.4',
    title: 'Partner access is explicit and bounded',
    objective:
      'Partners in other organizations and countries get access only through roles that name their accounts and require an external ID, which prevents confused-deputy abuse and keeps the partner set reviewable.',
    domains: [CLOUD, PLATFORM],
    stages: [BUILD, RUN],
    scenarios: [TRANSNATIONAL],
    threats: [T1, T4, T11],
    iec62443: ['SR 1.2', 'SR 1.13', 'SR 2.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check: 'Cross-account role trust names the allowed accounts and requires `sts:ExternalId`.',
  }),

  // 8.2.5 Communication security
  c({
    id: 'SRM-IIP-COM-01',
    clause: '8.2.5',
    title: 'Data stores refuse unencrypted transport',
    objective:
      'Data exchanged with stores and message services, including by partners abroad, must be encrypted on the wire; refusing plaintext requests makes that a property of the store rather than of every client.',
    domains: [PLATFORM, CLOUD],
    stages: [BUILD, RUN],
    scenarios: [TRANSNATIONAL],
    threats: [T2, T3],
    iec62443: ['SR 4.1', 'SR 3.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'S3 bucket policies deny requests with `aws:SecureTransport=false`, and SQS and SNS policies do the same.',
  }),
  c({
    id: 'SRM-IIP-COM-02',
    clause: '8.2.5',
    title: 'Ingress uses modern TLS',
    objective:
      'Users, partners and integrations reach the platform over public networks, so entry points accept only current TLS versions and ciphers to keep traffic confidential and unaltered.',
    domains: [APP, CLOUD],
    stages: [BUILD, RUN],
    scenarios: [TRANSNATIONAL],
    threats: [T2, T3, T1],
    iec62443: ['SR 3.1', 'SR 4.1', 'SR 4.3'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'ELBv2 listeners are HTTPS or TLS with a TLS 1.2+ policy (HTTP listeners only redirect); API Gateway domains use `TLS_1_2`; CloudFront distributions require at least `TLSv1.2_2021`.',
  }),
  c({
    id: 'SRM-IIP-COM-03',
    clause: '8.2.5',
    title: 'Devices connect over mutually authenticated TLS',
    objective:
      'Telemetry and commands between machines and the platform must be authenticated at both ends and encrypted, so a spoofed endpoint can neither inject commands nor read production data.',
    domains: [EDGE],
    stages: [BUILD, RUN],
    scenarios: [PROD_OPT],
    threats: [T1, T2, T3],
    iec62443: ['SR 1.2', 'SR 3.1', 'SR 4.1', 'SR 4.3'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'IoT domain configurations use an allowed TLS security policy, and custom authorizers keep signing enabled.',
  }),
  c({
    id: 'SRM-IIP-COM-04',
    clause: '8.2.5',
    title: 'Traffic inside the platform is encrypted',
    objective:
      'Encrypting traffic between brokers, caches and search nodes means an attacker who gains a foothold inside the network still cannot sniff or alter the data streams.',
    domains: [PLATFORM],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T2, T3, T5],
    iec62443: ['SR 3.1', 'SR 4.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'MSK uses TLS between clients and brokers and encrypts in-cluster traffic; ElastiCache enables transit encryption; OpenSearch enables node-to-node encryption and enforces HTTPS.',
  }),
  c({
    id: 'SRM-IIP-COM-05',
    clause: '8.2.5',
    title: 'Site-to-cloud VPN tunnels use strong cryptography',
    objective:
      'The tunnel from the factory to the cloud carries plant data and control traffic, so it must use current key exchange and ciphers that resist decryption and tampering.',
    domains: [EDGE, CLOUD],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T2, T3],
    iec62443: ['SR 3.1', 'SR 4.1', 'SR 4.3'],
    verification: AUTOMATED,
    severity: ERROR,
    check: 'VPN tunnel options allow IKEv2 only, AES-256 (GCM) and DH group 14 or higher.',
  }),

  // 8.2.6 System security
  c({
    id: 'SRM-IIP-SYS-01',
    clause: '8.2.6',
    title: 'Data at rest is encrypted with customer-managed keys',
    objective:
      'Stored production data stays unreadable without a key the platform operator controls, which confines access to principals the key policy allows and allows deliberate crypto-erasure later.',
    domains: [PLATFORM, CLOUD],
    stages: [BUILD, RUN],
    scenarios: [PROD_OPT],
    threats: [T6, T4],
    iec62443: ['SR 4.1', 'SR 4.3'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'S3, RDS/Aurora, DynamoDB, EBS, EFS, Kinesis, Firehose, SQS, SNS, CloudWatch Logs, Timestream, Secrets Manager and Backup vaults reference a customer-managed KMS key. IoT SiteWise encryption is an account setting outside CloudFormation, so it is reported as needing attestation where SiteWise resources appear.',
  }),
  c({
    id: 'SRM-IIP-SYS-02',
    clause: '8.2.6',
    title: 'Keys rotate',
    objective:
      'Regular rotation limits how much data any single key version protects and how long a leaked key stays useful.',
    domains: [PLATFORM, CLOUD],
    stages: [RUN],
    scenarios: [],
    threats: [T6],
    iec62443: ['SR 4.3'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'Every symmetric `AWS::KMS::Key` has `EnableKeyRotation: true`, and a rotation period, if set, is 90 to 365 days.',
  }),
  c({
    id: 'SRM-IIP-SYS-03',
    clause: '8.2.6',
    title: 'Compute is hardened',
    objective:
      'Hosts, containers and functions run with the smallest attack surface, so a flaw in one workload cannot easily steal instance credentials, escape its container or persist.',
    domains: [CLOUD, PLATFORM],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T8, T4, T3],
    iec62443: ['SR 7.6', 'SR 7.7', 'SR 4.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'IMDSv2 is required; EBS volumes are encrypted; containers are not privileged and have a read-only root file system; Lambda runtimes are not deprecated.',
  }),
  c({
    id: 'SRM-IIP-SYS-04',
    clause: '8.2.6',
    title: 'Images are scanned and immutable',
    objective:
      'Container images are scanned for known vulnerabilities when pushed, and tags cannot be overwritten, so what was reviewed is exactly what runs.',
    domains: [PLATFORM],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T8, T3],
    iec62443: ['SR 3.2', 'SR 3.4'],
    verification: AUTOMATED,
    severity: ERROR,
    check: 'ECR repositories set `ScanOnPush` to true and `ImageTagMutability: IMMUTABLE`.',
  }),
  c({
    id: 'SRM-IIP-SYS-05',
    clause: '8.2.6',
    title: 'Deployed code and firmware are signed',
    objective:
      'Only code and device firmware signed by a trusted publisher may be deployed, which blocks tampered or substituted packages from reaching the platform or the shop floor.',
    domains: [PLATFORM, EDGE],
    stages: [BUILD, RUN],
    scenarios: [],
    threats: [T8, T3],
    iec62443: ['SR 3.4', 'SR 4.3'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'Lambda functions use a code-signing config that enforces signatures, and OTA updates use a signing profile.',
  }),
  c({
    id: 'SRM-IIP-SYS-06',
    clause: '8.2.6',
    title: 'Classification levels stay separate',
    objective:
      'When several classification levels share one platform, each level needs its own keys and network segments so that nothing at a lower level can read or host data of a higher one.',
    domains: [PLATFORM, CLOUD],
    stages: [BUILD, RUN],
    scenarios: [MULTILEVEL],
    threats: [T12, T5, T6],
    iec62443: ['SR 5.1', 'SR 5.2', 'SR 4.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      "Each level has its own keys and subnets; no resource of a lower level uses a higher level's key or subnet; no grant lets a lower-level principal decrypt a higher level's key.",
  }),
  c({
    id: 'SRM-IIP-SYS-07',
    clause: '8.2.6',
    title: 'Critical stores survive the loss of a zone',
    objective:
      'Production depends on the platform staying up, so critical databases and compute span more than one availability zone and a single data-centre failure does not stop the plant.',
    domains: [PLATFORM, CLOUD],
    stages: [RUN],
    scenarios: [],
    threats: [T7],
    iec62443: ['SR 7.2', 'SR 7.4'],
    verification: AUTOMATED,
    severity: WARNING,
    check: 'RDS instances are Multi-AZ, and auto-scaling groups span at least two availability zones.',
  }),
  c({
    id: 'SRM-IIP-SYS-08',
    clause: '8.2.6',
    title: 'Key deletion follows a deliberate waiting period',
    objective:
      'Deleting a key destroys every piece of data it protects, so deletion is scheduled with an explicit waiting period and keys are retained unless their data is retired along with them.',
    domains: [PLATFORM, CLOUD],
    stages: [RUN, RETIRE],
    scenarios: [],
    threats: [T14, T7, T10],
    iec62443: ['SR 4.2', 'SR 4.3', 'SR 7.4'],
    verification: AUTOMATED,
    severity: WARNING,
    check:
      'Every KMS key sets `PendingWindowInDays` explicitly (7 to 30) and keeps the `RETAIN` removal policy unless its data is retired with it.',
  }),

  // 8.2.7 Application security
  c({
    id: 'SRM-IIP-APP-01',
    clause: '8.2.7',
    title: 'Every API route requires authorization',
    objective:
      'Customer-facing and integration APIs expose orders, designs and machine data, so no route may be callable without an authenticated and authorized caller.',
    domains: [APP],
    stages: [BUILD, RUN],
    scenarios: [PROD_CUST],
    threats: [T4, T1],
    iec62443: ['SR 1.1', 'SR 1.2', 'SR 2.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'API Gateway methods (except CORS OPTIONS) and HTTP API routes have an authorizer or use IAM authorization.',
  }),
  c({
    id: 'SRM-IIP-APP-02',
    clause: '8.2.7',
    title: 'Application endpoints filter malicious input',
    objective:
      'A web application firewall in front of application endpoints blocks common injection and known exploit payloads before they reach code that may have undiscovered flaws.',
    domains: [APP],
    stages: [RUN],
    scenarios: [PROD_CUST],
    threats: [T3, T8],
    iec62443: ['SR 3.5', 'SR 5.2'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'The WAFv2 web ACL on application endpoints includes the managed common-rule and known-bad-inputs rule groups.',
  }),
  c({
    id: 'SRM-IIP-APP-03',
    clause: '8.2.7',
    title: 'APIs validate requests and throttle clients',
    objective:
      'Rejecting malformed requests early and capping request rates per stage protects back-end services from bad input and from one client exhausting shared capacity.',
    domains: [APP],
    stages: [BUILD, RUN],
    scenarios: [PROD_CUST],
    threats: [T3, T7],
    iec62443: ['SR 3.5', 'SR 7.1'],
    verification: AUTOMATED,
    severity: WARNING,
    check: 'Methods that take a body have request validators, and stage throttling is set.',
  }),
  c({
    id: 'SRM-IIP-APP-04',
    clause: '8.2.7',
    title: 'No secret is written into a template',
    objective:
      'Secrets in templates end up in source control, deployment logs and the console, so credentials live in a secrets store with a customer-managed key and rotation instead.',
    domains: [APP, PLATFORM],
    stages: [BUILD, RUN],
    scenarios: [PROD_CUST],
    threats: [T6, T1, T4],
    iec62443: ['SR 1.5', 'SR 4.1'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'No plaintext secrets appear in Lambda or ECS environments, or in parameters without `NoEcho`; secrets live in Secrets Manager with a customer-managed key and rotation.',
  }),
  c({
    id: 'SRM-IIP-APP-05',
    clause: '8.2.7',
    title: 'Applications keep access logs',
    objective:
      'Request logs at every application entry point make misuse of customer-facing services detectable and let incidents be traced to a caller.',
    domains: [APP],
    stages: [RUN],
    scenarios: [PROD_CUST],
    threats: [T9],
    iec62443: ['SR 2.8', 'SR 2.12'],
    verification: AUTOMATED,
    severity: ERROR,
    check: 'API Gateway stages, ALBs and CloudFront distributions have access logging enabled.',
  }),
  c({
    id: 'SRM-IIP-APP-06',
    clause: '8.2.7',
    title: 'Customer tenants are isolated',
    objective:
      'Customers sharing a platform must never see or change one another\'s data; tenant-scoped permissions express that in the template, and access tests show it holds at runtime.',
    domains: [APP, PLATFORM],
    stages: [BUILD, RUN],
    scenarios: [PROD_CUST],
    threats: [T4, T6],
    iec62443: ['SR 2.1', 'SR 5.4'],
    verification: PARTIAL,
    severity: ERROR,
    check:
      'Where tenancy is declared, IAM policies carry tenant-scoped conditions (`aws:PrincipalTag`, `dynamodb:LeadingKeys`). Runtime evidence: access tests.',
  }),

  // 8.2.8 Operation and maintenance security
  c({
    id: 'SRM-IIP-OPS-01',
    clause: '8.2.8',
    title: 'An audit trail records every management action',
    objective:
      'A complete, tamper-evident record of control-plane actions is needed to hold operators accountable and to investigate incidents across all regions.',
    domains: [CLOUD, PLATFORM],
    stages: ALL_STAGES,
    scenarios: [],
    threats: [T9, T14, T3],
    iec62443: ['SR 2.8', 'SR 2.11', 'SR 2.12', 'SR 3.9'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'The app has a CloudTrail trail that is multi-region, validates log files, is KMS-encrypted and has logging on.',
  }),
  c({
    id: 'SRM-IIP-OPS-02',
    clause: '8.2.8',
    title: 'Logs are retained and protected from change',
    objective:
      'Logs are only useful as evidence if they outlive the incident and cannot be altered by an intruder covering tracks, so they are kept long enough, encrypted and write-protected.',
    domains: [CLOUD, PLATFORM],
    stages: [RUN],
    scenarios: [],
    threats: [T9, T3],
    iec62443: ['SR 2.9', 'SR 3.9'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'Log groups set a retention (at least 365 days under the default policy) and a KMS key; the log archive bucket is versioned with object lock.',
  }),
  c({
    id: 'SRM-IIP-OPS-03',
    clause: '8.2.8',
    title: 'Security is monitored continuously',
    objective:
      'Threat detection, configuration recording and device auditing run all the time, so compromises and drift on the platform and the device fleet are noticed quickly.',
    domains: [CLOUD, PLATFORM, EDGE],
    stages: [RUN],
    scenarios: [],
    threats: [T9, T4, T5, T8],
    iec62443: ['SR 6.2', 'SR 3.3'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'The app enables GuardDuty, Security Hub, AWS Config recording, and IoT Device Defender audit where IoT is used.',
  }),
  c({
    id: 'SRM-IIP-OPS-04',
    clause: '8.2.8',
    title: 'Security events raise alerts',
    objective:
      'Detections only help if someone acts on them, so security findings are routed to an encrypted notification channel that reaches the responders.',
    domains: [CLOUD, PLATFORM],
    stages: [RUN],
    scenarios: [],
    threats: [T9, T14],
    iec62443: ['SR 6.2'],
    verification: AUTOMATED,
    severity: ERROR,
    check: 'EventBridge rules route security findings to an encrypted SNS topic or an alarm.',
  }),
  c({
    id: 'SRM-IIP-OPS-05',
    clause: '8.2.8',
    title: 'Data can be restored',
    objective:
      'Encrypted, locked backups of every stateful store let the platform recover from ransomware, corruption or operator error without paying or losing production history.',
    domains: [PLATFORM, CLOUD],
    stages: [RUN],
    scenarios: [],
    threats: [T7, T3, T14],
    iec62443: ['SR 7.3', 'SR 7.4'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'An AWS Backup plan and selection cover the stateful stores, with an encrypted and locked vault; RDS backup retention is at least 7 days; DynamoDB point-in-time recovery is on.',
  }),
  c({
    id: 'SRM-IIP-OPS-06',
    clause: '8.2.8',
    title: 'Maintenance uses managed channels, not open admin ports',
    objective:
      'Administrative access goes through an authenticated, logged session service instead of SSH or RDP exposed to the network, which removes a favourite entry point and leaves a record of every session.',
    domains: [CLOUD, PLATFORM],
    stages: [RUN],
    scenarios: [],
    threats: [T4, T1, T9],
    iec62443: ['SR 1.13', 'SR 5.2', 'SR 7.7'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'No ingress to ports 22 or 3389 from outside the VPC, and instances are reachable through Systems Manager.',
  }),
  c({
    id: 'SRM-IIP-OPS-07',
    clause: '8.2.8',
    title: 'Retired data is sanitized',
    objective:
      'When data, devices or whole environments are retired, old versions, snapshots and device credentials must not linger where they could later be recovered or reused.',
    domains: [PLATFORM, CLOUD, EDGE],
    stages: [RETIRE],
    scenarios: [],
    threats: [T10, T6],
    iec62443: ['SR 4.2', 'SR 1.8'],
    verification: PARTIAL,
    severity: WARNING,
    check:
      'S3 lifecycle rules expire noncurrent versions; snapshots are encrypted; retirement stacks revoke device certificates. Runtime evidence: deletion logs.',
  }),

  // 8.2.9 Security management
  c({
    id: 'SRM-IIP-MGT-01',
    clause: '8.2.9',
    title: 'A security management system governs the platform',
    objective:
      'Technical controls need an owner, policies, incident response, supplier oversight and trained staff around them, or they decay; the organization attests that this management system exists and covers the platform.',
    domains: [EDGE, CLOUD, PLATFORM, APP],
    stages: ALL_STAGES,
    scenarios: [],
    threats: [T14, T8, T9],
    // IEC 62443-3-3 has no management-system SR (that lives in 62443-2-1); these are the
    // system requirements the management system keeps exercised.
    iec62443: ['SR 3.3', 'SR 6.2'],
    verification: MANUAL,
    severity: WARNING,
    check:
      'Attestation of the ISMS scope, policies, incident response, supplier management and training.',
  }),
  c({
    id: 'SRM-IIP-MGT-02',
    clause: '8.2.9',
    title: 'Every resource is inventoried and classified',
    objective:
      'Zone, level, owner and life-cycle tags are what every other control relies on to know what a resource is and how it must be protected; untagged resources cannot be reasoned about.',
    domains: [EDGE, CLOUD, PLATFORM, APP],
    stages: ALL_STAGES,
    scenarios: [],
    threats: [T12, T5, T14],
    iec62443: ['SR 7.8'],
    verification: AUTOMATED,
    severity: WARNING,
    check: 'Taggable resources carry zone, level, owner and life-cycle stage tags.',
  }),
  c({
    id: 'SRM-IIP-MGT-03',
    clause: '8.2.9',
    title: 'Data stays in the agreed jurisdictions',
    objective:
      'Cooperation across borders comes with legal limits on where data may be stored, so the platform and every replica, backup copy and key replica stay within the regions the partners agreed on.',
    domains: [PLATFORM, CLOUD],
    stages: [BUILD, RUN],
    scenarios: [TRANSNATIONAL],
    threats: [T11],
    iec62443: ['SR 4.1', 'SR 5.2'],
    verification: AUTOMATED,
    severity: ERROR,
    check:
      'Stack regions and every replication target (S3 replication, DynamoDB replicas, KMS replica keys, backup copy actions) are in the allowed-region list.',
  }),
  c({
    id: 'SRM-IIP-MGT-04',
    clause: '8.2.9',
    title: 'Guardrails cannot be switched off from inside',
    objective:
      'Audit and detection services must stay on even if an account inside the platform is compromised, so an organization-level policy denies disabling them.',
    domains: [CLOUD],
    stages: [RUN],
    scenarios: [],
    threats: [T14, T9, T4],
    iec62443: ['SR 2.1', 'SR 3.9', 'SR 6.2'],
    verification: PARTIAL,
    severity: WARNING,
    check:
      'Organization stacks include an SCP denying changes to CloudTrail, GuardDuty and Config; otherwise the guardrail is attested.',
  }),
]);

const BY_ID: ReadonlyMap<string, Control> = new Map(CONTROLS.map((ctl) => [ctl.id, ctl]));

/** Looks a control up by its stable ID. */
export function controlById(id: string): Control | undefined {
  return BY_ID.get(id);
}
