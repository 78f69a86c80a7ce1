import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';

/**
 * The SL3+ profile enforcement reads what CloudFormation will see (PascalCase,
 * overrides applied), not the L1's camelCase fields.
 */
const ENV = { account: '111122223333', region: 'eu-central-1' };

function sl3(levels = 2) {
  const app = new App();
  const platform = new kit.IipPlatform(app, 'P', { env: ENV, securityLevel: kit.SecurityLevel.SL3, classificationLevels: levels, enableEdge: false });
  return { app, platform };
}

describe('IipPlatform SL3+ enforcement', () => {
  it('a CloudFront distribution with a web ACL passes; one without fails naming SRM-IIP-NET-07', () => {
    const ok = sl3();
    new cloudfront.CfnDistribution(ok.platform.applicationStack, 'WithAcl', {
      distributionConfig: { enabled: true, webAclId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/abc', defaultCacheBehavior: { targetOriginId: 'o', viewerProtocolPolicy: 'https-only' }, origins: [{ id: 'o', domainName: 'example.com', customOriginConfig: { originProtocolPolicy: 'https-only' } }] },
    });
    expect(() => ok.app.synth()).not.toThrow();

    const bad = sl3();
    new cloudfront.CfnDistribution(bad.platform.applicationStack, 'NoAcl', {
      distributionConfig: { enabled: true, defaultCacheBehavior: { targetOriginId: 'o', viewerProtocolPolicy: 'https-only' }, origins: [{ id: 'o', domainName: 'example.com', customOriginConfig: { originProtocolPolicy: 'https-only' } }] },
    });
    expect(() => bad.app.synth()).toThrow(/SRM-IIP-NET-07: security level SL3 puts a WAFv2 web ACL on every entry point; this AWS::CloudFront::Distribution has none/);
  });

  it('only top-level launch templates get dedicated tenancy; a lower level keeps its own', () => {
    const { app, platform } = sl3(2);
    const data = (level: string): ec2.CfnLaunchTemplate.LaunchTemplateDataProperty => ({ tagSpecifications: [{ resourceType: 'instance', tags: [{ key: 'srm-iip:level', value: level }] }] });
    new ec2.CfnLaunchTemplate(platform.platformStack, 'Low', { launchTemplateData: data('1') });
    new ec2.CfnLaunchTemplate(platform.platformStack, 'Top', { launchTemplateData: data('2') });
    app.synth();
    const lts = Template.fromStack(platform.platformStack).findResources('AWS::EC2::LaunchTemplate');
    const tenancy = (id: string) => (Object.entries(lts).find(([k]) => k.startsWith(id))![1] as { Properties: { LaunchTemplateData: { Placement?: { Tenancy?: string } } } }).Properties.LaunchTemplateData.Placement?.Tenancy;
    expect(tenancy('Low')).toBeUndefined();
    expect(tenancy('Top')).toBe('dedicated');
  });

  it('an explicit shared tenancy at the top level fails naming SRM-IIP-PHY-03', () => {
    const { app, platform } = sl3(2);
    new ec2.CfnLaunchTemplate(platform.platformStack, 'Top', {
      launchTemplateData: { placement: { tenancy: 'default' }, tagSpecifications: [{ resourceType: 'instance', tags: [{ key: 'srm-iip:level', value: '2' }] }] },
    });
    expect(() => app.synth()).toThrow(/SRM-IIP-PHY-03: security level SL3 runs the top classification level \(2\) on dedicated hardware; LaunchTemplateData.Placement.Tenancy must be dedicated or host, got 'default'/);
  });
});
