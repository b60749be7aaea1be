import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Collapse,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  Radio,
  Space,
  Typography,
  type GetRef,
} from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { z } from 'zod';
import { CreateContactInput, type QueueItem } from '@liudong/contracts';
import { isOpenMobilityStatus } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDate, orEmpty } from '../../../ui/format';
import { showZodErrors } from '../../../ui/zod-form';
import { memberDetailQuery, memberKeys } from '../../members/api/members-api';
import { RegionCascader } from '../../regions/components/region-cascader';
import { createContact } from '../api/contacts-api';
import {
  CONTACT_CHANNEL_OPTIONS,
  episodeOfTarget,
  initialContactValues,
  isFutureDay,
  isSaveNextShortcut,
  nextInQueue,
  overdueText,
  toCreateContactInput,
  type ContactFormValues,
  type EpisodeSnapshot,
} from '../contact-values';
import { useRefreshAfterContact } from '../hooks/use-refresh-after-contact';
import { LostLevelTag } from './contact-tags';

/** Who is being contacted: a queue row, or what a member's page knows of the member. */
export interface ContactTarget {
  memberId: string;
  memberName: string;
  orgName?: string | null;
  destinationName?: string | null;
  employer?: string | null;
  /**
   * The open episode's version and destination code, as a queue row carries them. Without them
   * (a member's page) the form reads the member record when the whereabouts are to be changed.
   */
  mobilityVersion?: number;
  destinationRegionCode?: string | null;
  phoneMasked?: string | null;
  lastContactOn?: string | null;
  dueOn?: string | null;
  overdueDays?: number;
  lostLevel?: QueueItem['lostLevel'];
}

export interface ContactFormDrawerProps {
  /** The member to log a contact for; null keeps the drawer closed. */
  target: ContactTarget | null;
  /**
   * The queue list the drawer was opened from, for 保存并登记下一位; absent on a member's page
   * (no next member there). Read when the drawer opens (the order of the run) and again when
   * that order is used up (the list as refetched).
   */
  queue?: readonly QueueItem[];
  onClose: () => void;
}

const FORM_ID = 'contact-form';
const TEXT_LABEL_WIDTH = 76;

/**
 * 登记联系 (issue 4 §2): built for logging 30 calls in a row. Focus starts in the first field,
 * the date is today and the channel 电话; 保存并登记下一位 (Ctrl+Enter) saves and opens the next
 * member of the queue without leaving the keyboard; Esc closes. What was learnt about org life,
 * dues and the whereabouts goes in the same step (the episode is updated with its version).
 */
export function ContactFormDrawer({ target, queue, onClose }: ContactFormDrawerProps) {
  const screens = Grid.useBreakpoint();
  const [current, setCurrent] = useState<ContactTarget | null>(target);
  const [snapshot, setSnapshot] = useState<readonly QueueItem[]>([]);
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());

  // A new target from outside starts a new run: the order is the list as it is now.
  const [openedFor, setOpenedFor] = useState<ContactTarget | null>(target);
  if (openedFor !== target) {
    setOpenedFor(target);
    setCurrent(target);
    setSnapshot(queue ? [...queue] : []);
    setDone(new Set());
  }

  const hasQueue = queue !== undefined;
  const position = current ? snapshot.findIndex((item) => item.memberId === current.memberId) : -1;

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      destroyOnHidden
      size={screens.sm ? 600 : '100%'}
      title={current ? `登记联系 · ${current.memberName}` : '登记联系'}
      extra={
        hasQueue && position >= 0 ? (
          <Typography.Text type="secondary">
            本轮第 {done.size + 1} 位（列表第 {position + 1} / {snapshot.length} 位）
          </Typography.Text>
        ) : undefined
      }
    >
      {current && (
        <ContactForm
          key={current.memberId}
          target={current}
          hasQueue={hasQueue}
          onCancel={onClose}
          onSaved={(next) => {
            const nowDone = new Set(done).add(current.memberId);
            setDone(nowDone);
            if (!next) {
              onClose();
              return null;
            }
            const following = nextInQueue(snapshot, current.memberId, nowDone, queue ?? []);
            if (following) setCurrent(following);
            else onClose();
            return following;
          }}
        />
      )}
    </Drawer>
  );
}

function ContactForm({
  target,
  hasQueue,
  onCancel,
  onSaved,
}: {
  target: ContactTarget;
  hasQueue: boolean;
  onCancel: () => void;
  /** Returns the member opened next, if any. */
  onSaved: (next: boolean) => ContactTarget | null;
}) {
  const [form] = Form.useForm<ContactFormValues>();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = useRefreshAfterContact();
  const reached = Form.useWatch('reached', form) ?? true;
  const whereaboutsChanged = Form.useWatch('whereaboutsChanged', form) ?? false;
  const [initialValues] = useState(() => initialContactValues());
  /** The date picker: the first field, where the keyboard starts. */
  const firstField = useRef<GetRef<typeof DatePicker> | null>(null);

  // 去向有变化 needs the episode's version (optimistic locking) and where it says now. A queue row
  // carries both; otherwise, or once the version turned out stale, they come from the member
  // record. Reading that is an audited view (DOMAIN.md §10), so it is asked for only then.
  const fromTarget = useMemo(() => episodeOfTarget(target), [target]);
  const [targetStale, setTargetStale] = useState(false);
  const readMember = whereaboutsChanged && (!fromTarget || targetStale);
  const detail = useQuery({ ...memberDetailQuery(target.memberId), enabled: readMember });
  const fromMember = useMemo((): EpisodeSnapshot | null => {
    const open = detail.data?.mobilities.find(
      (m) => m.direction === 'outflow' && isOpenMobilityStatus(m.status),
    );
    return open
      ? {
          version: open.version,
          destinationRegionCode: open.destinationRegionCode,
          destinationName: open.destinationName,
          employer: open.employer,
        }
      : null;
  }, [detail.data]);
  const episode = readMember ? fromMember : fromTarget;
  useEffect(() => {
    if (!whereaboutsChanged || !episode) return;
    // What the officer typed stays; only empty fields take the episode's values.
    const values = form.getFieldsValue(['destinationRegionCode', 'employer']);
    form.setFieldsValue({
      destinationRegionCode: values.destinationRegionCode ?? episode.destinationRegionCode,
      employer: values.employer ?? episode.employer ?? undefined,
    });
  }, [whereaboutsChanged, episode, form]);

  useEffect(() => {
    // After the drawer's slide-in, and again for each next member (the form is remounted).
    const timer = window.setTimeout(() => firstField.current?.focus(), 80);
    return () => window.clearTimeout(timer);
  }, []);

  const mutation = useMutation({
    mutationFn: ({ values }: { values: ContactFormValues; next: boolean }) => {
      const changing = (values.reached ?? true) && !!values.whereaboutsChanged;
      if (changing && !episode)
        return Promise.reject(
          new Error(
            readMember && detail.isPending
              ? '正在读取该党员的流动登记，请稍候再保存'
              : '该党员没有进行中的流出登记，无法更新去向；请取消勾选“去向有变化”后保存',
          ),
        );
      const parsed = CreateContactInput.safeParse(
        toCreateContactInput(values, target.memberId, episode?.version),
      );
      if (!parsed.success) return Promise.reject(parsed.error);
      return createContact(parsed.data);
    },
    onSuccess: async (result, { values, next }) => {
      const changed = (values.reached ?? true) && !!values.whereaboutsChanged;
      const following = onSaved(next);
      message.success(
        following
          ? `已登记${target.memberName}的联系，下一位：${following.memberName}`
          : `已登记${target.memberName}的联系，下次应联系日期 ${formatDate(result.dueOn)}`,
      );
      if (next && !following) message.info('当前列表已全部登记');
      await refresh(target.memberId, changed);
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
      if (isApiError(error, 'version_conflict')) {
        // The queue row's version is stale: from now on the member record says (read afresh).
        if (fromTarget) setTargetStale(true);
        void queryClient.invalidateQueries({ queryKey: memberKeys.detail(target.memberId) });
      }
    },
  });

  const submit = (next: boolean) => {
    if (mutation.isPending) return;
    form
      .validateFields()
      .then((values) => mutation.mutate({ values, next }))
      .catch(() => {
        // The fields show what to fix.
      });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (isSaveNextShortcut(event)) {
      event.preventDefault();
      submit(hasQueue);
    }
  };

  const textRules = [{ max: 500, message: '不超过500个字' }];
  // Labels beside the five text boxes on a wide screen: the whole form fits without scrolling.
  const textLayout = screens.sm
    ? { layout: 'horizontal' as const, labelCol: { flex: `${TEXT_LABEL_WIDTH}px` } }
    : {};
  const futureDisabled = (date: Dayjs) => isFutureDay(date);

  return (
    <Flex vertical gap={16} onKeyDown={onKeyDown} style={{ minHeight: '100%' }}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'org', label: '所在支部', children: orEmpty(target.orgName) },
          { key: 'phone', label: '手机', children: orEmpty(target.phoneMasked) },
          {
            key: 'dest',
            label: '流向',
            children: [target.destinationName, target.employer].filter(Boolean).join(' · ') || '—',
          },
          { key: 'last', label: '上次联系', children: formatDate(target.lastContactOn) },
          ...(target.dueOn
            ? [
                {
                  key: 'due',
                  label: '应联系日期',
                  children: (
                    <Space size={6}>
                      {formatDate(target.dueOn)}
                      {overdueText(target.overdueDays ?? 0) && (
                        <Typography.Text type="danger">
                          {overdueText(target.overdueDays ?? 0)}
                        </Typography.Text>
                      )}
                      {target.lostLevel && <LostLevelTag level={target.lostLevel} />}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {mutation.error && !(mutation.error instanceof z.ZodError) && (
        <ErrorAlert
          error={
            isApiError(mutation.error, 'version_conflict')
              ? new Error('该党员的流动登记刚被他人修改，已重新读取，请核对去向后再保存')
              : mutation.error
          }
        />
      )}
      <Form<ContactFormValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={initialValues}
        onFinish={() => submit(false)}
        autoComplete="off"
        requiredMark={false}
      >
        <Flex gap={16} wrap>
          <Form.Item
            label="联系日期"
            name="contactedOn"
            rules={[{ required: true, message: '请选择联系日期' }]}
            style={{ flex: '0 0 160px' }}
          >
            <DatePicker
              ref={firstField}
              allowClear={false}
              disabledDate={futureDisabled}
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item label="是否联系上" name="reached" style={{ flex: '1 1 200px' }}>
            <Radio.Group
              optionType="button"
              options={[
                { value: true, label: '联系上本人' },
                { value: false, label: '未联系上' },
              ]}
            />
          </Form.Item>
        </Flex>
        <Form.Item
          label="联系方式"
          name="channel"
          rules={[{ required: true, message: '请选择联系方式' }]}
        >
          <Radio.Group optionType="button" options={CONTACT_CHANNEL_OPTIONS} />
        </Form.Item>
        {!reached && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title="未联系上本人不重新计算联系周期；请在“跟进事项”中写明下一步怎样查找。"
          />
        )}
        <Form.Item label="工作情况" name="work" rules={textRules} {...textLayout}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item label="生活情况" name="life" rules={textRules} {...textLayout}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item label="思想状况" name="thinking" rules={textRules} {...textLayout}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item label="困难诉求" name="difficulties" rules={textRules} {...textLayout}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item
          label="跟进事项"
          name="followUp"
          rules={textRules}
          style={{ marginBottom: 4 }}
          {...textLayout}
        >
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item
          name="followUpNeeded"
          valuePropName="checked"
          style={screens.sm ? { marginInlineStart: TEXT_LABEL_WIDTH } : undefined}
        >
          <Checkbox>需跟进</Checkbox>
        </Form.Item>
        <Collapse
          size="small"
          items={[
            {
              key: 'learnt',
              label: '本次了解到（组织生活、党费、去向变化）',
              forceRender: true,
              children: reached ? (
                <>
                  <Flex gap={16} wrap>
                    <Form.Item
                      label="最近参加组织生活日期"
                      name="orgLifeOn"
                      style={{ flex: '1 1 180px' }}
                    >
                      <DatePicker disabledDate={futureDisabled} style={{ width: '100%' }} />
                    </Form.Item>
                    <Form.Item
                      label="最近交纳党费日期"
                      name="duesPaidOn"
                      style={{ flex: '1 1 180px' }}
                    >
                      <DatePicker disabledDate={futureDisabled} style={{ width: '100%' }} />
                    </Form.Item>
                  </Flex>
                  <Form.Item name="whereaboutsChanged" valuePropName="checked">
                    <Checkbox>去向有变化（同时更新流动登记）</Checkbox>
                  </Form.Item>
                  {whereaboutsChanged && (
                    <WhereaboutsFields
                      loading={readMember && detail.isPending}
                      error={readMember ? detail.error : null}
                      missing={readMember ? detail.isSuccess && !fromMember : !episode}
                      fallbackLabel={episode?.destinationName}
                    />
                  )}
                </>
              ) : (
                <Typography.Text type="secondary">
                  联系上本人后才能登记组织生活、党费和去向变化。
                </Typography.Text>
              ),
            },
          ]}
        />
      </Form>
      <Flex
        justify="space-between"
        align="center"
        wrap
        gap={8}
        style={{
          marginTop: 'auto',
          position: 'sticky',
          bottom: -24,
          padding: '12px 0 16px',
          background: '#fff',
          borderTop: '1px solid #f0f0f0',
          zIndex: 2,
        }}
      >
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {hasQueue ? 'Ctrl+Enter 保存并登记下一位，Esc 关闭' : 'Ctrl+Enter 保存，Esc 关闭'}
        </Typography.Text>
        <Space wrap>
          <Button onClick={onCancel}>取消</Button>
          <Button
            type={hasQueue ? 'default' : 'primary'}
            loading={mutation.isPending && !mutation.variables?.next}
            disabled={mutation.isPending}
            onClick={() => submit(false)}
          >
            保存
          </Button>
          {hasQueue && (
            <Button
              type="primary"
              loading={mutation.isPending && mutation.variables?.next}
              disabled={mutation.isPending}
              onClick={() => submit(true)}
            >
              保存并登记下一位
            </Button>
          )}
        </Space>
      </Flex>
    </Flex>
  );
}

function WhereaboutsFields({
  loading,
  error,
  missing,
  fallbackLabel,
}: {
  loading: boolean;
  error: unknown;
  missing: boolean;
  fallbackLabel?: string | null;
}) {
  if (error) return <ErrorAlert error={error} style={{ marginBottom: 16 }} />;
  if (missing)
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title="该党员没有进行中的流出登记，无法在此更新去向；请到党员页面登记流出。"
      />
    );
  return (
    <>
      <Form.Item
        label="现流入地"
        name="destinationRegionCode"
        rules={[{ required: true, message: '请选择现在所在的省 / 市 / 县（区）' }]}
      >
        <RegionCascader fallbackLabel={fallbackLabel} disabled={loading} />
      </Form.Item>
      <Form.Item
        label="详细地址"
        name="destinationAddress"
        rules={[{ max: 200, message: '不超过200个字' }]}
        extra="地址加密保存，列表中只显示脱敏后的内容"
      >
        <Input maxLength={200} disabled={loading} />
      </Form.Item>
      <Form.Item label="工作单位" name="employer" rules={[{ max: 100, message: '不超过100个字' }]}>
        <Input maxLength={100} disabled={loading} />
      </Form.Item>
    </>
  );
}
