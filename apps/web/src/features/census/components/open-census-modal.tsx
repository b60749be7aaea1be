import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import { OpenCensusInput, type CensusCampaign } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { activeGrant, useMe } from '../../auth/hooks/use-me';
import { OrgPicker } from '../../orgs/components/org-picker';
import { openCensus } from '../api/census-api';
import { defaultCampaignName, defaultCampaignPeriod } from '../census-values';
import { useRefreshAfterCensus } from '../hooks/use-refresh-after-census';

const FORM_ID = 'open-census-form';

interface OpenCensusValues {
  orgId?: string | null;
  name?: string;
  period?: [Dayjs | null, Dayjs | null] | null;
}

const iso = (date: Dayjs | null | undefined) => (date ? date.format('YYYY-MM-DD') : '');

/** 发起摸排 (census.manage): the button and its dialog. */
export function OpenCensusButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
        发起摸排
      </Button>
      <OpenCensusModal open={open} onClose={() => setOpen(false)} />
    </>
  );
}

/**
 * Which subtree and which period; the name is prefilled for the festival at hand. Before anything
 * is created a confirmation says what opening does: every mobile member in the subtree gets a
 * verification task (issue 4 §5).
 */
function OpenCensusModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe();
  const grant = activeGrant(me);
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const refresh = useRefreshAfterCensus();
  const [form] = Form.useForm<OpenCensusValues>();
  const [orgName, setOrgName] = useState<string | null>(grant?.orgName ?? null);
  const today = dayjs().format('YYYY-MM-DD');
  const [startsOn, endsOn] = defaultCampaignPeriod(today);

  const mutation = useMutation({
    mutationFn: (input: OpenCensusInput): Promise<CensusCampaign> => openCensus(input),
    onSuccess: async (campaign) => {
      message.success(`已发起「${campaign.name}」，共 ${campaign.counts.total} 项核实任务`);
      await refresh();
      onClose();
      void navigate(`/census/${campaign.id}`);
    },
  });

  const confirmOpen = (values: OpenCensusValues) => {
    const parsed = OpenCensusInput.safeParse({
      orgId: values.orgId ?? '',
      name: values.name ?? '',
      startsOn: iso(values.period?.[0]),
      endsOn: iso(values.period?.[1]),
    });
    if (!parsed.success) {
      showZodErrors(
        form,
        new z.ZodError(
          parsed.error.issues.map((issue) =>
            issue.path[0] === 'startsOn' || issue.path[0] === 'endsOn'
              ? { ...issue, path: ['period'] }
              : issue,
          ),
        ),
      );
      return;
    }
    const input = parsed.data;
    modal.confirm({
      title: '确认发起摸排',
      content: (
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          将为「{orgName ?? '所选党组织'}」及其全部下级组织中的每一名流动党员（本组织的流出党员、
          从外地流入本组织的党员）各生成一项核实任务，期间 {input.startsOn} 至 {input.endsOn}。
        </Typography.Paragraph>
      ),
      okText: '确认发起',
      cancelText: '取消',
      onOk: () => mutation.mutateAsync(input).catch(() => undefined),
    });
  };

  return (
    <Modal
      open={open}
      title="发起摸排"
      width={560}
      destroyOnHidden
      onCancel={onClose}
      okText="下一步"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
      <Form<OpenCensusValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        autoComplete="off"
        initialValues={{
          orgId: grant?.orgId ?? null,
          name: defaultCampaignName(today),
          period: [dayjs(startsOn), dayjs(endsOn)],
        }}
        onFinish={confirmOpen}
        clearOnDestroy
      >
        <Form.Item
          label="摸排范围"
          name="orgId"
          rules={[{ required: true, message: '请选择党组织' }]}
          extra="包含所选党组织及其全部下级组织"
        >
          <OrgPicker
            initialLabel={grant?.orgName}
            onChange={(_, org) => setOrgName(org?.name ?? null)}
          />
        </Form.Item>
        <Form.Item
          label="摸排名称"
          name="name"
          rules={[
            { required: true, whitespace: true, message: '请填写摸排名称' },
            { max: 60, message: '不超过60个字' },
          ]}
        >
          <Input maxLength={60} showCount />
        </Form.Item>
        <Form.Item
          label="摸排期间"
          name="period"
          rules={[{ required: true, message: '请选择开始和结束日期' }]}
          extra="例如春节、中秋前后党员返乡期间"
        >
          <DatePicker.RangePicker
            style={{ width: '100%' }}
            placeholder={['开始日期', '结束日期']}
            aria-label="摸排期间"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
