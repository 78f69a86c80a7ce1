/** Raw-template building blocks shared by the network rule tests (SRM-IIP-NET-01/02/03/06). */
import { Stack } from 'aws-cdk-lib';

export const ZONE = 'srm-iip:zone';

/** A `Tags` list holding one zone tag. */
export function zoneTags(zone: unknown): Array<{ Key: string; Value: unknown }> {
  return [{ Key: ZONE, Value: zone }];
}

export const VPC = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };

/** A subnet of VPC `Vpc`, optionally tagged with a zone. */
export function subnet(zone: unknown, cidr = '10.0.1.0/24', extra: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::EC2::Subnet',
    Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: cidr, ...(zone === undefined ? {} : { Tags: zoneTags(zone) }), ...extra },
  };
}

/** A security group of VPC `Vpc`, optionally tagged with a zone. */
export function securityGroup(zone: unknown, extra: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: { GroupDescription: 'sg', VpcId: { Ref: 'Vpc' }, ...(zone === undefined ? {} : { Tags: zoneTags(zone) }), ...extra },
  };
}

/** Template sections declaring a zone model. */
export function zoneModel(zones: unknown[], conduits: unknown[] = []): Record<string, unknown> {
  return { Metadata: { 'srm-iip': { zoneModel: { zones, conduits } } } };
}

/** Template sections with an undecidable condition `Prod`. */
export const PROD_CONDITION = {
  Parameters: { Env: { Type: 'String' } },
  Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
};

/** Declare a zone model on a CDK stack. */
export function declareZoneModel(stack: Stack, zones: unknown[], conduits: unknown[] = []): void {
  stack.templateOptions.metadata = { 'srm-iip': { zoneModel: { zones, conduits } } };
}
