import * as events from 'aws-cdk-lib/aws-events';
import { DEVICE_DEFENDER_AUDIT_CHECKS } from './iot-defaults';

/** GuardDuty protection plans (detector features) the kit can switch on. */
export enum GuardDutyFeature {
  /** S3 Protection: data-plane events on S3 buckets. */
  S3_DATA_EVENTS = 'S3_DATA_EVENTS',
  /** EKS Protection: Kubernetes audit logs. */
  EKS_AUDIT_LOGS = 'EKS_AUDIT_LOGS',
  /** Malware Protection for EC2: agentless scans of EBS volumes of suspicious instances. */
  EBS_MALWARE_PROTECTION = 'EBS_MALWARE_PROTECTION',
  /** RDS Protection: login activity of Aurora and RDS databases. */
  RDS_LOGIN_EVENTS = 'RDS_LOGIN_EVENTS',
  /** Lambda Protection: network activity of Lambda functions. */
  LAMBDA_NETWORK_LOGS = 'LAMBDA_NETWORK_LOGS',
  /** Runtime Monitoring (EKS, ECS, EC2); the security agent is installed separately. */
  RUNTIME_MONITORING = 'RUNTIME_MONITORING',
}

/**
 * Protection plans on by default: every plan that needs no agent on the
 * workloads. Runtime Monitoring needs an agent, so it is opt-in.
 */
export function defaultGuardDutyFeatures(): GuardDutyFeature[] {
  return [
    GuardDutyFeature.S3_DATA_EVENTS,
    GuardDutyFeature.EKS_AUDIT_LOGS,
    GuardDutyFeature.EBS_MALWARE_PROTECTION,
    GuardDutyFeature.RDS_LOGIN_EVENTS,
    GuardDutyFeature.LAMBDA_NETWORK_LOGS,
  ];
}

/** Security Hub standards, by the path of their ARN (`arn:<partition>:securityhub:<region>::standards/<path>`). */
export enum SecurityHubStandard {
  /** AWS Foundational Security Best Practices v1.0.0. */
  AWS_FOUNDATIONAL_SECURITY_BEST_PRACTICES = 'aws-foundational-security-best-practices/v/1.0.0',
  /** CIS AWS Foundations Benchmark v3.0.0. */
  CIS_AWS_FOUNDATIONS_3_0_0 = 'cis-aws-foundations-benchmark/v/3.0.0',
  /** NIST SP 800-53 Revision 5. */
  NIST_800_53_REV_5 = 'nist-800-53/v/5.0.0',
  /** PCI DSS v3.2.1. */
  PCI_DSS_3_2_1 = 'pci-dss/v/3.2.1',
  /** AWS Resource Tagging Standard v1.0.0. */
  AWS_RESOURCE_TAGGING = 'aws-resource-tagging-standard/v/1.0.0',
}

/** Standards enabled by default. */
export function defaultSecurityHubStandards(): SecurityHubStandard[] {
  return [SecurityHubStandard.AWS_FOUNDATIONAL_SECURITY_BEST_PRACTICES];
}

/** The lowest severity of a finding that raises an alert. */
export enum FindingSeverity {
  /** GuardDuty severity 4.0 and above; Security Hub MEDIUM, HIGH and CRITICAL. */
  MEDIUM = 'MEDIUM',
  /** GuardDuty severity 7.0 and above; Security Hub HIGH and CRITICAL. */
  HIGH = 'HIGH',
  /** GuardDuty severity 9.0 and above; Security Hub CRITICAL. */
  CRITICAL = 'CRITICAL',
}

/** The GuardDuty numeric severity where each level starts. */
const GUARDDUTY_SEVERITY_FLOOR: Record<FindingSeverity, number> = {
  [FindingSeverity.MEDIUM]: 4,
  [FindingSeverity.HIGH]: 7,
  [FindingSeverity.CRITICAL]: 9,
};

/** Security Hub severity labels at and above a level. */
function securityHubLabels(min: FindingSeverity): string[] {
  const all = [FindingSeverity.MEDIUM, FindingSeverity.HIGH, FindingSeverity.CRITICAL];
  return all.slice(all.indexOf(min));
}

/** GuardDuty findings at or above the severity. */
export function guardDutyFindingPattern(min: FindingSeverity): events.EventPattern {
  return {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Finding'],
    detail: { severity: [{ numeric: ['>=', GUARDDUTY_SEVERITY_FLOOR[min]] }] },
  };
}

/** New, active Security Hub findings (imported from any product) at or above the severity. */
export function securityHubFindingPattern(min: FindingSeverity): events.EventPattern {
  return {
    source: ['aws.securityhub'],
    detailType: ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        Severity: { Label: securityHubLabels(min) },
        Workflow: { Status: ['NEW'] },
        RecordState: ['ACTIVE'],
      },
    },
  };
}

/**
 * AWS Config rule evaluations that turn a resource NON_COMPLIANT, except those
 * of the rules Security Hub creates for its controls (`securityhub-…`): their
 * failures already arrive as Security Hub findings, filtered by severity.
 */
export function configComplianceChangePattern(): events.EventPattern {
  return {
    source: ['aws.config'],
    detailType: ['Config Rules Compliance Change'],
    detail: {
      messageType: ['ComplianceChangeNotification'],
      configRuleName: [{ 'anything-but': { prefix: 'securityhub-' } }],
      newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
    },
  };
}

/**
 * IoT Device Defender audit checks, by their CloudFormation property name
 * (AuditCheckConfigurations) and their check name (ScheduledAudit
 * TargetCheckNames). All of them are enabled. The list is
 * `DEVICE_DEFENDER_AUDIT_CHECKS` (iot-defaults), as objects.
 */
export const IOT_AUDIT_CHECKS: ReadonlyArray<{ readonly property: string; readonly checkName: string }> = DEVICE_DEFENDER_AUDIT_CHECKS.map(([property, checkName]) => ({
  property,
  checkName,
}));

/** A loose e-mail address check: one @, a dot in the domain, no spaces. SNS confirms the address itself. */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
