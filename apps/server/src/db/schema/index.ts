export * from './region';
export * from './org';
export * from './account';
export * from './audit';
export * from './member';
