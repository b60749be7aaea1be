import { Descriptions, Drawer, Empty, Table, Typography } from 'antd';
import type { AuditEntry } from '@liudong/contracts';
import { formatDateTime, orEmpty } from '../../../ui/format';
import { auditDiffRows, type AuditDiffRow } from './audit-diff';
import { auditFieldLabel } from './audit-field-labels';
import {
  auditActionLabel,
  auditRoleLabel,
  auditTargetLabel,
  auditTargetTypeLabel,
} from './audit-labels';
import { AuditResultTag } from './audit-result-tag';

/** One audit record in full, with the before/after of the change side by side. */
export function AuditEntryDrawer({
  entry,
  onClose,
}: {
  entry: AuditEntry | null;
  onClose: () => void;
}) {
  const rows = entry ? auditDiffRows(entry.before, entry.after) : [];
  return (
    <Drawer title="审计记录详情" open={entry !== null} onClose={onClose} size={720} destroyOnHidden>
      {entry && (
        <>
          <Descriptions
            bordered
            size="small"
            column={2}
            items={[
              { key: 'at', label: '时间', children: formatDateTime(entry.at), span: 2 },
              { key: 'actor', label: '操作人', children: orEmpty(entry.actorUsername) },
              { key: 'role', label: '角色', children: auditRoleLabel(entry.role) },
              { key: 'org', label: '组织', children: orEmpty(entry.orgName) },
              { key: 'ip', label: 'IP', children: orEmpty(entry.ip) },
              {
                key: 'action',
                label: '操作',
                children: `${auditActionLabel(entry.action)}（${entry.action}）`,
                span: 2,
              },
              { key: 'target', label: '对象', children: auditTargetLabel(entry), span: 2 },
              {
                key: 'targetType',
                label: '对象类型',
                children:
                  entry.targetType && auditTargetTypeLabel(entry.targetType) !== entry.targetType
                    ? `${auditTargetTypeLabel(entry.targetType)}（${entry.targetType}）`
                    : orEmpty(entry.targetType),
              },
              { key: 'targetId', label: '对象ID', children: orEmpty(entry.targetId) },
              { key: 'result', label: '结果', children: <AuditResultTag result={entry.result} /> },
              { key: 'reason', label: '原因', children: orEmpty(entry.reason) },
              { key: 'id', label: '记录编号', children: entry.id, span: 2 },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            变更内容
          </Typography.Title>
          {rows.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该操作未记录变更内容" />
          ) : (
            <Table<AuditDiffRow>
              rowKey="field"
              size="small"
              pagination={false}
              bordered
              dataSource={rows}
              columns={[
                {
                  title: '字段',
                  dataIndex: 'field',
                  width: 200,
                  render: (field: string) => auditFieldLabel(field),
                },
                {
                  title: '修改前',
                  dataIndex: 'before',
                  render: (v: string) => <span style={{ wordBreak: 'break-all' }}>{v}</span>,
                },
                {
                  title: '修改后',
                  dataIndex: 'after',
                  render: (value: string, row) => (
                    <Typography.Text mark={row.isChanged} style={{ wordBreak: 'break-all' }}>
                      {value}
                    </Typography.Text>
                  ),
                },
              ]}
            />
          )}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            敏感个人信息在审计记录中以脱敏形式保存。
          </Typography.Paragraph>
        </>
      )}
    </Drawer>
  );
}
