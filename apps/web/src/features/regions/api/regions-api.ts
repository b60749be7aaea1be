import type { Region, RegionListResponse, UpdateRegionInput } from '@liudong/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

export const regionKeys = {
  all: ['regions'] as const,
  children: (parentCode: string | null) => ['regions', 'children', parentCode] as const,
};

/** No parent: the provinces. */
export function regionChildrenQuery(parentCode: string | null) {
  return queryOptions({
    queryKey: regionKeys.children(parentCode),
    queryFn: ({ signal }) =>
      api.get<RegionListResponse>('/api/regions', { parentCode: parentCode ?? undefined }, signal),
    staleTime: 10 * 60_000,
  });
}

export const renameRegion = (code: string, input: UpdateRegionInput) =>
  api.patch<Region>(`/api/regions/${encodeURIComponent(code)}`, input);

/**
 * The codes from the province down to `code` in the GB/T 2260 layout: 510107 → 510000, 510100,
 * 510107. City-level codes give two, province codes one. Used to open the cascader on a saved value.
 */
export function regionCodePath(code: string | null | undefined): string[] {
  if (!code || !/^\d{6}$/.test(code)) return [];
  const province = `${code.slice(0, 2)}0000`;
  const city = `${code.slice(0, 4)}00`;
  if (code === province) return [province];
  if (code === city) return [province, city];
  return [province, city, code];
}
