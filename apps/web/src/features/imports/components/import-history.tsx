import { useState } from 'react';
import { Button, Flex, Select, Table, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import {
  IMPORT_KINDS,
  IMPORT_KIND_LABELS,
  type ImportBatch,
  type ImportKind,
} from '@liudong/contracts';
import { EllipsisText } from '../../../ui/ellipsis-text';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDateTime, formatDateTimeMinutes, orEmpty } from '../../../ui/format';
import { KeysetPager } from '../../../ui/keyset-pager';
import { useKeysetPages } from '../../../ui/use-keyset-pages';
import { importListQuery } from '../api/imports-api';
import { batchCountsText } from './import-labels';
import { ImportStatusTag } from './import-status-tag';
import { UndoImportModal } from './undo-import-modal';

const KIND_OPTIONS = IMPORT_KINDS.map((value) => ({ value, label: IMPORT_KIND_LABELS[value] }));

/** 导入记录: the batches in scope, newest first, with 撤销导入 where the server allows it. */
export function ImportHistory() {
  const [kind, setKind] = useState<ImportKind | undefined>(undefined);
  const pages = useKeysetPages(kind ?? '');
  const list = useQuery(importListQuery(kind, pages.cursor));
  const nextCursor = list.data?.nextCursor ?? null;
  const [undoing, setUndoing] = useState<ImportBatch | null>(null);

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={8}>
        <label htmlFor="import-history-kind">类型：</label>
        <Select<ImportKind | undefined>
          id="import-history-kind"
          allowClear
          placeholder="全部"
          value={kind}
          options={KIND_OPTIONS}
          onChange={(value) => setKind(value ?? undefined)}
          style={{ width: 160 }}
        />
      </Flex>
      <ErrorAlert error={list.error} />
      <Table<ImportBatch>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1100 }}
        locale={{ emptyText: '暂无导入记录' }}
        columns={[
          {
            title: '时间',
            key: 'time',
            width: 140,
            render: (_, batch) => {
              const at = batch.committedAt ?? batch.createdAt;
              return (
                <Tooltip title={formatDateTime(at)}>
                  <span style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {formatDateTimeMinutes(at)}
                  </span>
                </Tooltip>
              );
            },
          },
          {
            // No width: the file name, which tells the batches apart, takes what is left.
            title: '文件',
            dataIndex: 'fileName',
            render: (name: string) => <EllipsisText>{name}</EllipsisText>,
          },
          {
            title: '类型',
            dataIndex: 'kind',
            width: 104,
            render: (value: ImportKind) => IMPORT_KIND_LABELS[value],
          },
          {
            title: '组织',
            dataIndex: 'orgName',
            width: 144,
            render: (name: string | null) => <EllipsisText>{orEmpty(name)}</EllipsisText>,
          },
          {
            title: '操作人',
            dataIndex: 'createdBy',
            width: 88,
            render: (name: string | null) => <EllipsisText>{orEmpty(name)}</EllipsisText>,
          },
          {
            title: '导入结果',
            key: 'counts',
            width: 224,
            render: (_, batch) =>
              batch.committedAt ? (
                <Typography.Text>
                  {batchCountsText(batch)}
                  <Typography.Text type="secondary">（共 {batch.totalRows} 行）</Typography.Text>
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary">共 {batch.totalRows} 行，未导入</Typography.Text>
              ),
          },
          {
            title: '状态',
            key: 'status',
            width: 80,
            render: (_, batch) => <ImportStatusTag batch={batch} />,
          },
          {
            title: '操作',
            key: 'actions',
            width: 104,
            fixed: 'right',
            render: (_, batch) =>
              batch.abilities.undo ? (
                <Button type="link" size="small" danger onClick={() => setUndoing(batch)}>
                  撤销导入
                </Button>
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
      <UndoImportModal batch={undoing} onClose={() => setUndoing(null)} />
    </Flex>
  );
}
