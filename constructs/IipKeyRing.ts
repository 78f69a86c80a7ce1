import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SrmIipError } from '../rules/errors';
import { DEFAULT_PENDING_WINDOW_DAYS } from './defaults/kms-defaults';
import { warnWeakened } from './private/annotations';
import { validateRange } from './private/validate';
import { applyIipTags, IipTaggingProps } from './tagging';

/** What a key protects; each purpose gets its own key so a grant on one never opens another. */
export enum KeyPurpose {
  /** Platform and application data stores. */
  DATA = 'data',
  /** Log groups, trails and log archives. */
  LOGS = 'logs',
  /** Device identities, telemetry streams and IoT data. */
  DEVICES = 'devices',
  /** Secrets Manager secrets. */
  SECRETS = 'secrets',
  /** Backup vaults. */
  BACKUP = 'backup',
}

/** Actions that administer a key and never use it (SRM-IIP-ACC-07). */
export const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** Actions that use a key and never administer it. */
export const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

export interface IipKeyRingProps extends IipTaggingProps {
  /**
   * Purposes to create keys for.
   * @default - all of KeyPurpose
   * @see SRM-IIP-SYS-01
   */
  readonly purposes?: KeyPurpose[];
  /**
   * Number of classification levels; each level gets its own keys, tagged with its level.
   * @default 1
   * @see SRM-IIP-SYS-06
   */
  readonly classificationLevels?: number;
  /**
   * Deletion waiting period in days, 7..30.
   * @default 30
   * @see SRM-IIP-SYS-08
   */
  readonly pendingWindowDays?: number;
  /**
   * Automatic rotation. Turning it off is a deliberate weakening and is reported.
   * @default true
   * @see SRM-IIP-SYS-02
   */
  readonly enableRotation?: boolean;
  /**
   * Rotation period in days, 90..365.
   * @default 365
   * @see SRM-IIP-SYS-02
   */
  readonly rotationPeriodDays?: number;
  /**
   * Principals that administer the keys (create, disable, schedule deletion). They get no
   * permission to use the keys.
   * @default - administration through IAM policies of the account only
   * @see SRM-IIP-ACC-07
   */
  readonly administrators?: iam.IPrincipal[];
  /**
   * What happens to the keys when the stack is deleted. Anything but RETAIN can orphan data
   * that is still encrypted under them, and is reported.
   * @default RemovalPolicy.RETAIN
   * @see SRM-IIP-SYS-08
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Customer-managed KMS keys per purpose and per classification level:
 * rotation on, an explicit deletion waiting period, kept on stack deletion,
 * and key policies in which administrators cannot use the keys and no
 * principal is public.
 */
export class IipKeyRing extends Construct {
  /** Every key of the ring. */
  public readonly keys: kms.Key[] = [];
  /** Number of classification levels the ring holds keys for. */
  public readonly classificationLevels: number;
  private readonly byName = new Map<string, kms.Key>();

  constructor(scope: Construct, id: string, props: IipKeyRingProps = {}) {
    super(scope, id);
    const levels = props.classificationLevels ?? 1;
    validateRange(this, 'classificationLevels', levels, 1, 16);
    validateRange(this, 'pendingWindowDays', props.pendingWindowDays, 7, 30);
    validateRange(this, 'rotationPeriodDays', props.rotationPeriodDays, 90, 365);
    const purposes = props.purposes ?? Object.values(KeyPurpose);
    if (purposes.length === 0) throw new SrmIipError('purposes must name at least one KeyPurpose, got []', this.node.path);
    if (new Set(purposes).size !== purposes.length) throw new SrmIipError(`purposes must not repeat a purpose, got [${purposes.join(', ')}]`, this.node.path);
    this.classificationLevels = levels;

    const rotation = props.enableRotation ?? true;
    if (!rotation) warnWeakened(this, 'SRM-IIP-SYS-02', 'key rotation is turned off (enableRotation: false); keys then protect data with the same material for their whole life');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy !== RemovalPolicy.RETAIN) warnWeakened(this, 'SRM-IIP-SYS-08', `keys are not retained on stack deletion (removalPolicy: ${removalPolicy}); data encrypted under them becomes unreadable`);

    const tags = applyIipTags(this, props, 'cloud-infrastructure');
    for (let level = 1; level <= levels; level++) {
      for (const purpose of purposes) {
        const name = levels === 1 ? purpose : `${purpose}-l${level}`;
        const key = new kms.Key(this, levels === 1 ? pascal(purpose) : `${pascal(purpose)}L${level}`, {
          description: `SRM-IIP ${purpose} key, classification level ${level}`,
          enableKeyRotation: rotation,
          rotationPeriod: rotation ? Duration.days(props.rotationPeriodDays ?? 365) : undefined,
          pendingWindow: Duration.days(props.pendingWindowDays ?? DEFAULT_PENDING_WINDOW_DAYS),
          removalPolicy,
          policy: keyPolicy(this, props.administrators ?? []),
        });
        // Each level's keys carry that level, so SYS-06 can tell the levels apart.
        if (levels > 1) applyIipTags(key, { ...props, classificationLevel: level }, tags.zone, 200);
        this.keys.push(key);
        this.byName.set(name, key);
      }
    }
  }

  /**
   * The key of a purpose at a classification level (1 = lowest). A ring of one level holds
   * the keys of its `classificationLevel` tag and ignores `level`. Throws when the ring has none.
   */
  public key(purpose: KeyPurpose, level = 1): kms.IKey {
    const k = this.byName.get(this.classificationLevels === 1 ? purpose : `${purpose}-l${level}`);
    if (!k) {
      throw new SrmIipError(`the key ring has no ${purpose} key for level ${level}; it holds purposes and levels 1..${this.classificationLevels}`, this.node.path);
    }
    return k;
  }
}

/**
 * The key policy: IAM of the account may manage access (the AWS default that
 * keeps a key recoverable), named administrators get administration only.
 * Users are added with `key.grant*()`, which never grants administration.
 */
function keyPolicy(scope: Construct, administrators: readonly iam.IPrincipal[]): iam.PolicyDocument {
  const doc = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AccountIamDelegation',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:*'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:CallerAccount': Stack.of(scope).account } },
      }),
    ],
  });
  if (administrators.length > 0) {
    doc.addStatements(new iam.PolicyStatement({ sid: 'KeyAdministration', principals: [...administrators], actions: KEY_ADMIN_ACTIONS, resources: ['*'] }));
  }
  return doc;
}

function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
