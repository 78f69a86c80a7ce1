import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { buildCustomerPortal } from '../../examples/customer-portal/app';
import { recordedAcknowledgements } from '../../rules/packs';
import { vagueReasons } from '../support/packs';
import { registeredPlugins, reportConclusions } from '../blueprints/support';

// Built and synthesized once, as `npx tsx examples/customer-portal/app.ts` does: the three registered packs run at synthesis.
const ex = buildCustomerPortal();
const assembly = ex.app.synth();
const t = Template.fromJSON(assembly.getStackByName('gearbox-portal-application').template);

describe('example customer-portal', () => {
  test('synthesizes with the three packs registered; none fails (cdk-nag fails on any unacknowledged finding, warnings included)', () => {
    expect(registeredPlugins(ex.app)).toEqual(['SRM-IIP', 'AwsSolutions', 'NIST.800.53.R5']);
    for (const c of reportConclusions(assembly.directory)) expect(c).toMatch(/: success$/);
  });

  test('the kit\'s pack: no unacknowledged error; tenant isolation and API authorization checked and passing', () => {
    const r = ex.srmIipChecks.lastResult!;
    expect(r.findings.filter((f) => !f.acknowledgement && f.severity === 'error')).toEqual([]);
    const status = Object.fromEntries(r.controls.map((c) => [c.controlId, c.status]));
    expect([status['SRM-IIP-APP-06'], status['SRM-IIP-APP-01'], status['SRM-IIP-NET-07']]).toEqual(['passed', 'passed', 'passed']);
  });

  test('every acknowledgement carries a specific reason', () => {
    const acks = [...recordedAcknowledgements(ex.app).values()].flat().map((a) => ({ id: a.key, reason: a.reason }));
    expect(vagueReasons(acks)).toEqual([]);
  });

  test('the company is the tenant: custom:company_id becomes the principal tag; orders capped at 500 per request', () => {
    t.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', { PrincipalTags: { tenantId: 'custom:company_id' } });
    const order = Object.values(t.findResources('AWS::ApiGateway::Model')).find((m) => m.Properties.Name === 'Order')!;
    expect(order.Properties.Schema.properties.quantity).toEqual({ type: 'integer', minimum: 1, maximum: 500 });
    expect(ex.portal.profile.level).toBe('SL3');
  });
});
