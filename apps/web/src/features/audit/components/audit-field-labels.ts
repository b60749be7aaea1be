/** Chinese names of the fields that appear in audit before/after snapshots. */
export const AUDIT_FIELD_LABELS: Record<string, string> = {
  name: '名称',
  shortName: '简称',
  kind: '组织类型',
  categoryCode: '单位类别',
  regionCode: '行政区划代码',
  address: '地址',
  secretaryName: '书记',
  contactPhone: '联系电话',
  establishedOn: '成立日期',
  dissolvedOn: '撤销日期',
  dissolveReason: '撤销原因',
  reason: '原因',
  parentId: '上级组织',
  parentName: '上级组织名称',
  newParentId: '新上级组织',
  path: '组织路径',
  version: '版本',
  status: '状态',
  disabled: '已停用',
  role: '角色',
  orgId: '组织',
  grantId: '授权',
  username: '用户名',
  displayName: '姓名',
  homeOrgId: '所属组织',
  totpEnabled: '已绑定双因素',
  level: '层级',
  phone: '电话',
  openingHours: '开放时间',
  closedOn: '关闭日期',
  code: '代码',
};

export function auditFieldLabel(field: string): string {
  const label = AUDIT_FIELD_LABELS[field];
  return label ? `${label}（${field}）` : field;
}
