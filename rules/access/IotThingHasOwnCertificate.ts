import type { AppModel, ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf } from '../engine/values';
import { readableText } from './policy-checks';

/** Whether a principal ARN names an X.509 certificate of AWS IoT (`arn:aws:iot:…:cert/<id>`). */
export function isIotCertificateArn(arn: string): boolean {
  return /^arn:[^:]+:iot:[^:]*:[^:]*:cert\/[^/]+$/.test(arn.trim());
}

/** Whether one certificate is attached to more than one thing: the things it is attached to, by name or ID. */
export function certificateIsShared(thingsOfCertificate: ReadonlySet<string>): boolean {
  return thingsOfCertificate.size > 1;
}

const key = (r: ResourceHandle) => `${r.stack.name}/${r.logicalId}`;
const where = (r: ResourceHandle) => `${r.logicalId} in stack ${r.stack.name}`;

/** What one ThingPrincipalAttachment attaches, as far as the templates tell. */
interface Attachment {
  readonly r: ResourceHandle;
  /** Things it may attach to (keys of things of the app, or `name:<n>` for things outside it). */
  readonly things: Set<string>;
  /** A ThingName that cannot be resolved. */
  readonly thingUnresolved?: Alt;
  /** Certificates it may attach (resource keys, or `arn:<text>`). */
  readonly certs: Set<string>;
  /** Principals that are not X.509 certificates (a Cognito identity, another resource). */
  readonly notCerts: string[];
  /** A Principal that cannot be resolved. */
  readonly principalUnresolved?: Alt;
  readonly exists: 'always' | 'maybe';
}

/**
 * SRM-IIP-ACC-03: every device has its own identity. Each `AWS::IoT::Thing`
 * has an `AWS::IoT::ThingPrincipalAttachment` that attaches an X.509
 * certificate to it (ThingName: a `Ref` to the thing or its literal name;
 * Principal: the certificate ARN, usually `Fn::GetAtt Cert.Arn`), and no
 * certificate is attached to two things (compared by the certificate's
 * logical ID, or by identical ARN text). Works across stacks through
 * `Fn::ImportValue`. A principal that cannot be resolved is unverifiable; an
 * attachment that may not exist (an unknown Condition) does not prove one.
 */
export const IotThingHasOwnCertificate: SrmIipRule = {
  id: 'IotThingHasOwnCertificate',
  controlId: 'SRM-IIP-ACC-03',
  summary: 'Each IoT thing has its own X.509 certificate attached, and no certificate is attached to two things',
  resourceTypes: ['AWS::IoT::Thing', 'AWS::IoT::ThingPrincipalAttachment', 'AWS::IoT::Certificate'],
  checkApp(ctx) {
    const res = ctx.resolver;
    const live = (r: ResourceHandle) => res.exists(r) !== 'never';
    const things = ctx.app.resourcesOfType('AWS::IoT::Thing').filter(live);
    const byName = new Map<string, ResourceHandle[]>();
    const unnamed = new Set<string>(); // things whose name cannot be resolved
    for (const t of things) {
      for (const a of res.get(t, 'ThingName')) {
        const n = a.kind === 'value' ? stringOf(a) : undefined;
        if (n === undefined) {
          if (a.kind !== 'absent') unnamed.add(key(t));
          continue;
        }
        let l = byName.get(n);
        if (!l) byName.set(n, (l = []));
        l.push(t);
      }
    }

    const attachments = ctx.app.resourcesOfType('AWS::IoT::ThingPrincipalAttachment').filter(live).map((r) => readAttachment(ctx.app, r, byName));
    const byThing = new Map<string, Attachment[]>();
    const unresolvedThing: Attachment[] = [];
    const unmatchedName: Attachment[] = [];
    for (const att of attachments) {
      for (const t of att.things) {
        let l = byThing.get(t);
        if (!l) byThing.set(t, (l = []));
        l.push(att);
        if (t.startsWith('name:')) unmatchedName.push(att);
      }
      if (att.thingUnresolved) unresolvedThing.push(att);
    }

    const issues: RuleIssue[] = [];
    for (const att of attachments) {
      if (att.principalUnresolved) {
        issues.push({
          resource: att.r,
          kind: 'unverifiable',
          location: 'Principal',
          message: `cannot verify Principal: its value is ${describe(att.principalUnresolved)}, so neither that it is an X.509 certificate nor that no other thing shares it can be shown`,
        });
      }
    }

    for (const t of things) {
      const mine = byThing.get(key(t)) ?? [];
      const isCertOnly = (a: Attachment) => a.certs.size > 0 && a.notCerts.length === 0 && !a.principalUnresolved;
      const sameCondition = (a: Attachment) => a.exists === 'always' || (a.r.condition !== undefined && a.r.condition === t.condition && a.r.stack === t.stack);
      if (mine.some((a) => isCertOnly(a) && a.things.size === 1 && !a.thingUnresolved && sameCondition(a))) continue;

      const unsure: string[] = [];
      const partial: string[] = [];
      let coveredByAttachmentIssue = false;
      for (const a of mine) {
        if (a.principalUnresolved) {
          if (a.things.size === 1 && a.certs.size === 0 && a.notCerts.length === 0) coveredByAttachmentIssue = true;
          else unsure.push(`the Principal of ${where(a.r)} cannot be resolved`);
        }
        if (!sameCondition(a) && (a.certs.size > 0 || a.principalUnresolved)) unsure.push(`${where(a.r)} only exists when condition ${a.r.condition} holds`);
        if (a.things.size > 1 || a.thingUnresolved) partial.push(`${where(a.r)} attaches to it in only one branch of its ThingName`);
        if (a.notCerts.length > 0) partial.push(`${where(a.r)} attaches ${a.notCerts.join(', ')}, which is not an X.509 certificate`);
      }
      const others = (list: Attachment[]) => [...new Set(list)].filter((a) => !mine.includes(a) && (a.certs.size > 0 || a.principalUnresolved));
      unsure.push(...listSome(others(unresolvedThing).map((a) => `the ThingName of ${where(a.r)} is ${describe(a.thingUnresolved!)}`)));
      if (unnamed.has(key(t))) {
        unsure.push(...listSome(others(unmatchedName).map((a) => `its ThingName cannot be resolved and ${where(a.r)} attaches to a thing by name`)));
      }

      if (unsure.length > 0) {
        issues.push({
          resource: t,
          kind: 'unverifiable',
          location: 'ThingName',
          message: `cannot verify that thing ${where(t)} has its own X.509 certificate: ${[...new Set(unsure)].join('; ')}`,
        });
      } else if (coveredByAttachmentIssue && partial.length === 0) {
        // Reported on the attachment whose Principal cannot be resolved.
      } else {
        const message =
          partial.length > 0
            ? `thing ${where(t)} does not have an X.509 certificate attached in every case: ${[...new Set(partial)].join('; ')}`
            : `thing ${where(t)} has no X.509 certificate attached (no AWS::IoT::ThingPrincipalAttachment names it with a certificate Principal)`;
        issues.push({ resource: t, kind: 'violation', message });
      }
    }

    // A certificate attached to two different things.
    const byCert = new Map<string, Attachment[]>();
    for (const att of attachments) {
      for (const c of att.certs) {
        let l = byCert.get(c);
        if (!l) byCert.set(c, (l = []));
        l.push(att);
      }
    }
    for (const [cert, atts] of byCert) {
      if (atts.length < 2) continue;
      const thingsOfCert = new Set<string>();
      for (const a of atts) for (const t of a.things) thingsOfCert.add(t);
      const certRes = cert.startsWith('arn:') ? undefined : fromKey(ctx.app, cert);
      const certName = certRes ? `certificate ${where(certRes)}` : `certificate '${cert.slice(4)}'`;
      if (!certificateIsShared(thingsOfCert)) {
        const unresolvedAtts = atts.filter((a) => a.thingUnresolved);
        if (unresolvedAtts.length > 0) {
          issues.push({
            resource: certRes ?? atts[0].r,
            kind: 'unverifiable',
            location: certRes ? undefined : 'Principal',
            message: `cannot verify that ${certName} is attached to one thing only: it has ${atts.length} attachments, and ${listSome(unresolvedAtts.map((a) => `the ThingName of ${where(a.r)} is ${describe(a.thingUnresolved!)}`)).join('; ')}`,
          });
        }
        continue;
      }
      const names = [...thingsOfCert].map((t) => {
        const thing = t.startsWith('name:') ? undefined : fromKey(ctx.app, t);
        return thing ? where(thing) : `'${t.slice(5)}'`;
      });
      issues.push({
        resource: certRes ?? atts[0].r,
        kind: 'violation',
        location: certRes ? undefined : 'Principal',
        message: `${certName} is attached to ${thingsOfCert.size} things (${names.join(', ')}) through ${atts.map((a) => where(a.r)).join(', ')}; each device needs its own certificate`,
      });
    }
    return issues;
  },
};

function fromKey(app: AppModel, k: string): ResourceHandle | undefined {
  const i = k.lastIndexOf('/');
  return app.resource(k.slice(0, i), k.slice(i + 1));
}

/** At most a few entries of a long list, and how many were left out. */
function listSome(items: string[], max = 3): string[] {
  return items.length <= max ? items : [...items.slice(0, max), `${items.length - max} more`];
}

function readAttachment(app: AppModel, r: ResourceHandle, byName: ReadonlyMap<string, ResourceHandle[]>): Attachment {
  const res = app.resolver;
  const things = new Set<string>();
  let thingUnresolved: Alt | undefined;
  for (const { alt, target } of res.targets(res.get(r, 'ThingName'))) {
    if (target && target.type === 'AWS::IoT::Thing') things.add(key(target));
    else if (alt.kind === 'value' && stringOf(alt) !== undefined) {
      const n = stringOf(alt)!;
      const named = byName.get(n);
      if (named) for (const t of named) things.add(key(t));
      else things.add(`name:${n}`);
    } else if (alt.kind !== 'absent') thingUnresolved ??= alt;
  }

  const certs = new Set<string>();
  const notCerts: string[] = [];
  let principalUnresolved: Alt | undefined;
  for (const { alt, target } of res.targets(res.get(r, 'Principal'))) {
    if (target) {
      if (target.type === 'AWS::IoT::Certificate') certs.add(key(target));
      else notCerts.push(`${target.type} ${where(target)}`);
      continue;
    }
    if (alt.kind === 'absent') continue;
    const text = readableText(r.stack, alt);
    if (text === undefined) principalUnresolved ??= alt;
    else if (isIotCertificateArn(text)) certs.add(`arn:${text}`);
    else notCerts.push(`'${text}'`);
  }
  return { r, things, thingUnresolved, certs, notCerts, principalUnresolved, exists: res.exists(r) === 'always' ? 'always' : 'maybe' };
}
