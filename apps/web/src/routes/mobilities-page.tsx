import { useState } from 'react';
import {
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { DownloadOutlined, ImportOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { MemberNameLink } from '../features/members/components/member-name-link';
import type { MobilityLedgerItem } from '@liudong/contracts';
import {
  MOBILITY_DIRECTIONS,
  MOBILITY_DIRECTION_LABELS,
  MOBILITY_STATUSES,
  MOBILITY_STATUS_LABELS,
} from '@liudong/domain';
import { useMe, usePermission } from '../features/auth/hooks/use-me';
import { MobilityTag } from '../features/members/components/mobility-tag';
import {
  mobilityExportUrl,
  mobilityListQuery,
  type MobilityFilters,
} from '../features/mobility/api/mobility-api';
import { InflowFormModal } from '../features/mobility/components/inflow-form-modal';
import { OrgPicker } from '../features/orgs/components/org-picker';
import { EllipsisText } from '../ui/ellipsis-text';
import { ErrorAlert } from '../ui/error-alert';
import { formatDate, orEmpty } from '../ui/format';
import { KeysetPager } from '../ui/keyset-pager';
import { useKeysetPages } from '../ui/use-keyset-pages';

interface FilterValues {
  direction?: MobilityFilters['direction'] | null;
  status?: MobilityFilters['status'] | null;
  orgId?: string | null;
  shouldTransfer?: boolean;
}

const DIRECTION_OPTIONS = MOBILITY_DIRECTIONS.map((value) => ({
  value,
  label: MOBILITY_DIRECTION_LABELS[value],
}));
const STATUS_OPTIONS = MOBILITY_STATUSES.map((value) => ({
  value,
  label: MOBILITY_STATUS_LABELS[value],
}));

/** 流动党员台账 (`/mobilities`): every episode in scope, with the "should transfer" warning. */
export function MobilitiesPage() {
  const me = useMe();
  const navigate = useNavigate();
  const canPickOrg = usePermission('org.read');
  const canWrite = usePermission('member.write');
  const [isRegisteringInflow, setRegisteringInflow] = useState(false);
  // Granted by the server once the Excel export exists (another permission than member.read).
  const canExport = (me.permissions as readonly string[]).includes('member.export');
  const [filters, setFilters] = useState<MobilityFilters>({});
  const filtersKey = JSON.stringify(filters);
  const pages = useKeysetPages(filtersKey);

  const list = useQuery(mobilityListQuery(filters, pages.cursor));
  const nextCursor = list.data?.nextCursor ?? null;
  const isFiltered = Object.values(filters).some((value) => value !== undefined);

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          流动党员台账
        </Typography.Title>
        <Space wrap>
          {canWrite && (
            <Button
              type="primary"
              icon={<ImportOutlined />}
              onClick={() => setRegisteringInflow(true)}
            >
              流入登记
            </Button>
          )}
          {canExport && (
            <Button icon={<DownloadOutlined />} href={mobilityExportUrl(filters)} download>
              导出Excel
            </Button>
          )}
        </Space>
      </Flex>
      <Card>
        <Flex vertical gap={16}>
          <Form<FilterValues>
            layout="inline"
            initialValues={{}}
            onValuesChange={(_, all) =>
              setFilters({
                direction: all.direction ?? undefined,
                status: all.status ?? undefined,
                orgId: all.orgId ?? undefined,
                shouldTransfer: all.shouldTransfer ? 'true' : undefined,
              })
            }
            style={{ rowGap: 12 }}
          >
            <Form.Item label="方向" name="direction">
              <Select
                allowClear
                placeholder="全部"
                options={DIRECTION_OPTIONS}
                style={{ width: 100 }}
              />
            </Form.Item>
            <Form.Item label="状态" name="status">
              <Select
                allowClear
                placeholder="全部"
                options={STATUS_OPTIONS}
                style={{ width: 150 }}
              />
            </Form.Item>
            {canPickOrg && (
              <Form.Item label="所属组织" name="orgId" style={{ width: 340 }}>
                <OrgPicker placeholder="全部（输入名称搜索）" />
              </Form.Item>
            )}
            <Form.Item name="shouldTransfer" valuePropName="checked">
              <Checkbox>只看应转组织关系</Checkbox>
            </Form.Item>
          </Form>
          <ErrorAlert error={list.error} />
          <Table<MobilityLedgerItem>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            pagination={false}
            tableLayout="fixed"
            scroll={{ x: 1080 }}
            locale={{ emptyText: isFiltered ? '没有符合条件的流动记录' : '暂无流动党员' }}
            onRow={(item) => ({
              onClick: () => void navigate(`/members/${item.memberId}`),
              style: { cursor: 'pointer' },
            })}
            columns={[
              {
                title: '姓名',
                dataIndex: 'memberName',
                width: 96,
                fixed: 'left',
                render: (name: string, item) => (
                  <MemberNameLink memberId={item.memberId} name={name} />
                ),
              },
              {
                title: '手机号',
                dataIndex: 'phoneMasked',
                width: 120,
                render: (value: string | null) => (
                  <span style={{ fontVariantNumeric: 'tabular-nums' }}>{orEmpty(value)}</span>
                ),
              },
              {
                title: '所属党组织',
                dataIndex: 'homeOrgName',
                width: 200,
                render: (name: string | null) => <EllipsisText>{orEmpty(name)}</EllipsisText>,
              },
              {
                title: '流入地',
                dataIndex: 'destinationName',
                render: (name: string | null, item) => (
                  <EllipsisText>{orEmpty(name ?? item.destinationRegionCode)}</EllipsisText>
                ),
              },
              {
                title: '接收党组织',
                dataIndex: 'hostOrgName',
                width: 180,
                render: (name: string | null) => <EllipsisText>{orEmpty(name)}</EllipsisText>,
              },
              {
                title: '外出日期',
                dataIndex: 'leftOn',
                width: 110,
                render: (value: string) => (
                  <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatDate(value)}</span>
                ),
              },
              {
                title: '状态',
                key: 'status',
                width: 190,
                render: (_, item) => (
                  <Flex gap={4} wrap>
                    <MobilityTag mobility={item} />
                    {item.warnings.shouldTransfer && (
                      <Tooltip title="外出时间较长且已稳定，应将组织关系转至流入地党组织">
                        <Tag color="warning" style={{ marginInlineEnd: 0 }}>
                          应转
                        </Tag>
                      </Tooltip>
                    )}
                  </Flex>
                ),
              },
            ]}
          />
          <KeysetPager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={nextCursor !== null}
            loading={list.isFetching}
            onPrev={pages.prev}
            onNext={() => nextCursor && pages.next(nextCursor)}
          />
        </Flex>
      </Card>
      {canWrite && (
        <InflowFormModal
          open={isRegisteringInflow}
          onClose={() => setRegisteringInflow(false)}
          // The new (or linked) member record: the host side now sees it (members repository).
          onRegistered={(mobility) => void navigate(`/members/${mobility.memberId}`)}
        />
      )}
    </Flex>
  );
}
