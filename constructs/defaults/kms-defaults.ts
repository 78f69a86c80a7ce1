import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Deletion waiting period of a key when none is given (the longest KMS allows). */
export const DEFAULT_PENDING_WINDOW_DAYS = 30;

/**
 * Secure defaults of a customer-managed key (SRM-IIP-SYS-01, SYS-02, SYS-08):
 * yearly rotation, an explicit deletion waiting period, kept on stack
 * deletion so no data is orphaned without its key.
 */
export function secureKeyProps(description: string, pendingWindowDays = DEFAULT_PENDING_WINDOW_DAYS): kms.KeyProps {
  return {
    description,
    enableKeyRotation: true,
    rotationPeriod: Duration.days(365),
    pendingWindow: Duration.days(pendingWindowDays),
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/**
 * A customer-managed key with the kit's defaults, for constructs that need one
 * and were not given one. User props override the defaults.
 */
export function createSecureKey(scope: Construct, id: string, description: string, overrides: kms.KeyProps = {}): kms.Key {
  return new kms.Key(scope, id, { ...secureKeyProps(description), ...overrides });
}
