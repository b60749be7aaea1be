import { useState } from 'react';
import {
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Result,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import { DeleteOutlined, EditOutlined, NodeIndexOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { OrgDetail } from '@liudong/contracts';
import { ORG_CATEGORY_LABELS, ORG_CATEGORY_SYMBOLS, ORG_KIND_LABELS } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { formatDate, orEmpty } from '../../../ui/format';
import { orgDetailQuery } from '../api/orgs-api';
import { DissolveOrgModal } from './dissolve-org-modal';
import { MoveOrgModal } from './move-org-modal';
import { DissolvedTag, OrgKindTag } from './org-kind-tag';
import { OrgFormDrawer, type OrgFormTarget } from './org-form-drawer';
import { ServicePointsCard } from './service-points-card';

type Dialog = 'move' | 'dissolve' | null;

function describeOrg(org: OrgDetail) {
  const items = [
    { key: 'name', label: '名称', children: org.name, span: 2 },
    { key: 'shortName', label: '简称', children: orEmpty(org.shortName) },
    { key: 'kind', label: '类型', children: ORG_KIND_LABELS[org.kind] },
    {
      key: 'category',
      label: '单位类别',
      children: org.categoryCode
        ? `${ORG_CATEGORY_SYMBOLS[org.categoryCode]} ${ORG_CATEGORY_LABELS[org.categoryCode]}`
        : '—',
    },
    {
      key: 'region',
      label: '行政区划',
      children: org.regionCode ? `${org.regionName ?? '（未知区划）'}（${org.regionCode}）` : '—',
    },
    { key: 'address', label: '地址', children: orEmpty(org.address), span: 2 },
    { key: 'secretary', label: '书记', children: orEmpty(org.secretaryName) },
    { key: 'phone', label: '联系电话', children: orEmpty(org.contactPhone) },
    { key: 'established', label: '成立日期', children: formatDate(org.establishedOn) },
    { key: 'children', label: '下级组织', children: `${org.childCount} 个` },
  ];
  if (org.dissolvedOn) {
    items.push(
      { key: 'dissolvedOn', label: '撤销日期', children: formatDate(org.dissolvedOn) },
      { key: 'dissolveReason', label: '撤销原因', children: orEmpty(org.dissolveReason) },
    );
  }
  return items;
}

/** The selected org: breadcrumb, details, service points, and the actions its abilities allow. */
export function OrgDetailPanel({
  orgId,
  onSelect,
}: {
  orgId: string;
  onSelect: (id: string) => void;
}) {
  const detail = useQuery(orgDetailQuery(orgId));
  const [formTarget, setFormTarget] = useState<OrgFormTarget | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  if (detail.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }
  if (detail.error) {
    return (
      <Card>
        {isApiError(detail.error, 'not_found') ? (
          <Result
            status="404"
            title="未找到该组织"
            subTitle="该组织不存在，或不在您当前角色的管辖范围内。"
          />
        ) : (
          <Result status="error" title="加载失败" subTitle={detail.error.message} />
        )}
      </Card>
    );
  }

  const org = detail.data;
  const { abilities } = org;
  const reload = () => void detail.refetch();

  return (
    <Flex vertical gap={16}>
      <Card>
        <Breadcrumb
          items={[...org.ancestors, { id: org.id, name: org.name }].map((node, index, all) => ({
            key: node.id,
            title:
              index < all.length - 1 ? (
                <Typography.Link onClick={() => onSelect(node.id)}>{node.name}</Typography.Link>
              ) : (
                node.name
              ),
          }))}
          style={{ fontSize: 13, marginBottom: 8 }}
        />
        <Flex justify="space-between" align="flex-start" gap={12} wrap style={{ marginBottom: 16 }}>
          <Flex align="center" gap={8} wrap style={{ minWidth: 0 }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {org.name}
            </Typography.Title>
            <OrgKindTag kind={org.kind} />
            {org.dissolvedOn && <DissolvedTag />}
          </Flex>
          <Space wrap className="no-print">
            {abilities.update && (
              <Button icon={<EditOutlined />} onClick={() => setFormTarget({ mode: 'edit', org })}>
                编辑
              </Button>
            )}
            {abilities.createChild && (
              <Button
                icon={<PlusOutlined />}
                onClick={() =>
                  setFormTarget({
                    mode: 'create',
                    parent: { id: org.id, name: org.name, kind: org.kind },
                  })
                }
              >
                新建下级组织
              </Button>
            )}
            {abilities.move && (
              <Button icon={<NodeIndexOutlined />} onClick={() => setDialog('move')}>
                调整隶属关系
              </Button>
            )}
            {abilities.dissolve && (
              <Button danger icon={<DeleteOutlined />} onClick={() => setDialog('dissolve')}>
                撤销组织
              </Button>
            )}
          </Space>
        </Flex>
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, sm: 1, md: 2 }}
          items={describeOrg(org)}
          styles={{ label: { width: 120 } }}
        />
      </Card>

      <ServicePointsCard org={org} />

      <OrgFormDrawer
        target={formTarget}
        onClose={() => setFormTarget(null)}
        onSaved={(saved) => {
          setFormTarget(null);
          if (saved.id !== org.id) onSelect(saved.id);
        }}
      />
      {abilities.move && (
        <MoveOrgModal
          org={org}
          open={dialog === 'move'}
          onClose={() => setDialog(null)}
          onReload={reload}
        />
      )}
      {abilities.dissolve && (
        <DissolveOrgModal
          org={org}
          open={dialog === 'dissolve'}
          onClose={() => setDialog(null)}
          onReload={reload}
        />
      )}
    </Flex>
  );
}

export function NoOrgSelected() {
  return (
    <Card>
      <Empty description="请在左侧组织树中选择一个组织，或输入名称搜索" style={{ padding: 48 }} />
    </Card>
  );
}
