import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadStageConfig } from '../../infra/config/load-stage-config';
import type { StageConfig } from '../../infra/config/stage-config';
import { addKouanStage, type KouanStacks } from '../../infra/kouan-app';

/** Context as `cdk synth -c key=value` would pass it. */
export type Context = Record<string, string | boolean>;

export interface SynthesizedKouan {
  readonly app: App;
  readonly config: StageConfig;
  readonly stacks: KouanStacks;
  readonly stateful: Template;
  readonly ingest: Template;
  readonly api: Template;
}

/**
 * A fast app: bundling skipped and the built-in CloudFormation validator off (0.1 s instead of 5 s per template).
 * The config goes through the same loader as `infra/app.ts`, with an empty process environment so that a
 * developer's CDK_DEFAULT_ACCOUNT never leaks into assertions.
 */
export function fastApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
}

export function contextSource(context: Context) {
  return { tryGetContext: (key: string): unknown => context[key] };
}

export function synthKouan(context: Context = {}): SynthesizedKouan {
  const app = fastApp();
  const config = loadStageConfig(contextSource(context), {});
  const stacks = addKouanStage(app, config);
  return {
    app,
    config,
    stacks,
    stateful: Template.fromStack(stacks.stateful),
    ingest: Template.fromStack(stacks.ingest),
    api: Template.fromStack(stacks.api),
  };
}

/** One resource's properties, failing the test if there is not exactly one of that type. */
export function onlyResource(template: Template, type: string): Record<string, unknown> {
  const found = Object.values(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  const [resource] = found as [{ Properties: Record<string, unknown> }];
  return resource.Properties;
}
