import { useState } from 'react';
import { Button, Card, Flex, Input, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Liaison } from '@liudong/contracts';
import { usePermission } from '../features/auth/hooks/use-me';
import { liaisonListQuery, type LiaisonFilters } from '../features/contacts/api/contacts-api';
import { BulkAssignPanel } from '../features/contacts/components/bulk-assign-panel';
import { ContactSettingsButton } from '../features/contacts/components/contact-settings-modal';
import {
  CreateLiaisonModal,
  EditLiaisonModal,
  RetireLiaisonModal,
} from '../features/contacts/components/liaison-modals';
import { EllipsisText } from '../ui/ellipsis-text';
import { ErrorAlert } from '../ui/error-alert';
import { formatDate, orEmpty } from '../ui/format';
import { KeysetPager } from '../ui/keyset-pager';
import { useDebouncedSearch } from '../ui/use-debounced-search';
import { useKeysetPages } from '../ui/use-keyset-pages';

/**
 * 联络员与三定 (`/liaisons`, liaison.assign; issue 4 §1): the liaisons of the scope, 一键分配 of
 * the members without one, and 调离并移交 when a liaison leaves. The default intervals and
 * warning points are set here too (contact.configure).
 */
export function LiaisonsPage() {
  const canConfigure = usePermission('contact.configure');
  const search = useDebouncedSearch(400);
  const [includeInactive, setIncludeInactive] = useState(false);
  const [isCreating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Liaison | null>(null);
  const [retiring, setRetiring] = useState<Liaison | null>(null);

  const filters: LiaisonFilters = {};
  if (search.q) filters.q = search.q;
  if (includeInactive) filters.includeInactive = 'true';
  const pages = useKeysetPages(JSON.stringify(filters));
  const list = useQuery(liaisonListQuery(filters, pages.cursor));
  const items = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor ?? null;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          联络员与三定
        </Typography.Title>
        <Space wrap>
          {canConfigure && <ContactSettingsButton />}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新增联络员
          </Button>
        </Space>
      </Flex>
      <Typography.Text type="secondary">
        为每名流出党员明确联络员（定人）、联系周期（定时）和联系职责（定责）。
      </Typography.Text>

      <BulkAssignPanel />

      <Card title="联络员">
        <Flex vertical gap={16}>
          <Flex gap={16} wrap align="center">
            <Input.Search
              allowClear
              placeholder="姓名或账号"
              aria-label="搜索联络员"
              enterButton="搜索"
              maxLength={40}
              autoComplete="off"
              style={{ maxWidth: 320 }}
              value={search.text}
              onChange={(event) => search.setText(event.target.value)}
              onSearch={(value) => search.searchNow(value)}
            />
            <Space>
              <Switch
                size="small"
                checked={includeInactive}
                onChange={setIncludeInactive}
                aria-label="显示已调离的联络员"
              />
              <Typography.Text>显示已调离</Typography.Text>
            </Space>
          </Flex>
          <ErrorAlert error={list.error} />
          <Table<Liaison>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={items}
            pagination={false}
            tableLayout="fixed"
            scroll={{ x: 900 }}
            locale={{
              emptyText: search.q ? '没有符合条件的联络员' : '还没有联络员，请先新增联络员',
            }}
            columns={[
              {
                title: '姓名',
                dataIndex: 'name',
                width: 110,
                render: (value: string) => <EllipsisText>{value}</EllipsisText>,
              },
              {
                title: '账号',
                dataIndex: 'username',
                width: 120,
                render: (value: string | null) =>
                  value ?? <Typography.Text type="secondary">无账号</Typography.Text>,
              },
              {
                title: '职务',
                dataIndex: 'title',
                render: (value: string | null) => <EllipsisText>{orEmpty(value)}</EllipsisText>,
              },
              {
                title: '所在组织',
                dataIndex: 'orgName',
                render: (value: string) => <EllipsisText>{value}</EllipsisText>,
              },
              {
                title: '手机',
                dataIndex: 'phoneMasked',
                width: 130,
                render: (value: string | null) => orEmpty(value),
              },
              {
                title: '负责人数',
                dataIndex: 'memberCount',
                width: 96,
                render: (value: number, liaison) =>
                  value > 0 ? (
                    <Link
                      to={`/contacts?view=org&bucket=all&liaisonId=${encodeURIComponent(liaison.id)}`}
                    >
                      {value} 人
                    </Link>
                  ) : (
                    '0 人'
                  ),
              },
              {
                title: '状态',
                dataIndex: 'active',
                width: 140,
                render: (active: boolean, liaison) =>
                  active ? (
                    <Tag color="success">在岗</Tag>
                  ) : (
                    <Tag>已调离 {formatDate(liaison.leftOn)}</Tag>
                  ),
              },
              {
                title: '操作',
                key: 'actions',
                width: 160,
                fixed: 'right',
                render: (_, liaison) =>
                  liaison.active ? (
                    <Space size={0}>
                      <Button size="small" type="link" onClick={() => setEditing(liaison)}>
                        编辑
                      </Button>
                      <Button size="small" type="link" danger onClick={() => setRetiring(liaison)}>
                        调离并移交
                      </Button>
                    </Space>
                  ) : null,
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
      <CreateLiaisonModal open={isCreating} onClose={() => setCreating(false)} />
      <EditLiaisonModal liaison={editing} onClose={() => setEditing(null)} />
      <RetireLiaisonModal liaison={retiring} onClose={() => setRetiring(null)} />
    </Flex>
  );
}
