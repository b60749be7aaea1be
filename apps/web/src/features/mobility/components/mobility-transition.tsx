import { useState } from 'react';
import { App, Button, DatePicker, Flex, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { z } from 'zod';
import { MobilityTransitionInput, type MobilityRecord } from '@liudong/contracts';
import type { MobilityStatus } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { OrgChoiceFields } from '../../orgs/components/org-directory-select';
import { transitionMobility } from '../api/mobility-api';
import { useRefreshAfterMobility } from '../hooks/use-refresh-after-mobility';
import {
  CHECK_IN_STEPS,
  CLOSING_STEPS,
  offeredSteps,
  toTransitionInput,
  type TransitionValues,
} from './mobility-form-values';

/** The button text of each step (告知 / 联系 / 落实 / 服务 / 返回 / 转出 / 终止). */
export const TRANSITION_ACTION_LABELS: Record<MobilityStatus, string> = {
  registered: '登记',
  informed: '告知',
  contacted: '联系',
  settled: '落实',
  serving: '服务',
  returned: '返回',
  transferred: '转出',
  ended: '终止',
};

const TRANSITION_TITLES: Partial<Record<MobilityStatus, string>> = {
  informed: '告知流入地党组织',
  contacted: '与流动党员取得联系',
  settled: '落实接收党组织',
  serving: '纳入日常服务管理',
  returned: '办理返回',
  transferred: '转出组织关系',
  ended: '终止流动登记',
};

export const VERSION_CONFLICT_TEXT = '该流动记录已被他人办理，请刷新页面后重试';

const FORM_ID = 'mobility-transition-form';
const notAfterToday = (date: dayjs.Dayjs) => date.isAfter(dayjs(), 'day');

/** The next steps `canTransition` allows from the episode's step, as buttons. */
export function MobilityActions({
  memberId,
  mobility,
}: {
  memberId: string;
  mobility: MobilityRecord;
}) {
  const [to, setTo] = useState<MobilityStatus | null>(null);
  const next = offeredSteps(mobility);
  if (next.length === 0) return null;
  return (
    <>
      <Flex gap={8} wrap className="no-print mobility-actions">
        {next.map((status) => (
          <Button
            key={status}
            size="small"
            danger={status === 'ended'}
            type={CLOSING_STEPS.includes(status) ? 'default' : 'primary'}
            ghost={!CLOSING_STEPS.includes(status)}
            onClick={() => setTo(status)}
          >
            {TRANSITION_ACTION_LABELS[status]}
          </Button>
        ))}
      </Flex>
      <TransitionModal
        memberId={memberId}
        mobility={mobility}
        to={to}
        onClose={() => setTo(null)}
      />
    </>
  );
}

function TransitionModal({
  memberId,
  mobility,
  to,
  onClose,
}: {
  memberId: string;
  mobility: MobilityRecord;
  to: MobilityStatus | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<TransitionValues>();
  const { message } = App.useApp();
  const refresh = useRefreshAfterMobility();

  const mutation = useMutation({
    mutationFn: async ({ to, values }: { to: MobilityStatus; values: TransitionValues }) => {
      // The member record carries each episode's version (optimistic locking).
      const version = mobility.version;
      const parsed = MobilityTransitionInput.safeParse(toTransitionInput(to, values, version));
      if (!parsed.success) throw parsed.error;
      return transitionMobility(mobility.id, parsed.data);
    },
    onSuccess: async (_, { to }) => {
      message.success(`已办理「${TRANSITION_ACTION_LABELS[to]}」`);
      await refresh(memberId);
      onClose();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });

  const isClosing = to !== null && CLOSING_STEPS.includes(to);
  const isCheckIn = to !== null && CHECK_IN_STEPS.includes(to);
  const minDate = dayjs(mobility.leftOn);
  const outOfRange = (date: dayjs.Dayjs) => notAfterToday(date) || date.isBefore(minDate, 'day');
  const error = mutation.error;

  return (
    <Modal
      open={to !== null}
      title={to ? (TRANSITION_TITLES[to] ?? TRANSITION_ACTION_LABELS[to]) : ''}
      destroyOnHidden
      onCancel={onClose}
      okText={to ? `确认${TRANSITION_ACTION_LABELS[to]}` : '确认'}
      okButtonProps={{
        htmlType: 'submit',
        form: FORM_ID,
        loading: mutation.isPending,
        danger: to === 'ended',
      }}
      afterClose={() => mutation.reset()}
    >
      <Form<TransitionValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={{ endedOn: isClosing ? dayjs() : undefined }}
        onFinish={(values) => to && mutation.mutate({ to, values })}
        autoComplete="off"
        clearOnDestroy
      >
        {error && !(error instanceof z.ZodError) && (
          <ErrorAlert
            error={isApiError(error, 'version_conflict') ? new Error(VERSION_CONFLICT_TEXT) : error}
            style={{ marginBottom: 16 }}
            action={
              isApiError(error, 'version_conflict') ? (
                <Button
                  size="small"
                  onClick={() => {
                    void refresh(memberId);
                    onClose();
                  }}
                >
                  刷新
                </Button>
              ) : undefined
            }
          />
        )}
        {isClosing && (
          <>
            <Form.Item
              label={to === 'returned' ? '返回日期' : '结束日期'}
              name="endedOn"
              rules={[{ required: to === 'returned', message: '请选择返回日期' }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={outOfRange}
                placeholder="请选择日期"
              />
            </Form.Item>
            <Form.Item
              label={to === 'returned' ? '在外表现' : '结束说明'}
              name="endNote"
              rules={[
                {
                  required: to === 'returned',
                  whitespace: true,
                  message: '请填写外出期间的表现情况',
                },
                { max: 1000, message: '不超过1000个字' },
              ]}
            >
              <Input.TextArea
                maxLength={1000}
                autoSize={{ minRows: 3, maxRows: 6 }}
                placeholder={to === 'returned' ? '外出期间参加组织生活、发挥作用等情况' : undefined}
              />
            </Form.Item>
          </>
        )}
        {isCheckIn && (
          <>
            <OrgChoiceFields
              label="接收党组织"
              modeName="hostOrgMode"
              idName="hostOrgId"
              textName="hostOrgText"
              extra={
                mobility.hostOrgName ? `当前：${mobility.hostOrgName}（留空则不修改）` : undefined
              }
            />
            <Form.Item label="报到日期" name="checkedInOn">
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={outOfRange}
                placeholder="请选择日期"
              />
            </Form.Item>
            <Form.Item
              label="联系人"
              name="hostContact"
              rules={[{ max: 100, message: '不超过100个字' }]}
            >
              <Input maxLength={100} placeholder="接收党组织联系人及电话" />
            </Form.Item>
          </>
        )}
        <Form.Item label="办理说明" name="note" rules={[{ max: 500, message: '不超过500个字' }]}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
