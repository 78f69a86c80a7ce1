import type { AppModel, ResourceHandle, StackModel } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { RefAlt, describe, isPlainObject, stringOf } from '../engine/values';

/** A resource reference found somewhere inside an expression. */
export interface FoundResourceRef {
  readonly ref: RefAlt;
  /** True when the reference sits in one branch of an `Fn::If` whose condition is not known, so it may not apply. */
  readonly conditional: boolean;
}

const MAX_DEPTH = 48;

/**
 * Every resource reference (`Ref`, `Fn::GetAtt`, `${X}`/`${X.Attr}` in `Fn::Sub`)
 * anywhere inside an expression, following `Fn::ImportValue` into the
 * exporting stack. Unlike `Resolver.resolve`, it keeps the references that a
 * `Fn::Join`/`Fn::Sub` would flatten into text, so an ARN built from a
 * RestApi ID and a stage name still names both resources and their stacks.
 */
export function collectResourceRefs(stack: StackModel, node: unknown): FoundResourceRef[] {
  const out: FoundResourceRef[] = [];
  walk(stack, node, false, 0, out);
  return out;
}

function walk(stack: StackModel, node: unknown, conditional: boolean, depth: number, out: FoundResourceRef[]): void {
  if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const e of node) walk(stack, e, conditional, depth + 1, out);
    return;
  }
  const obj = node as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const fn = keys[0];
    const arg = obj[fn];
    const resolver = stack.resolver;
    switch (fn) {
      case 'Ref':
      case 'Fn::GetAtt': {
        const alts = resolver.resolve(stack, obj);
        for (const a of alts) if (a.kind === 'ref') out.push({ ref: a, conditional: conditional || alts.length > 1 });
        return;
      }
      case 'Fn::ImportValue': {
        const names = resolver.resolve(stack, arg);
        for (const n of names) {
          const exp = n.kind === 'value' && typeof n.value === 'string' ? stack.app.findExport(n.value) : undefined;
          if (exp) walk(exp.stack, exp.value, conditional || names.length > 1, depth + 1, out);
        }
        return;
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3) return;
        const c = typeof arg[0] === 'string' ? resolver.condition(stack, arg[0]) : undefined;
        if (c !== undefined) {
          walk(stack, c ? arg[1] : arg[2], conditional, depth + 1, out);
          return;
        }
        // A reference made in both branches holds either way; one made in only one branch is conditional.
        const yes: FoundResourceRef[] = [];
        const no: FoundResourceRef[] = [];
        walk(stack, arg[1], conditional, depth + 1, yes);
        walk(stack, arg[2], conditional, depth + 1, no);
        const id = (f: FoundResourceRef) => `${f.ref.stack}\u0000${f.ref.logicalId}\u0000${f.ref.attribute ?? ''}`;
        const inYes = new Set(yes.filter((f) => !f.conditional).map(id));
        const inNo = new Set(no.filter((f) => !f.conditional).map(id));
        for (const f of yes) out.push(inNo.has(id(f)) ? f : { ref: f.ref, conditional: true });
        for (const f of no) out.push(inYes.has(id(f)) ? f : { ref: f.ref, conditional: true });
        return;
      }
      case 'Fn::Sub': {
        const tmpl = Array.isArray(arg) ? arg[0] : arg;
        const vars = Array.isArray(arg) && isPlainObject(arg[1]) ? arg[1] : {};
        if (typeof tmpl !== 'string') {
          walk(stack, tmpl, conditional, depth + 1, out);
          return;
        }
        for (const m of tmpl.matchAll(/\$\{([^}!]*)\}/g)) {
          const name = m[1].trim();
          if (Object.prototype.hasOwnProperty.call(vars, name)) walk(stack, vars[name], conditional, depth + 1, out);
          else if (name.startsWith('AWS::')) continue;
          else if (name.includes('.')) walk(stack, { 'Fn::GetAtt': [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] }, conditional, depth + 1, out);
          else walk(stack, { Ref: name }, conditional, depth + 1, out);
        }
        return;
      }
      default:
        break;
    }
  }
  for (const v of Object.values(obj)) walk(stack, v, conditional, depth + 1, out);
}

/** Custom resource types: `Custom::*` and the generic `AWS::CloudFormation::CustomResource`. */
export function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/** The group name that denotes the default security group of the default VPC in `AWS::EC2::SecurityGroupIngress`. */
export function isDefaultGroupName(name: string | undefined): boolean {
  return name === 'default';
}

interface Restriction {
  readonly resource: ResourceHandle;
  readonly conditional: boolean;
}

const INDEX = new WeakMap<AppModel, Map<string, Restriction[]>>();
const key = (stack: string, logicalId: string) => `${stack}\u0000${logicalId}`;
const where = (r: { logicalId: string; stack: { name: string } }) => `${r.logicalId} in stack ${r.stack.name}`;

function isDefaultSgRef(app: AppModel, a: RefAlt): boolean {
  return a.attribute === 'DefaultSecurityGroup' && app.resource(a.stack, a.logicalId)?.type === 'AWS::EC2::VPC';
}

/** Custom resources that reference a VPC's default security group, by VPC. */
function restrictions(app: AppModel): Map<string, Restriction[]> {
  let idx = INDEX.get(app);
  if (idx) return idx;
  idx = new Map();
  for (const type of [...app.resourceTypes].filter(isCustomResourceType)) {
    for (const cr of app.resourcesOfType(type)) {
      if (cr.stack.resolver.exists(cr) === 'never') continue;
      const { ServiceToken: _token, ...props } = cr.properties;
      const perVpc = new Map<string, boolean>();
      for (const f of collectResourceRefs(cr.stack, props)) {
        if (!isDefaultSgRef(app, f.ref)) continue;
        const k = key(f.ref.stack, f.ref.logicalId);
        // An unconditional reference anywhere wins over a conditional one.
        perVpc.set(k, (perVpc.get(k) ?? true) && f.conditional);
      }
      for (const [k, conditional] of perVpc) {
        const list = idx.get(k) ?? [];
        list.push({ resource: cr, conditional });
        idx.set(k, list);
      }
    }
  }
  INDEX.set(app, idx);
  return idx;
}

function checkVpc(vpc: ResourceHandle, app: AppModel): RuleIssue[] {
  const found = restrictions(app).get(key(vpc.stack.name, vpc.logicalId)) ?? [];
  const unknowns: string[] = [];
  const partial: string[] = [];
  for (const r of found) {
    const exists = r.resource.stack.resolver.exists(r.resource);
    if (exists === 'always' && !r.conditional) return [];
    if (r.conditional) partial.push(`${r.resource.type} ${where(r.resource)} references it only in one branch of Fn::If`);
    else unknowns.push(`${r.resource.type} ${where(r.resource)} only exists when condition ${r.resource.condition} holds`);
  }
  if (unknowns.length > 0) {
    return [{ resource: vpc, kind: 'unverifiable', message: `cannot verify that VPC ${where(vpc)} restricts its default security group: ${unknowns.join('; ')}` }];
  }
  const detail = partial.length > 0 ? ` in every case: ${partial.join('; ')}` : '';
  return [
    {
      resource: vpc,
      kind: 'violation',
      message:
        `VPC ${where(vpc)} does not restrict its default security group: no custom resource (such as Custom::VpcRestrictDefaultSG, ` +
        `created by ec2.Vpc with restrictDefaultSecurityGroup: true) references ${vpc.logicalId}.DefaultSecurityGroup${detail}. ` +
        'AWS creates the default group allowing all traffic among its members and all outbound traffic',
    },
  ];
}

function checkRule(rule: ResourceHandle, app: AppModel): RuleIssue[] {
  const resolver = rule.stack.resolver;
  const direction = rule.type === 'AWS::EC2::SecurityGroupEgress' ? 'egress' : 'ingress';
  const issues: RuleIssue[] = [];
  for (const a of resolver.get(rule, 'GroupId')) {
    if (a.kind === 'ref' && isDefaultSgRef(app, a)) {
      const vpc = app.resource(a.stack, a.logicalId)!;
      issues.push({
        resource: rule,
        kind: 'violation',
        location: 'GroupId',
        message: `adds an ${direction} rule to the default security group of VPC ${where(vpc)} (GroupId is ${describe(a)}); the default security group must allow nothing`,
      });
    }
  }
  if (direction === 'ingress') {
    for (const a of resolver.get(rule, 'GroupName')) {
      if (a.kind === 'value' && isDefaultGroupName(stringOf(a))) {
        issues.push({
          resource: rule,
          kind: 'violation',
          location: 'GroupName',
          message: "adds an ingress rule to the default security group of the default VPC (GroupName is 'default'); the default security group must allow nothing",
        });
      }
    }
  }
  return issues.slice(0, 1);
}

/**
 * SRM-IIP-NET-08: the default security group of every VPC allows nothing.
 * CloudFormation cannot change the default group, so a VPC is compliant when
 * a custom resource revokes its rules: CDK's `Custom::VpcRestrictDefaultSG`
 * (`restrictDefaultSecurityGroup: true`, the default under the feature flag
 * `@aws-cdk/aws-ec2:restrictDefaultSecurityGroup`) or any custom resource
 * whose properties reference `<Vpc>.DefaultSecurityGroup`. Any standalone
 * ingress or egress rule on a default group breaks the control.
 * Limitation: a `GroupId` given as a parameter is not reported, since it is
 * overwhelmingly a regular group and cannot be tied to a VPC of the app.
 */
export const VpcDefaultSecurityGroupRestricted: SrmIipRule = {
  id: 'VpcDefaultSecurityGroupRestricted',
  controlId: 'SRM-IIP-NET-08',
  summary: 'The default security group of every VPC is stripped of its rules and gets no new ones',
  resourceTypes: ['AWS::EC2::VPC', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'],
  check(r, ctx): RuleIssue[] {
    return r.type === 'AWS::EC2::VPC' ? checkVpc(r, ctx.app) : checkRule(r, ctx.app);
  },
};
