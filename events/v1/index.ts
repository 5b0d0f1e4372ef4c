export * from './declaration';
export * from './declaration-audit';
export * from './device-events';
export * from './stream-record';
export * from './topic';
