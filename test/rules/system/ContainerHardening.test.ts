import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'ContainerHardening';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const td = (...containers: Array<Record<string, unknown>>) => ({ Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: containers } });
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1');

describe('SRM-IIP-SYS-03: ECS containers are unprivileged with a read-only root file system', () => {
  it('is exported from the package root', () => {
    expect(kit.ContainerHardening.controlId).toBe('SRM-IIP-SYS-03');
  });

  describe('Noncompliance', () => {
    it('1: an L2 container with default settings has a writable root file system', () => {
      const stack = new Stack(new App(), 'S');
      new ecs.FargateTaskDefinition(stack, 'T').addContainer('web', { image });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-03', ruleId: RULE, kind: 'violation', location: 'ContainerDefinitions.0.ReadonlyRootFilesystem' }]);
      expect(fs[0].message).toContain("container 'web'");
    });

    it('2: an L2 privileged container', () => {
      const stack = new Stack(new App(), 'S');
      new ecs.Ec2TaskDefinition(stack, 'T').addContainer('agent', { image, memoryLimitMiB: 256, privileged: true, readonlyRootFilesystem: true });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', location: 'ContainerDefinitions.0.Privileged', message: expect.stringContaining('privileged') }]);
    });

    it('3: the second L1 container of two breaks both settings', () => {
      const t = template({ T: td({ Name: 'a', Image: 'x', ReadonlyRootFilesystem: true }, { Name: 'b', Image: 'x', Privileged: 'true', ReadonlyRootFilesystem: false }) });
      expect(findings(t, RULE).map((f) => f.location)).toEqual(['ContainerDefinitions.1.Privileged', 'ContainerDefinitions.1.ReadonlyRootFilesystem']);
    });

    it('4: one branch of Fn::If makes the container privileged', () => {
      const t = template({ T: td({ Name: 'a', Image: 'x', ReadonlyRootFilesystem: true, Privileged: { 'Fn::If': ['Prod', false, true] } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'ContainerDefinitions.0.Privileged' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 container with a read-only root file system', () => {
      const stack = new Stack(new App(), 'S');
      new ecs.FargateTaskDefinition(stack, 'T').addContainer('web', { image, readonlyRootFilesystem: true });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch is hardened, including a container list chosen by Fn::If', () => {
      const hardened = { Name: 'a', Image: 'x', ReadonlyRootFilesystem: { 'Fn::If': ['Prod', true, 'true'] }, Privileged: false };
      const t = template(
        { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: { 'Fn::If': ['Prod', [hardened], [hardened, { ...hardened, Name: 'b' }]] } } } },
        COND,
      );
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('ReadonlyRootFilesystem from a parameter is unverifiable', () => {
      const t = template({ T: td({ Name: 'a', Image: 'x', ReadonlyRootFilesystem: { Ref: 'Ro' } }) }, { Parameters: { Ro: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Ro') }]);
    });

    it('a container list from a parameter-driven import is unverifiable', () => {
      const t = template({ T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: { 'Fn::ImportValue': 'containers' } } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'ContainerDefinitions' }]);
    });
  });
});
