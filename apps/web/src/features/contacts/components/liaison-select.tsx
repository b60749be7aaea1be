import { useState } from 'react';
import { Flex, Select, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Liaison } from '@liudong/contracts';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { LIAISON_PICKER_LIMIT, liaisonListQuery } from '../api/contacts-api';

export interface LiaisonSelectProps {
  id?: string;
  value?: string | null;
  onChange?: (id: string | null, liaison: Liaison | null) => void;
  /** Not offered (the liaison who is leaving). */
  excludeId?: string;
  placeholder?: string;
  disabled?: boolean;
  autoFocus?: boolean;
}

/**
 * Pick a liaison in the active scope (serving ones only), found by name or account as typed. Each
 * option says where the liaison belongs: two people may share a name.
 */
export function LiaisonSelect({
  id,
  value,
  onChange,
  excludeId,
  placeholder = '输入姓名或账号搜索联络员',
  disabled,
  autoFocus,
}: LiaisonSelectProps) {
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 300);
  const list = useQuery(liaisonListQuery(q ? { q } : {}, undefined, LIAISON_PICKER_LIMIT));
  const [picked, setPicked] = useState<Liaison | null>(null);
  const candidates = (list.data?.items ?? []).filter((l) => l.active && l.id !== excludeId);
  const options = candidates.map((liaison) => ({
    value: liaison.id,
    label: liaison.name,
    liaison: liaison as Liaison | null,
  }));
  if (value && !options.some((option) => option.value === value)) {
    options.unshift({
      value,
      label: picked?.id === value ? picked.name : '（已选联络员）',
      liaison: picked?.id === value ? picked : null,
    });
  }
  return (
    <Select
      id={id}
      autoFocus={autoFocus}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value ?? undefined}
      placeholder={placeholder}
      disabled={disabled}
      loading={list.isFetching}
      notFoundContent={
        list.error
          ? list.error.message
          : list.isFetching
            ? '正在搜索…'
            : q
              ? '未找到匹配的联络员'
              : '暂无联络员，请先新增联络员'
      }
      onChange={(next: string | undefined) => {
        const liaison = candidates.find((c) => c.id === next) ?? null;
        setPicked(liaison);
        onChange?.(next ?? null, liaison);
      }}
      options={options}
      optionRender={(option) => {
        const { liaison } = option.data as (typeof options)[number];
        if (!liaison) return option.label;
        return (
          <Flex justify="space-between" gap={8}>
            <span>
              {liaison.name}
              {liaison.title && (
                <Typography.Text type="secondary">（{liaison.title}）</Typography.Text>
              )}
            </span>
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
              {liaison.orgName} · 负责 {liaison.memberCount} 人
            </Typography.Text>
          </Flex>
        );
      }}
      style={{ width: '100%' }}
    />
  );
}
