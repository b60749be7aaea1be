import { useState } from 'react';
import { Badge, Button, Card, Flex, Grid, Input, Segmented, Tabs, Tag, Typography } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { QueueItem } from '@liudong/contracts';
import { activeGrant, useMe, usePermission } from '../features/auth/hooks/use-me';
import {
  queueQuery,
  queueSummaryQuery,
  type QueueTab,
  type QueueView,
} from '../features/contacts/api/contacts-api';
import { AssignLiaisonModal } from '../features/contacts/components/assign-liaison-modal';
import {
  ContactFormDrawer,
  type ContactTarget,
} from '../features/contacts/components/contact-form-drawer';
import { QueueCards, QueueTable } from '../features/contacts/components/queue-list';
import { QueueSummaryCards } from '../features/contacts/components/queue-summary-cards';
import {
  QUEUE_TAB_LABELS,
  QUEUE_VIEW_LABELS,
  parseQueueTab,
  parseQueueView,
  queueFilters,
  queueTabsFor,
} from '../features/contacts/contact-values';
import { ErrorAlert } from '../ui/error-alert';
import { KeysetPager } from '../ui/keyset-pager';
import { useDebouncedSearch } from '../ui/use-debounced-search';
import { useKeysetPages } from '../ui/use-keyset-pages';

const EMPTY_TEXT: Record<QueueTab, string> = {
  overdue: '没有逾期未联系的党员',
  week: '本周没有到期的联系',
  all: '暂无流出党员',
  unassigned: '所有流出党员都已分配联络员',
};

/**
 * 联系工作 (`/contacts`, issue 4 §3, §7): the members to contact, most overdue first. The tab
 * (`?bucket=overdue|week|all|unassigned`, the reminders link to `?bucket=overdue`), the view
 * (`?view=mine|org`) and a liaison filter (`?liaisonId=` from 联络员与三定) live in the URL; a
 * liaison starts on 我负责的, an officer on 本组织全部. 登记联系 opens the contact form, which
 * goes on to the next member of this list (保存并登记下一位).
 */
export function ContactsPage() {
  const me = useMe();
  const role = activeGrant(me)?.role ?? null;
  const canLog = usePermission('contact.log');
  const canAssign = usePermission('liaison.assign');
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const view = parseQueueView(params.get('view'), role);
  const tabs = queueTabsFor(view);
  const requestedTab = parseQueueTab(params.get('bucket'));
  const tab = tabs.includes(requestedTab) ? requestedTab : 'overdue';
  const liaisonId = params.get('liaisonId');
  const search = useDebouncedSearch(400);
  const [target, setTarget] = useState<ContactTarget | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [isAssigning, setAssigning] = useState(false);

  const filters = queueFilters(tab, view, { q: search.q, liaisonId });
  const pages = useKeysetPages(JSON.stringify(filters));
  const list = useQuery(queueQuery(filters, pages.cursor));
  const summary = useQuery(queueSummaryQuery(view));
  const items = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor ?? null;
  const selectable = tab === 'unassigned' && canAssign;

  const setParam = (key: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const openTab = (next: QueueTab) => {
    setSelected([]);
    setParam('bucket', next);
  };

  const counts: Partial<Record<QueueTab, number>> = {
    overdue: summary.data?.overdue,
    week: summary.data?.week,
    unassigned: summary.data?.unassigned,
  };
  const liaisonName = liaisonId
    ? (items.find((item) => item.liaisonId === liaisonId)?.liaisonName ?? '（指定联络员）')
    : null;
  const listProps = {
    items,
    loading: list.isFetching,
    emptyText: search.q || liaisonId ? '没有符合条件的党员' : EMPTY_TEXT[tab],
    selectable,
    selectedIds: selected,
    onSelect: setSelected,
    canLog,
    onLog: (item: QueueItem) => setTarget(item),
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          联系工作
        </Typography.Title>
        <Segmented<QueueView>
          aria-label="查看范围"
          value={view}
          onChange={(next) => {
            setSelected([]);
            setParam('view', next);
          }}
          options={(['mine', 'org'] as const).map((value) => ({
            value,
            label: QUEUE_VIEW_LABELS[value],
          }))}
        />
      </Flex>
      <ErrorAlert error={summary.error} />
      <QueueSummaryCards
        summary={summary.data}
        view={view}
        loading={summary.isFetching}
        onOpenTab={openTab}
      />
      <Card styles={screens.md ? undefined : { body: { padding: 12 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => openTab(key as QueueTab)}
          items={tabs.map((key) => ({
            key,
            label:
              counts[key] !== undefined ? (
                <Flex align="center" gap={6}>
                  {QUEUE_TAB_LABELS[key]}
                  <Badge
                    count={counts[key]}
                    size="small"
                    overflowCount={999}
                    color={key === 'week' ? '#faad14' : undefined}
                  />
                </Flex>
              ) : (
                QUEUE_TAB_LABELS[key]
              ),
          }))}
        />
        <Flex vertical gap={16}>
          <Flex gap={12} wrap align="center">
            <Input.Search
              allowClear
              placeholder="党员姓名、拼音或首字母"
              aria-label="搜索党员"
              enterButton="搜索"
              maxLength={40}
              autoComplete="off"
              style={{ maxWidth: 360 }}
              value={search.text}
              onChange={(event) => search.setText(event.target.value)}
              onSearch={(value) => search.searchNow(value)}
            />
            {liaisonId && (
              <Tag
                closable
                onClose={() => setParam('liaisonId', null)}
                style={{ marginInlineEnd: 0 }}
              >
                只看联络员：{liaisonName}
              </Tag>
            )}
            {selectable && (
              <Flex gap={8} align="center" wrap>
                <Button
                  type="primary"
                  icon={<UserAddOutlined />}
                  disabled={selected.length === 0}
                  onClick={() => setAssigning(true)}
                >
                  分配联络员{selected.length > 0 ? `（${selected.length} 人）` : ''}
                </Button>
                <Typography.Text type="secondary">
                  勾选党员后分配；整个组织一次分配请到
                  <Link to="/liaisons">联络员与三定</Link>
                </Typography.Text>
              </Flex>
            )}
          </Flex>
          <ErrorAlert error={list.error} />
          {screens.md ? <QueueTable {...listProps} /> : <QueueCards {...listProps} />}
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
      <ContactFormDrawer target={target} queue={items} onClose={() => setTarget(null)} />
      {canAssign && (
        <AssignLiaisonModal
          memberIds={selected}
          title={`分配联络员 · 已选 ${selected.length} 名党员`}
          open={isAssigning}
          onClose={() => setAssigning(false)}
          onDone={() => setSelected([])}
        />
      )}
    </Flex>
  );
}
