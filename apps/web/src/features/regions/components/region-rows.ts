import type { Region } from '@liudong/contracts';

export interface RegionRow {
  key: string;
  region: Region;
  /** An empty array until loaded, so that the table still shows the expand control. */
  children?: RegionRow[];
}

/** Nested table rows from the provinces and the levels loaded so far. */
export function buildRegionRows(
  top: readonly Region[],
  childrenOf: ReadonlyMap<string, readonly Region[]>,
): RegionRow[] {
  return top.map((region) => {
    const row: RegionRow = { key: region.code, region };
    if (region.hasChildren) {
      const loaded = childrenOf.get(region.code);
      row.children = loaded ? buildRegionRows(loaded, childrenOf) : [];
    }
    return row;
  });
}
