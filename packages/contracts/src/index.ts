export * from './common';
export * from './auth';
export * from './orgs';
export * from './accounts';
export * from './audit';
export * from './security';
export * from './members';
export * from './dashboard';
