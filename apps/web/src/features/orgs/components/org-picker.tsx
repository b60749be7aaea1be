import { useState } from 'react';
import { Flex, Select, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { OrgSummary } from '@liudong/contracts';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { orgSearchQuery } from '../api/orgs-api';
import { OrgKindTag } from './org-kind-tag';

interface PickerOption {
  value: string;
  label: string;
  org: OrgSummary | null;
}

export interface OrgPickerProps {
  id?: string;
  value?: string | null;
  onChange?: (id: string | null, org: OrgSummary | null) => void;
  /** Label of the current value before any search (edit forms). */
  initialLabel?: string;
  /** Hide candidates (the org itself when moving it, kinds that may not contain it). */
  filter?: (org: OrgSummary) => boolean;
  placeholder?: string;
  disabled?: boolean;
}

/**
 * Pick an org in the active scope by typing part of its name; shows where each hit sits. Needs
 * org.read; the security admin picks orgs with `OrgLookupSelect` instead.
 */
export function OrgPicker({
  id,
  value,
  onChange,
  initialLabel,
  filter,
  placeholder = '输入组织名称搜索',
  disabled,
}: OrgPickerProps) {
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 300);
  const search = useQuery(orgSearchQuery(q, false));
  const [picked, setPicked] = useState<OrgSummary | null>(null);
  const candidates = (search.data?.items ?? []).filter((org) => !filter || filter(org));

  const options: PickerOption[] = candidates.map((org) => ({
    value: org.id,
    label: org.name,
    org,
  }));
  // Keep the chosen org (or the initial label) visible after the search text changes.
  if (value && !options.some((option) => option.value === value)) {
    const known = picked?.id === value ? picked : null;
    options.unshift({ value, label: known?.name ?? initialLabel ?? '（已选组织）', org: known });
  }

  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value ?? undefined}
      placeholder={placeholder}
      disabled={disabled}
      allowClear
      loading={search.isFetching}
      notFoundContent={
        search.error
          ? search.error.message
          : q
            ? search.isFetching
              ? '正在搜索…'
              : '未找到匹配的组织'
            : '请输入组织名称进行搜索'
      }
      onChange={(next: string | undefined) => {
        const org = candidates.find((candidate) => candidate.id === next) ?? null;
        setPicked(org);
        onChange?.(next ?? null, org);
      }}
      options={options}
      optionRender={(option) => {
        const { org } = option.data as PickerOption;
        if (!org) return option.label;
        return (
          <Flex vertical>
            <Flex align="center" gap={6}>
              <span>{org.name}</span>
              <OrgKindTag kind={org.kind} />
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {org.pathNames.join(' / ') || '（管辖范围顶层）'}
            </Typography.Text>
          </Flex>
        );
      }}
      style={{ width: '100%' }}
    />
  );
}
