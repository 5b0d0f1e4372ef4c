import { App } from 'aws-cdk-lib';
import { loadStageConfig } from './config/load-stage-config';
import { StageConfigError } from './config/stage-config';
import { addKouanStage } from './kouan-app';

// `cdk synth -c stage=prod -c portCode=CNSGH`: see docs/deploy.md for every context flag.
const app = new App();
try {
  addKouanStage(app, loadStageConfig(app.node));
} catch (error) {
  // A config mistake is the operator's to fix: print the rules it broke, not a stack trace.
  if (!(error instanceof StageConfigError)) throw error;
  console.error(`kouan: ${error.message}`);
  process.exit(1);
}
app.synth();
