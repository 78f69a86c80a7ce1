import type { ResourceHandle } from '../engine/model';
import { checkProperty, RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { Alt, boolOf, describe, isPlainObject, judgeAll, stringOf, Verdict } from '../engine/values';

/**
 * A CloudFront viewer security policy of TLSv1.2_2021 or newer
 * (`TLSv1.2_2021`, `TLSv1.2_2025`, `TLSv1.3_2025`, …). `TLSv1.2_2018` and
 * `TLSv1.2_2019` keep weak CBC/SHA-1 ciphers; `TLSv1*_2016`, `TLSv1` and
 * `SSLv3` accept old protocols.
 */
export function isModernCloudFrontProtocolVersion(version: string): boolean {
  const m = /^TLSv1\.(\d+)_(\d{4})$/.exec(version);
  if (!m) return false;
  const minor = Number(m[1]);
  return minor >= 3 || (minor === 2 && Number(m[2]) >= 2021);
}

/** A viewer protocol policy that never serves content over plain HTTP. */
export function isSecureViewerProtocolPolicy(policy: string): boolean {
  return policy === 'https-only' || policy === 'redirect-to-https';
}

const DEFAULT_CERT =
  'the default *.cloudfront.net certificate, with which CloudFront accepts TLSv1 and the minimum protocol cannot be raised; use an ACM certificate with MinimumProtocolVersion TLSv1.2_2021 or newer';

/**
 * SRM-IIP-COM-02: CloudFront distributions serve viewers with a custom
 * certificate and a minimum protocol of TLSv1.2_2021 or newer, and no cache
 * behavior allows plain HTTP.
 */
export const CloudFrontViewersUseModernTls: SrmIipRule = {
  id: 'CloudFrontViewersUseModernTls',
  controlId: 'SRM-IIP-COM-02',
  summary: 'CloudFront distributions require TLSv1.2_2021 or newer from viewers and never allow plain HTTP (viewer protocol policy not allow-all)',
  resourceTypes: ['AWS::CloudFront::Distribution'],
  check(r) {
    const resolver = r.stack.resolver;
    const issues: RuleIssue[] = [...checkCertificate(r)];
    issues.push(
      ...checkProperty(r, ['DistributionConfig', 'DefaultCacheBehavior', 'ViewerProtocolPolicy'], judgeViewerPolicy, (a) =>
        `the default cache behavior's ViewerProtocolPolicy is ${describe(a)}: viewers may use plain HTTP; use redirect-to-https or https-only`,
      ),
    );
    const behaviors = resolver.items(r.stack, resolver.get(r, 'DistributionConfig', 'CacheBehaviors'));
    for (const b of behaviors) {
      if (b.kind !== 'value' || !isPlainObject(b.value)) {
        issues.push(unverifiable(r, 'DistributionConfig.CacheBehaviors', b));
        continue;
      }
      const pattern = resolver.path(r.stack, [b], ['PathPattern']).map((p) => stringOf(p) ?? describe(p)).join(' | ');
      const { verdict, culprit } = judgeAll(resolver.path(r.stack, [b], ['ViewerProtocolPolicy']), judgeViewerPolicy);
      if (verdict === 'fail') {
        issues.push({
          resource: r,
          kind: 'violation',
          location: 'DistributionConfig.CacheBehaviors.ViewerProtocolPolicy',
          message: `cache behavior for path ${pattern} has ViewerProtocolPolicy ${describe(culprit!)}: viewers may use plain HTTP; use redirect-to-https or https-only`,
        });
      } else if (verdict === 'unknown') {
        issues.push(unverifiable(r, 'DistributionConfig.CacheBehaviors.ViewerProtocolPolicy', culprit!));
      }
    }
    return issues;
  },
};

function judgeViewerPolicy(a: Alt): Verdict {
  if (a.kind === 'absent') return 'fail';
  if (a.kind !== 'value') return 'unknown';
  const s = stringOf(a);
  return s !== undefined && isSecureViewerProtocolPolicy(s) ? 'pass' : 'fail';
}

function checkCertificate(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const location = 'DistributionConfig.ViewerCertificate';
  const issues: RuleIssue[] = [];
  for (const cert of resolver.get(r, 'DistributionConfig', 'ViewerCertificate')) {
    if (cert.kind === 'absent') {
      issues.push({ resource: r, kind: 'violation', location, message: `ViewerCertificate is not set, so viewers get ${DEFAULT_CERT}` });
      continue;
    }
    if (cert.kind !== 'value' || !isPlainObject(cert.value)) {
      issues.push(unverifiable(r, location, cert));
      continue;
    }
    let settled = false;
    for (const d of resolver.path(r.stack, [cert], ['CloudFrontDefaultCertificate'])) {
      if (d.kind === 'value' && boolOf(d) === true) {
        settled = true;
        issues.push({ resource: r, kind: 'violation', location: `${location}.CloudFrontDefaultCertificate`, message: `CloudFrontDefaultCertificate is true: viewers get ${DEFAULT_CERT}` });
      } else if (d.kind === 'unknown' || d.kind === 'ref') {
        settled = true;
        issues.push(unverifiable(r, `${location}.CloudFrontDefaultCertificate`, d));
      }
    }
    if (settled) continue;
    const { verdict, culprit } = judgeAll(resolver.path(r.stack, [cert], ['MinimumProtocolVersion']), (a): Verdict => {
      if (a.kind === 'absent') return 'fail';
      if (a.kind !== 'value') return 'unknown';
      const s = stringOf(a);
      return s !== undefined && isModernCloudFrontProtocolVersion(s) ? 'pass' : 'fail';
    });
    if (verdict === 'unknown') issues.push(unverifiable(r, `${location}.MinimumProtocolVersion`, culprit!));
    if (verdict === 'fail') {
      issues.push({
        resource: r,
        kind: 'violation',
        location: `${location}.MinimumProtocolVersion`,
        message:
          culprit!.kind === 'absent'
            ? 'MinimumProtocolVersion is not set, so CloudFront defaults to TLSv1 for the custom certificate; set TLSv1.2_2021 or newer'
            : `MinimumProtocolVersion is ${describe(culprit!)}, older than TLSv1.2_2021; set TLSv1.2_2021 or newer`,
      });
    }
  }
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(i.message) ? false : (seen.add(i.message), true)));
}
