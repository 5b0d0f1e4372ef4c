import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { DynamoPortReader } from '../../shared/adapters/dynamodb/dynamodb-port-reader';
import { ENV, requireEnv } from '../../shared/config/env';
import { type ApiGatewayEvent, fromApiGatewayEvent, toApiGatewayResult } from '../../shared/http/api-gateway';
import { createRouter } from '../../shared/http/router';
import { ROUTES } from '../../shared/http/routes';

/**
 * The agency API: API Gateway HTTP API (payload v2) in the cloud, the local server on localhost. Thin: adapt the
 * event, route, adapt the result.
 */
const logger = new Logger({ serviceName: 'kouan-api' });
const reader = new DynamoPortReader(createDocumentClient(), requireEnv(ENV.tableName));
const route = createRouter(ROUTES, { reader }, (e) => logger.error('request failed', { error: e as Error }));

export const handler = async (event: ApiGatewayEvent, _context: Context): Promise<APIGatewayProxyStructuredResultV2> =>
  toApiGatewayResult(await route(fromApiGatewayEvent(event)));
