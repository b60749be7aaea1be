import { z } from 'zod';
import { IsoDateTime, PageQuery, pageOf } from './common';

export const AuditResult = z.enum(['success', 'failure', 'denied']);
export type AuditResult = z.infer<typeof AuditResult>;

export const AuditQuery = PageQuery.extend({
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  targetType: z.string().trim().max(40).optional(),
  targetId: z.string().trim().max(64).optional(),
  result: AuditResult.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.string(),
  at: IsoDateTime,
  actorUsername: z.string().nullable(),
  role: z.string().nullable(),
  orgName: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  targetLabel: z.string().nullable(),
  result: AuditResult,
  reason: z.string().nullable(),
  /** Before/after of a write with sensitive fields masked (SECURITY.md 18). */
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditSearchResponse = pageOf(AuditEntry);
export type AuditSearchResponse = z.infer<typeof AuditSearchResponse>;

export const AuditVerifyResponse = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBrokenId: z.string().nullable(),
});
export type AuditVerifyResponse = z.infer<typeof AuditVerifyResponse>;

/** Action names written to the audit trail, with their Chinese labels for the audit page. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.logout': '退出登录',
  'auth.lockout': '账号锁定',
  'auth.totp': '双因素验证',
  'auth.totp_enrol': '绑定双因素认证',
  'auth.password_change': '修改密码',
  'auth.switch_role': '切换角色',
  'account.create': '创建账号',
  'account.disable': '停用账号',
  'account.enable': '启用账号',
  'account.unlock': '解除锁定',
  'account.reset_password': '重置密码',
  'account.reset_totp': '重置双因素认证',
  'role.grant': '授予角色',
  'role.revoke': '撤销角色',
  'org.create': '新建组织',
  'org.update': '修改组织',
  'org.move': '调整隶属关系',
  'org.dissolve': '撤销组织',
  'service_point.create': '新建服务站点',
  'service_point.update': '修改服务站点',
  'region.create': '新增行政区划',
  'region.update': '修改行政区划',
  'config.change': '修改配置',
  'member.view': '查看党员信息',
  'member.reveal': '查看完整个人信息',
  'member.export': '导出党员信息',
  'mobility.export': '导出流动党员台账',
  'member.create': '新建党员',
  'member.update': '修改党员信息',
  'alert.reveal_burst': '告警：短时间内大量查看个人信息',
  'mobility.register': '流出登记',
  'mobility.register_inflow': '流入登记',
  'mobility.transition': '流动状态变更',
  'certificate.issue': '发放活动证',
  'certificate.review': '活动证年审',
  'certificate.return': '交回活动证',
  'certificate.cancel': '注销活动证',
  'certificate.reissue': '补发活动证',
  'transfer.request': '申请转接组织关系',
  'transfer.approve': '批准转接并开具介绍信',
  'transfer.reject': '不予批准转接',
  'transfer.cancel': '撤销转接',
  'transfer.receive': '登记转接回执',
  'import.upload': '上传导入文件',
  'import.commit': '导入',
  'import.undo': '撤销导入批次',
  'import.mapping_save': '保存导入列对应',
  'liaison.create': '新增联络员',
  'liaison.reactivate': '重新启用联络员',
  'liaison.update': '修改联络员',
  'liaison.retire': '联络员调离并移交',
  'liaison.assign': '分配联络员（三定）',
  'assignment.update': '修改联系周期或职责',
  'contact.create': '登记联系记录',
  'contact.schedule.set': '设置组织联系周期',
  'contact.settings.update': '修改联系与预警设置',
  'lost_contact.note': '登记失联原因',
  'lost_contact.export': '导出失联党员名单或登记表',
  'census.open': '发起摸排',
  'census.verify': '登记摸排核实结果',
  'census.close': '结束摸排',
  'census.export': '导出摸排登记表',
  'sms.broadcast': '群发短信',
  'sms.opt_out': '短信退订',
  'sms.opt_in': '恢复接收短信',
  'sms.template.create': '新增短信模板',
  'sms.template.update': '修改短信模板',
  'system.seed_demo': '生成演示数据',
  'audit.query': '查询审计日志',
  'audit.verify': '校验审计日志',
  'access.denied': '越权访问',
};
