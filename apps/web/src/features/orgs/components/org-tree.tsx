import { useMemo, useState } from 'react';
import { Alert, Flex, Spin, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgNode } from '@liudong/contracts';
import { orgChildrenQuery } from '../api/orgs-api';
import { DissolvedTag, OrgKindTag } from './org-kind-tag';
import { addKeys, buildOrgTree, type OrgTreeItem } from './org-tree-data';

function OrgTitle({ org }: { org: OrgNode }) {
  const isDissolved = org.dissolvedOn !== null;
  return (
    <Flex align="center" gap={6} style={{ display: 'inline-flex' }}>
      <Typography.Text
        style={isDissolved ? { color: '#bfbfbf' } : undefined}
        delete={false}
        title={org.shortName ? `${org.name}（${org.shortName}）` : org.name}
      >
        {org.name}
      </Typography.Text>
      <OrgKindTag kind={org.kind} />
      {isDissolved && <DissolvedTag />}
    </Flex>
  );
}

function toTreeData(items: OrgTreeItem[]): TreeDataNode[] {
  return items.map((item) => ({
    key: item.key,
    isLeaf: item.isLeaf,
    title: <OrgTitle org={item.org} />,
    children: item.children ? toTreeData(item.children) : undefined,
  }));
}

export interface OrgTreeProps {
  includeDissolved: boolean;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Ancestors of the selected org (root first), opened so that the selection is visible. */
  reveal?: { id: string; ancestorIds: string[] } | null;
}

/**
 * The org tree of the active scope, one level at a time. Each opened level is its own query, so an
 * invalidation of ['orgs'] after an edit reloads exactly the levels on screen.
 */
export function OrgTree({ includeDissolved, selectedId, onSelect, reveal }: OrgTreeProps) {
  const queryClient = useQueryClient();
  const [expandedKeys, setExpandedKeys] = useState<string[]>([]);
  const [requested, setRequested] = useState<string[]>([]);
  const [revealedKey, setRevealedKey] = useState<string | null>(null);

  // Open the path to a selection made elsewhere (search, link) once per selected org and place
  // (after a move the same org is revealed again under its new parent).
  const revealKey = reveal ? [reveal.id, ...reveal.ancestorIds].join('/') : null;
  if (reveal && revealKey !== revealedKey) {
    setRevealedKey(revealKey);
    setExpandedKeys((keys) => addKeys(keys, reveal.ancestorIds));
    setRequested((keys) => addKeys(keys, reveal.ancestorIds));
  }

  const root = useQuery(orgChildrenQuery(null, includeDissolved));
  const levels = useQueries({
    queries: requested.map((id) => orgChildrenQuery(id, includeDissolved)),
  });

  const { treeData, loadedKeys } = useMemo(() => {
    const childrenOf = new Map<string, OrgNode[]>();
    requested.forEach((id, index) => {
      const nodes = levels[index]?.data?.nodes;
      if (nodes) childrenOf.set(id, nodes);
    });
    return {
      treeData: toTreeData(buildOrgTree(root.data?.nodes ?? [], childrenOf)),
      loadedKeys: [...childrenOf.keys()],
    };
  }, [root.data, requested, levels]);

  // The scope root starts open: it is usually one node and its children are what people want.
  const rootIds = root.data?.nodes.map((node) => node.id) ?? [];
  const [openedRootFor, setOpenedRootFor] = useState<string | null>(null);
  const rootKey = rootIds.join(',');
  if (rootKey && rootKey !== openedRootFor) {
    setOpenedRootFor(rootKey);
    setExpandedKeys((keys) => addKeys(keys, rootIds));
    setRequested((keys) => addKeys(keys, rootIds));
  }

  if (root.isPending) {
    return (
      <Flex justify="center" style={{ padding: 24 }}>
        <Spin />
      </Flex>
    );
  }
  if (root.error) return <Alert type="error" showIcon title={root.error.message} />;

  return (
    <Tree
      blockNode
      showLine={{ showLeafIcon: false }}
      treeData={treeData}
      expandedKeys={expandedKeys}
      loadedKeys={loadedKeys}
      selectedKeys={selectedId ? [selectedId] : []}
      onExpand={(keys) => setExpandedKeys(keys.map(String))}
      onSelect={(keys) => {
        const [key] = keys;
        if (key !== undefined) onSelect(String(key));
      }}
      loadData={async (node) => {
        const id = String(node.key);
        setRequested((keys) => addKeys(keys, [id]));
        await queryClient.ensureQueryData(orgChildrenQuery(id, includeDissolved));
      }}
    />
  );
}
