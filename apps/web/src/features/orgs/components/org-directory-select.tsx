import { useState, type ReactNode } from 'react';
import { Flex, Form, Input, Radio, Select, Typography } from 'antd';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { OrgLookupItem, OrgLookupResponse } from '@liudong/contracts';
import type { OrgKind } from '@liudong/domain';
import { api } from '../../../api/client';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { RegionCascader } from '../../regions/components/region-cascader';
import { orgLookupLabel } from './org-lookup-select';
import { OrgKindTag } from './org-kind-tag';

const DIRECTORY_LIMIT = 20;

/**
 * Active orgs of the whole system by name (`GET /api/orgs/directory`, permission member.write):
 * names, kinds and breadcrumbs only. A host or receiving org often lies in another county, outside
 * the actor's scope, so the scoped `/api/orgs` search cannot find it (issue 3 §2, §4, §5).
 */
export function orgDirectoryQuery(q: string) {
  return queryOptions({
    // Under 'orgs' so that an org change (rename, dissolve) refreshes these hits too.
    queryKey: ['orgs', 'directory', q] as const,
    queryFn: ({ signal }) =>
      api.get<OrgLookupResponse>('/api/orgs/directory', { q, limit: DIRECTORY_LIMIT }, signal),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

interface DirectoryOption {
  value: string;
  label: string;
  title: string;
  org: OrgLookupItem | null;
}

/**
 * The chosen org shows by its own name (a narrow field would cut a breadcrumb before the name);
 * the breadcrumb is in the option list and in the hover title.
 */
function toOption(org: OrgLookupItem): DirectoryOption {
  return { value: org.id, label: org.name, title: orgLookupLabel(org), org };
}

export interface OrgDirectorySelectProps {
  id?: string;
  value?: string | null;
  onChange?: (id: string | null, org: OrgLookupItem | null) => void;
  /** Label of a value set before any search (a saved org). */
  initialLabel?: string;
  /** Only orgs of these kinds may be picked (e.g. those that can receive a transfer). */
  kinds?: readonly OrgKind[];
  /** Says why hits of other kinds are not offered. */
  kindsHint?: string;
  placeholder?: string;
  disabled?: boolean;
  autoFocus?: boolean;
  'aria-label'?: string;
}

/**
 * Pick any active org of the system by typing part of its name. Each hit shows its name, kind and
 * breadcrumb (`上级 / … / 名称`), so that two branches of the same name in two counties differ.
 */
export function OrgDirectorySelect({
  id,
  value,
  onChange,
  initialLabel,
  kinds,
  kindsHint = '匹配的组织都不能选在此处，请换一个党组织',
  placeholder = '输入党组织名称搜索（全系统）',
  disabled,
  autoFocus,
  'aria-label': ariaLabel,
}: OrgDirectorySelectProps) {
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 300);
  const directory = useQuery(orgDirectoryQuery(q));
  const [picked, setPicked] = useState<OrgLookupItem | null>(null);
  const isTyping = text.trim() !== q;

  const hits = q ? (directory.data?.items ?? []) : [];
  const items = kinds ? hits.filter((org) => kinds.includes(org.kind)) : hits;
  const options: DirectoryOption[] = items.map(toOption);
  // Keep the chosen org visible while another search shows other hits.
  if (value && !options.some((option) => option.value === value)) {
    const label = picked?.id === value ? picked.name : (initialLabel ?? '（已选党组织）');
    options.unshift({
      value,
      label,
      title: picked?.id === value ? orgLookupLabel(picked) : label,
      org: picked?.id === value ? picked : null,
    });
  }

  const notFoundContent = directory.error
    ? directory.error.message
    : !text.trim()
      ? '请输入党组织名称进行搜索'
      : isTyping || directory.isFetching
        ? '正在搜索…'
        : hits.length > 0
          ? kindsHint
          : '未找到匹配的党组织（系统外的党组织请改选“系统外党组织”）';

  return (
    <Select<string, DirectoryOption>
      id={id}
      aria-label={ariaLabel}
      autoFocus={autoFocus}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value ?? undefined}
      placeholder={placeholder}
      disabled={disabled}
      allowClear
      // Wider than the field in a dialog, so that most breadcrumbs show in full.
      popupMatchSelectWidth={560}
      loading={directory.isFetching}
      notFoundContent={notFoundContent}
      options={options}
      onChange={(next) => {
        const org = items.find((item) => item.id === next) ?? (picked?.id === next ? picked : null);
        setPicked(org);
        onChange?.(next ?? null, org);
      }}
      optionRender={(option) => {
        const { org, label } = option.data;
        if (!org) return label;
        return (
          <Flex vertical style={{ minWidth: 0 }}>
            <Flex align="center" gap={6} style={{ minWidth: 0 }}>
              <Typography.Text ellipsis style={{ minWidth: 0 }}>
                {org.name}
              </Typography.Text>
              <OrgKindTag kind={org.kind} />
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {org.pathNames.join(' / ') || '（顶层组织）'}
            </Typography.Text>
          </Flex>
        );
      }}
      style={{ width: '100%' }}
    />
  );
}

/** Where an org is chosen from: the system's directory, or its name as written (outside it). */
export type OrgChoiceMode = 'system' | 'text';

const MODE_OPTIONS: { value: OrgChoiceMode; label: string }[] = [
  { value: 'system', label: '系统内党组织' },
  { value: 'text', label: '系统外党组织' },
];

export interface OrgChoiceFieldsProps {
  /** The field's label, e.g. 接收党组织. */
  label: string;
  /** Form field names: the mode, the org id (system), the name as written (outside). */
  modeName: string;
  idName: string;
  textName: string;
  /** Outside the system the org's region is asked for too (required) when given. */
  regionName?: string;
  required?: boolean;
  defaultMode?: OrgChoiceMode;
  extra?: ReactNode;
  /** Shown in the picker when a saved org is the field's value before any search. */
  initialLabel?: string;
  /** Only orgs of these kinds may be picked in the directory, and why. */
  kinds?: readonly OrgKind[];
  kindsHint?: string;
  textPlaceholder?: string;
}

/**
 * The "系统内 / 系统外" choice of an org in a form, for host, home and receiving orgs: the contracts
 * take either an org id or a name as written, never both (RegisterOutflowInput, RegisterInflowInput,
 * MobilityTransitionInput, RequestTransferInput). The hidden alternative is dropped from the form
 * (`preserve={false}`), and callers still send only the one the mode names.
 */
export function OrgChoiceFields({
  label,
  modeName,
  idName,
  textName,
  regionName,
  required = false,
  defaultMode = 'system',
  extra,
  initialLabel,
  kinds,
  kindsHint,
  textPlaceholder = '党组织全称',
}: OrgChoiceFieldsProps) {
  const form = Form.useFormInstance();
  const mode = (Form.useWatch(modeName, form) as OrgChoiceMode | undefined) ?? defaultMode;
  return (
    <>
      <Form.Item label={label} required={required} extra={extra}>
        <Flex vertical gap={8}>
          <Form.Item name={modeName} noStyle initialValue={defaultMode}>
            <Radio.Group optionType="button" options={MODE_OPTIONS} aria-label={`${label}的来源`} />
          </Form.Item>
          {mode === 'system' ? (
            <Form.Item
              name={idName}
              noStyle
              preserve={false}
              rules={required ? [{ required: true, message: `请选择${label}` }] : []}
            >
              <OrgDirectorySelect
                aria-label={label}
                initialLabel={initialLabel}
                kinds={kinds}
                kindsHint={kindsHint}
              />
            </Form.Item>
          ) : (
            <Form.Item
              name={textName}
              noStyle
              preserve={false}
              rules={[
                ...(required
                  ? [{ required: true, whitespace: true, message: `请填写${label}` }]
                  : []),
                { max: 100, message: '不超过100个字' },
              ]}
            >
              <Input maxLength={100} placeholder={textPlaceholder} aria-label={`${label}名称`} />
            </Form.Item>
          )}
        </Flex>
      </Form.Item>
      {regionName && mode === 'text' && (
        <Form.Item
          label={`${label}所在地`}
          name={regionName}
          preserve={false}
          rules={[{ required: true, message: '系统外的党组织请选择所在行政区划' }]}
        >
          <RegionCascader />
        </Form.Item>
      )}
    </>
  );
}
