import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template, type Resources } from '../../support/harness';

const RULE = 'SecurityFindingsAlerting';
const KEY = 'arn:aws:kms:eu-central-1:111111111111:key/abc';
const topic = (props: Record<string, unknown> = { KmsMasterKeyId: KEY }): Resources => ({ Topic: { Type: 'AWS::SNS::Topic', Properties: props } });
const rule = (props: Record<string, unknown> = {}): Resources => ({
  Findings: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['aws.guardduty'] }, Targets: [{ Id: 't', Arn: { Ref: 'Topic' } }], ...props } },
});
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-04: security findings are routed to an encrypted SNS topic or an alarm', () => {
  it('is exported from the package root', () => {
    expect(kit.SecurityFindingsAlerting.controlId).toBe('SRM-IIP-OPS-04');
    expect(kit.selectsSecurityFindings([], ['Security Hub Findings - Imported'])).toBe(true);
    expect(kit.selectsSecurityFindings(['aws.ec2'], ['EC2 Instance State-change Notification'])).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: no finding rule in any stack is an app-level violation', () => {
      const r = runOnTemplates([template(topic()), template({ Q: { Type: 'AWS::SQS::Queue' } })], RULE);
      expect(r.findings).toMatchObject([{ controlId: 'SRM-IIP-OPS-04', ruleId: RULE, kind: 'violation', logicalId: undefined }]);
      expect(r.findings[0].message).toContain('no EventBridge rule routes GuardDuty or Security Hub findings to an encrypted SNS topic or an alarm in any of the 2 stacks');
    });

    it('2: an L2 rule that sends GuardDuty findings to an unencrypted topic', () => {
      const stack = new Stack(new App(), 'Alerts');
      const t = new sns.Topic(stack, 'Topic');
      new events.Rule(stack, 'Findings', { eventPattern: { source: ['aws.guardduty'] }, targets: [new targets.SnsTopic(t)] });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(2);
      expect(fs[0]).toMatchObject({ kind: 'violation', resourceType: 'AWS::Events::Rule', location: 'Targets', message: expect.stringMatching(/SNS topic Topic\w+ \(stack Alerts\), which is not encrypted/) });
      expect(fs[1]).toMatchObject({ kind: 'violation', logicalId: undefined, message: expect.stringContaining('has no encrypted SNS topic target and no alarm') });
    });

    it('3: a finding rule that only feeds a queue', () => {
      const stack = new Stack(new App(), 'S');
      new events.Rule(stack, 'Findings', { eventPattern: { source: ['aws.securityhub'] }, targets: [new targets.SqsQueue(new sqs.Queue(stack, 'Q'))] });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('has no encrypted SNS topic target and no alarm') }]);
    });

    it('4: a disabled finding rule', () => {
      const fs = findings(template({ ...topic(), ...rule({ State: 'DISABLED' }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('is disabled (State DISABLED)') }]);
    });

    it('5: a rule for other events does not count', () => {
      const fs = findings(template({ ...topic(), ...rule({ EventPattern: { source: ['aws.ec2'] } }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('no EventBridge rule routes') }]);
    });

    it('6: one branch of Fn::If targets an unencrypted topic', () => {
      const t = template({ ...topic(), Plain: { Type: 'AWS::SNS::Topic' }, ...rule({ Targets: [{ Id: 't', Arn: { 'Fn::If': ['Prod', { Ref: 'Topic' }, { Ref: 'Plain' }] } }] }) }, COND);
      const fs = findings(t, RULE);
      expect(fs.map((f) => f.kind)).toEqual(['violation', 'violation']);
      expect(fs[0].message).toContain('SNS topic Plain');
    });

    it('7: the only encrypted-topic target exists in one branch of Fn::If', () => {
      const t = template({ ...topic(), ...rule({ Targets: [{ 'Fn::If': ['Prod', { Id: 't', Arn: { Ref: 'Topic' } }, { Ref: 'AWS::NoValue' }] }] }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: undefined, message: expect.stringContaining('has no encrypted SNS topic target and no alarm') }]);
    });
  });

  describe('Compliance', () => {
    it('cross-stack: an L2 rule in one stack targets an encrypted topic in another', () => {
      const app = new App();
      const alerts = new Stack(app, 'Alerts');
      const t = new sns.Topic(alerts, 'Topic', { masterKey: new kms.Key(alerts, 'Key') });
      const detection = new Stack(app, 'Detection');
      new events.Rule(detection, 'Findings', { eventPattern: { source: ['aws.securityhub'], detailType: ['Security Hub Findings - Imported'] }, targets: [new targets.SnsTopic(t)] });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('raw templates: the topic ARN is imported from another stack', () => {
      const producer = template(topic(), { Outputs: { T: { Value: { Ref: 'Topic' }, Export: { Name: 'AlertTopic' } } } });
      const consumer = template(rule({ EventPattern: JSON.stringify({ 'detail-type': ['GuardDuty Finding'] }), Targets: [{ Id: 't', Arn: { 'Fn::ImportValue': 'AlertTopic' } }] }));
      expect(runOnTemplates([producer, consumer], RULE).findings).toEqual([]);
    });

    it('an alarm with actions on the rule’s invocations is an alarm path', () => {
      const stack = new Stack(new App(), 'S');
      const r = new events.Rule(stack, 'Findings', { eventPattern: { source: ['aws.guardduty'] }, targets: [new targets.SqsQueue(new sqs.Queue(stack, 'Q'))] });
      const alarm = new cloudwatch.Alarm(stack, 'Alarm', {
        metric: new cloudwatch.Metric({ namespace: 'AWS/Events', metricName: 'TriggeredRules', dimensionsMap: { RuleName: r.ruleName } }),
        threshold: 1,
        evaluationPeriods: 1,
      });
      alarm.addAlarmAction(new cwActions.SnsAction(new sns.Topic(stack, 'Pager', { masterKey: new kms.Key(stack, 'K') })));
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every branch of Fn::If targets an encrypted topic', () => {
      const t = template({ ...topic(), Other: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/x' } }, ...rule({ Targets: [{ Id: 't', Arn: { 'Fn::If': ['Prod', { Ref: 'Topic' }, { Ref: 'Other' }] } }] }) }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a target ARN from a parameter is unverifiable', () => {
      const t = template(rule({ Targets: [{ Id: 't', Arn: { Ref: 'AlertArn' } }] }), { Parameters: { AlertArn: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: undefined, message: expect.stringContaining('parameter AlertArn') }]);
    });

    it('a topic ARN outside the app is unverifiable', () => {
      const t = template(rule({ Targets: [{ Id: 't', Arn: 'arn:aws:sns:eu-central-1:111111111111:central-alerts' }] }));
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('not defined in the app') }]);
    });

    it('an event pattern from a parameter is unverifiable when nothing else routes findings', () => {
      const t = template({ ...topic(), ...rule({ EventPattern: { Ref: 'Pattern' } }) }, { Parameters: { Pattern: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Pattern') }]);
    });
  });
});
