import { useMemo, useState } from 'react';
import { App, Button, Card, Flex, Input, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Region } from '@liudong/contracts';
import { ErrorAlert } from '../ui/error-alert';
import { regionChildrenQuery, regionKeys, renameRegion } from '../features/regions/api/regions-api';
import { buildRegionRows, type RegionRow } from '../features/regions/components/region-rows';

const LEVEL_LABELS: Record<Region['level'], string> = {
  province: '省级',
  city: '地级',
  county: '县级',
};

/** 行政区划 (system admin): province → city → county, loaded as rows are opened; rename inline. */
export function RegionsPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [expanded, setExpanded] = useState<string[]>([]);
  const [editing, setEditing] = useState<{ code: string; name: string } | null>(null);

  const provinces = useQuery(regionChildrenQuery(null));
  const levels = useQueries({ queries: expanded.map((code) => regionChildrenQuery(code)) });
  const isLoadingLevel = levels.some((level) => level.isFetching);
  const rows = useMemo(() => {
    const childrenOf = new Map<string, Region[]>();
    expanded.forEach((code, index) => {
      const items = levels[index]?.data?.items;
      if (items) childrenOf.set(code, items);
    });
    return buildRegionRows(provinces.data?.items ?? [], childrenOf);
  }, [provinces.data, expanded, levels]);

  const rename = useMutation({
    mutationFn: ({ code, name }: { code: string; name: string }) => renameRegion(code, { name }),
    onSuccess: async (region) => {
      message.success(`已更名为「${region.name}」`);
      setEditing(null);
      await queryClient.invalidateQueries({ queryKey: regionKeys.all });
    },
    onError: (error) => message.error(error.message),
  });

  const save = () => {
    if (!editing) return;
    const name = editing.name.trim();
    if (!name) return void message.warning('名称不能为空');
    rename.mutate({ code: editing.code, name });
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        行政区划
      </Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">
          区划代码遵循 GB/T 2260
          六位代码，初始数据取自国家统计局统计用区划代码。展开行可查看下级区划；区划更名后，新录入和修改的组织将使用新名称。
        </Typography.Paragraph>
        <ErrorAlert error={provinces.error} style={{ marginBottom: 16 }} />
        <Table<RegionRow>
          rowKey="key"
          size="small"
          loading={provinces.isPending || isLoadingLevel}
          dataSource={rows}
          pagination={false}
          expandable={{
            expandedRowKeys: expanded,
            onExpand: (isOpen, row) =>
              setExpanded((keys) =>
                isOpen ? [...keys, row.key] : keys.filter((key) => key !== row.key),
              ),
            indentSize: 24,
          }}
          columns={[
            {
              title: '名称',
              key: 'name',
              render: (_, { region }) =>
                editing?.code === region.code ? (
                  <Space.Compact style={{ maxWidth: 360 }}>
                    <Input
                      autoFocus
                      aria-label={`${region.name}的新名称`}
                      value={editing.name}
                      maxLength={60}
                      onChange={(event) =>
                        setEditing({ code: region.code, name: event.target.value })
                      }
                      onPressEnter={save}
                      onKeyDown={(event) => {
                        if (event.key === 'Escape') setEditing(null);
                      }}
                    />
                    <Button type="primary" loading={rename.isPending} onClick={save}>
                      保存
                    </Button>
                    <Button onClick={() => setEditing(null)}>取消</Button>
                  </Space.Compact>
                ) : (
                  region.name
                ),
            },
            { title: '代码', key: 'code', width: 120, render: (_, { region }) => region.code },
            {
              title: '级别',
              key: 'level',
              width: 100,
              render: (_, { region }) => <Tag>{LEVEL_LABELS[region.level]}</Tag>,
            },
            {
              title: '操作',
              key: 'actions',
              width: 100,
              render: (_, { region }) => (
                <Button
                  type="link"
                  size="small"
                  icon={<EditOutlined />}
                  disabled={editing !== null}
                  onClick={() => setEditing({ code: region.code, name: region.name })}
                >
                  更名
                </Button>
              ),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
