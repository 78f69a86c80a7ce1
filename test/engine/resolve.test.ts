import { describe, expect, it } from 'vitest';
import { AppModel, TemplateShapeError } from '../../rules/engine/model';
import type { Alt } from '../../rules/engine/values';

function app(...templates: Array<Record<string, unknown>>) {
  return AppModel.fromTemplates(templates.map((template, i) => ({ name: `S${i}`, template })));
}
function prop(a: AppModel, value: unknown, extra: Record<string, unknown> = {}, stack = 0): Alt[] {
  void extra;
  const s = a.stacks[stack];
  return a.resolver.resolve(s, value);
}
const PARAMS = { Parameters: { Env: { Type: 'String' }, Pinned: { Type: 'String', AllowedValues: ['a', 'b'] } }, Conditions: { C: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, T: { 'Fn::Equals': ['x', 'x'] }, F: { 'Fn::Not': [{ Condition: 'T' }] } } };

describe('Resolver', () => {
  const a = app({ ...PARAMS, Mappings: { M: { eu: { k: 'v1' }, us: { k: 'v2' } } }, Resources: { B: { Type: 'AWS::S3::Bucket' } } });

  it('Fn::If yields both branches when the condition depends on a parameter', () => {
    expect(prop(a, { 'Fn::If': ['C', 1, 2] })).toEqual([{ kind: 'value', value: 1 }, { kind: 'value', value: 2 }]);
  });

  it('Fn::If takes one branch when the condition is statically known', () => {
    expect(prop(a, { 'Fn::If': ['T', 1, 2] })).toEqual([{ kind: 'value', value: 1 }]);
    expect(prop(a, { 'Fn::If': ['F', 1, 2] })).toEqual([{ kind: 'value', value: 2 }]);
  });

  it('14 nested Fn::If give 15 alternatives, not 2^14', () => {
    let node: unknown = 'leaf-0';
    for (let i = 1; i <= 14; i++) node = { 'Fn::If': ['C', `leaf-${i}`, node] };
    expect(prop(a, node)).toHaveLength(15);
  });

  it('AWS::NoValue is absent; a parameter is unknown unless AllowedValues pins it', () => {
    expect(prop(a, { Ref: 'AWS::NoValue' })).toEqual([{ kind: 'absent' }]);
    expect(prop(a, { Ref: 'Env' })).toMatchObject([{ kind: 'unknown', reason: 'depends on parameter Env' }]);
    expect(prop(a, { Ref: 'Pinned' })).toEqual([{ kind: 'value', value: 'a' }, { kind: 'value', value: 'b' }]);
  });

  it('Ref and GetAtt to a resource are references', () => {
    expect(prop(a, { Ref: 'B' })).toEqual([{ kind: 'ref', stack: 'S0', logicalId: 'B' }]);
    expect(prop(a, { 'Fn::GetAtt': 'B.Arn' })).toEqual([{ kind: 'ref', stack: 'S0', logicalId: 'B', attribute: 'Arn' }]);
    expect(prop(a, { 'Fn::GetAtt': ['B', 'Arn'] })).toEqual([{ kind: 'ref', stack: 'S0', logicalId: 'B', attribute: 'Arn' }]);
  });

  it('Fn::Sub keeps known text and marks unknown parts', () => {
    expect(prop(a, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${B}/*' })).toEqual([
      { kind: 'unknown', reason: 'contains a reference to B', text: 'arn:${AWS::Partition}:s3:::${B}/*' },
    ]);
    expect(prop(a, { 'Fn::Sub': ['x-${V}', { V: 'y' }] })).toEqual([{ kind: 'value', value: 'x-y' }]);
    expect(prop(a, { 'Fn::Sub': '${!Literal}' })).toEqual([{ kind: 'value', value: '${Literal}' }]);
  });

  it('Fn::Join over branches', () => {
    expect(prop(a, { 'Fn::Join': ['-', ['a', { 'Fn::If': ['C', 'b', 'c'] }]] })).toEqual([{ kind: 'value', value: 'a-b' }, { kind: 'value', value: 'a-c' }]);
  });

  it('Fn::FindInMap with an unknown key yields every entry of the map', () => {
    expect(prop(a, { 'Fn::FindInMap': ['M', 'eu', 'k'] })).toEqual([{ kind: 'value', value: 'v1' }]);
    expect(prop(a, { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'k'] })).toEqual([{ kind: 'value', value: 'v1' }, { kind: 'value', value: 'v2' }]);
  });

  it('Fn::Select and Fn::Split on literals', () => {
    expect(prop(a, { 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] })).toEqual([{ kind: 'value', value: 'y' }]);
  });

  it('dynamic references are unknown', () => {
    expect(prop(a, '{{resolve:ssm:/x}}')).toMatchObject([{ kind: 'unknown', reason: 'a dynamic reference resolved at deploy time' }]);
  });

  it('a cyclic condition does not loop', () => {
    const c = app({ Conditions: { X: { Condition: 'Y' }, Y: { Condition: 'X' } }, Resources: { B: { Type: 'AWS::S3::Bucket' } } });
    expect(c.resolver.resolve(c.stacks[0], { 'Fn::If': ['X', 1, 2] })).toHaveLength(2);
  });

  it('Fn::ImportValue follows an export of another stack of the app', () => {
    const two = app(
      { Resources: { Key: { Type: 'AWS::KMS::Key' } }, Outputs: { O: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] }, Export: { Name: 'KeyArn' } } } },
      { Resources: { B: { Type: 'AWS::S3::Bucket' } } },
    );
    expect(two.resolver.resolve(two.stacks[1], { 'Fn::ImportValue': 'KeyArn' })).toEqual([{ kind: 'ref', stack: 'S0', logicalId: 'Key', attribute: 'Arn' }]);
    expect(two.resolver.resolve(two.stacks[1], { 'Fn::ImportValue': 'Other' })).toMatchObject([{ kind: 'unknown', reason: 'imported from another stack (export Other)' }]);
  });

  it('get() follows a property path through intrinsics', () => {
    const t = app({ ...PARAMS, Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { X: { 'Fn::If': ['C', { Y: 1 }, { Y: { Ref: 'Env' } }] } } } } });
    const r = t.stacks[0].resources.get('B')!;
    expect(t.resolver.get(r, 'X', 'Y')).toMatchObject([{ kind: 'value', value: 1 }, { kind: 'unknown' }]);
    expect(t.resolver.get(r, 'Nope', 'Deeper')).toEqual([{ kind: 'absent' }]);
  });

  it('resource conditions: always, never, maybe', () => {
    const t = app({ ...PARAMS, Resources: { A: { Type: 'X' }, N: { Type: 'X', Condition: 'F' }, M: { Type: 'X', Condition: 'C' } } });
    const [A, N, M] = ['A', 'N', 'M'].map((id) => t.stacks[0].resources.get(id)!);
    expect([t.resolver.exists(A), t.resolver.exists(N), t.resolver.exists(M)]).toEqual(['always', 'never', 'maybe']);
  });
});

describe('template model', () => {
  it('expands Fn::ForEach over a literal collection', () => {
    const t = app({ Resources: { 'Fn::ForEach::Buckets': ['Id', ['A', 'B'], { 'Bucket${Id}': { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'Id' } } } }] } });
    expect([...t.stacks[0].resources.keys()]).toEqual(['BucketA', 'BucketB']);
    const r = t.stacks[0].resources.get('BucketB')!;
    expect(t.resolver.get(r, 'BucketName')).toEqual([{ kind: 'value', value: 'B' }]);
  });

  it('expands Fn::ForEach over a parameter symbolically', () => {
    const t = app({ Parameters: { Names: { Type: 'CommaDelimitedList' } }, Resources: { 'Fn::ForEach::B': ['Id', { Ref: 'Names' }, { 'Bucket${Id}': { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'Id' } } } }] } });
    const [r] = t.stacks[0].resources.values();
    expect(t.resolver.get(r, 'BucketName')).toMatchObject([{ kind: 'unknown', reason: 'an item of Fn::ForEach (Id)' }]);
  });

  it.each([
    [[], 'not a JSON/YAML object'],
    [{ Description: 'x' }, 'it has no Resources section'],
    [{ Resources: { A: {} } }, 'resource A has no Type'],
    [{ Resources: { A: 'x' } }, 'resource A is not an object'],
  ])('refuses %j', (template, message) => {
    expect(() => AppModel.fromTemplates([{ name: 'T', template }])).toThrow(TemplateShapeError);
    expect(() => AppModel.fromTemplates([{ name: 'T', template }])).toThrow(message);
  });
});

describe('Resolver memo', () => {
  it('one expression object shared by two templates resolves per stack', () => {
    const shared = { Ref: 'Vpc' };
    const t = AppModel.fromTemplates([
      { name: 'A', template: { Resources: { Vpc: { Type: 'AWS::EC2::VPC' }, Log: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: shared } } } } },
      { name: 'B', template: { Resources: { Vpc: { Type: 'AWS::EC2::VPC' }, Log: { Type: 'AWS::EC2::FlowLog', Properties: { ResourceId: shared } } } } },
    ]);
    const logB = t.stacks[1].resources.get('Log')!;
    t.resolver.get(t.stacks[0].resources.get('Log')!, 'ResourceId');
    expect(t.resolver.get(logB, 'ResourceId')).toEqual([{ kind: 'ref', stack: 'B', logicalId: 'Vpc' }]);
  });
});
