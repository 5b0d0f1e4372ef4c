import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ACCESS_LOG_FIELDS, type ApiRouteSpec, HttpApiToFunction } from '../../infra/constructs/http-api-to-function';
import { PORT_FUNCTION_RUNTIME } from '../../infra/constructs/port-function';
import { ENV } from '../../shared/config/env';
import { ROLES } from '../../shared/domain/roles';
import { ROUTES } from '../../shared/http/routes';
import { PORT_TABLE } from '../../shared/platform/port-table';
import { fastApp, onlyResource, synthKouan } from './fixture';

/** A value imported from another stack, by the logical id of the exported resource and attribute. */
const imported = (pattern: string) => ({ 'Fn::ImportValue': Match.stringLikeRegexp(pattern) });
const importedValue = (pattern: string) => ({ 'Fn::ImportValue': expect.stringMatching(new RegExp(pattern)) });
const USER_POOL_ID = importedValue('Kouan-dev-Stateful:.*RefAgenciesUserPool[0-9A-F]{8}[0-9A-F]{8}$');
const CLIENT_ID = importedValue('Kouan-dev-Stateful:.*RefAgenciesUserPoolAgencyApps');

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const routeKeyOf = (r: ApiRouteSpec) => `${r.method} ${r.path}`;

const { config, stacks, api, stateful } = synthKouan();
const prod = synthKouan({
  stage: 'prod',
  portCode: 'NLRTM',
  riskSeed: 'prod-test-selectivity-seed',
  account: '111111111111',
  region: 'eu-west-1',
});

const apiRoutes = () =>
  Object.values(api.findResources('AWS::ApiGatewayV2::Route')) as {
    Properties: { RouteKey: string; AuthorizationType: string; AuthorizerId?: unknown; Target: unknown };
  }[];
const authorizerLogicalId = () => {
  const ids = Object.keys(api.findResources('AWS::ApiGatewayV2::Authorizer'));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};

describe('api stack: routes generated from the route table', () => {
  it('is named by stage and tagged', () => {
    expect(stacks.api.stackName).toBe('Kouan-dev-Api');
    expect(prod.stacks.api.stackName).toBe('Kouan-prod-Api');
    expect(prod.stacks.api.terminationProtection).toBe(true);
    api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      Tags: { project: 'kouan', stage: 'dev', port: 'CNSGH' },
    });
  });

  it('creates exactly one API Gateway route per ROUTES entry, keyed "METHOD path"', () => {
    const keys = apiRoutes().map((r) => r.Properties.RouteKey);
    expect(keys).toHaveLength(ROUTES.length);
    expect(keys.sort()).toEqual(ROUTES.map(routeKeyOf).sort());
  });

  it('attaches the JWT authorizer exactly to the routes whose access is not public', () => {
    const authorizer = authorizerLogicalId();
    const byKey = new Map(apiRoutes().map((r) => [r.Properties.RouteKey, r.Properties]));
    const publicRoutes = ROUTES.filter((r) => r.access === 'public');
    expect(publicRoutes.map(routeKeyOf)).toContain('GET /v1/health');
    expect(ROUTES.length - publicRoutes.length).toBeGreaterThan(0);
    for (const route of ROUTES) {
      const props = byKey.get(routeKeyOf(route));
      if (route.access === 'public') {
        expect(props).toMatchObject({ AuthorizationType: 'NONE' });
        expect(props?.AuthorizerId).toBeUndefined();
      } else {
        expect(props).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizer } });
      }
    }
  });

  it('integrates every route with the one API function (Lambda proxy, payload 2.0)', () => {
    const integrations = Object.values(api.findResources('AWS::ApiGatewayV2::Integration')) as Resource[];
    expect(integrations).toHaveLength(1);
    const [integration] = integrations as [Resource];
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [expect.stringMatching(/^ApiFunction[0-9A-F]{8}$/), 'Arn'] },
    });
    const integrationId = Object.keys(api.findResources('AWS::ApiGatewayV2::Integration'))[0];
    for (const r of apiRoutes())
      expect(r.Properties.Target).toEqual({ 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] });
    // API Gateway may invoke the function for each route, and nothing else may.
    const permissions = Object.values(api.findResources('AWS::Lambda::Permission')) as Resource[];
    expect(permissions).toHaveLength(ROUTES.length);
    for (const p of permissions) expect(p.Properties.Principal).toBe('apigateway.amazonaws.com');
  });

  it('has no CORS configuration and keeps the default execute-api endpoint', () => {
    const props = onlyResource(api, 'AWS::ApiGatewayV2::Api');
    expect(props.CorsConfiguration).toBeUndefined();
    expect(props.DisableExecuteApiEndpoint).toBe(false);
  });
});

describe('HttpApiToFunction with any route table', () => {
  function build(routes: readonly ApiRouteSpec[]) {
    const stack = new Stack(fastApp(), 'Probe');
    const userPool = new cognito.UserPool(stack, 'Pool');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: PORT_FUNCTION_RUNTIME,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
    new HttpApiToFunction(stack, 'Http', {
      routes,
      function: fn,
      userPool,
      userPoolClients: [userPool.addClient('Client')],
      throttle: { rateLimit: 1, burstLimit: 2 },
      accessLogGroupName: '/kouan/probe/api-access',
      accessLogRetention: RetentionDays.ONE_DAY,
      accessLogKey: new kms.Key(stack, 'Key'),
    });
    return Template.fromStack(stack);
  }

  it('follows the table when routes are added, public or not', () => {
    const routes: ApiRouteSpec[] = [
      { method: 'GET', path: '/v1/health', access: 'public' },
      { method: 'GET', path: '/v1/openapi.json', access: 'public' },
      { method: 'POST', path: '/v1/declarations', access: ['declarant', 'customs-officer'] },
      { method: 'PUT', path: '/v1/risk/rules/{id}', access: ['customs-risk'] },
    ];
    const template = build(routes);
    const found = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r as { Properties: { RouteKey: string; AuthorizationType: string } }).Properties,
    );
    expect(found.map((r) => [r.RouteKey, r.AuthorizationType]).sort()).toEqual([
      ['GET /v1/health', 'NONE'],
      ['GET /v1/openapi.json', 'NONE'],
      ['POST /v1/declarations', 'JWT'],
      ['PUT /v1/risk/rules/{id}', 'JWT'],
    ]);
  });

  it('refuses a route table that lists a route twice', () => {
    const route: ApiRouteSpec = { method: 'GET', path: '/v1/alerts', access: ['border'] };
    expect(() => build([route, { ...route }])).toThrow(/lists GET \/v1\/alerts twice/);
  });
});

describe('api stack: JWT authorizer and Cognito', () => {
  it('accepts tokens of the agencies user pool for the agency app client, from the Authorization header', () => {
    const props = onlyResource(api, 'AWS::ApiGatewayV2::Authorizer');
    expect(props).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [CLIENT_ID],
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', USER_POOL_ID]],
        },
      },
    });
    // No authorization scopes on any route: roles are checked per object in the handler.
    for (const r of apiRoutes()) expect(r.Properties).not.toHaveProperty('AuthorizationScopes');
  });

  it('keeps the user pool in the stateful stack, with one group per role named as the role', () => {
    stateful.resourceCountIs('AWS::Cognito::UserPool', 1);
    api.resourceCountIs('AWS::Cognito::UserPool', 0);
    const groups = Object.values(stateful.findResources('AWS::Cognito::UserPoolGroup')) as Resource[];
    expect(groups.map((g) => g.Properties.GroupName).sort()).toEqual([...ROLES].sort());
    const poolRef = { Ref: Object.keys(stateful.findResources('AWS::Cognito::UserPool'))[0] };
    for (const g of groups) expect(g.Properties.UserPoolId).toEqual(poolRef);
  });

  it('lets only administrators create users, with a strong password policy and TOTP as second factor', () => {
    expect(onlyResource(stateful, 'AWS::Cognito::UserPool')).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
    });
  });

  it('requires MFA, enforces threat protection and protects the pool from deletion in prod only', () => {
    expect(config.agencyIdentity.mfa).toBe('optional');
    expect(onlyResource(stateful, 'AWS::Cognito::UserPool')).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      DeletionProtection: 'INACTIVE',
      UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
    });
    expect(onlyResource(prod.stateful, 'AWS::Cognito::UserPool')).toMatchObject({
      MfaConfiguration: 'ON',
      DeletionProtection: 'ACTIVE',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    prod.stateful.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('gives the agency apps a public client with SRP, short-lived tokens and no OAuth', () => {
    const client = onlyResource(stateful, 'AWS::Cognito::UserPoolClient');
    expect(client).toMatchObject({
      GenerateSecret: false,
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      AllowedOAuthFlowsUserPoolClient: false,
    });
    expect(client.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH']),
    );
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    // Prod: no password-only sign-in from the CLI.
    expect(onlyResource(prod.stateful, 'AWS::Cognito::UserPoolClient').ExplicitAuthFlows).toEqual([
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
  });
});

describe('api stack: stage, throttling and access logs', () => {
  it('deploys a $default stage automatically, throttled at the stage config rate and burst', () => {
    expect(onlyResource(api, 'AWS::ApiGatewayV2::Stage')).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: config.apiThrottle.rateLimit,
        ThrottlingBurstLimit: config.apiThrottle.burstLimit,
      },
    });
    expect(onlyResource(prod.api, 'AWS::ApiGatewayV2::Stage')).toMatchObject({
      DefaultRouteSettings: {
        ThrottlingRateLimit: prod.config.apiThrottle.rateLimit,
        ThrottlingBurstLimit: prod.config.apiThrottle.burstLimit,
      },
    });
    expect(prod.config.apiThrottle.rateLimit).not.toBe(config.apiThrottle.rateLimit);
  });

  it('writes one JSON access log line per request with request id, ip, route, status, latency, authorizer error', () => {
    const stage = onlyResource(api, 'AWS::ApiGatewayV2::Stage') as {
      AccessLogSettings: { DestinationArn: unknown; Format: string };
    };
    const logGroupId = Object.keys(
      api.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/kouan/dev/api-access' } }),
    )[0];
    expect(stage.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
      authorizerError: '$context.authorizer.error',
    });
  });

  it('keeps access logs in a log group encrypted with the data key, with the stage retention', () => {
    api.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/kouan/dev/api-access',
      KmsKeyId: imported('DataKey.*Arn'),
      RetentionInDays: 7,
    });
    prod.api.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/kouan/prod/api-access', RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('api stack: function and permissions', () => {
  it('runs the API handler through PortFunction: Node.js 24, arm64, tracing, JSON logs, its settings from ENV', () => {
    const fn = onlyResource(api, 'AWS::Lambda::Function');
    expect(fn).toMatchObject({
      Runtime: PORT_FUNCTION_RUNTIME.name,
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON' },
      Timeout: 10,
      Environment: {
        Variables: {
          [ENV.tableName]: importedValue('RefPortTable'),
          [ENV.portCode]: 'CNSGH',
          [ENV.riskSeed]: 'kouan-dev-selectivity-seed-public',
          POWERTOOLS_SERVICE_NAME: 'kouan-api',
        },
      },
    });
    expect(PORT_FUNCTION_RUNTIME.name).toBe('nodejs24.x');
    api.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/kouan/dev/api-function' });
  });

  it('may read and conditionally write items of the port table and its indexes: no scan, no wildcard index', () => {
    const statements = (Object.values(api.findResources('AWS::IAM::Policy')) as Resource[]).flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(1);
    const [readWrite] = dynamo as [Statement];
    expect(actionsOf(readWrite).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    const tableArn = importedValue('PortTable.*Arn');
    expect(readWrite.Resource).toEqual([
      tableArn,
      ...PORT_TABLE.globalIndexes.map((i) => ({ 'Fn::Join': ['', [tableArn, `/index/${i.indexName}`]] })),
    ]);
    const all = statements.flatMap(actionsOf);
    for (const forbidden of ['Scan', 'DescribeTable', 'TransactWriteItems', '*'])
      expect(all).not.toContain(`dynamodb:${forbidden}`);
    const kmsStatement = statements.find((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(kmsStatement).toMatchObject({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
    });
  });
});

describe('api stack: alarms and outputs', () => {
  const topic = importedValue('Kouan-dev-Ingest:.*AlarmTopic');
  const alarms = () => Object.values(api.findResources('AWS::CloudWatch::Alarm')) as Resource[];

  it('alarms on the 5xx rate, the p99 latency and function errors, notifying the alarm topic both ways', () => {
    expect(alarms()).toHaveLength(3);
    for (const a of alarms()) {
      expect(a.Properties.AlarmActions).toEqual([topic]);
      expect(a.Properties.OKActions).toEqual([topic]);
      expect(a.Properties.TreatMissingData).toBe('notBreaching');
    }
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('100 \\* errors / requests') }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: '5xx', Namespace: 'AWS/ApiGateway' }),
          }),
        }),
        Match.objectLike({
          Id: 'requests',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'Count' }) }),
        }),
      ]),
    });
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: 2000,
    });
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^ApiFunction') } }],
      Threshold: 0,
    });
  });

  it('outputs the API URL, user pool id, client id and issuer', () => {
    const outputs = api.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(['ApiUrl', 'Issuer', 'UserPoolClientId', 'UserPoolId']);
    expect(outputs.ApiUrl?.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AgencyApi/), 'ApiEndpoint'] });
    expect(outputs.UserPoolId?.Value).toEqual(USER_POOL_ID);
    expect(outputs.UserPoolClientId?.Value).toEqual(CLIENT_ID);
    const authorizer = onlyResource(api, 'AWS::ApiGatewayV2::Authorizer') as { JwtConfiguration: { Issuer: unknown } };
    expect(outputs.Issuer?.Value).toEqual(authorizer.JwtConfiguration.Issuer);
  });
});
