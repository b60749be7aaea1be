import { Fragment, useState } from 'react';
import { Flex, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { OrgLookupItem } from '@liudong/contracts';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { orgLookupQuery } from '../api/orgs-api';
import { OrgKindTag } from './org-kind-tag';

const SECONDARY = 'rgba(0, 0, 0, 0.45)';
const ELLIPSIS = {
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
} as const;

interface LookupOption {
  value: string;
  label: string;
  title: string;
  org: OrgLookupItem;
}

/** `上级 / 上级 / 名称`: where the org sits, so that two branches of the same name differ. */
export function orgLookupLabel(org: Pick<OrgLookupItem, 'name' | 'pathNames'>): string {
  return [...org.pathNames, org.name].join(' / ');
}

function toOption(org: OrgLookupItem): LookupOption {
  const label = orgLookupLabel(org);
  return { value: org.id, label, title: label, org };
}

/**
 * `上级 / … / 名称` on one line. When it is too long, each level of the breadcrumb gives way a little
 * (ellipsis), never the name itself.
 */
function OrgPathLabel({ org }: { org: OrgLookupItem }) {
  return (
    <span style={{ display: 'flex', minWidth: 0, overflow: 'hidden' }}>
      {org.pathNames.map((name, index) => (
        <Fragment key={index}>
          <span style={{ ...ELLIPSIS, color: SECONDARY, minWidth: '2.5em' }}>{name}</span>
          <span style={{ flex: 'none', whiteSpace: 'pre', color: SECONDARY }}> / </span>
        </Fragment>
      ))}
      <span style={{ ...ELLIPSIS, flex: 'none', maxWidth: '100%' }}>{org.name}</span>
    </span>
  );
}

export interface OrgLookupSelectProps {
  id?: string;
  value?: string | null;
  onChange?: (id: string | null, org: OrgLookupItem | null) => void;
  placeholder?: string;
  disabled?: boolean;
}

/**
 * Pick an org by typing part of its name, for the security admin (permission `org.lookup`), who
 * may not open the org tree: the server answers with names and breadcrumbs only. Searches are
 * debounced; each hit shows `上级 / … / 名称`.
 */
export function OrgLookupSelect({
  id,
  value,
  onChange,
  placeholder = '输入组织名称搜索',
  disabled,
}: OrgLookupSelectProps) {
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 300);
  const lookup = useQuery(orgLookupQuery(q));
  const [picked, setPicked] = useState<OrgLookupItem | null>(null);
  const isTyping = text.trim() !== q;

  const items = q ? (lookup.data?.items ?? []) : [];
  const options = items.map(toOption);
  // Keep the chosen org visible while another search shows other hits.
  if (value && picked?.id === value && !options.some((option) => option.value === value)) {
    options.unshift(toOption(picked));
  }

  const notFoundContent = lookup.error
    ? lookup.error.message
    : !text.trim()
      ? '请输入组织名称进行搜索'
      : isTyping || lookup.isFetching
        ? '正在搜索…'
        : '未找到匹配的组织';

  return (
    <Select<string, LookupOption>
      id={id}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value ?? undefined}
      placeholder={placeholder}
      disabled={disabled}
      allowClear
      // Wider than the field in a dialog, so that most breadcrumbs show in full.
      popupMatchSelectWidth={640}
      loading={lookup.isFetching}
      notFoundContent={notFoundContent}
      options={options}
      onChange={(next) => {
        const org = items.find((item) => item.id === next) ?? (picked?.id === next ? picked : null);
        setPicked(org);
        onChange?.(next ?? null, org);
      }}
      optionRender={(option) => (
        <Flex align="center" gap={6} style={{ minWidth: 0 }}>
          <OrgPathLabel org={option.data.org} />
          <OrgKindTag kind={option.data.org.kind} />
        </Flex>
      )}
      labelRender={({ value: selected, label }) => {
        const org = options.find((option) => option.value === selected)?.org;
        return org ? <OrgPathLabel org={org} /> : label;
      }}
      style={{ width: '100%' }}
    />
  );
}
