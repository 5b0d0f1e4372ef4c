import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resourceNames } from './config/names';
import type { StageConfig } from './config/stage-config';
import { ApiStack } from './stacks/api-stack';
import { EvaluationStack } from './stacks/evaluation-stack';
import { IngestStack } from './stacks/ingest-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { WorkflowStack } from './stacks/workflow-stack';

export interface KouanStacks {
  readonly stateful: StatefulStack;
  readonly ingest: IngestStack;
  readonly api: ApiStack;
  readonly workflow: WorkflowStack;
  readonly evaluation: EvaluationStack;
}

/**
 * Adds one stage of Kouan to an app: the stacks, the tags, and the cdk-nag AwsSolutions checks, which run as a
 * policy-validation plugin so that any unacknowledged finding fails synth. `infra/app.ts` and the infra tests
 * both build through here, so the tests check what `cdk deploy` ships.
 */
export function addKouanStage(app: App, config: StageConfig): KouanStacks {
  const names = resourceNames(config.stage);
  const env = {
    ...(config.account ? { account: config.account } : {}),
    ...(config.region ? { region: config.region } : {}),
  };
  const common = { env, terminationProtection: config.production };

  const stateful = new StatefulStack(app, names.statefulStack, {
    ...common,
    description: `Kouan ${config.stage} (${config.portCode}): port table, device event stream, key, failure queue, agency users`,
    config,
  });
  const ingest = new IngestStack(app, names.ingestStack, {
    ...common,
    description: `Kouan ${config.stage} (${config.portCode}): IoT devices and topic rule, ingest function, alarms`,
    config,
    stateful,
  });
  const api = new ApiStack(app, names.apiStack, {
    ...common,
    description: `Kouan ${config.stage} (${config.portCode}): agency HTTP API, JWT authorizer, API function, alarms`,
    config,
    stateful,
    alarmTopic: ingest.alarmTopic.topic,
  });
  const workflow = new WorkflowStack(app, names.workflowStack, {
    ...common,
    description: `Kouan ${config.stage} (${config.portCode}): joint-control state machine, workflow function, agency notification bus, alarms`,
    config,
    stateful,
    alarmTopic: ingest.alarmTopic.topic,
    apiFunction: api.function,
    ingestFunction: ingest.ingest,
  });

  const evaluation = new EvaluationStack(app, names.evaluationStack, {
    ...common,
    description: `Kouan ${config.stage} (${config.portCode}): scheduled port performance evaluation (hour buckets, KPI snapshots)`,
    config,
    stateful,
    alarmTopic: ingest.alarmTopic.topic,
  });

  for (const stack of [stateful, ingest, api, workflow, evaluation]) {
    Tags.of(stack).add('project', 'kouan');
    Tags.of(stack).add('stage', config.stage);
    Tags.of(stack).add('port', config.portCode);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, ingest, api, workflow, evaluation };
}
