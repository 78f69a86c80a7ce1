import { Duration, RemovalPolicy, Tags, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { createSecureKey } from '../constructs/defaults/kms-defaults';
import { IipSecureBucket } from '../constructs/IipSecureBucket';
import { acknowledge, acknowledgeWildcard } from '../constructs/private/annotations';
import { applyIipTags } from '../constructs/tagging';
import { MULTI_TENANT, TAG_TENANCY } from '../rules/application/TenantDataAccessIsScoped';
import { SrmIipError } from '../rules/errors';
import { IipPlatform, IipPlatformProps } from './IipPlatform';

/** Name of the principal tag (and the policy variable `${aws:PrincipalTag/tenantId}`) that carries the caller's tenant. */
export const TENANT_PRINCIPAL_TAG = 'tenantId';
/** Custom user-pool attribute that holds a customer's tenant when none is given (`custom:tenant_id`). */
export const DEFAULT_TENANT_ATTRIBUTE = 'tenant_id';
/** Prefix of the configurations bucket under which each tenant has its own folder. */
export const TENANT_PREFIX = 'tenants/';

const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]{0,19}$/;
const TENANT_VAR = `\${aws:PrincipalTag/${TENANT_PRINCIPAL_TAG}}`;

export interface ProductCustomizationBlueprintProps extends IipPlatformProps {
  /**
   * Custom attribute of the customer user pool that holds each customer's tenant ID
   * (`custom:<name>`): lowercase letters, digits and `_`, 1..20 characters, starting with a
   * letter. It is immutable and only administrators set it (self sign-up stays off).
   * @default 'tenant_id'
   * @see SRM-IIP-APP-06
   */
  readonly tenantAttribute?: string;
  /**
   * Largest quantity one order may ask for; the API's request model rejects more.
   * @default 10000
   * @see SRM-IIP-APP-03
   */
  readonly maxOrderQuantity?: number;
}

/**
 * Product customization (SRM-IIP 7.4): a customer-facing ordering and
 * configuration API in which every customer company (tenant) sees only its own
 * orders and product configurations (SRM-IIP-APP-06).
 *
 * On top of IipPlatform (whose API ingress it requires) it adds, in the
 * application stack:
 * - an orders table (DynamoDB, partition key `tenantId`) and a configurations
 *   bucket (objects under `tenants/<tenantId>/`), both declared multi-tenant
 *   (`srm-iip:tenancy=multi-tenant`), encrypted with customer-managed keys;
 * - a Cognito identity pool on the API's user pool that turns each customer's
 *   immutable `custom:tenant_id` into the principal tag `tenantId`;
 * - the tenant role the identity pool hands out: DynamoDB access only to items
 *   whose leading key is the caller's tenant (`dynamodb:LeadingKeys`), S3 access
 *   only under `tenants/${aws:PrincipalTag/tenantId}/`, and API calls only under
 *   `/tenants/${aws:PrincipalTag/tenantId}/`;
 * - the API routes `/tenants/{tenantId}/orders` (GET, POST) and
 *   `/tenants/{tenantId}/configurations/{configurationId}` (GET, PUT), with IAM
 *   authorization and the caller's own credentials passed to DynamoDB and S3,
 *   so IAM enforces the tenant boundary on every call, behind the ingress's
 *   WAF, request validation, throttling and access logs.
 */
export class ProductCustomizationBlueprint extends IipPlatform {
  /** Orders of every tenant; partition key `tenantId`, sort key `orderId`. */
  public readonly ordersTable: dynamodb.Table;
  /** Key of the orders table. */
  public readonly ordersKey: kms.IKey;
  /** Product configurations of every tenant, under `tenants/<tenantId>/configurations/`. */
  public readonly configurations: IipSecureBucket;
  /** The identity pool that issues tenant-tagged credentials to signed-in customers. */
  public readonly identityPool: cognito.CfnIdentityPool;
  /** The app client of the customer portal (SRP sign-in, no secret, no OAuth). */
  public readonly portalClient: cognito.UserPoolClient;
  /** The role every signed-in customer gets, scoped to the tenant in its principal tag. */
  public readonly tenantRole: iam.Role;
  /** The API resource `/tenants/{tenantId}`. */
  public readonly tenantResource: apigateway.Resource;

  constructor(scope: Construct, id: string, props: ProductCustomizationBlueprintProps = {}) {
    const path = [scope.node.path, id].filter((p) => p).join('/');
    if (props.enableApiIngress === false) {
      throw new SrmIipError('enableApiIngress must be true or unset for product customization, got false: the ordering and configuration API is the scenario', path);
    }
    const attribute = props.tenantAttribute ?? DEFAULT_TENANT_ATTRIBUTE;
    if (!Token.isUnresolved(attribute) && !ATTRIBUTE_NAME.test(attribute)) {
      throw new SrmIipError(`tenantAttribute must be 1..20 lowercase letters, digits and '_', starting with a letter (a Cognito custom attribute name), got '${attribute}'`, path);
    }
    const maxQuantity = props.maxOrderQuantity ?? 10_000;
    if (!Token.isUnresolved(maxQuantity) && (!Number.isInteger(maxQuantity) || maxQuantity < 1 || maxQuantity > 1_000_000)) {
      throw new SrmIipError(`maxOrderQuantity must be a whole number 1..1000000, got ${maxQuantity}`, path);
    }
    super(scope, id, { ...props, enableApiIngress: true });

    const app = this.applicationStack;
    const ingress = this.apiIngress!;
    const userPool = ingress.createdUserPool!;
    const region = app.region;
    const portal = new Construct(app, 'ProductCustomization');
    applyIipTags(portal, { owner: props.owner }, 'application');

    // ------------------------------------------------------------ multi-tenant stores (APP-06)
    this.ordersKey = createSecureKey(portal, 'OrdersKey', `SRM-IIP orders table of '${this.platformName}'`);
    this.ordersTable = new dynamodb.Table(portal, 'Orders', {
      partitionKey: { name: TENANT_PRINCIPAL_TAG, type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.ordersKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.configurations = new IipSecureBucket(portal, 'Configurations', { zone: 'application', owner: props.owner });
    for (const store of [this.ordersTable, this.configurations.bucket]) Tags.of(store).add(TAG_TENANCY, MULTI_TENANT);
    // The kit's backup plan selects the table by its tags; cdk-nag looks for a plan in the same stack.
    acknowledge(
      this.ordersTable,
      'NIST.800.53.R5-DynamoDBInBackupPlan',
      `The orders table is selected by the platform's IipBackupPlan in stack ${this.securityStack.stackName} through its srm-iip:stage=utilization-support tag (AWS Backup tag selection); cdk-nag only recognizes plans in the table's own stack`,
    );

    // ------------------------------------------------------------ customers: tenant in an immutable attribute, turned into a principal tag
    const cfnPool = userPool.node.defaultChild as cognito.CfnUserPool;
    const schema = (Array.isArray(cfnPool.schema) ? cfnPool.schema : []) as cognito.CfnUserPool.SchemaAttributeProperty[];
    cfnPool.schema = [
      ...schema,
      { name: attribute, attributeDataType: 'String', mutable: false, required: false, stringAttributeConstraints: { minLength: '1', maxLength: '64' } },
    ];
    this.portalClient = userPool.addClient('PortalClient', {
      userPoolClientName: `${this.platformName}-portal`,
      authFlows: { userSrp: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(12),
      // Customers may read their tenant but never write it.
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes(attribute),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
    this.identityPool = new cognito.CfnIdentityPool(portal, 'IdentityPool', {
      identityPoolName: `${this.platformName.replace(/-/g, '_')}_customers`,
      allowUnauthenticatedIdentities: false,
      allowClassicFlow: false,
      cognitoIdentityProviders: [{ clientId: this.portalClient.userPoolClientId, providerName: userPool.userPoolProviderName, serverSideTokenCheck: true }],
    });
    new cognito.CfnIdentityPoolPrincipalTag(portal, 'TenantTag', {
      identityPoolId: this.identityPool.ref,
      identityProviderName: userPool.userPoolProviderName,
      principalTags: { [TENANT_PRINCIPAL_TAG]: `custom:${attribute}` },
      useDefaults: false,
    });

    // ------------------------------------------------------------ the tenant role
    this.tenantRole = new iam.Role(portal, 'TenantRole', {
      description: `SRM-IIP product customization of '${this.platformName}': a signed-in customer, confined to the tenant in its principal tag ${TENANT_PRINCIPAL_TAG}`,
      assumedBy: new iam.FederatedPrincipal(
        'cognito-identity.amazonaws.com',
        {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': this.identityPool.ref },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
        'sts:AssumeRoleWithWebIdentity',
      ).withSessionTags(),
      maxSessionDuration: Duration.hours(1),
    });
    new cognito.CfnIdentityPoolRoleAttachment(portal, 'Roles', { identityPoolId: this.identityPool.ref, roles: { authenticated: this.tenantRole.roleArn } });

    const tenantObjects = this.configurations.bucket.arnForObjects(`${TENANT_PREFIX}${TENANT_VAR}/*`);
    const apiRoutes = ingress.api.arnForExecuteApi('*', `/tenants/${TENANT_VAR}/*`, ingress.stage.stageName);
    const tenantPolicy = new iam.ManagedPolicy(portal, 'TenantPolicy', {
      description: `SRM-IIP product customization of '${this.platformName}': own tenant's orders, configurations and API routes only`,
      roles: [this.tenantRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'OwnTenantOrders',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
          resources: [this.ordersTable.tableArn],
          conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [TENANT_VAR] } },
        }),
        new iam.PolicyStatement({
          sid: 'OrdersKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.ordersKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({ sid: 'OwnTenantConfigurations', actions: ['s3:GetObject', 's3:PutObject'], resources: [tenantObjects] }),
        new iam.PolicyStatement({
          sid: 'ConfigurationsKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.configurations.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({ sid: 'OwnTenantRoutes', actions: ['execute-api:Invoke'], resources: [apiRoutes] }),
      ],
    });
    acknowledgeWildcard(
      tenantPolicy,
      tenantObjects,
      `Each customer reads and writes only the objects under ${TENANT_PREFIX}<its own tenant>/ of the configurations bucket: the path is fixed by the principal tag ${TENANT_PRINCIPAL_TAG} the identity pool sets from the immutable custom:${attribute}, and object names are the customer's configuration IDs`,
    );
    acknowledgeWildcard(
      tenantPolicy,
      apiRoutes,
      `Each customer may call only the routes under /tenants/<its own tenant>/ of the API (any method of that subtree); the tenant segment is fixed by the principal tag ${TENANT_PRINCIPAL_TAG}`,
    );

    // ------------------------------------------------------------ the API: IAM authorization, the caller's own credentials downstream
    const requestParams = { 'method.request.path.tenantId': true };
    this.tenantResource = ingress.api.root.addResource('tenants', {
      // The ingress's default (the Cognito authorizer) is replaced: IAM checks the tenant on every call.
      defaultMethodOptions: { authorizer: undefined, authorizationType: apigateway.AuthorizationType.IAM, authorizationScopes: undefined },
    }).addResource('{tenantId}');
    acknowledge(
      this.tenantResource.parentResource!,
      'AwsSolutions-COG4',
      `The /tenants routes authorize with AWS_IAM instead of the Cognito user-pool authorizer on purpose: customers still sign in with the user pool, then exchange its token at identity pool ${this.platformName.replace(/-/g, '_')}_customers for credentials tagged with their tenant, so IAM (dynamodb:LeadingKeys, the tenant's S3 prefix and API path) enforces the tenant boundary on every call; a user-pool authorizer cannot pass the tenant into IAM`,
    );
    const orders = this.tenantResource.addResource('orders');
    const configuration = this.tenantResource.addResource('configurations').addResource('{configurationId}');
    const json = (s: object) => JSON.stringify(s);
    const responses = integrationResponses();
    const methodResponses = [{ statusCode: '200' }, { statusCode: '400' }, { statusCode: '500' }];
    const tableName = this.ordersTable.tableName;

    orders.addMethod(
      'GET',
      new apigateway.AwsIntegration({
        service: 'dynamodb',
        action: 'Query',
        options: {
          credentialsPassthrough: true,
          passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
          requestTemplates: {
            'application/json': json({ TableName: tableName, KeyConditionExpression: 'tenantId = :t', ExpressionAttributeValues: { ':t': { S: "$input.params('tenantId')" } } }),
          },
          integrationResponses: responses,
        },
      }),
      { requestParameters: requestParams, methodResponses },
    );
    const orderModel = ingress.api.addModel('OrderModel', {
      contentType: 'application/json',
      modelName: 'Order',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: apigateway.JsonSchemaType.OBJECT,
        additionalProperties: false,
        required: ['configurationId', 'quantity'],
        properties: {
          configurationId: { type: apigateway.JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
          quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1, maximum: maxQuantity },
        },
      },
    });
    orders.addMethod(
      'POST',
      new apigateway.AwsIntegration({
        service: 'dynamodb',
        action: 'PutItem',
        options: {
          credentialsPassthrough: true,
          passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
          requestTemplates: {
            'application/json': json({
              TableName: tableName,
              Item: {
                tenantId: { S: "$input.params('tenantId')" },
                orderId: { S: '$context.requestId' },
                configurationId: { S: "$input.path('$.configurationId')" },
                quantity: { N: "$input.path('$.quantity')" },
                orderedBy: { S: '$context.identity.cognitoIdentityId' },
                orderedAt: { S: '$context.requestTime' },
              },
              ConditionExpression: 'attribute_not_exists(orderId)',
            }),
          },
          integrationResponses: responses,
        },
      }),
      { requestParameters: requestParams, requestModels: { 'application/json': orderModel }, methodResponses },
    );

    const configurationModel = ingress.api.addModel('ConfigurationModel', {
      contentType: 'application/json',
      modelName: 'ProductConfiguration',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['product', 'options'],
        properties: {
          product: { type: apigateway.JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
          options: { type: apigateway.JsonSchemaType.OBJECT, maxProperties: 200 },
        },
      },
    });
    const objectPath = `${this.configurations.bucket.bucketName}/${TENANT_PREFIX}{tenantId}/configurations/{configurationId}.json`;
    const s3Params = {
      'integration.request.path.tenantId': 'method.request.path.tenantId',
      'integration.request.path.configurationId': 'method.request.path.configurationId',
    };
    const configurationParams = { ...requestParams, 'method.request.path.configurationId': true };
    configuration.addMethod(
      'GET',
      new apigateway.AwsIntegration({
        service: 's3',
        integrationHttpMethod: 'GET',
        path: objectPath,
        options: { credentialsPassthrough: true, requestParameters: s3Params, integrationResponses: responses },
      }),
      { requestParameters: configurationParams, methodResponses },
    );
    configuration.addMethod(
      'PUT',
      new apigateway.AwsIntegration({
        service: 's3',
        integrationHttpMethod: 'PUT',
        path: objectPath,
        options: { credentialsPassthrough: true, requestParameters: s3Params, passthroughBehavior: apigateway.PassthroughBehavior.NEVER, requestTemplates: { 'application/json': "$input.json('$')" }, integrationResponses: responses },
      }),
      { requestParameters: configurationParams, requestModels: { 'application/json': configurationModel }, methodResponses },
    );
  }
}

/** Map the backend's answer: 2xx as 200, client errors (DynamoDB/S3 4xx, e.g. AccessDenied for another tenant) as 400, the rest as 500. */
function integrationResponses(): apigateway.IntegrationResponse[] {
  return [
    { statusCode: '200' },
    { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': JSON.stringify({ message: 'request rejected' }) } },
    { statusCode: '500', selectionPattern: '5\\d{2}', responseTemplates: { 'application/json': JSON.stringify({ message: 'internal error' }) } },
  ];
}
