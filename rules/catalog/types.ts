/** Security domains of SRM-IIP (clause 7.2). */
export enum SecurityDomain {
  EDGE = 'edge',
  CLOUD_INFRASTRUCTURE = 'cloud-infrastructure',
  PLATFORM = 'platform',
  APPLICATION = 'application',
}

/** Life-cycle stages of SRM-IIP (clause 7.3). */
export enum LifecycleStage {
  DEVELOPMENT_PRODUCTION = 'development-production',
  UTILIZATION_SUPPORT = 'utilization-support',
  RETIREMENT = 'retirement',
}

/** Business scenarios of SRM-IIP (clause 7.4). */
export enum BusinessScenario {
  PRODUCTION_OPTIMIZATION = 'production-optimization',
  PRODUCT_CUSTOMIZATION = 'product-customization',
  MULTILEVEL_SECURITY_PRODUCTION = 'multilevel-security-production',
  TRANSNATIONAL_COOPERATION = 'transnational-cooperation',
}

/** How a control is shown to hold. */
export enum Verification {
  /** Checked from templates by the kit's rules. */
  AUTOMATED = 'automated',
  /** The template shows intent (checked); runtime evidence is named and attested. */
  PARTIAL = 'partial',
  /** Attested by a person with evidence. */
  MANUAL = 'manual',
  /** Provided by the cloud provider; the attestation names the provider's evidence. */
  INHERITED = 'inherited',
}

/** Level of a finding. */
export enum Severity {
  ERROR = 'error',
  WARNING = 'warning',
}

/** The threat list the catalog refers to (the kit's own placeholders for SRM-IIP clause 6.2). */
export enum ThreatId {
  T1 = 'T1',
  T2 = 'T2',
  T3 = 'T3',
  T4 = 'T4',
  T5 = 'T5',
  T6 = 'T6',
  T7 = 'T7',
  T8 = 'T8',
  T9 = 'T9',
  T10 = 'T10',
  T11 = 'T11',
  T12 = 'T12',
  T13 = 'T13',
  T14 = 'T14',
}

/** One control of the SRM-IIP catalog, in the kit's own words. */
export interface Control {
  /** Stable ID, `SRM-IIP-<FAM>-<NN>`; never reused once retired. */
  readonly id: string;
  /** The ISO/IEC 24392:2023 clause whose title it maps to, e.g. `8.2.3`. */
  readonly clause: string;
  /** Short imperative title. */
  readonly title: string;
  /** What it protects and why, in one or two sentences. */
  readonly objective: string;
  readonly domains: SecurityDomain[];
  readonly stages: LifecycleStage[];
  /** Scenarios it matters most for; empty means all. */
  readonly scenarios: BusinessScenario[];
  readonly threats: ThreatId[];
  /** IEC 62443-3-3 system requirements, e.g. `SR 5.1`. */
  readonly iec62443: string[];
  readonly verification: Verification;
  /** Default level of its findings. */
  readonly severity: Severity;
  /** What an automated check reads (or the evidence an attestation names). */
  readonly check: string;
  /** Always `clause-title`: the kit maps to clause titles, it does not claim conformance. */
  readonly mappingBasis: string;
}
