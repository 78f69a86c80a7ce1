import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'DynamoDbPointInTimeRecovery';
const pitr = (v: unknown) => ({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: v } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-05: DynamoDB tables have point-in-time recovery', () => {
  it('is exported from the package root', () => {
    expect(kit.DynamoDbPointInTimeRecovery.controlId).toBe('SRM-IIP-OPS-05');
  });

  describe('Noncompliance', () => {
    it('1: an L2 table with CDK defaults (no PITR)', () => {
      const stack = new Stack(new App(), 'S');
      new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ controlId: 'SRM-IIP-OPS-05', ruleId: RULE, kind: 'violation', message: expect.stringContaining('DynamoDB defaults to off') }]);
    });

    it('2: a global table with one replica without PITR', () => {
      const t = template({ G: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'eu-central-1', ...pitr(true) }, { Region: 'eu-west-1' }] } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'Replicas.1.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled', message: expect.stringContaining('the replica in eu-west-1') }]);
    });

    it('3: one branch of Fn::If turns PITR off', () => {
      expect(findings(template({ T: { Type: 'AWS::DynamoDB::Table', Properties: pitr({ 'Fn::If': ['Prod', true, false] }) } }, COND), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 table with PITR', () => {
      const stack = new Stack(new App(), 'S');
      new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 TableV2 (global table) with PITR on every replica', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
      new dynamodb.TableV2(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }, replicas: [{ region: 'eu-west-1' }] });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every branch of Fn::If is on', () => {
      expect(findings(template({ T: { Type: 'AWS::DynamoDB::Table', Properties: pitr({ 'Fn::If': ['Prod', true, 'true'] }) } }, COND), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a parameter is unverifiable', () => {
      const t = template({ T: { Type: 'AWS::DynamoDB::Table', Properties: pitr({ Ref: 'On' }) } }, { Parameters: { On: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter On') }]);
    });
  });
});
