import { describe, expect, it } from 'vitest';
import { SecurityPolicy } from '@liudong/contracts';
import {
  DEFAULT_SECURITY_POLICY,
  POLICY_FIELDS,
  diffPolicy,
  fieldOfServerPath,
  policyFieldKey,
} from './policy-fields';

describe('security policy fields', () => {
  it('cover every setting of the contract exactly once', () => {
    const keys = POLICY_FIELDS.map((f) => policyFieldKey(f.path)).sort();
    expect(keys).toEqual(
      [
        'absoluteHours',
        'adminPasswordMaxAgeDays',
        'auditRetentionMonths',
        'idleMinutes',
        'ipThrottle.maxFailures',
        'ipThrottle.windowMinutes',
        'lockout.lockMinutes',
        'lockout.maxFailures',
        'lockout.windowMinutes',
        'passwordHistory',
      ].sort(),
    );
    expect(new Set(POLICY_FIELDS.map((f) => f.label)).size).toBe(POLICY_FIELDS.length);
  });

  it('take the ranges from the schema and the defaults of SECURITY.md', () => {
    const byKey = new Map(POLICY_FIELDS.map((f) => [policyFieldKey(f.path), f]));
    expect(byKey.get('lockout.maxFailures')).toMatchObject({ min: 3, max: 20, defaultValue: 5 });
    expect(byKey.get('auditRetentionMonths')).toMatchObject({ min: 6, max: 120, defaultValue: 6 });
    expect(byKey.get('idleMinutes')).toMatchObject({ defaultValue: 30, unit: '分钟' });
    expect(SecurityPolicy.safeParse(DEFAULT_SECURITY_POLICY).success).toBe(true);
    for (const f of POLICY_FIELDS) {
      expect(f.defaultValue).toBeGreaterThanOrEqual(f.min);
      expect(f.defaultValue).toBeLessThanOrEqual(f.max);
    }
  });

  it('list what changes, old → new, in form order', () => {
    const next = {
      ...DEFAULT_SECURITY_POLICY,
      lockout: { ...DEFAULT_SECURITY_POLICY.lockout, lockMinutes: 60 },
      idleMinutes: 15,
    };
    expect(diffPolicy(DEFAULT_SECURITY_POLICY, next)).toEqual([
      { key: 'lockout.lockMinutes', label: '锁定时长', before: '30 分钟', after: '60 分钟' },
      { key: 'idleMinutes', label: '空闲超时', before: '30 分钟', after: '15 分钟' },
    ]);
    expect(diffPolicy(next, next)).toEqual([]);
  });

  it('find the field a server validation detail is about', () => {
    expect(fieldOfServerPath('body.lockout.maxFailures')?.label).toBe('锁定阈值');
    expect(fieldOfServerPath('body.nope')).toBeNull();
    expect(fieldOfServerPath(undefined)).toBeNull();
  });
});
