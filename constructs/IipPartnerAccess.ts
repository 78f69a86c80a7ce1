import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SrmIipError } from '../rules/errors';
import { validateAccountIds, validateAllowedRegions } from './private/validate';
import { applyIipTags, IipTaggingProps } from './tagging';

/** A partner account that may assume a role of this account. */
export interface PartnerSpec {
  /**
   * Short name of the partner: letters, digits and hyphens, 1..32 characters, starting with a
   * letter. It names the partner's role construct and is how `role(name)` finds the role.
   */
  readonly name: string;
  /**
   * The partner's AWS account ID (12 digits). Only this account's principals (its root, so the
   * partner's own IAM decides who inside it) may assume the role.
   * @see SRM-IIP-ACC-08
   */
  readonly accountId: string;
  /**
   * The external ID the partner must pass to sts:AssumeRole, agreed with the partner:
   * 2..1224 characters of letters, digits and `+=,.@:/-_`. It guards against the confused
   * deputy; it is not a secret.
   * @see SRM-IIP-ACC-08
   */
  readonly externalId: string;
  /**
   * What the partner's role is for, shown as the role description.
   * @default - 'SRM-IIP partner access for <name>'
   */
  readonly description?: string;
}

export interface IipPartnerAccessProps extends IipTaggingProps {
  /**
   * The partner accounts, each of which gets one role. Required, with at least one partner;
   * the stack's own account is not a partner.
   * @see SRM-IIP-ACC-08
   */
  readonly partners: PartnerSpec[];
  /**
   * Regions the partner roles may act in. Every request of a partner role to another region is
   * denied (aws:RequestedRegion), whatever it was granted.
   * @default - the stack's region only
   * @see SRM-IIP-MGT-03
   */
  readonly allowedRegions?: string[];
  /**
   * Longest session a partner may hold, in hours, 1..12.
   * @default 1
   * @see SRM-IIP-ACC-08
   */
  readonly maxSessionDurationHours?: number;
}

const PARTNER_NAME = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * Cross-account roles for named partner accounts (transnational cooperation):
 * one role per partner, trusted only by the partner's account and only with
 * the agreed external ID, with sessions of at most one hour by default, and a
 * guard policy that denies every request outside the allowed regions.
 *
 * The roles start with no permissions. Grant each what the partner may reach
 * with the resource's own grant methods, which scope the grant to that
 * resource: `bucket.grantRead(access.role('acme'))`.
 */
export class IipPartnerAccess extends Construct {
  /** The role of each partner, in the order of `partners`. */
  public readonly roles: iam.Role[] = [];
  /** The managed policy, attached to every partner role, that denies requests outside the allowed regions. */
  public readonly regionGuard: iam.ManagedPolicy;
  /** The regions the partner roles may act in. */
  public readonly allowedRegions: string[];
  private readonly byName = new Map<string, { readonly name: string; readonly role: iam.Role }>();

  constructor(scope: Construct, id: string, props: IipPartnerAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // ------------------------------------------------------------ validation
    const partners = props?.partners ?? [];
    if (partners.length === 0) throw new SrmIipError('partners must name at least one partner account, got []', this.node.path);
    const names = new Map<string, number>();
    const accounts = new Map<string, number>();
    partners.forEach((p, i) => {
      const label = `partners[${i}]`;
      if (typeof p.name !== 'string' || !PARTNER_NAME.test(p.name)) {
        throw new SrmIipError(`${label}.name must be 1..32 letters, digits and hyphens, starting with a letter, got '${p.name}'`, this.node.path);
      }
      const lower = p.name.toLowerCase();
      if (lower === 'regionguard') throw new SrmIipError(`${label}.name '${p.name}' is reserved: it names the construct's region guard policy`, this.node.path);
      if (names.has(lower)) throw new SrmIipError(`${label}.name '${p.name}' repeats partners[${names.get(lower)}]; partner names must be unique`, this.node.path);
      names.set(lower, i);
      validateAccountIds(this, `${label}.accountId`, [p.accountId]);
      if (!Token.isUnresolved(p.accountId)) {
        if (accounts.has(p.accountId)) {
          throw new SrmIipError(`${label}.accountId '${p.accountId}' repeats partners[${accounts.get(p.accountId)}]; each partner account gets one role`, this.node.path);
        }
        accounts.set(p.accountId, i);
        if (!Token.isUnresolved(stack.account) && p.accountId === stack.account) {
          throw new SrmIipError(`${label}.accountId '${p.accountId}' is the stack's own account; partner access is for other accounts (grant own principals directly)`, this.node.path);
        }
      }
      if (!Token.isUnresolved(p.externalId) && (typeof p.externalId !== 'string' || !EXTERNAL_ID.test(p.externalId))) {
        throw new SrmIipError(`${label}.externalId must be 2..1224 characters of letters, digits and +=,.@:/-_, got '${p.externalId}'`, this.node.path);
      }
    });
    validateAllowedRegions(this, props.allowedRegions);
    const hours = props.maxSessionDurationHours ?? 1;
    if (!Token.isUnresolved(hours) && (!Number.isInteger(hours) || hours < 1 || hours > 12)) {
      throw new SrmIipError(`maxSessionDurationHours must be a whole number 1..12, got ${hours}`, this.node.path);
    }

    // ------------------------------------------------------------ resources
    applyIipTags(this, props, 'cloud-infrastructure');
    // Without a region list, the stack's own region: ${AWS::Region} in an environment-agnostic stack.
    this.allowedRegions = props.allowedRegions ?? [stack.region];
    this.regionGuard = new iam.ManagedPolicy(this, 'RegionGuard', {
      description: `SRM-IIP partner access: deny every request outside ${this.allowedRegions.some((r) => Token.isUnresolved(r)) ? 'the allowed regions' : this.allowedRegions.join(', ')}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'DenyOutsideAllowedRegions',
          effect: iam.Effect.DENY,
          actions: ['*'],
          resources: ['*'],
          conditions: { StringNotEquals: { 'aws:RequestedRegion': this.allowedRegions } },
        }),
      ],
    });

    for (const p of partners) {
      const role = new iam.Role(this, p.name, {
        description: p.description ?? `SRM-IIP partner access for ${p.name}`,
        assumedBy: new iam.AccountPrincipal(p.accountId).withConditions({ StringEquals: { 'sts:ExternalId': p.externalId } }),
        maxSessionDuration: Duration.hours(hours),
        managedPolicies: [this.regionGuard],
      });
      this.roles.push(role);
      this.byName.set(p.name.toLowerCase(), { name: p.name, role });
    }
  }

  /** The role of a partner, by its name; grant it access with the resource's grant methods. Throws for an unknown name. */
  public role(partnerName: string): iam.Role {
    const r = this.byName.get(partnerName.toLowerCase());
    if (!r) {
      throw new SrmIipError(`no partner named '${partnerName}'; the partners are ${[...this.byName.values()].map((v) => v.name).join(', ')}`, this.node.path);
    }
    return r.role;
  }
}
