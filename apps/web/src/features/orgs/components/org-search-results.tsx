import { Alert, Empty, Flex, Spin, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { orgSearchQuery } from '../api/orgs-api';
import { DissolvedTag, OrgKindTag } from './org-kind-tag';

/** Search hits by name or short name, each with where it sits in the tree. */
export function OrgSearchResults({
  q,
  includeDissolved,
  selectedId,
  onSelect,
}: {
  q: string;
  includeDissolved: boolean;
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const search = useQuery(orgSearchQuery(q, includeDissolved));
  if (search.isPending) {
    return (
      <Flex justify="center" style={{ padding: 24 }}>
        <Spin />
      </Flex>
    );
  }
  if (search.error) return <Alert type="error" showIcon title={search.error.message} />;
  const { items, nextCursor } = search.data;
  if (items.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未找到匹配的组织" />;
  }
  return (
    <div role="listbox" aria-label="组织搜索结果">
      {items.map((org) => {
        const isSelected = org.id === selectedId;
        return (
          <div
            key={org.id}
            role="option"
            aria-selected={isSelected}
            tabIndex={0}
            onClick={() => onSelect(org.id)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                onSelect(org.id);
              }
            }}
            style={{
              padding: '8px 10px',
              borderRadius: 4,
              cursor: 'pointer',
              background: isSelected ? '#fff1f0' : undefined,
              borderBottom: '1px solid #f5f5f5',
            }}
          >
            <Flex align="center" gap={6}>
              <Typography.Text
                strong
                style={org.dissolvedOn ? { color: '#bfbfbf' } : undefined}
                ellipsis
              >
                {org.name}
              </Typography.Text>
              <OrgKindTag kind={org.kind} />
              {org.dissolvedOn && <DissolvedTag />}
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {org.pathNames.length > 0 ? org.pathNames.join(' / ') : '（管辖范围顶层）'}
            </Typography.Text>
          </div>
        );
      })}
      {nextCursor && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, padding: 8, margin: 0 }}>
          仅显示前 {items.length} 条结果，请输入更完整的名称缩小范围。
        </Typography.Paragraph>
      )}
    </div>
  );
}
