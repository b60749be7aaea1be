import { useEffect, useRef, type KeyboardEvent } from 'react';
import {
  Button,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Space,
  Typography,
} from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { z } from 'zod';
import { VerifyCensusTaskInput, type CensusCampaign, type CensusTask } from '@liudong/contracts';
import type { ContactChannel } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { orEmpty } from '../../../ui/format';
import { showZodErrors } from '../../../ui/zod-form';
import { RegionCascader } from '../../regions/components/region-cascader';
import { verifyCensusTask } from '../api/census-api';
import {
  CENSUS_CHANNEL_OPTIONS,
  CENSUS_RESULT_OPTIONS,
  defaultVerifiedOn,
  resultForKey,
  toVerifyInput,
  verifiedOnDisabled,
  verifyIssueField,
  type VerifyFormValues,
} from '../census-values';

const FORM_ID = 'verify-census-task-form';
export const TASK_CONFLICT_TEXT = '该任务已被他人核实或修改，请刷新后重试';

/** What the officer used last, kept for the next member (30 calls in a row, issue 4 §2). */
export interface VerifySticky {
  channel: ContactChannel;
  verifiedOn: string | null;
}

/** A key pressed in a field that takes text (the date, the note): not a shortcut there. */
function isTyping(target: EventTarget): boolean {
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['radio', 'checkbox', 'button'].includes(target.type) && !target.readOnly;
  }
  return false;
}

/**
 * 核实 one census task, designed for speed: 1 / 2 / 3 pick 无变化 / 有变化 / 无法联系, Enter saves
 * and opens the next pending member (保存并核实下一位). The date starts at today, kept within the
 * campaign's period; channel and date carry over to the next member. 有变化 asks where the member
 * is now, which updates the episode in the same step (issue 4 §5).
 */
export function VerifyTaskModal({
  campaign,
  task,
  sticky,
  onSaved,
  onClose,
}: {
  campaign: Pick<CensusCampaign, 'id' | 'startsOn' | 'endsOn'>;
  /** The task in the form; null closes the dialog. */
  task: CensusTask | null;
  sticky: VerifySticky;
  /** After a save; `next` when 保存并核实下一位 was chosen. */
  onSaved: (saved: CensusTask, input: VerifyCensusTaskInput, next: boolean) => Promise<void>;
  onClose: () => void;
}) {
  const [form] = Form.useForm<VerifyFormValues>();
  const result = Form.useWatch('result', form);
  const goNext = useRef(true);
  const body = useRef<HTMLDivElement>(null);
  const today = dayjs().format('YYYY-MM-DD');

  const mutation = useMutation({
    mutationFn: async ({ values }: { values: VerifyFormValues; next: boolean }) => {
      if (!task) throw new Error('没有要核实的任务');
      const parsed = VerifyCensusTaskInput.safeParse(toVerifyInput(task, values));
      if (!parsed.success) throw parsed.error;
      const saved = await verifyCensusTask(campaign.id, task.id, parsed.data);
      return { saved, input: parsed.data };
    },
    onSuccess: ({ saved, input }, { next }) => onSaved(saved, input, next),
    onError: (error) => {
      if (!(error instanceof z.ZodError)) return;
      const onForm = error.issues.flatMap((issue) => {
        const field = verifyIssueField(issue.path);
        return field ? [{ ...issue, path: [field] }] : [];
      });
      showZodErrors(form, new z.ZodError(onForm));
    },
  });
  const { reset } = mutation;

  // A new member in the form: no error of the previous one, focus on the result.
  useEffect(() => {
    reset();
    if (!task) return;
    const timer = window.setTimeout(() => {
      body.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
    }, 50);
    return () => window.clearTimeout(timer);
  }, [task, reset]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter') {
      const target = event.target as HTMLElement;
      // Enter confirms a date or a place in its own popup; in the note it is a new line
      // (Ctrl+Enter saves there).
      if (target.closest('button, .ant-picker, .ant-cascader, .ant-select')) return;
      if (target instanceof HTMLTextAreaElement && !event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      submit(true);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const picked = resultForKey(event.key);
    if (picked && (picked !== 'changed' || canChange)) {
      event.preventDefault();
      form.setFieldValue('result', picked);
    }
  };

  const submit = (next: boolean) => {
    goNext.current = next;
    form.submit();
  };

  const conflict = isApiError(mutation.error, 'version_conflict');
  // Contract issues the form has no field for (e.g. a missing episode version).
  const outsideForm =
    mutation.error instanceof z.ZodError
      ? mutation.error.issues
          .filter((issue) => verifyIssueField(issue.path) === null)
          .map((issue) => issue.message)
      : [];
  // 有变化 moves the episode: only a task with one can take it.
  const canChange = task?.mobilityId != null;
  const resultOptions = CENSUS_RESULT_OPTIONS.map((option) =>
    option.value === 'changed' && !canChange
      ? { ...option, disabled: true, title: '该党员没有流动登记，不能更新去向' }
      : option,
  );
  const isCorrection = task !== null && task.status !== 'pending';

  return (
    <Modal
      open={task !== null}
      title={task ? `${isCorrection ? '更正核实结果' : '核实'} · ${task.memberName}` : '核实'}
      width={680}
      destroyOnHidden
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button
            loading={mutation.isPending && mutation.variables?.next === false}
            onClick={() => submit(false)}
          >
            保存
          </Button>
          <Button
            type="primary"
            loading={mutation.isPending && mutation.variables?.next === true}
            onClick={() => submit(true)}
          >
            保存并核实下一位
          </Button>
        </Space>
      }
    >
      {task && (
        <div ref={body} onKeyDown={onKeyDown}>
          <Descriptions
            size="small"
            column={2}
            style={{ marginBottom: 16 }}
            items={[
              { key: 'org', label: '所属党组织', children: task.orgName },
              { key: 'phone', label: '手机', children: orEmpty(task.phoneMasked) },
              {
                key: 'destination',
                label: task.direction === 'outflow' ? '去向' : '流入地',
                children: orEmpty(task.destinationName),
              },
              { key: 'employer', label: '工作单位', children: orEmpty(task.employer) },
            ]}
          />
          {mutation.error && !(mutation.error instanceof z.ZodError) && (
            <ErrorAlert
              error={conflict ? new Error(TASK_CONFLICT_TEXT) : mutation.error}
              style={{ marginBottom: 16 }}
            />
          )}
          {outsideForm.length > 0 && (
            <ErrorAlert error={new Error(outsideForm.join('；'))} style={{ marginBottom: 16 }} />
          )}
          <Form<VerifyFormValues>
            key={task.id}
            form={form}
            id={FORM_ID}
            layout="vertical"
            autoComplete="off"
            disabled={mutation.isPending}
            initialValues={{
              result: task.status === 'pending' ? undefined : task.status,
              channel: sticky.channel,
              verifiedOn: dayjs(
                task.verifiedOn ?? sticky.verifiedOn ?? defaultVerifiedOn(today, campaign),
              ),
              destinationRegionCode: task.destinationRegionCode,
              employer: task.employer ?? undefined,
            }}
            onFinish={(values) => mutation.mutate({ values, next: goNext.current })}
          >
            <Form.Item
              label="核实结果"
              name="result"
              rules={[{ required: true, message: '请选择核实结果（可按 1、2、3 键）' }]}
              extra="快捷键：1 无变化，2 有变化，3 无法联系；回车保存并核实下一位（备注中按 Ctrl+回车）"
            >
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={resultOptions}
                aria-label="核实结果"
              />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={9}>
                <Form.Item
                  label="核实日期"
                  name="verifiedOn"
                  rules={[{ required: true, message: '请选择核实日期' }]}
                >
                  <DatePicker
                    style={{ width: '100%' }}
                    allowClear={false}
                    disabledDate={(date: Dayjs) => verifiedOnDisabled(date, campaign, today)}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={15}>
                <Form.Item
                  label="核实方式"
                  name="channel"
                  rules={[{ required: true, message: '请选择核实方式' }]}
                >
                  <Radio.Group
                    size="small"
                    optionType="button"
                    options={CENSUS_CHANNEL_OPTIONS}
                    aria-label="核实方式"
                  />
                </Form.Item>
              </Col>
            </Row>
            {result === 'changed' && (
              <>
                <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
                  有变化：请填写现在的去向，保存时一并更新流动登记。
                </Typography.Text>
                <Form.Item
                  label="现在的流入地"
                  name="destinationRegionCode"
                  rules={[{ required: true, message: '请选择现在的流入地' }]}
                >
                  <RegionCascader fallbackLabel={task.destinationName} />
                </Form.Item>
                <Row gutter={16}>
                  <Col xs={24} md={14}>
                    <Form.Item
                      label="详细地址"
                      name="destinationAddress"
                      rules={[{ max: 200, message: '不超过200个字' }]}
                    >
                      <Input maxLength={200} placeholder="街道、门牌等（选填）" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={10}>
                    <Form.Item
                      label="工作单位"
                      name="employer"
                      rules={[{ max: 100, message: '不超过100个字' }]}
                    >
                      <Input maxLength={100} />
                    </Form.Item>
                  </Col>
                </Row>
              </>
            )}
            <Form.Item label="备注" name="note" rules={[{ max: 300, message: '不超过300个字' }]}>
              <Input.TextArea
                rows={2}
                maxLength={300}
                placeholder={result === 'unreachable' ? '例如：电话停机，已托家属转告' : '选填'}
              />
            </Form.Item>
          </Form>
        </div>
      )}
    </Modal>
  );
}
