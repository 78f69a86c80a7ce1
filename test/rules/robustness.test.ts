import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppModel } from '../../rules/engine/model';
import { RuleContext } from '../../rules/engine/rule';
import { resolveSettings } from '../../rules/engine/run';
import { ZoneModel } from '../../rules/engine/zones';
import { ALL_RULES } from '../../rules/registry';

/**
 * Property-based robustness: random property trees, full of intrinsics,
 * wrong types and AWS::NoValue, fed to every rule. No rule may throw; the
 * runner's guard is bypassed on purpose.
 */
const NAMES = ['A', 'B', 'Param', 'Cond', 'Vpc', 'Key', 'Bucket', 'AWS::NoValue', 'AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'Missing'];
const name = fc.constantFrom(...NAMES);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('*', '0.0.0.0/0', '::/0', 'true', 'false', 'aws:kms', 'AES256', 'tcp', '-1', 'Allow', 'Deny', 'iot:*', 's3:*', '{{resolve:ssm:x}}', 'arn:aws:kms:eu-central-1:111122223333:key/abc', 'alias/aws/s3', '${iot:Connection.Thing.ThingName}'),
  fc.integer({ min: -5, max: 70000 }),
  fc.boolean(),
  fc.constant(null),
);

const tree = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('Key', 'Value', 'Effect', 'Action', 'Resource', 'Principal', 'Condition', 'Statement', 'Enabled', 'Tags', 'Type', 'Rules', 'Properties', 'Id', 'Bool', 'aws:SecureTransport'), tie('node'), { maxKeys: 4 }),
    fc.record({ Ref: name }),
    fc.record({ 'Fn::GetAtt': fc.tuple(name, fc.constantFrom('Arn', 'DefaultSecurityGroup', 'X')) }),
    fc.record({ 'Fn::If': fc.tuple(fc.constantFrom('Cond', 'Other', 'Missing'), tie('node'), tie('node')) }),
    fc.record({ 'Fn::Sub': fc.oneof(fc.constantFrom('arn:${AWS::Partition}:s3:::${Bucket}/*', '${A}', '${!Literal}', '${Param}-x', '${Missing.Arn}'), fc.tuple(fc.string(), fc.dictionary(fc.string({ maxLength: 3 }), tie('node'), { maxKeys: 2 }))) }),
    fc.record({ 'Fn::Join': fc.tuple(fc.oneof(fc.constant(''), tie('node')), fc.oneof(fc.array(tie('node'), { maxLength: 3 }), tie('node'))) }),
    fc.record({ 'Fn::Select': fc.tuple(fc.oneof(fc.integer({ min: -1, max: 3 }), tie('node')), tie('node')) }),
    fc.record({ 'Fn::Split': fc.tuple(fc.constant(','), tie('node')) }),
    fc.record({ 'Fn::FindInMap': fc.tuple(fc.constantFrom('M', 'Nope'), tie('node'), tie('node')) }),
    fc.record({ 'Fn::ImportValue': tie('node') }),
    fc.record({ 'Fn::Base64': tie('node') }),
    fc.record({ 'Fn::GetAZs': fc.constant('') }),
    fc.record({ 'Fn::Cidr': fc.tuple(tie('node'), fc.constant(2), fc.constant(8)) }),
    fc.record({ 'Fn::Length': tie('node') }),
    fc.record({ 'Fn::ToJsonString': tie('node') }),
    fc.record({ 'Fn::Unknown': tie('node') }),
  ),
})).node;

const TYPES = [...new Set(ALL_RULES.flatMap((r) => r.resourceTypes))];

const templateArb = fc.record({
  resources: fc.array(fc.record({ type: fc.constantFrom(...TYPES), props: fc.dictionary(fc.string({ maxLength: 20 }), tree, { maxKeys: 6 }), propsFromRule: fc.boolean(), metadata: tree }), { minLength: 1, maxLength: 5 }),
  condition: tree,
  mapping: tree,
});

/** Property names real templates use, so random values land where rules look. */
function propertyNamesOf(type: string): string[] {
  const names: Record<string, string[]> = {
    'AWS::KMS::Key': ['EnableKeyRotation', 'KeySpec', 'RotationPeriodInDays', 'PendingWindowInDays', 'KeyPolicy', 'Tags'],
    'AWS::S3::Bucket': ['BucketEncryption', 'PublicAccessBlockConfiguration', 'VersioningConfiguration', 'LifecycleConfiguration', 'ReplicationConfiguration', 'Tags'],
    'AWS::EC2::SecurityGroup': ['SecurityGroupIngress', 'SecurityGroupEgress', 'VpcId', 'Tags'],
  };
  return names[type] ?? ['Tags', 'Properties', 'Type'];
}

describe('every rule on random property trees', () => {
  it(`never throws (${ALL_RULES.length} rules, ${TYPES.length} resource types)`, () => {
    fc.assert(
      fc.property(templateArb, ({ resources, condition, mapping }) => {
        const Resources: Record<string, unknown> = {};
        resources.forEach((r, i) => {
          const props: Record<string, unknown> = { ...r.props };
          if (r.propsFromRule) for (const p of propertyNamesOf(r.type)) props[p] = r.props[p] ?? condition;
          Resources[i === 0 ? 'A' : i === 1 ? 'B' : `R${i}`] = { Type: r.type, Properties: props, Metadata: r.metadata, Condition: i % 2 ? 'Cond' : undefined };
        });
        const template = {
          Parameters: { Param: { Type: 'String' } },
          Conditions: { Cond: condition, Other: { 'Fn::Equals': [{ Ref: 'Param' }, 'x'] } },
          Mappings: { M: { a: { b: mapping } } },
          Resources,
          Outputs: { O: { Value: condition, Export: { Name: 'Exp' } } },
          Metadata: { 'srm-iip': { zoneModel: { zones: [{ name: 'edge', domain: 'edge' }], conduits: [condition] } } },
        };
        const app = AppModel.fromTemplates([{ name: 'S', template }]);
        const ctx: RuleContext = { app, resolver: app.resolver, settings: resolveSettings({ allowedRegions: ['eu-central-1'] }), zones: new ZoneModel(app) };
        for (const rule of ALL_RULES) {
          if (rule.check) for (const r of app.resourcesOfType(...rule.resourceTypes)) expect(Array.isArray(rule.check(r, ctx)), rule.id).toBe(true);
          if (rule.checkApp) expect(Array.isArray(rule.checkApp(ctx)), rule.id).toBe(true);
        }
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});
