import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Flex,
  Input,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import type { LostItem, LostRegisterItem } from '@liudong/contracts';
import { SIGN_OF_LIFE_LABELS } from '@liudong/domain';
import { activeGrant, useMe, usePermission } from '../features/auth/hooks/use-me';
import {
  LOST_PAGE_SIZE,
  lostExportUrl,
  lostListQuery,
  lostRegisterQuery,
  type RegisterFilters,
} from '../features/contacts/api/contacts-api';
import {
  ContactFormDrawer,
  type ContactTarget,
} from '../features/contacts/components/contact-form-drawer';
import { LostLevelTag, ReasonTag } from '../features/contacts/components/contact-tags';
import { LostNoteModal } from '../features/contacts/components/lost-note-modal';
import {
  LOST_TABS,
  LOST_TAB_LABELS,
  isRegisterTab,
  lostContactTarget,
  lostFilters,
  parseLostTab,
  warningPointText,
  type LostTab,
} from '../features/contacts/contact-values';
import { MemberNameLink } from '../features/members/components/member-name-link';
import { EllipsisText } from '../ui/ellipsis-text';
import { ErrorAlert } from '../ui/error-alert';
import { formatDate, orEmpty } from '../ui/format';
import { KeysetPager } from '../ui/keyset-pager';
import { useDebouncedSearch } from '../ui/use-debounced-search';
import { useKeysetPages } from '../ui/use-keyset-pages';

const TABULAR = { fontVariantNumeric: 'tabular-nums' } as const;

const TAB_TITLES: Record<LostTab, string> = {
  warning: '失联预警名单（未满6个月）',
  lost: '失去联系党员名单（满6个月）',
  found: '经查找取得联系党员登记表',
  not_found: '经查找仍然无法取得联系党员登记表',
};

// On paper the table gets the whole width: no fixed columns, no horizontal scroll.
const PRINT_CSS = `
@media print {
  .lost-contact-page .ant-table-content { overflow: visible !important; }
  .lost-contact-page .ant-table-content > table { min-width: 0 !important; width: 100% !important; }
  .lost-contact-page .ant-table-cell-fix-start,
  .lost-contact-page .ant-table-cell-fix-end,
  .lost-contact-page .ant-table-cell-fix-left,
  .lost-contact-page .ant-table-cell-fix-right { position: static !important; }
  .lost-contact-page a { color: inherit !important; }
  @page { size: A4 landscape; margin: 12mm; }
}
`;

/**
 * 失联预警 (`/lost-contact`, member.read; issue 4 §4): members past a warning point, members lost
 * for 6 months or more, and the two registers (经查找取得联系 / 经查找仍然无法取得联系). The status
 * is computed when read (DOMAIN.md §4). The tab is in the URL (`?tab=`), so that a warning
 * notification can link to it. Printable (打印 prints the current page of the current tab).
 */
export function LostContactPage() {
  const me = useMe();
  const grant = activeGrant(me);
  const canWrite = usePermission('member.write');
  const canLog = usePermission('contact.log');
  const canExport = usePermission('member.export');
  const [params, setParams] = useSearchParams();
  const tab = parseLostTab(params.get('tab'));
  const search = useDebouncedSearch(400);
  const [since, setSince] = useState<Dayjs | null>(null);
  const [noting, setNoting] = useState<LostItem | null>(null);
  const [contacting, setContacting] = useState<ContactTarget | null>(null);

  const register = isRegisterTab(tab);
  const listFilters = lostFilters(register ? 'lost' : tab, search.q);
  const registerFilters: RegisterFilters = register
    ? { kind: tab, ...(tab === 'found' && since ? { since: since.format('YYYY-MM-DD') } : {}) }
    : { kind: 'found' };
  const pages = useKeysetPages(JSON.stringify(register ? registerFilters : listFilters));
  const lost = useQuery({ ...lostListQuery(listFilters, pages.cursor), enabled: !register });
  const registers = useQuery({
    ...lostRegisterQuery(registerFilters, pages.cursor),
    enabled: register,
  });
  const active = register ? registers : lost;
  const nextCursor = active.data?.nextCursor ?? null;

  return (
    <Flex vertical gap={16} className="lost-contact-page">
      <style>{PRINT_CSS}</style>
      <Flex justify="space-between" align="center" wrap gap={8} className="no-print">
        <Typography.Title level={3} style={{ margin: 0 }}>
          失联预警
        </Typography.Title>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          打印
        </Button>
      </Flex>
      <div className="print-only">
        <Typography.Title level={4} style={{ textAlign: 'center', marginBottom: 4 }}>
          {grant?.orgName ?? ''}
          {TAB_TITLES[tab]}
        </Typography.Title>
        <Typography.Text type="secondary">
          {`统计截至 ${dayjs().format('YYYY-MM-DD')}\u3000打印人：${me.account.displayName}（${me.account.username}）\u3000第 ${pages.page} 页`}
        </Typography.Text>
      </div>
      <Alert
        className="no-print"
        type="info"
        showIcon
        title="系统只作提示，不作认定"
        description="失联状态按最近一次参加组织生活、交纳党费或联系上本人的日期自动计算（没有则自外出之日起），满3个月、5个月（可设置）时提前预警，满6个月列为失联。是否停止党籍、是否按自行脱党处理，由党支部按《中国共产党党员教育管理工作条例》第二十四条、第三十一条研究决定，系统不会自动处理。"
      />
      <Card>
        <Tabs
          className="no-print"
          activeKey={tab}
          onChange={(key) =>
            setParams(
              (current) => {
                const next = new URLSearchParams(current);
                next.set('tab', key);
                return next;
              },
              { replace: true },
            )
          }
          items={LOST_TABS.map((key) => ({ key, label: LOST_TAB_LABELS[key] }))}
        />
        <Flex vertical gap={16}>
          <Flex gap={12} wrap align="center" className="no-print">
            {!register && (
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
            )}
            {tab === 'found' && (
              <Space>
                <Typography.Text>取得联系日期自</Typography.Text>
                <DatePicker value={since} onChange={setSince} aria-label="取得联系日期自" />
              </Space>
            )}
            {canExport && (
              <Button
                icon={<DownloadOutlined />}
                href={lostExportUrl(tab, registerFilters.since)}
                download
                title="导出本组织及下级的全部名单（不按姓名筛选；不含电话和身份证号，带导出人水印）"
                style={{ marginInlineStart: 'auto' }}
              >
                导出Excel
              </Button>
            )}
          </Flex>
          <ErrorAlert error={active.error} />
          {register ? (
            <RegisterTable
              kind={tab}
              offset={(pages.page - 1) * LOST_PAGE_SIZE}
              items={registers.data?.items ?? []}
              loading={registers.isFetching}
            />
          ) : (
            <LostTable
              level={tab}
              items={lost.data?.items ?? []}
              loading={lost.isFetching}
              filtered={search.q !== ''}
              canWrite={canWrite}
              canLog={canLog}
              onNote={setNoting}
              onContact={(item) => setContacting(lostContactTarget(item))}
            />
          )}
          <KeysetPager
            className="no-print"
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={nextCursor !== null}
            loading={active.isFetching}
            onPrev={pages.prev}
            onNext={() => nextCursor && pages.next(nextCursor)}
          />
        </Flex>
      </Card>
      {canWrite && <LostNoteModal item={noting} onClose={() => setNoting(null)} />}
      {canLog && <ContactFormDrawer target={contacting} onClose={() => setContacting(null)} />}
    </Flex>
  );
}

function LostTable({
  level,
  items,
  loading,
  filtered,
  canWrite,
  canLog,
  onNote,
  onContact,
}: {
  level: 'warning' | 'lost';
  items: LostItem[];
  loading: boolean;
  filtered: boolean;
  canWrite: boolean;
  canLog: boolean;
  onNote: (item: LostItem) => void;
  onContact: (item: LostItem) => void;
}) {
  const date = (value: string | null) => <span style={TABULAR}>{formatDate(value)}</span>;
  return (
    <Table<LostItem>
      rowKey="memberId"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={false}
      tableLayout="fixed"
      scroll={{ x: 1040 }}
      locale={{
        emptyText: filtered
          ? '没有符合条件的党员'
          : level === 'warning'
            ? '没有达到预警时点的党员'
            : '没有失去联系的党员',
      }}
      columns={[
        {
          title: '姓名',
          dataIndex: 'memberName',
          width: 96,
          fixed: 'left',
          render: (name: string, item) => (
            <Flex vertical style={{ minWidth: 0 }}>
              <MemberNameLink memberId={item.memberId} name={name} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                {item.liaisonName ? `联络员 ${item.liaisonName}` : '未分配联络员'}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: '所在支部',
          dataIndex: 'orgName',
          render: (value: string) => <EllipsisText>{value}</EllipsisText>,
        },
        {
          title: '流向',
          dataIndex: 'destinationName',
          render: (value: string | null, item) => (
            <Flex vertical style={{ minWidth: 0 }}>
              <EllipsisText>{orEmpty(value)}</EllipsisText>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDate(item.leftOn)} 外出
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: '最后一次联系上',
          dataIndex: 'lastReachedOn',
          width: 124,
          render: date,
        },
        {
          title: '组织生活 / 党费',
          key: 'life',
          width: 150,
          render: (_, item) => (
            <Flex vertical style={TABULAR}>
              <span>
                <Typography.Text type="secondary">组织生活 </Typography.Text>
                {formatDate(item.lastOrgLifeOn)}
              </span>
              <span>
                <Typography.Text type="secondary">党费 </Typography.Text>
                {formatDate(item.lastDuesOn)}
              </span>
            </Flex>
          ),
        },
        {
          title: '未联系月数',
          dataIndex: 'monthsWithout',
          width: 128,
          render: (months: number, item) => (
            <Flex vertical gap={2}>
              <Space size={6} wrap>
                <Typography.Text
                  strong
                  type={item.level === 'lost' ? 'danger' : 'warning'}
                  style={TABULAR}
                >
                  {months} 个月
                </Typography.Text>
                {item.level === 'warning' && item.warningPoint ? (
                  <Tag color="warning" style={{ marginInlineEnd: 0 }}>
                    {warningPointText(item.warningPoint)}
                  </Tag>
                ) : (
                  <LostLevelTag level={item.level} />
                )}
              </Space>
              <Typography.Text
                type="secondary"
                style={{ fontSize: 12, ...TABULAR }}
                title={`最近一次：${SIGN_OF_LIFE_LABELS[item.lastSignKind]} ${formatDate(item.lastSignOn)}`}
              >
                {formatDate(item.lostOn)} {item.level === 'lost' ? '起失联' : '满6个月'}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: '查找次数',
          dataIndex: 'searchAttempts',
          width: 80,
          render: (value: number) => <span style={TABULAR}>{value}</span>,
        },
        {
          title: '原因',
          dataIndex: 'reasonCode',
          width: 150,
          render: (code: LostItem['reasonCode'], item) => (
            <Flex vertical gap={2} style={{ minWidth: 0 }}>
              <ReasonTag code={code} suggested={item.suggestedReason} />
              {item.note && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                  {item.note}
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        ...(canWrite || canLog
          ? [
              {
                title: '操作',
                key: 'actions',
                width: 88,
                fixed: 'right' as const,
                className: 'no-print',
                render: (_: unknown, item: LostItem) => (
                  <Flex vertical align="start">
                    {canLog && (
                      <Button size="small" type="link" onClick={() => onContact(item)}>
                        登记联系
                      </Button>
                    )}
                    {canWrite && (
                      <Button size="small" type="link" onClick={() => onNote(item)}>
                        登记原因
                      </Button>
                    )}
                  </Flex>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

function RegisterTable({
  kind,
  offset,
  items,
  loading,
}: {
  kind: 'found' | 'not_found';
  /** Rows on the pages before this one: 序号 runs on across pages. */
  offset: number;
  items: LostRegisterItem[];
  loading: boolean;
}) {
  return (
    <Table<LostRegisterItem>
      rowKey="memberId"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={false}
      tableLayout="fixed"
      scroll={{ x: 900 }}
      locale={{
        emptyText: kind === 'found' ? '暂无经查找取得联系的党员' : '暂无经查找仍无法取得联系的党员',
      }}
      columns={[
        {
          title: '序号',
          key: 'index',
          width: 56,
          render: (_, __, index) => offset + index + 1,
        },
        {
          title: '姓名',
          dataIndex: 'memberName',
          width: 96,
          render: (name: string, item) => <MemberNameLink memberId={item.memberId} name={name} />,
        },
        {
          title: '所在支部',
          dataIndex: 'orgName',
          render: (value: string) => <EllipsisText>{value}</EllipsisText>,
        },
        {
          title: '失联原因',
          dataIndex: 'reasonCode',
          width: 150,
          render: (code: LostRegisterItem['reasonCode']) => <ReasonTag code={code} />,
        },
        {
          title: '失联起始',
          dataIndex: 'lostSince',
          width: 110,
          render: (value: string) => <span style={TABULAR}>{formatDate(value)}</span>,
        },
        ...(kind === 'found'
          ? [
              {
                title: '取得联系日期',
                dataIndex: 'foundOn',
                width: 120,
                render: (value: string | null, item: LostRegisterItem) => (
                  <Flex vertical>
                    <span style={TABULAR}>{formatDate(value)}</span>
                    {item.foundChannel && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {item.foundChannel}
                      </Typography.Text>
                    )}
                  </Flex>
                ),
              },
            ]
          : []),
        {
          title: '查找次数',
          dataIndex: 'searchAttempts',
          width: 84,
          render: (value: number) => <span style={TABULAR}>{value}</span>,
        },
        {
          title: '查找情况',
          dataIndex: 'note',
          render: (value: string | null) => <EllipsisText>{orEmpty(value)}</EllipsisText>,
        },
      ]}
    />
  );
}
