import { App, Stack } from 'aws-cdk-lib';
import * as msk from 'aws-cdk-lib/aws-msk';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'MskEncryptsInTransit';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const BROKERS = { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-1', 'subnet-2'] };

function cluster(transit: unknown, extra: Record<string, unknown> = COND) {
  return template(
    { C: { Type: 'AWS::MSK::Cluster', Properties: { ClusterName: 'c', KafkaVersion: '3.6.0', NumberOfBrokerNodes: 2, BrokerNodeGroupInfo: BROKERS, ...(transit === undefined ? {} : { EncryptionInfo: { EncryptionInTransit: transit } }) } } },
    extra,
  );
}

function cdkCluster(encryptionInTransit?: msk.CfnCluster.EncryptionInTransitProperty) {
  const stack = new Stack(new App(), 'S');
  new msk.CfnCluster(stack, 'Kafka', {
    clusterName: 'plant',
    kafkaVersion: '3.6.0',
    numberOfBrokerNodes: 2,
    brokerNodeGroupInfo: { instanceType: 'kafka.m5.large', clientSubnets: ['subnet-1', 'subnet-2'] },
    encryptionInfo: encryptionInTransit ? { encryptionInTransit } : undefined,
  });
  return stack;
}

describe('SRM-IIP-COM-04: MSK accepts TLS clients only and encrypts broker traffic', () => {
  it('is exported from the package root, with its judgement', () => {
    expect(kit.MskEncryptsInTransit.controlId).toBe('SRM-IIP-COM-04');
    expect(kit.COMMUNICATION_RULES).toContain(kit.MskEncryptsInTransit);
    expect(kit.isTlsOnlyClientBroker('TLS')).toBe(true);
    expect(kit.isTlsOnlyClientBroker('TLS_PLAINTEXT')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: a CDK CfnCluster that accepts plaintext clients', () => {
      expect(findingsForApp(cdkCluster({ clientBroker: 'TLS_PLAINTEXT' }), RULE)).toMatchObject([
        { controlId: 'SRM-IIP-COM-04', ruleId: RULE, kind: 'violation', location: 'EncryptionInfo.EncryptionInTransit.ClientBroker', message: expect.stringContaining("'TLS_PLAINTEXT'") },
      ]);
    });

    it('2: in-cluster encryption off, and PLAINTEXT clients', () => {
      const fs = findings(cluster({ ClientBroker: 'PLAINTEXT', InCluster: false }), RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(['EncryptionInfo.EncryptionInTransit.ClientBroker', 'EncryptionInfo.EncryptionInTransit.InCluster']);
    });

    it('3: one Fn::If branch turns in-cluster encryption off', () => {
      expect(findings(cluster({ InCluster: { 'Fn::If': ['Prod', true, false] } }), RULE)).toMatchObject([{ kind: 'violation', location: 'EncryptionInfo.EncryptionInTransit.InCluster' }]);
    });
  });

  describe('Compliance', () => {
    it('a CDK CfnCluster with the defaults (TLS, in-cluster on) and with them explicit', () => {
      expect(findingsForApp(cdkCluster(), RULE)).toEqual([]);
      expect(findingsForApp(cdkCluster({ clientBroker: 'TLS', inCluster: true }), RULE)).toEqual([]);
    });

    it('every Fn::If branch is TLS', () => {
      expect(findings(cluster({ ClientBroker: { 'Fn::If': ['Prod', 'TLS', 'TLS'] }, InCluster: { 'Fn::If': ['Prod', true, 'true'] } }), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a ClientBroker parameter is unverifiable', () => {
      expect(findings(cluster({ ClientBroker: { Ref: 'Mode' } }, { Parameters: { Mode: { Type: 'String' } } }), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Mode') }]);
    });
  });
});
