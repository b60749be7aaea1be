// Party organizations (DOMAIN.md §7; 中国共产党章程 Art. 30 and 中国共产党支部工作条例 Art. 5 for the
// committee → general branch → branch → group hierarchy).

export const ORG_KINDS = [
  'committee',
  'working_committee',
  'general_branch',
  'branch',
  'group',
  'temporary_branch',
  'mobile_party_org',
  'online_branch',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  committee: '党委',
  working_committee: '党工委',
  general_branch: '党总支',
  branch: '党支部',
  group: '党小组',
  temporary_branch: '临时党支部',
  mobile_party_org: '流动党员党组织',
  online_branch: '网上党支部',
};

export function isOrgKind(value: string): value is OrgKind {
  return (ORG_KINDS as readonly string[]).includes(value);
}

// Category codes ①–⑨ of the official statistics forms (党内统计, 基层党组织所在单位类别).
export const ORG_CATEGORIES = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export type OrgCategory = (typeof ORG_CATEGORIES)[number];

export const ORG_CATEGORY_LABELS: Record<OrgCategory, string> = {
  '1': '国有企业',
  '2': '非公有制企业',
  '3': '农村',
  '4': '党政机关',
  '5': '学校',
  '6': '其他事业单位',
  '7': '街道社区',
  '8': '社会组织',
  '9': '其他',
};

export const ORG_CATEGORY_SYMBOLS: Record<OrgCategory, string> = {
  '1': '①',
  '2': '②',
  '3': '③',
  '4': '④',
  '5': '⑤',
  '6': '⑥',
  '7': '⑦',
  '8': '⑧',
  '9': '⑨',
};

export function isOrgCategory(value: string): value is OrgCategory {
  return (ORG_CATEGORIES as readonly string[]).includes(value);
}

// The service network: center at district/county level, station at street/township, point at
// community/village (DOMAIN.md §2).
export const SERVICE_LEVELS = ['center', 'station', 'point'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

export const SERVICE_LEVEL_LABELS: Record<ServiceLevel, string> = {
  center: '党员服务中心',
  station: '党员服务站',
  point: '党员服务点',
};

export function isServiceLevel(value: string): value is ServiceLevel {
  return (SERVICE_LEVELS as readonly string[]).includes(value);
}

// Which kinds may sit directly under which. A group (党小组) is part of a branch, never of a
// committee; a general branch (党总支) leads branches only; a branch-level org leads groups only.
// A mobile party org may be set up at committee, general branch or branch level (DOMAIN.md §7),
// so it may contain the levels below a committee.
const CHILD_KINDS: Record<OrgKind, readonly OrgKind[]> = {
  committee: ORG_KINDS.filter((k) => k !== 'group'),
  working_committee: ORG_KINDS.filter((k) => k !== 'group'),
  general_branch: ['branch', 'temporary_branch', 'online_branch', 'mobile_party_org'],
  branch: ['group'],
  temporary_branch: ['group'],
  online_branch: ['group'],
  group: [],
  mobile_party_org: ['general_branch', 'branch', 'group', 'temporary_branch'],
};

export function canContain(parentKind: OrgKind, childKind: OrgKind): boolean {
  // Fails closed for a kind that slipped past validation (e.g. read from an old database row).
  return (CHILD_KINDS[parentKind] as readonly OrgKind[] | undefined)?.includes(childKind) ?? false;
}

export function allowedChildKinds(parentKind: OrgKind): readonly OrgKind[] {
  return CHILD_KINDS[parentKind] ?? [];
}

// --- materialized paths -------------------------------------------------------------------------
// Each org stores the path of ids from the root: '/a/b/c/'. "Is X inside Y's subtree" is then a
// prefix test that a B-tree index answers (path LIKE '/a/b/%'), never a recursive query. The
// trailing '/' makes '/a/' a prefix of '/a/b/' but not of '/ab/'.

const PATH_PATTERN = /^\/(?:[^/]+\/)+$/;

export function isValidPath(path: string): boolean {
  return PATH_PATTERN.test(path);
}

function assertPath(path: string, what = 'path'): void {
  if (!isValidPath(path)) throw new RangeError(`Invalid org ${what}: ${JSON.stringify(path)}`);
}

export function isValidPathId(id: string): boolean {
  return id.length > 0 && !id.includes('/');
}

export function childPath(parentPath: string | null, id: string): string {
  if (!isValidPathId(id)) throw new RangeError(`Invalid org id for a path: ${JSON.stringify(id)}`);
  if (parentPath === null) return `/${id}/`;
  assertPath(parentPath, 'parent path');
  return `${parentPath}${id}/`;
}

/**
 * True if `path` is `rootPath` or lies below it. Fails closed: a malformed path (e.g. '' which
 * would be a prefix of everything) is never within anything.
 */
export function isWithinSubtree(path: string, rootPath: string): boolean {
  return isValidPath(path) && isValidPath(rootPath) && path.startsWith(rootPath);
}

/** A node may not move under itself or under one of its descendants (that would make a cycle). */
export function canMoveUnder(nodePath: string, newParentPath: string): boolean {
  return isValidPath(nodePath) && isValidPath(newParentPath) && !newParentPath.startsWith(nodePath);
}

/** The path of a node in a moved subtree: the old prefix replaced by the new one. */
export function rebasePath(path: string, oldPrefix: string, newPrefix: string): string {
  assertPath(path);
  assertPath(oldPrefix, 'old prefix');
  assertPath(newPrefix, 'new prefix');
  if (!path.startsWith(oldPrefix)) {
    throw new RangeError(`Path ${path} is not within ${oldPrefix}`);
  }
  return newPrefix + path.slice(oldPrefix.length);
}

export function pathIds(path: string): string[] {
  assertPath(path);
  return path.slice(1, -1).split('/');
}

/** Number of ids in the path: the root '/a/' has depth 1. */
export function pathDepth(path: string): number {
  return pathIds(path).length;
}

/** The id of the node the path leads to. */
export function pathLeafId(path: string): string {
  const ids = pathIds(path);
  return ids[ids.length - 1] ?? '';
}

export function parentPathOf(path: string): string | null {
  const ids = pathIds(path);
  if (ids.length === 1) return null;
  return `/${ids.slice(0, -1).join('/')}/`;
}

/** Paths of all proper ancestors, root first: '/a/b/c/' → ['/a/', '/a/b/']. */
export function ancestorPaths(path: string): string[] {
  const ids = pathIds(path);
  return ids.slice(0, -1).map((_, i) => `/${ids.slice(0, i + 1).join('/')}/`);
}

export type PathRelation = 'self' | 'descendant' | 'ancestor' | 'unrelated';

/** How a target org relates to the org a user's scope is rooted at. */
export function relationOf(targetPath: string, scopePath: string): PathRelation {
  if (!isValidPath(targetPath) || !isValidPath(scopePath)) return 'unrelated';
  if (targetPath === scopePath) return 'self';
  if (targetPath.startsWith(scopePath)) return 'descendant';
  if (scopePath.startsWith(targetPath)) return 'ancestor';
  return 'unrelated';
}
