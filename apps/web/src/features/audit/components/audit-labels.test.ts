import { describe, expect, it } from 'vitest';
import { AUDIT_TARGET_TYPE_OPTIONS, auditTargetLabel, auditTargetTypeLabel } from './audit-labels';

describe('audit target labels', () => {
  it('names every target type the server writes in Chinese', () => {
    expect(AUDIT_TARGET_TYPE_OPTIONS.map((option) => option.value)).toEqual([
      'org',
      'member',
      'mobility',
      'certificate',
      'account',
      'service_point',
      'role_grant',
      'region',
      'audit_log',
      'app_setting',
      'route',
    ]);
    expect(auditTargetTypeLabel('service_point')).toBe('服务站点');
    expect(auditTargetTypeLabel('app_setting')).toBe('系统配置');
    expect(auditTargetTypeLabel('member')).toBe('党员');
  });

  it('shows an unknown type as it is and a missing one as a dash', () => {
    expect(auditTargetTypeLabel('agreement')).toBe('agreement');
    expect(auditTargetTypeLabel(null)).toBe('—');
  });

  it('prefers the recorded label, else type and id', () => {
    const entry = { targetType: 'org', targetId: 'o1', targetLabel: null };
    expect(auditTargetLabel(entry)).toBe('组织 · o1');
    expect(auditTargetLabel({ ...entry, targetLabel: '测试镇党委' })).toBe('测试镇党委');
    expect(auditTargetLabel({ targetType: null, targetId: null, targetLabel: null })).toBe('—');
  });
});
