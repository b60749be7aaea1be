import { describe, expect, it } from 'vitest';
import type { OrgNode } from '@liudong/contracts';
import { addKeys, buildOrgTree } from './org-tree-data';

function org(id: string, parentId: string | null, hasChildren: boolean): OrgNode {
  return {
    id,
    parentId,
    name: `组织${id}`,
    shortName: null,
    kind: 'branch' as OrgNode['kind'],
    depth: parentId ? 1 : 0,
    hasChildren,
    dissolvedOn: null,
    abilities: {
      update: false,
      createChild: false,
      move: false,
      dissolve: false,
      manageServicePoints: false,
    },
  };
}

describe('buildOrgTree', () => {
  it('leaves unloaded levels without children so that the Tree loads them on demand', () => {
    const tree = buildOrgTree([org('root', null, true)], new Map());
    expect(tree).toEqual([{ key: 'root', org: org('root', null, true), isLeaf: false }]);
  });

  it('nests loaded children and marks nodes without children as leaves', () => {
    const childrenOf = new Map([
      ['root', [org('a', 'root', true), org('b', 'root', false)]],
      ['a', [org('a1', 'a', false)]],
    ]);
    const [root] = buildOrgTree([org('root', null, true)], childrenOf);
    expect(root?.children?.map((c) => [c.key, c.isLeaf])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(root?.children?.[0]?.children?.map((c) => c.key)).toEqual(['a1']);
    expect(root?.children?.[1]?.children).toBeUndefined();
  });

  it('ignores loaded children of a node that no longer has any', () => {
    const childrenOf = new Map([['root', [org('a', 'root', false)]]]);
    expect(buildOrgTree([org('root', null, false)], childrenOf)[0]?.children).toBeUndefined();
  });

  it('shows a node only once even if two loaded levels contain it', () => {
    const childrenOf = new Map([
      ['root', [org('a', 'root', true), org('b', 'root', true)]],
      ['a', [org('x', 'a', false)]],
      ['b', [org('x', 'b', false)]],
    ]);
    const [root] = buildOrgTree([org('root', null, true)], childrenOf);
    const keys = JSON.stringify(root).match(/"key":"x"/g) ?? [];
    expect(keys).toHaveLength(1);
  });
});

describe('addKeys', () => {
  it('appends only missing keys and returns the same array when nothing is new', () => {
    const current = ['a', 'b'];
    expect(addKeys(current, ['b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(addKeys(current, ['a'])).toBe(current);
  });
});
