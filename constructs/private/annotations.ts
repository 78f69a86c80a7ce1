import { Annotations, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Make a deliberate weakening visible: a CDK warning whose ID names the
 * control, shown by `cdk synth` and carried into the validation report.
 */
export function warnWeakened(scope: IConstruct, controlId: string, message: string): void {
  Annotations.of(scope).addWarningV2(`srm-iip:${controlId}`, `${controlId}: ${message}`);
}

/**
 * Acknowledge a finding of a peer pack (cdk-nag AwsSolutions, NIST 800-53 R5)
 * or of the kit's own pack on a construct the kit itself creates. Every call
 * carries a reason specific to that resource.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
