export * from './load-stage-config';
export * from './names';
export * from './stage-config';
export * from './stages';
