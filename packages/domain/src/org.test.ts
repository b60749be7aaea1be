import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  ORG_CATEGORIES,
  ORG_CATEGORY_LABELS,
  ORG_CATEGORY_SYMBOLS,
  ORG_KINDS,
  ORG_KIND_LABELS,
  SERVICE_LEVELS,
  SERVICE_LEVEL_LABELS,
  allowedChildKinds,
  ancestorPaths,
  canContain,
  canMoveUnder,
  childPath,
  isOrgCategory,
  isOrgKind,
  isServiceLevel,
  isValidPath,
  isWithinSubtree,
  parentPathOf,
  pathDepth,
  pathIds,
  pathLeafId,
  rebasePath,
  relationOf,
} from './org';
import type { OrgKind } from './org';

describe('labels', () => {
  const distinctChinese = (labels: string[]) => {
    expect(new Set(labels).size).toBe(labels.length);
    for (const l of labels) expect(l).toMatch(/^[\u4e00-\u9fff]+$/);
  };

  it('has a distinct Chinese label for every kind, category and service level', () => {
    distinctChinese(ORG_KINDS.map((k) => ORG_KIND_LABELS[k]));
    distinctChinese(ORG_CATEGORIES.map((c) => ORG_CATEGORY_LABELS[c]));
    distinctChinese(SERVICE_LEVELS.map((l) => SERVICE_LEVEL_LABELS[l]));
    expect(ORG_KIND_LABELS.online_branch.endsWith(ORG_KIND_LABELS.branch)).toBe(true);
  });

  it('numbers the categories ①–⑨ as on the official forms', () => {
    ORG_CATEGORIES.forEach((c, i) => {
      expect(ORG_CATEGORY_SYMBOLS[c]).toBe(String.fromCodePoint(0x2460 + i));
      expect(Number(c)).toBe(i + 1);
    });
  });

  it('recognizes its own values only', () => {
    expect(ORG_KINDS.every(isOrgKind)).toBe(true);
    expect(isOrgKind('party')).toBe(false);
    expect(ORG_CATEGORIES.every(isOrgCategory)).toBe(true);
    expect(isOrgCategory('0')).toBe(false);
    expect(isOrgCategory('10')).toBe(false);
    expect(SERVICE_LEVELS.every(isServiceLevel)).toBe(true);
    expect(isServiceLevel('office')).toBe(false);
  });
});

describe('canContain', () => {
  // Rows: parent, columns: child, both in ORG_KINDS order (committee, working_committee,
  // general_branch, branch, group, temporary_branch, mobile_party_org, online_branch).
  const MATRIX = [
    '11110111', // committee: anything but a group
    '11110111', // working_committee: the same
    '00010111', // general_branch: branch-level orgs and mobile party orgs
    '00001000', // branch: groups only
    '00000000', // group: nothing
    '00001000', // temporary_branch: groups only
    '00111100', // mobile_party_org: general branch, branch, group, temporary branch
    '00001000', // online_branch: groups only
  ];
  const cases = ORG_KINDS.flatMap((parent, row) =>
    ORG_KINDS.map((child, col) => [parent, child, MATRIX[row]?.[col] === '1'] as const),
  );

  it('covers all 64 pairs', () => {
    expect(cases).toHaveLength(64);
  });

  it.each(cases)('%s ⊃ %s: %s', (parent, child, expected) => {
    expect(canContain(parent, child)).toBe(expected);
  });

  it('agrees with allowedChildKinds', () => {
    for (const parent of ORG_KINDS) {
      expect([...allowedChildKinds(parent)].sort()).toEqual(
        ORG_KINDS.filter((c) => canContain(parent, c)).sort(),
      );
    }
  });

  it('fails closed for an unknown kind', () => {
    expect(canContain('unknown' as OrgKind, 'branch')).toBe(false);
    expect(allowedChildKinds('unknown' as OrgKind)).toEqual([]);
  });
});

describe('paths', () => {
  it('builds child paths', () => {
    expect(childPath(null, 'a')).toBe('/a/');
    expect(childPath('/a/', 'b')).toBe('/a/b/');
    expect(childPath('/a/b/', 'c')).toBe('/a/b/c/');
    expect(() => childPath('/a/', '')).toThrow(RangeError);
    expect(() => childPath('/a/', 'x/y')).toThrow(RangeError);
    expect(() => childPath('/a', 'b')).toThrow(RangeError);
    expect(() => childPath('', 'b')).toThrow(RangeError);
  });

  it.each([
    ['/a/', true],
    ['/a/b/c/', true],
    ['/0f8fad5b-d9cb-469f-a165-70867728950e/', true],
    ['', false],
    ['/', false],
    ['a/', false],
    ['/a', false],
    ['//', false],
    ['/a//b/', false],
  ])('isValidPath(%j) = %s', (path, expected) => {
    expect(isValidPath(path)).toBe(expected);
  });

  it.each([
    ['/a/b/c/', '/a/', true],
    ['/a/b/c/', '/a/b/', true],
    ['/a/b/c/', '/a/b/c/', true], // the root itself is included
    ['/a/b/', '/a/b/c/', false],
    ['/ab/', '/a/', false], // not fooled by a shared id prefix
    ['/b/a/', '/a/', false],
    ['/a/', '', false], // fail closed: '' is a prefix of everything
    ['/a/', '/', false],
    ['', '/a/', false],
  ])('isWithinSubtree(%j, %j) = %s', (path, root, expected) => {
    expect(isWithinSubtree(path, root)).toBe(expected);
  });

  it.each([
    ['/a/b/', '/a/c/', true],
    ['/a/b/', '/', false],
    ['/a/b/', '/a/', true], // to the same parent: a no-op, allowed
    ['/a/b/', '/a/b/', false], // under itself
    ['/a/b/', '/a/b/c/', false], // under its child
    ['/a/b/', '/a/b/c/d/', false], // under a deeper descendant
    ['/a/b/', '/a/bc/', true], // a sibling whose id starts the same
    ['/a/', '/x/', true],
  ])('canMoveUnder(%j, %j) = %s', (node, parent, expected) => {
    expect(canMoveUnder(node, parent)).toBe(expected);
  });

  it('rebases paths', () => {
    expect(rebasePath('/a/b/c/', '/a/b/', '/x/b/')).toBe('/x/b/c/');
    expect(rebasePath('/a/b/', '/a/b/', '/x/y/b/')).toBe('/x/y/b/');
    expect(() => rebasePath('/a/bc/', '/a/b/', '/x/b/')).toThrow(RangeError);
    expect(() => rebasePath('/a/b/', '', '/x/')).toThrow(RangeError);
  });

  it('splits paths', () => {
    expect(pathIds('/a/')).toEqual(['a']);
    expect(pathIds('/a/b/c/')).toEqual(['a', 'b', 'c']);
    expect(pathDepth('/a/')).toBe(1);
    expect(pathDepth('/a/b/c/')).toBe(3);
    expect(pathLeafId('/a/b/c/')).toBe('c');
    expect(parentPathOf('/a/b/c/')).toBe('/a/b/');
    expect(parentPathOf('/a/')).toBeNull();
    expect(ancestorPaths('/a/b/c/')).toEqual(['/a/', '/a/b/']);
    expect(ancestorPaths('/a/')).toEqual([]);
    expect(() => pathDepth('')).toThrow(RangeError);
  });

  it.each([
    ['/a/b/', '/a/b/', 'self'],
    ['/a/b/c/', '/a/b/', 'descendant'],
    ['/a/', '/a/b/', 'ancestor'],
    ['/a/c/', '/a/b/', 'unrelated'], // sibling
    ['/x/', '/a/', 'unrelated'], // another county
    ['/a/bc/', '/a/b/', 'unrelated'],
    ['', '/a/', 'unrelated'],
    ['/a/', '', 'unrelated'],
  ])('relationOf(%j, %j) = %s', (target, scope, expected) => {
    expect(relationOf(target, scope)).toBe(expected);
  });
});

// --- properties -----------------------------------------------------------------------------

// Small id alphabet so that shared prefixes ('a' vs 'ab') and equal ids occur often.
const id = fc.string({ unit: fc.constantFrom('a', 'b', '1'), minLength: 1, maxLength: 3 });
const path = fc.array(id, { minLength: 1, maxLength: 5 }).map((ids) => `/${ids.join('/')}/`);

describe('path properties', () => {
  it('pathIds and childPath are inverse', () => {
    fc.assert(
      fc.property(fc.array(id, { minLength: 1, maxLength: 6 }), (ids) => {
        const p = ids.reduce<string | null>((parent, i) => childPath(parent, i), null) ?? '';
        expect(pathIds(p)).toEqual(ids);
        expect(pathDepth(p)).toBe(ids.length);
      }),
    );
  });

  it('subtree membership matches id-wise prefix of the id lists', () => {
    fc.assert(
      fc.property(path, path, (p, root) => {
        const a = pathIds(p);
        const r = pathIds(root);
        const idPrefix = r.length <= a.length && r.every((x, i) => a[i] === x);
        expect(isWithinSubtree(p, root)).toBe(idPrefix);
      }),
    );
  });

  it('relationOf is consistent in both directions', () => {
    const mirror = {
      self: 'self',
      descendant: 'ancestor',
      ancestor: 'descendant',
      unrelated: 'unrelated',
    };
    fc.assert(
      fc.property(path, path, (a, b) => {
        expect(relationOf(b, a)).toBe(mirror[relationOf(a, b)]);
        expect(relationOf(a, b) === 'self' || relationOf(a, b) === 'descendant').toBe(
          isWithinSubtree(a, b),
        );
      }),
    );
  });

  it('a node cannot move under anything in its own subtree, and can move anywhere else', () => {
    fc.assert(
      fc.property(path, path, (node, target) => {
        expect(canMoveUnder(node, target)).toBe(!isWithinSubtree(target, node));
      }),
    );
  });

  it('a moved subtree keeps its shape under the new parent', () => {
    fc.assert(
      fc.property(path, fc.array(id, { maxLength: 3 }), path, (node, below, newParent) => {
        fc.pre(canMoveUnder(node, newParent));
        const descendant = below.reduce((p, i) => childPath(p, i), node);
        const newNode = childPath(newParent, pathLeafId(node));
        const moved = rebasePath(descendant, node, newNode);
        expect(isWithinSubtree(moved, newNode)).toBe(true);
        expect(isWithinSubtree(moved, newParent)).toBe(true);
        expect(pathDepth(moved) - pathDepth(newNode)).toBe(pathDepth(descendant) - pathDepth(node));
        expect(pathIds(moved).slice(pathDepth(newParent))).toEqual(
          pathIds(descendant).slice(pathDepth(node) - 1),
        );
        expect(rebasePath(moved, newNode, node)).toBe(descendant);
      }),
    );
  });

  it('ancestorPaths are exactly the proper ancestors', () => {
    fc.assert(
      fc.property(path, (p) => {
        const ancestors = ancestorPaths(p);
        expect(ancestors).toHaveLength(pathDepth(p) - 1);
        for (const a of ancestors) expect(relationOf(a, p)).toBe('ancestor');
        expect(ancestors[ancestors.length - 1] ?? null).toBe(parentPathOf(p));
      }),
    );
  });
});
