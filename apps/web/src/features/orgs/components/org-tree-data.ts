import type { OrgNode } from '@liudong/contracts';

/** One node of the lazily loaded org tree; `children` is absent until that level has been loaded. */
export interface OrgTreeItem {
  key: string;
  org: OrgNode;
  isLeaf: boolean;
  children?: OrgTreeItem[];
}

/**
 * Builds the tree from the scope roots and the children loaded so far. A node's children appear
 * only once they have been fetched, so the Tree knows which nodes still need `loadData`.
 */
export function buildOrgTree(
  roots: readonly OrgNode[],
  childrenOf: ReadonlyMap<string, readonly OrgNode[]>,
): OrgTreeItem[] {
  const seen = new Set<string>();
  const build = (nodes: readonly OrgNode[]): OrgTreeItem[] =>
    nodes
      // A node moved while the tree was open can briefly appear under both parents; show it once.
      .filter((org) => {
        if (seen.has(org.id)) return false;
        seen.add(org.id);
        return true;
      })
      .map((org) => {
        const loaded = childrenOf.get(org.id);
        const item: OrgTreeItem = { key: org.id, org, isLeaf: !org.hasChildren };
        if (org.hasChildren && loaded) item.children = build(loaded);
        return item;
      });
  return build(roots);
}

/** Adds ids to a list without duplicates, keeping the original order (expanded / loaded keys). */
export function addKeys(current: readonly string[], keys: readonly string[]): string[] {
  const missing = keys.filter((key) => !current.includes(key));
  return missing.length === 0 ? (current as string[]) : [...current, ...missing];
}
