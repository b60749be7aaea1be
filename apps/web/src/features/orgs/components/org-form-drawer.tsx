import { useState } from 'react';
import { App, Button, DatePicker, Drawer, Form, Input, Select, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { z } from 'zod';
import { CreateOrgInput, UpdateOrgInput, type OrgDetail } from '@liudong/contracts';
import {
  ORG_CATEGORIES,
  ORG_CATEGORY_LABELS,
  ORG_CATEGORY_SYMBOLS,
  ORG_KINDS,
  ORG_KIND_LABELS,
  canContain,
  type OrgCategory,
  type OrgKind,
} from '@liudong/domain';
import { blankToNull } from '../../../ui/format';
import { showZodErrors } from '../../../ui/zod-form';
import { RegionCascader } from '../../regions/components/region-cascader';
import { createOrg, orgDetailQuery, updateOrg } from '../api/orgs-api';
import { useInvalidateOrgs } from '../hooks/use-org-mutations';
import { SaveErrorAlert } from './version-conflict-alert';

export type OrgFormTarget =
  | { mode: 'create'; parent: { id: string; name: string; kind: OrgKind } }
  | { mode: 'edit'; org: OrgDetail };

interface OrgFormValues {
  name: string;
  shortName?: string;
  kind?: OrgKind;
  categoryCode?: OrgCategory | null;
  regionCode?: string | null;
  address?: string;
  secretaryName?: string;
  contactPhone?: string;
  establishedOn?: Dayjs | null;
}

const FORM_ID = 'org-form';

function toFormValues(org: OrgDetail): OrgFormValues {
  return {
    name: org.name,
    shortName: org.shortName ?? '',
    kind: org.kind,
    categoryCode: org.categoryCode,
    regionCode: org.regionCode,
    address: org.address ?? '',
    secretaryName: org.secretaryName ?? '',
    contactPhone: org.contactPhone ?? '',
    establishedOn: org.establishedOn ? dayjs(org.establishedOn) : null,
  };
}

function toFields(values: OrgFormValues) {
  return {
    name: values.name.trim(),
    shortName: blankToNull(values.shortName),
    kind: values.kind,
    categoryCode: values.categoryCode ?? null,
    regionCode: values.regionCode ?? null,
    address: blankToNull(values.address),
    secretaryName: blankToNull(values.secretaryName),
    contactPhone: blankToNull(values.contactPhone),
    establishedOn: values.establishedOn ? values.establishedOn.format('YYYY-MM-DD') : null,
  };
}

export const CATEGORY_OPTIONS = ORG_CATEGORIES.map((code) => ({
  value: code,
  label: `${ORG_CATEGORY_SYMBOLS[code]} ${ORG_CATEGORY_LABELS[code]}`,
}));

/** 编辑 / 新建下级组织 in one drawer. The kinds offered follow what the parent may contain. */
export function OrgFormDrawer({
  target,
  onClose,
  onSaved,
}: {
  target: OrgFormTarget | null;
  onClose: () => void;
  onSaved: (org: OrgDetail) => void;
}) {
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      destroyOnHidden
      size={560}
      title={
        target?.mode === 'create'
          ? `新建下级组织 · ${target.parent.name}`
          : target?.mode === 'edit'
            ? `编辑组织 · ${target.org.name}`
            : ''
      }
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" htmlType="submit" form={FORM_ID}>
            保存
          </Button>
        </Space>
      }
    >
      {target && (
        <OrgForm
          key={target.mode === 'edit' ? target.org.id : target.parent.id}
          target={target}
          onSaved={onSaved}
        />
      )}
    </Drawer>
  );
}

function OrgForm({
  target,
  onSaved,
}: {
  target: OrgFormTarget;
  onSaved: (org: OrgDetail) => void;
}) {
  const [form] = Form.useForm<OrgFormValues>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const invalidateOrgs = useInvalidateOrgs();
  // The record the edit is based on; replaced when the person reloads after a version conflict.
  const [base, setBase] = useState(target.mode === 'edit' ? target.org : null);

  // The parent's kind limits the kinds on offer (OrgDetail.parentKind; null at a root, where every
  // kind is offered). Whether the new kind can still contain the org's own children is left to the
  // server, which answers with a message. The current kind stays listed even if an old record no
  // longer fits the rule, so that the field never shows a bare code.
  const parentKind: OrgKind | null =
    target.mode === 'create' ? target.parent.kind : (base?.parentKind ?? null);
  const kindOptions = ORG_KINDS.filter(
    (kind) => parentKind === null || canContain(parentKind, kind) || kind === base?.kind,
  ).map((kind) => ({ value: kind, label: ORG_KIND_LABELS[kind] }));
  const kindHint = [
    parentKind ? `上级为${ORG_KIND_LABELS[parentKind]}，仅列出其可设立的下级组织类型。` : '',
    base && base.childCount > 0 ? '修改类型时，新类型须能设立现有的下级组织。' : '',
  ].join('');

  const mutation = useMutation({
    mutationFn: (values: OrgFormValues): Promise<OrgDetail> => {
      const fields = toFields(values);
      if (target.mode === 'create') {
        const parsed = CreateOrgInput.safeParse({ parentId: target.parent.id, ...fields });
        if (!parsed.success) throw parsed.error;
        return createOrg(parsed.data);
      }
      const parsed = UpdateOrgInput.safeParse({ version: base?.version, ...fields });
      if (!parsed.success) throw parsed.error;
      return updateOrg(target.org.id, parsed.data);
    },
    onSuccess: async (org) => {
      message.success(target.mode === 'create' ? `已新建「${org.name}」` : '组织信息已保存');
      queryClient.setQueryData(orgDetailQuery(org.id).queryKey, org);
      await invalidateOrgs();
      onSaved(org);
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });

  const reload = async () => {
    if (target.mode !== 'edit') return;
    const fresh = await queryClient.fetchQuery({ ...orgDetailQuery(target.org.id), staleTime: 0 });
    setBase(fresh);
    form.setFieldsValue(toFormValues(fresh));
    mutation.reset();
  };

  const serverError = mutation.error instanceof z.ZodError ? null : mutation.error;

  return (
    <Form<OrgFormValues>
      form={form}
      id={FORM_ID}
      layout="vertical"
      disabled={mutation.isPending}
      initialValues={
        base
          ? toFormValues(base)
          : { kind: kindOptions[0]?.value, categoryCode: null, regionCode: null }
      }
      onFinish={(values) => mutation.mutate(values)}
    >
      <SaveErrorAlert error={serverError} onReload={() => void reload()} />
      <Form.Item
        label="组织名称"
        name="name"
        rules={[
          { required: true, whitespace: true, message: '请输入组织名称' },
          { max: 100, message: '组织名称不超过100个字' },
        ]}
      >
        <Input autoFocus maxLength={100} placeholder="如：中共××街道××社区委员会" />
      </Form.Item>
      <Form.Item label="简称" name="shortName" rules={[{ max: 40, message: '简称不超过40个字' }]}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item
        label="组织类型"
        name="kind"
        rules={[{ required: true, message: '请选择组织类型' }]}
        extra={kindHint || undefined}
      >
        <Select options={kindOptions} placeholder="请选择" />
      </Form.Item>
      <Form.Item label="单位类别" name="categoryCode">
        <Select options={CATEGORY_OPTIONS} allowClear placeholder="请选择所在单位类别" />
      </Form.Item>
      <Form.Item label="行政区划" name="regionCode">
        <RegionCascader fallbackLabel={base?.regionName} />
      </Form.Item>
      <Form.Item label="地址" name="address" rules={[{ max: 200, message: '地址不超过200个字' }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item label="书记" name="secretaryName" rules={[{ max: 40, message: '不超过40个字' }]}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item
        label="联系电话"
        name="contactPhone"
        rules={[{ max: 40, message: '不超过40个字符' }]}
      >
        <Input maxLength={40} inputMode="tel" />
      </Form.Item>
      <Form.Item label="成立日期" name="establishedOn">
        <DatePicker
          style={{ width: '100%' }}
          disabledDate={(date) => date.isAfter(dayjs(), 'day')}
          placeholder="请选择日期"
        />
      </Form.Item>
    </Form>
  );
}
