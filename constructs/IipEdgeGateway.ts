import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as greengrass from 'aws-cdk-lib/aws-greengrassv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { LifecycleStage } from '../rules/catalog/types';
import { SrmIipError } from '../rules/errors';
import { createSecureKey } from './defaults/kms-defaults';
import {
  DEFAULT_CREDENTIAL_DURATION_SECONDS,
  greengrassCorePolicyDocument,
  HIGH_LEVEL_CREDENTIAL_DURATION_SECONDS,
  secureDeploymentJobConfiguration,
  secureDeploymentPolicies,
} from './defaults/iot-defaults';
import { IipSecureBucket } from './IipSecureBucket';
import type { DeviceSpec } from './IipDeviceFleet';
import { acknowledgeWildcard, warnWeakened } from './private/annotations';
import { registerDevices, validateDevices } from './private/devices';
import { logGroupArn } from './private/logs';
import { validateRange } from './private/validate';
import { applyIipTags, IipTaggingProps } from './tagging';

/** A Greengrass component version to deploy to the gateway's core devices. */
export interface ComponentSpec {
  /**
   * Component name, e.g. `aws.greengrass.Nucleus` or `com.example.PlcReader`: letters, digits,
   * `.`, `_` and `-`. A private component's recipe must name its artifacts in the gateway's
   * artifact bucket: the core devices may read no other bucket.
   */
  readonly name: string;
  /** Exact component version (semantic version such as `2.14.0`); ranges are not deployed. */
  readonly version: string;
  /**
   * Configuration to merge into the component's configuration, as JSON object text.
   * @default - the component's default configuration
   */
  readonly configurationMerge?: string;
}

export interface IipEdgeGatewayProps extends IipTaggingProps {
  /**
   * Greengrass core devices to register now: one thing and one certificate from the gateway's
   * own CSR each (attached exclusively to its thing), with the core-device policy. Install the
   * Greengrass nucleus on each with `--provision false` and this certificate.
   * @default - no core devices; add them later (their things must join `thingGroup`)
   * @see SRM-IIP-ACC-03
   */
  readonly coreDevices?: DeviceSpec[];
  /**
   * Components to deploy to every core device of the thing group. No deployment is created
   * without components: an empty deployment would remove the components already on the devices.
   * @default - no deployment
   */
  readonly components?: ComponentSpec[];
  /**
   * Lifetime of the AWS credentials the token-exchange role alias hands out, 900..43200 seconds.
   * More than 3600 is reported.
   * @default 3600, or 900 at classification level 3 and above
   * @see SRM-IIP-ACC-02
   */
  readonly credentialDurationSeconds?: number;
  /**
   * Bucket the core devices download component artifacts from; the token-exchange role may
   * read no other bucket. It must be encrypted with `artifactKey` (or its own `encryptionKey`).
   * @default - a new IipSecureBucket (customer-managed key, TLS-only, versioned, access-logged)
   * @see SRM-IIP-SYS-01
   */
  readonly artifactBucket?: s3.IBucket;
  /**
   * Customer-managed key of the artifacts; the token-exchange role may decrypt with it through S3 only.
   * @default - the artifact bucket's `encryptionKey`, or a new key when the construct creates the bucket
   * @see SRM-IIP-SYS-01
   */
  readonly artifactKey?: kms.IKey;
}

/**
 * AWS IoT Greengrass V2 core devices at the plant (edge domain): a
 * token-exchange role with least privilege behind an IoT role alias, a
 * core-device policy bound to `${iot:Connection.Thing.ThingName}`, one
 * certificate per declared core device, a thing group, an encrypted artifact
 * bucket, and a deployment of the given components with rollback on failure.
 */
export class IipEdgeGateway extends Construct {
  /** The role core devices exchange their certificate for (through the role alias). */
  public readonly tokenExchangeRole: iam.Role;
  /** The role alias core devices name in their nucleus configuration (`iotRoleAlias`). */
  public readonly roleAlias: iot.CfnRoleAlias;
  /** The AWS IoT policy of every core device certificate. */
  public readonly corePolicy: iot.CfnPolicy;
  /** The thing group of the core devices; deployments target it. */
  public readonly thingGroup: iot.CfnThingGroup;
  /** The bucket component artifacts come from. */
  public readonly artifactBucket: s3.IBucket;
  /** The key of the artifacts. */
  public readonly artifactKey: kms.IKey;
  /** The IipSecureBucket holding the artifacts, when the construct created it. */
  public readonly createdArtifactBucket?: IipSecureBucket;
  /** Things of the declared core devices, in the order of `coreDevices`. */
  public readonly things: iot.CfnThing[] = [];
  /** Certificates of the declared core devices, in the order of `coreDevices`. */
  public readonly certificates: iot.CfnCertificate[] = [];
  /** The component deployment, when `components` are given. */
  public readonly deployment?: greengrass.CfnDeployment;
  /** Credential lifetime of the role alias, in seconds. */
  public readonly credentialDurationSeconds: number;

  constructor(scope: Construct, id: string, props: IipEdgeGatewayProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    // ------------------------------------------------------------ validation
    const coreDevices = props.coreDevices ?? [];
    validateDevices(this, 'coreDevices', coreDevices);
    const components = props.components ?? [];
    validateComponents(this, components);
    const level = props.classificationLevel ?? 1;
    const duration = props.credentialDurationSeconds ?? (!Token.isUnresolved(level) && level >= 3 ? HIGH_LEVEL_CREDENTIAL_DURATION_SECONDS : DEFAULT_CREDENTIAL_DURATION_SECONDS);
    validateRange(this, 'credentialDurationSeconds', duration, 900, 43200);
    const artifactKey = props.artifactKey ?? props.artifactBucket?.encryptionKey;
    if (props.artifactBucket && !artifactKey) {
      throw new SrmIipError(
        `artifactKey is required with artifactBucket ${props.artifactBucket.node.path}: the bucket names no encryptionKey, and the core devices must decrypt artifacts encrypted with a customer-managed key`,
        this.node.path,
      );
    }
    if (!Token.isUnresolved(duration) && duration > DEFAULT_CREDENTIAL_DURATION_SECONDS) {
      warnWeakened(this, 'SRM-IIP-ACC-02', `the role alias hands out credentials valid for ${duration} seconds (credentialDurationSeconds), longer than ${DEFAULT_CREDENTIAL_DURATION_SECONDS}; a stolen credential stays usable that long`);
    }
    this.credentialDurationSeconds = duration;

    const tags = applyIipTags(this, props, 'edge');
    const retired = tags.lifecycleStage === LifecycleStage.RETIREMENT;
    const iotPrefix = `arn:${stack.partition}:iot:${stack.region}:${stack.account}:`;

    // ------------------------------------------------------------ artifacts
    if (props.artifactBucket) {
      this.artifactBucket = props.artifactBucket;
      this.artifactKey = artifactKey!;
    } else {
      this.artifactKey = props.artifactKey ?? createSecureKey(this, 'ArtifactKey', `SRM-IIP Greengrass artifact key of ${this.node.path}`);
      this.createdArtifactBucket = new IipSecureBucket(this, 'Artifacts', { ...tags, encryptionKey: this.artifactKey });
      this.artifactBucket = this.createdArtifactBucket.bucket;
    }

    // ------------------------------------------------------------ token exchange (ACC-01, ACC-02)
    this.tokenExchangeRole = new iam.Role(this, 'TokenExchangeRole', {
      description: `SRM-IIP Greengrass token-exchange role of ${this.node.path}`,
      assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com'),
      maxSessionDuration: Duration.seconds(Token.isUnresolved(duration) ? 43200 : Math.max(3600, duration)),
    });
    const logGroupsArn = logGroupArn(stack, '/aws/greengrass/*');
    const artifactObjectsArn = this.artifactBucket.arnForObjects('*');
    const tesPolicy = new iam.ManagedPolicy(this, 'TokenExchangePolicy', {
      description: 'SRM-IIP Greengrass core devices: Greengrass log groups, the artifact bucket and its key only',
      roles: [this.tokenExchangeRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'GreengrassLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [logGroupsArn],
        }),
        new iam.PolicyStatement({ sid: 'ArtifactBucket', actions: ['s3:GetBucketLocation'], resources: [this.artifactBucket.bucketArn] }),
        new iam.PolicyStatement({ sid: 'Artifacts', actions: ['s3:GetObject'], resources: [artifactObjectsArn] }),
        new iam.PolicyStatement({
          sid: 'ArtifactKey',
          actions: ['kms:Decrypt'],
          resources: [this.artifactKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
      ],
    });
    acknowledgeWildcard(
      tesPolicy,
      logGroupsArn,
      'The Greengrass log manager writes each component\'s logs to its own log group under /aws/greengrass/ (named after the component at run time); the role may write to no other log group',
    );
    acknowledgeWildcard(
      tesPolicy,
      artifactObjectsArn,
      'Core devices download whatever artifacts the deployed component recipes name; the role may read objects of the artifact bucket only, not list it, and nothing else in S3',
    );
    this.roleAlias = new iot.CfnRoleAlias(this, 'RoleAlias', {
      roleAlias: Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      roleArn: this.tokenExchangeRole.roleArn,
      credentialDurationSeconds: duration,
    });
    this.roleAlias.node.addDependency(tesPolicy);

    // ------------------------------------------------------------ core devices (ACC-03, ACC-04)
    this.corePolicy = new iot.CfnPolicy(this, 'CorePolicy', { policyDocument: greengrassCorePolicyDocument(iotPrefix, this.roleAlias.attrRoleAliasArn) });
    this.thingGroup = new iot.CfnThingGroup(this, 'ThingGroup', {
      thingGroupProperties: { thingGroupDescription: `SRM-IIP Greengrass core devices of ${this.node.path}` },
    });
    const registered = registerDevices(this, 'Core', coreDevices, this.corePolicy, retired);
    this.things.push(...registered.things);
    this.certificates.push(...registered.certificates);

    // ------------------------------------------------------------ deployment
    if (components.length > 0) {
      const spec: Record<string, greengrass.CfnDeployment.ComponentDeploymentSpecificationProperty> = {};
      for (const c of components) {
        spec[c.name] = { componentVersion: c.version, configurationUpdate: c.configurationMerge !== undefined ? { merge: c.configurationMerge } : undefined };
      }
      this.deployment = new greengrass.CfnDeployment(this, 'Deployment', {
        targetArn: this.thingGroup.attrArn,
        deploymentName: `SRM-IIP ${this.node.path}`.slice(0, 256),
        components: spec,
        deploymentPolicies: secureDeploymentPolicies(),
        iotJobConfiguration: secureDeploymentJobConfiguration(),
      });
      this.deployment.node.addDependency(this.roleAlias, this.corePolicy);
    }
  }
}

const COMPONENT_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function validateComponents(scope: IConstruct, components: readonly ComponentSpec[]): void {
  const seen = new Set<string>();
  components.forEach((c, i) => {
    const at = `components[${i}]`;
    if (Token.isUnresolved(c.name)) {
      // The name is a key of the deployment's component map, which CloudFormation cannot compute.
      throw new SrmIipError(`${at}.name must be a literal component name (it is a key of the deployment's component map), got a token that is resolved only at deployment`, scope.node.path);
    } else {
      if (!COMPONENT_NAME.test(c.name)) throw new SrmIipError(`${at}.name must be 1..128 letters, digits, '.', '_' or '-', got '${c.name}'`, scope.node.path);
      if (seen.has(c.name)) throw new SrmIipError(`${at}.name '${c.name}' is listed twice; a deployment holds one version of each component`, scope.node.path);
      seen.add(c.name);
    }
    if (!Token.isUnresolved(c.version) && !SEMVER.test(c.version)) {
      throw new SrmIipError(`${at}.version must be an exact semantic version such as 2.14.0, got '${c.version}'`, scope.node.path);
    }
    if (c.configurationMerge !== undefined && !Token.isUnresolved(c.configurationMerge)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(c.configurationMerge);
      } catch {
        parsed = undefined;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new SrmIipError(`${at}.configurationMerge must be the text of a JSON object, got '${c.configurationMerge}'`, scope.node.path);
      }
    }
  });
}
