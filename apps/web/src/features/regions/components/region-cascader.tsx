import { useMemo, useState } from 'react';
import { Cascader } from 'antd';
import { useQueries } from '@tanstack/react-query';
import type { Region } from '@liudong/contracts';
import { regionChildrenQuery, regionCodePath } from '../api/regions-api';

interface RegionOption {
  value: string;
  label: string;
  isLeaf: boolean;
  loading?: boolean;
  children?: RegionOption[];
}

function toOptions(
  regions: Region[] | undefined,
  childrenOf: Map<string, { regions?: Region[]; isLoading: boolean }>,
): RegionOption[] {
  return (regions ?? []).map((region) => {
    const loaded = childrenOf.get(region.code);
    const option: RegionOption = {
      value: region.code,
      label: region.name,
      isLeaf: !region.hasChildren,
    };
    if (loaded?.isLoading) option.loading = true;
    if (loaded?.regions) option.children = toOptions(loaded.regions, childrenOf);
    return option;
  });
}

export interface RegionCascaderProps {
  id?: string;
  value?: string | null;
  onChange?: (code: string | null) => void;
  /** Shown when the saved code is not in the region table any more. */
  fallbackLabel?: string | null;
  disabled?: boolean;
}

/** Province → city → county picker that loads each level on demand; the value is one code. */
export function RegionCascader({
  id,
  value,
  onChange,
  fallbackLabel,
  disabled,
}: RegionCascaderProps) {
  const path = useMemo(() => regionCodePath(value), [value]);
  // Parents whose children have been asked for: the path of the saved value, then what is opened.
  const [opened, setOpened] = useState<string[]>(() => path.slice(0, -1));
  const parents = useMemo(
    () => [null, ...new Set([...path.slice(0, -1), ...opened])],
    [path, opened],
  );
  const results = useQueries({
    queries: parents.map((parent) => regionChildrenQuery(parent)),
  });

  const options = useMemo(() => {
    const childrenOf = new Map<string, { regions?: Region[]; isLoading: boolean }>();
    parents.forEach((parent, index) => {
      const result = results[index];
      if (parent !== null && result) {
        childrenOf.set(parent, { regions: result.data?.items, isLoading: result.isLoading });
      }
    });
    return toOptions(results[0]?.data?.items, childrenOf);
  }, [parents, results]);

  return (
    <Cascader<RegionOption>
      id={id}
      options={options}
      value={path}
      disabled={disabled}
      changeOnSelect
      allowClear
      placeholder="请选择省 / 市 / 县（区）"
      loading={results[0]?.isLoading}
      loadData={(selected) => {
        const last = selected[selected.length - 1];
        if (last)
          setOpened((current) =>
            current.includes(last.value) ? current : [...current, last.value],
          );
      }}
      onChange={(codes) => {
        const list = (codes ?? []) as string[];
        onChange?.(list.length ? (list[list.length - 1] ?? null) : null);
      }}
      displayRender={(labels, selectedOptions) =>
        selectedOptions && selectedOptions.every(Boolean)
          ? labels.join(' / ')
          : (fallbackLabel ?? labels.join(' / '))
      }
      style={{ width: '100%' }}
    />
  );
}
