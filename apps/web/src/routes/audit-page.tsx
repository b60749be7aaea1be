import { useState } from 'react';
import {
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import { PrinterOutlined, SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { AUDIT_ACTION_LABELS, type AuditEntry, type AuditResult } from '@liudong/contracts';
import { useMe } from '../features/auth/hooks/use-me';
import { auditListQuery, type AuditFilters } from '../features/audit/api/audit-api';
import { AuditEntryDrawer } from '../features/audit/components/audit-entry-drawer';
import {
  AUDIT_TARGET_TYPE_OPTIONS,
  auditActionLabel,
  auditRoleLabel,
  auditTargetLabel,
  auditTargetTypeLabel,
} from '../features/audit/components/audit-labels';
import { AUDIT_RESULT_LABELS, AuditResultTag } from '../features/audit/components/audit-result-tag';
import { AuditVerifyButton } from '../features/audit/components/audit-verify-button';
import { ErrorAlert } from '../ui/error-alert';
import { EllipsisText } from '../ui/ellipsis-text';
import { formatDateTime, formatShortDateTime, orEmpty } from '../ui/format';
import { KeysetPager } from '../ui/keyset-pager';
import { useKeysetPages } from '../ui/use-keyset-pages';

interface FilterValues {
  actor?: string;
  action?: string;
  result?: AuditResult;
  range?: [Dayjs | null, Dayjs | null] | null;
  targetType?: string;
  targetId?: string;
}

const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({
  value,
  label,
}));
const RESULT_OPTIONS = Object.entries(AUDIT_RESULT_LABELS).map(([value, { label }]) => ({
  value,
  label,
}));

function toFilters(values: FilterValues): AuditFilters {
  const [from, to] = values.range ?? [null, null];
  const trimmed = (text?: string) => (text?.trim() ? text.trim() : undefined);
  return {
    actor: trimmed(values.actor),
    action: values.action,
    result: values.result,
    targetType: values.targetType,
    targetId: trimmed(values.targetId),
    // With the offset, e.g. 2025-01-01T00:00:00+08:00: the day as the officer means it.
    from: from ? from.startOf('minute').format() : undefined,
    to: to ? to.endOf('minute').format() : undefined,
  };
}

/** 审计日志 (auditor): filters, keyset pages, details, chain verification and printing. */
export function AuditPage() {
  const me = useMe();
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const pages = useKeysetPages(JSON.stringify(filters));
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const list = useQuery(auditListQuery(filters, pages.cursor));
  const nextCursor = list.data?.nextCursor ?? null;

  const apply = (values: FilterValues) => {
    setFilters(toFilters(values));
    pages.reset();
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          审计日志
        </Typography.Title>
        <Space className="no-print">
          <AuditVerifyButton />
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            打印
          </Button>
        </Space>
      </Flex>

      <Card className="no-print">
        <Form<FilterValues> form={form} layout="inline" onFinish={apply} style={{ rowGap: 12 }}>
          <Form.Item label="操作人" name="actor">
            <Input allowClear placeholder="用户名" maxLength={64} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item label="操作类型" name="action">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部"
              options={ACTION_OPTIONS}
              style={{ width: 180 }}
            />
          </Form.Item>
          <Form.Item label="结果" name="result">
            <Select allowClear placeholder="全部" options={RESULT_OPTIONS} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item label="时间范围" name="range">
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              allowEmpty={[true, true]}
              disabledDate={(date) => date.isAfter(dayjs(), 'day')}
            />
          </Form.Item>
          <Form.Item label="对象类型" name="targetType">
            <Select
              allowClear
              placeholder="全部"
              options={AUDIT_TARGET_TYPE_OPTIONS}
              style={{ width: 130 }}
            />
          </Form.Item>
          <Form.Item label="对象ID" name="targetId">
            <Input allowClear maxLength={64} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                查询
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  apply({});
                }}
              >
                重置
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>

      <Card>
        <div className="print-only" style={{ marginBottom: 12 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            审计日志
          </Typography.Title>
          <Typography.Text type="secondary">
            打印人：{me.account.displayName}（{me.account.username}） 打印时间：
            {dayjs().format('YYYY-MM-DD HH:mm')} 第 {pages.page} 页
          </Typography.Text>
        </div>
        <Flex vertical gap={16}>
          <ErrorAlert error={list.error} />
          <Table<AuditEntry>
            rowKey="id"
            size="small"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            pagination={false}
            tableLayout="fixed"
            // Fits the content width at 1440 px; long cells end in "…" with the text in a tooltip
            // (the row opens the full record). Narrower windows scroll, with the time pinned.
            scroll={{ x: 1040 }}
            locale={{ emptyText: '没有符合条件的审计记录' }}
            onRow={(entry) => ({
              onClick: () => setSelected(entry),
              style: { cursor: 'pointer' },
            })}
            columns={[
              {
                title: '时间',
                dataIndex: 'at',
                width: 124,
                fixed: 'left',
                render: (at: string) => (
                  <>
                    <Tooltip title={formatDateTime(at)} placement="topLeft">
                      <span className="no-print">{formatShortDateTime(at)}</span>
                    </Tooltip>
                    <span className="print-only-inline">{formatDateTime(at)}</span>
                  </>
                ),
              },
              {
                title: '操作人',
                dataIndex: 'actorUsername',
                width: 100,
                render: (actor: string | null) => <EllipsisText>{orEmpty(actor)}</EllipsisText>,
              },
              {
                title: '角色',
                dataIndex: 'role',
                width: 112,
                render: (role: string | null) => (
                  <EllipsisText>{auditRoleLabel(role)}</EllipsisText>
                ),
              },
              {
                title: '组织',
                dataIndex: 'orgName',
                width: 130,
                render: (org: string | null) => <EllipsisText>{orEmpty(org)}</EllipsisText>,
              },
              {
                title: 'IP',
                dataIndex: 'ip',
                width: 110,
                render: (ip: string | null) => <EllipsisText>{orEmpty(ip)}</EllipsisText>,
              },
              {
                title: '操作',
                dataIndex: 'action',
                width: 120,
                render: (action: string) => <EllipsisText>{auditActionLabel(action)}</EllipsisText>,
              },
              {
                title: '对象类型',
                dataIndex: 'targetType',
                width: 80,
                render: (type: string | null) => (
                  <EllipsisText>{auditTargetTypeLabel(type)}</EllipsisText>
                ),
              },
              {
                // 对象 and 原因 share what is left.
                title: '对象',
                key: 'target',
                render: (_, entry) => <EllipsisText>{auditTargetLabel(entry)}</EllipsisText>,
              },
              {
                title: '结果',
                dataIndex: 'result',
                width: 64,
                render: (result: AuditResult) => <AuditResultTag result={result} />,
              },
              {
                title: '原因',
                dataIndex: 'reason',
                render: (reason: string | null) => <EllipsisText>{orEmpty(reason)}</EllipsisText>,
              },
            ]}
          />
          <KeysetPager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={nextCursor !== null}
            loading={list.isFetching}
            className="no-print"
            onPrev={pages.prev}
            onNext={() => nextCursor && pages.next(nextCursor)}
          />
        </Flex>
      </Card>
      <AuditEntryDrawer entry={selected} onClose={() => setSelected(null)} />
    </Flex>
  );
}
