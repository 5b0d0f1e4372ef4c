import * as path from 'node:path';
import { CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config/env';
import { ROUTES } from '../../shared/http/routes';
import { resourceNames } from '../config/names';
import type { StageConfig } from '../config/stage-config';
import { type ApiRouteSpec, HttpApiToFunction } from '../constructs/http-api-to-function';
import { ApiAlarms } from '../constructs/monitoring';
import { PortFunction } from '../constructs/port-function';
import { grantPortTableReadWrite } from '../constructs/port-table-access';
import type { StatefulResources } from './stateful-stack';

/** The API handler module; the path is fixed by the repository layout (DESIGN.md). */
export const API_ENTRY = path.join(__dirname, '..', '..', 'functions', 'api', 'handler.ts');

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  /** Topic the API's alarms notify (the ingest stack's alarm topic: one topic for all of Kouan). */
  readonly alarmTopic: sns.ITopic;
  /**
   * The route table.
   * @default ROUTES (shared/http/routes.ts)
   */
  readonly routes?: readonly ApiRouteSpec[];
}

/**
 * The stateless agency API: the API function (item reads and conditional writes on the port table), the HTTP API generated from
 * the route table with the Cognito JWT authorizer from the stateful stack, its access logs, throttle and alarms.
 * Safe to destroy and redeploy: users live in the stateful stack's pool, data in its table.
 */
export class ApiStack extends Stack {
  readonly function: PortFunction;
  readonly httpApi: HttpApiToFunction;
  readonly alarms: ApiAlarms;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Strong (CloudFormation exports), as in the ingest stack: the producers cannot go while the API reads them.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, stateful } = props;
    const names = resourceNames(config.stage);

    this.function = new PortFunction(this, 'ApiFunction', {
      entry: API_ENTRY,
      serviceName: 'kouan-api',
      description: 'Agency API (HTTP API payload v2): route, authorize per object, declarations and decisions',
      memorySize: 512,
      // API Gateway gives up on an integration after 30 s; a read that takes 10 s has already failed its caller.
      timeout: Duration.seconds(10),
      environment: {
        [ENV.tableName]: stateful.table.tableName,
        [ENV.portCode]: config.portCode,
        ...(config.evaluatedPorts ? { [ENV.evaluatedPorts]: config.evaluatedPorts.join(',') } : {}),
        [ENV.riskSeed]: config.riskSeed,
      },
      logRetention: config.logRetentionDays,
      logEncryptionKey: stateful.key,
      logGroupName: names.apiFunctionLogGroup,
      logRemovalPolicy: config.removalPolicy,
    });
    // Declarations, their decision logs and officer decisions are written here (single-item conditional writes).
    grantPortTableReadWrite(this.function.function, stateful.table, stateful.key);

    this.httpApi = new HttpApiToFunction(this, 'AgencyApi', {
      apiName: `kouan-${config.stage}-agency-api`,
      routes: props.routes ?? ROUTES,
      function: this.function.function,
      userPool: stateful.userPool,
      userPoolClients: [stateful.agencyAppClient],
      throttle: { rateLimit: config.apiThrottle.rateLimit, burstLimit: config.apiThrottle.burstLimit },
      accessLogGroupName: names.apiAccessLogGroup,
      accessLogRetention: config.logRetentionDays,
      accessLogKey: stateful.key,
      accessLogRemovalPolicy: config.removalPolicy,
    });

    this.alarms = new ApiAlarms(this, 'Alarms', {
      api: this.httpApi.api,
      function: this.function.function,
      alarmTopic: props.alarmTopic,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'Base URL of the agency API' });
    new CfnOutput(this, 'UserPoolId', { value: stateful.userPool.userPoolId, description: 'Agencies user pool' });
    new CfnOutput(this, 'UserPoolClientId', {
      value: stateful.agencyAppClient.userPoolClientId,
      description: 'App client of the agency apps (token audience)',
    });
    new CfnOutput(this, 'Issuer', {
      value: `https://cognito-idp.${this.region}.amazonaws.com/${stateful.userPool.userPoolId}`,
      description: 'Token issuer the JWT authorizer accepts',
    });
  }
}
