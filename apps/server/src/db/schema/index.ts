export * from './region';
export * from './org';
export * from './account';
export * from './audit';
export * from './member';
export * from './certificate';
export * from './transfer';
export * from './import';
