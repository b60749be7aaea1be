import { Suspense, useState } from 'react';
import { Button, Card, Flex, Form, Input, Select, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useOutlet } from 'react-router';
import { MemberNameLink } from '../features/members/components/member-name-link';
import type { MemberSummary } from '@liudong/contracts';
import {
  GENDER_LABELS,
  MEMBERSHIPS,
  MEMBERSHIP_LABELS,
  type Gender,
  type Membership,
} from '@liudong/domain';
import { usePermission } from '../features/auth/hooks/use-me';
import { memberListQuery, type MemberFilters } from '../features/members/api/members-api';
import { MemberFormDrawer } from '../features/members/components/member-form-drawer';
import { MobilityCell } from '../features/members/components/mobility-tag';
import { OrgPicker } from '../features/orgs/components/org-picker';
import { EllipsisText } from '../ui/ellipsis-text';
import { ErrorAlert } from '../ui/error-alert';
import { KeysetPager } from '../ui/keyset-pager';
import { orEmpty } from '../ui/format';
import { PageSpin } from '../ui/page-spin';
import { useDebouncedSearch } from '../ui/use-debounced-search';
import { useKeysetPages } from '../ui/use-keyset-pages';

type FilterValues = Omit<MemberFilters, 'q'>;

const MEMBERSHIP_OPTIONS = MEMBERSHIPS.map((value) => ({
  value,
  label: MEMBERSHIP_LABELS[value],
}));
const MOBILITY_OPTIONS: { value: NonNullable<MemberFilters['mobility']>; label: string }[] = [
  { value: 'outflow', label: '流出在外' },
  { value: 'inflow', label: '流入' },
  { value: 'none', label: '未流动' },
];
const SORT_OPTIONS: { value: MemberFilters['sort']; label: string }[] = [
  { value: 'name', label: '按姓名' },
  { value: 'joinedOn', label: '按入党时间' },
];

/**
 * 党员管理 (`/members`) and, as a child route, one member (`/members/:id`). The list stays mounted
 * (hidden) while a member is open, so that coming back finds the same search, filters and page —
 * without ever putting the search text (it may be an ID number or a phone) into the URL.
 */
export function MembersPage() {
  const outlet = useOutlet();
  const showsMember = outlet !== null;
  // Opened straight at /members/:id: the list is built only once it is first shown.
  const [hasShownList, setHasShownList] = useState(!showsMember);
  if (!showsMember && !hasShownList) setHasShownList(true);

  return (
    <>
      {hasShownList && (
        <div hidden={showsMember}>
          <MemberList />
        </div>
      )}
      {showsMember && <Suspense fallback={<PageSpin />}>{outlet}</Suspense>}
    </>
  );
}

function MemberList() {
  const navigate = useNavigate();
  const canWrite = usePermission('member.write');
  const canPickOrg = usePermission('org.read');
  const search = useDebouncedSearch(400);
  const [filterValues, setFilterValues] = useState<FilterValues>({ sort: 'name' });
  const [isCreateOpen, setCreateOpen] = useState(false);

  const filters: MemberFilters = { ...filterValues, q: search.q || undefined };
  const filtersKey = JSON.stringify(filters);
  const pages = useKeysetPages(filtersKey);

  const list = useQuery(memberListQuery(filters, pages.cursor));
  const nextCursor = list.data?.nextCursor ?? null;
  const isFiltered =
    filters.q !== undefined ||
    filters.orgId !== undefined ||
    filters.membership !== undefined ||
    filters.mobility !== undefined;

  const open = (member: MemberSummary) => void navigate(`/members/${member.id}`);

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          党员管理
        </Typography.Title>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreateOpen(true)}>
            新建党员
          </Button>
        )}
      </Flex>
      <Card>
        <Flex vertical gap={16}>
          <Flex gap={12} wrap align="center">
            <Input.Search
              allowClear
              placeholder="姓名、拼音或首字母、身份证号、手机号"
              aria-label="搜索党员"
              enterButton="搜索"
              maxLength={50}
              autoComplete="off"
              style={{ maxWidth: 420 }}
              value={search.text}
              onChange={(event) => search.setText(event.target.value)}
              onSearch={(value) => search.searchNow(value)}
            />
          </Flex>
          <Form<FilterValues>
            layout="inline"
            initialValues={filterValues}
            onValuesChange={(_, all) =>
              setFilterValues({
                orgId: all.orgId ?? undefined,
                membership: all.membership ?? undefined,
                mobility: all.mobility ?? undefined,
                sort: all.sort ?? 'name',
              })
            }
            style={{ rowGap: 12 }}
          >
            {canPickOrg && (
              <Form.Item label="所属组织" name="orgId" style={{ width: 340 }}>
                <OrgPicker placeholder="全部（输入名称搜索）" />
              </Form.Item>
            )}
            <Form.Item label="党员类别" name="membership">
              <Select
                allowClear
                placeholder="全部"
                options={MEMBERSHIP_OPTIONS}
                style={{ width: 120 }}
              />
            </Form.Item>
            <Form.Item label="流动状态" name="mobility">
              <Select
                allowClear
                placeholder="全部"
                options={MOBILITY_OPTIONS}
                style={{ width: 120 }}
              />
            </Form.Item>
            <Form.Item label="排序" name="sort">
              <Select options={SORT_OPTIONS} style={{ width: 120 }} />
            </Form.Item>
          </Form>
          <ErrorAlert error={list.error} />
          <Table<MemberSummary>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            pagination={false}
            tableLayout="fixed"
            // Fits the content width at 1440 px; narrower windows scroll, with 姓名 pinned.
            scroll={{ x: 1080 }}
            locale={{ emptyText: isFiltered ? '没有符合条件的党员' : '暂无党员' }}
            onRow={(member) => ({
              onClick: () => open(member),
              style: { cursor: 'pointer' },
            })}
            columns={[
              {
                title: '姓名',
                dataIndex: 'name',
                width: 96,
                fixed: 'left',
                render: (name: string, member) => (
                  <MemberNameLink memberId={member.id} name={name} />
                ),
              },
              {
                title: '性别',
                dataIndex: 'gender',
                width: 56,
                render: (gender: Gender) => GENDER_LABELS[gender],
              },
              {
                title: '年龄',
                dataIndex: 'age',
                width: 64,
                render: (age: number | null) => (age === null ? '—' : `${age}`),
              },
              {
                title: '所属党组织',
                dataIndex: 'orgName',
                width: 180,
                render: (name: string | null) => <EllipsisText>{orEmpty(name)}</EllipsisText>,
              },
              {
                title: '党员类别',
                dataIndex: 'membership',
                width: 88,
                render: (membership: Membership) => MEMBERSHIP_LABELS[membership],
              },
              {
                title: '身份证号',
                dataIndex: 'idNumberMasked',
                width: 176,
                render: (value: string | null) => (
                  <span style={{ fontVariantNumeric: 'tabular-nums' }}>{orEmpty(value)}</span>
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
                // No width: the mobility takes what is left.
                title: '流动情况',
                dataIndex: 'openMobility',
                render: (mobility: MemberSummary['openMobility']) => (
                  <MobilityCell mobility={mobility} />
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
        <MemberFormDrawer
          target={isCreateOpen ? { mode: 'create' } : null}
          onClose={() => setCreateOpen(false)}
          onSaved={(member) => {
            setCreateOpen(false);
            void navigate(`/members/${member.id}`);
          }}
        />
      )}
    </Flex>
  );
}
