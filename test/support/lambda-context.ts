import type { Context } from 'aws-lambda';
import { lambdaContext as localContext } from '../../local/lambda-context';

export const lambdaContext = (name = 'kouan-test'): Context => localContext(name, 'us-east-1', 30_000);
