import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** How the clash of a second account-and-region singleton is named. */
export interface SingletonClaim {
  /** What the singleton is, e.g. 'IoT Device Defender audit'. */
  readonly what: string;
  /** Appended to 'here', e.g. ' (enableIotAudit: true)'. */
  readonly here?: string;
  /** What exists once per account and region. @default 'It' */
  readonly subject?: string;
  /** How to keep one. */
  readonly fix: string;
}

/**
 * An account-and-region singleton (AWS::IoT::Logging, AWS::IoT::AccountAuditConfiguration, …)
 * declared twice in one app would make the later deployment overwrite (or fail on) the earlier
 * one: name the clash at synthesis, once for each other resource of `type` in the app that
 * targets the same account and region (when both are known, else the same stack).
 */
export function rejectSecondSingleton(scope: Construct, own: CfnResource, type: new (...args: any[]) => CfnResource, claim: SingletonClaim): void {
  const ownStack = Stack.of(own);
  const sameTarget = (s: Stack) =>
    s === ownStack || (!Token.isUnresolved(s.account) && !Token.isUnresolved(s.region) && s.account === ownStack.account && s.region === ownStack.region);
  scope.node.addValidation({
    validate: () =>
      own.node.root.node
        .findAll()
        .filter((c) => c instanceof type && c !== own && sameTarget(Stack.of(c)))
        .map(
          (other) =>
            `[${scope.node.path}] ${claim.what} is configured twice for account ${ownStack.account} in ${ownStack.region}: here${claim.here ?? ''} and at ${other.node.path}. ${claim.subject ?? 'It'} exists once per account and region; keep one (${claim.fix})`,
        ),
  });
}
