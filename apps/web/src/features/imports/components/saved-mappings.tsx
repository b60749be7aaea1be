import { useState } from 'react';
import { App, Button, Flex, Popover, Radio, Table, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  IMPORT_KINDS,
  IMPORT_KIND_LABELS,
  type ImportKind,
  type ImportMapping,
} from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDateTimeMinutes } from '../../../ui/format';
import { deleteImportMapping, importKeys, importMappingsQuery } from '../api/imports-api';
import { SHEET_FIELD_LABELS } from './import-labels';

const KIND_OPTIONS = IMPORT_KINDS.map((value) => ({ value, label: IMPORT_KIND_LABELS[value] }));

/** 列对应关系: the saved header mappings of one kind, to look at and delete. */
export function SavedMappings() {
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ImportKind>('members');
  const list = useQuery(importMappingsQuery(kind));

  const remove = useMutation({
    mutationFn: (mapping: ImportMapping) => deleteImportMapping(mapping.id),
    onSuccess: async (_, mapping) => {
      message.success(`已删除「${mapping.name}」`);
      await queryClient.invalidateQueries({ queryKey: importKeys.mappings });
    },
  });

  const confirmDelete = (mapping: ImportMapping) =>
    modal.confirm({
      title: `删除列对应关系「${mapping.name}」？`,
      content: '删除后，导入同样列标题的表格时不再自动套用，需重新核对各列。已完成的导入不受影响。',
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => remove.mutateAsync(mapping).catch(() => undefined),
    });

  return (
    <Flex vertical gap={16}>
      <Radio.Group
        optionType="button"
        options={KIND_OPTIONS}
        value={kind}
        onChange={(event) => setKind(event.target.value as ImportKind)}
      />
      <Typography.Text type="secondary">
        在“核对列”一步勾选“保存列对应关系”即可保存；以后导入列标题相同的表格时自动套用。
      </Typography.Text>
      <ErrorAlert error={list.error ?? remove.error} />
      <Table<ImportMapping>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        tableLayout="fixed"
        locale={{ emptyText: '暂无保存的列对应关系' }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          {
            title: '列',
            key: 'columns',
            width: 140,
            render: (_, mapping) => (
              <Popover
                trigger={['hover', 'focus']}
                title="表格中的标题 → 字段"
                content={
                  <Flex vertical gap={2} style={{ maxHeight: 320, overflow: 'auto' }}>
                    {mapping.columns.map((column) => (
                      <span key={`${column.title}:${column.field}`}>
                        {column.title} → {SHEET_FIELD_LABELS[column.field]}
                      </span>
                    ))}
                  </Flex>
                }
              >
                <Button type="link" size="small" style={{ paddingInline: 0 }}>
                  {mapping.columns.length} 列
                </Button>
              </Popover>
            ),
          },
          {
            title: '保存时间',
            dataIndex: 'createdAt',
            width: 160,
            render: (value: string) => formatDateTimeMinutes(value),
          },
          {
            title: '操作',
            key: 'actions',
            width: 80,
            render: (_, mapping) => (
              <Button type="link" size="small" danger onClick={() => confirmDelete(mapping)}>
                删除
              </Button>
            ),
          },
        ]}
      />
    </Flex>
  );
}
