import type { DeviceClass } from '../../events/v1';

/**
 * Names that several stacks (or a stack and a key policy) must agree on, derived once from the stage.
 * Everything else keeps CloudFormation's generated names, so two stages can share an account.
 */
export function resourceNames(stage: string) {
  const logGroupPrefix = `/kouan/${stage}`;
  return {
    statefulStack: `Kouan-${stage}-Stateful`,
    ingestStack: `Kouan-${stage}-Ingest`,
    apiStack: `Kouan-${stage}-Api`,
    workflowStack: `Kouan-${stage}-Workflow`,
    evaluationStack: `Kouan-${stage}-Evaluation`,
    keyAlias: `alias/kouan-${stage}-data`,
    /** Every log group Kouan creates lives under this prefix; the data key lets CloudWatch Logs use it there only. */
    logGroupPrefix,
    ingestFunctionLogGroup: `${logGroupPrefix}/ingest-function`,
    topicRuleErrorLogGroup: `${logGroupPrefix}/ingest-rule-errors`,
    apiFunctionLogGroup: `${logGroupPrefix}/api-function`,
    apiAccessLogGroup: `${logGroupPrefix}/api-access`,
    workflowFunctionLogGroup: `${logGroupPrefix}/incident-workflow-function`,
    evaluationFunctionLogGroup: `${logGroupPrefix}/evaluation-function`,
    jointControlLogGroup: `${logGroupPrefix}/joint-control-workflow`,
    /** Fixed, so the functions that start it or answer its callbacks know its ARN without a cross-stack reference. */
    jointControlStateMachine: `kouan-${stage}-joint-control`,
    /** Fixed, so agencies' rules and the functions that notify them name the same bus. */
    notificationBus: `kouan-${stage}-agency-notifications`,
    userPool: `kouan-${stage}-agencies`,
    agencyAppClient: `kouan-${stage}-agency-apps`,
    // IoT rule names allow only letters, digits and underscores.
    ingestTopicRule: `kouan_${stage}_ingest`,
    devicePolicy: `kouan-${stage}-device`,
    thingType: (deviceClass: DeviceClass) => `kouan-${stage}-${deviceClass}`,
    metricNamespace: `Kouan/${stage}`,
  } as const;
}

export type ResourceNames = ReturnType<typeof resourceNames>;
