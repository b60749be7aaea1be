import { useMemo, useState } from 'react';
import { Alert, Flex, Spin, Tree, Typography } from 'antd';
import type { TreeDataNode, TreeProps } from 'antd';
import { MinusSquareOutlined, PlusSquareOutlined } from '@ant-design/icons';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgNode } from '@liudong/contracts';
import { ORG_KIND_LABELS } from '@liudong/domain';
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

/** The treeitem's name: the org, its kind and whether it is dissolved (not the toggle's label). */
function treeItemLabel(org: OrgNode): string {
  return [org.name, ORG_KIND_LABELS[org.kind], org.dissolvedOn ? '已撤销' : '']
    .filter(Boolean)
    .join(' ');
}

function toTreeData(items: OrgTreeItem[]): TreeDataNode[] {
  return items.map((item) => ({
    key: item.key,
    // Spread onto the treeitem by rc-tree.
    'aria-label': treeItemLabel(item.org),
    isLeaf: item.isLeaf,
    title: <OrgTitle org={item.org} />,
    children: item.children ? toTreeData(item.children) : undefined,
  }));
}

function collectNames(items: OrgTreeItem[], into = new Map<string, string>()) {
  for (const item of items) {
    into.set(item.key, item.org.name);
    if (item.children) collectNames(item.children, into);
  }
  return into;
}

/**
 * antd's expand/collapse toggles have no accessible name; these say 展开 / 收起 and which org
 * (the same icons as antd's `showLine` tree, and still inside `.ant-tree-switcher`). With the
 * keyboard, the arrow keys open and close the focused node.
 */
function switcherIconFor(names: ReadonlyMap<string, string>): TreeProps['switcherIcon'] {
  return ({ expanded, eventKey }) => {
    const name = names.get(String(eventKey)) ?? '';
    return expanded ? (
      <MinusSquareOutlined role="button" aria-label={`收起 ${name}`.trim()} />
    ) : (
      <PlusSquareOutlined role="button" aria-label={`展开 ${name}`.trim()} />
    );
  };
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

  const { treeData, loadedKeys, switcherIcon } = useMemo(() => {
    const childrenOf = new Map<string, OrgNode[]>();
    requested.forEach((id, index) => {
      const nodes = levels[index]?.data?.nodes;
      if (nodes) childrenOf.set(id, nodes);
    });
    const items = buildOrgTree(root.data?.nodes ?? [], childrenOf);
    return {
      treeData: toTreeData(items),
      loadedKeys: [...childrenOf.keys()],
      switcherIcon: switcherIconFor(collectNames(items)),
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
      switcherIcon={switcherIcon}
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
