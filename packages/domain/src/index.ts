// @liudong/domain: pure rules of the mobile Party member domain. No I/O and nothing from other
// @liudong packages (ARCHITECTURE.md import direction; enforced by eslint).
export * from './calendar';
export * from './clock';
export * from './id-number';
export * from './lockout';
export * from './masking';
export * from './org';
export * from './password-policy';
export * from './phone';
export * from './region';
export * from './roles';
export * from './synthetic';
export * from './member';
export * from './mobility';
export * from './mobility-rules';
export * from './certificate-number';
export * from './loose-date';
export * from './sheet-headers';
export * from './sheet-values';
export * from './indicators';
export * from './transfer';
export * from './contact';
export * from './sms';
