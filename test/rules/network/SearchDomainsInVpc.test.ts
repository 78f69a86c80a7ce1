import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';
import { PROD_CONDITION } from './network-fixtures';

const RULE = 'SearchDomainsInVpc';

const domain = (props: Record<string, unknown>, type = 'AWS::OpenSearchService::Domain') => ({ Type: type, Properties: props });

describe('SRM-IIP-NET-03: OpenSearch and Elasticsearch domains sit in a VPC, without a public endpoint', () => {
  it('is exported from the package root', () => {
    expect(kit.SearchDomainsInVpc.controlId).toBe('SRM-IIP-NET-03');
    expect(kit.searchDomainIsPrivate(0)).toBe(false);
    expect(kit.searchDomainIsPrivate(2)).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: an L2 OpenSearch domain without a VPC', () => {
      const stack = new Stack(new App(), 'S');
      new opensearch.Domain(stack, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_11 });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-03', ruleId: RULE, kind: 'violation', resourceType: 'AWS::OpenSearchService::Domain', location: 'VPCOptions' });
      expect(fs[0].message).toContain('public endpoint');
    });

    it('2: a legacy Elasticsearch domain with empty VPC subnets', () => {
      const fs = findings(template({ D: domain({ VPCOptions: { SubnetIds: [] } }, 'AWS::Elasticsearch::Domain') }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', location: 'VPCOptions.SubnetIds', resourceType: 'AWS::Elasticsearch::Domain' }]);
    });

    it('3: one Fn::If branch drops VPCOptions', () => {
      const t = template({ D: domain({ VPCOptions: { 'Fn::If': ['Prod', { SubnetIds: ['subnet-1'] }, { Ref: 'AWS::NoValue' }] } }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'VPCOptions' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 domain placed in VPC subnets', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      new opensearch.Domain(stack, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_11, vpc, vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch is in a VPC', () => {
      const t = template({ D: domain({ VPCOptions: { SubnetIds: { 'Fn::If': ['Prod', ['subnet-1', 'subnet-2'], ['subnet-3']] } } }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('subnets from a list parameter are unverifiable', () => {
      const t = template({ D: domain({ VPCOptions: { SubnetIds: { Ref: 'Subnets' } } }) }, { Parameters: { Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'VPCOptions.SubnetIds', message: expect.stringContaining('parameter Subnets') }]);
    });
  });
});
