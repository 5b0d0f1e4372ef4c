export * from './device-events';
export * from './stream-record';
export * from './topic';
