import { useState } from 'react';
import { Flex, Select, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { LiaisonCandidate } from '@liudong/contracts';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { liaisonCandidatesQuery } from '../api/contacts-api';
import { candidateLabel } from '../contact-values';

export interface LiaisonAccountSelectProps {
  id?: string;
  value?: string | null;
  onChange?: (id: string | null, candidate: LiaisonCandidate | null) => void;
  disabled?: boolean;
  autoFocus?: boolean;
}

/**
 * Pick the account a liaison is linked to (定人): accounts with a business role in the active
 * scope, searched on the server by username or display name as typed (debounced). Each option says
 * where the account works, since two people may share a name; an account that already is a
 * liaison is shown but cannot be picked again (one liaison record per account).
 */
export function LiaisonAccountSelect({
  id,
  value,
  onChange,
  disabled,
  autoFocus,
}: LiaisonAccountSelectProps) {
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 300);
  const list = useQuery(liaisonCandidatesQuery(q));
  const [picked, setPicked] = useState<LiaisonCandidate | null>(null);
  const candidates = list.data?.items ?? [];
  const options = candidates.map((candidate) => ({
    value: candidate.id,
    label: candidateLabel(candidate),
    disabled: candidate.activeLiaison,
    candidate: candidate as LiaisonCandidate | null,
  }));
  if (value && !options.some((option) => option.value === value)) {
    options.unshift({
      value,
      label: picked?.id === value ? candidateLabel(picked) : '（已选账号）',
      disabled: false,
      candidate: picked?.id === value ? picked : null,
    });
  }
  return (
    <Select
      id={id}
      autoFocus={autoFocus}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value ?? undefined}
      placeholder="输入账号或姓名搜索"
      disabled={disabled}
      loading={list.isFetching}
      allowClear
      notFoundContent={
        list.error
          ? list.error.message
          : list.isFetching
            ? '正在搜索…'
            : q
              ? '未找到匹配的账号：只能选择本组织及下级持有业务角色的账号'
              : '本组织及下级暂无可选的账号'
      }
      onChange={(next: string | undefined) => {
        const candidate = candidates.find((c) => c.id === next) ?? null;
        setPicked(candidate);
        onChange?.(next ?? null, candidate);
      }}
      options={options}
      optionRender={(option) => {
        const { candidate } = option.data as (typeof options)[number];
        if (!candidate) return option.label;
        return (
          <Flex justify="space-between" align="center" gap={8}>
            <span>
              {candidate.displayName}
              <Typography.Text type="secondary">（{candidate.username}）</Typography.Text>
            </span>
            <Flex align="center" gap={4} style={{ minWidth: 0 }}>
              <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                {candidate.orgName}
              </Typography.Text>
              {candidate.activeLiaison && (
                <Tag style={{ marginInlineEnd: 0 }} title="每个账号只有一条联络员记录">
                  已是联络员
                </Tag>
              )}
            </Flex>
          </Flex>
        );
      }}
      style={{ width: '100%' }}
    />
  );
}
