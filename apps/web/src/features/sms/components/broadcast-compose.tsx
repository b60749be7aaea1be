import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { EyeOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Broadcast, BroadcastInput, BroadcastPreview, SmsTemplate } from '@liudong/contracts';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { activeGrant, useMe } from '../../auth/hooks/use-me';
import { OrgPicker } from '../../orgs/components/org-picker';
import { RegionCascader } from '../../regions/components/region-cascader';
import { previewBroadcast, sendBroadcast, smsKeys, smsTemplatesQuery } from '../api/sms-api';
import {
  BROADCAST_DIRECTION_OPTIONS,
  broadcastKey,
  broadcastParamNames,
  broadcastTemplates,
  lengthText,
  limitWarning,
  previewText,
  sendBlocker,
  sendConfirmText,
  toBroadcastInput,
  variableLabel,
  type ComposeValues,
} from '../sms-values';

export const GROUP_CHANGED_TEXT =
  '发送前收件人有变化（党员流动、退订或手机号变更），已重新预览，请核对人数后再发送';

interface Previewed {
  key: string;
  input: BroadcastInput;
  result: BroadcastPreview;
}

/**
 * 群发 (红色短信, issue 4 §6): a template, its variables, the group (an org's subtree, outbound /
 * inbound, a destination province or city), then 预览 — how many get it, how many have no phone
 * or opted out, the text as sent, billing segments, what is left of today's limit — and 发送 after
 * a confirmation that repeats the count. The server refuses (409) when the group changed since the
 * preview; the form previews again and asks once more.
 */
export function BroadcastCompose({ onSent }: { onSent: (broadcast: Broadcast) => void }) {
  const me = useMe();
  const grant = activeGrant(me);
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ComposeValues>();
  const templates = useQuery(smsTemplatesQuery());
  const choices = broadcastTemplates(templates.data?.items ?? []);
  const values = Form.useWatch((all: ComposeValues) => all, form) ?? {};
  const template: SmsTemplate | null =
    choices.find((candidate) => candidate.id === values.templateId) ?? null;
  const paramNames = template ? broadcastParamNames(template) : [];
  const [previewed, setPreviewed] = useState<Previewed | null>(null);
  const [groupChanged, setGroupChanged] = useState(false);

  const inputNow = (): BroadcastInput => {
    const all = form.getFieldsValue(true) as ComposeValues;
    const chosen = choices.find((candidate) => candidate.id === all.templateId) ?? null;
    return toBroadcastInput(all, chosen);
  };
  const currentKey = template ? broadcastKey(toBroadcastInput(values, template)) : null;
  const isCurrent = previewed !== null && previewed.key === currentKey;

  const preview = useMutation({
    mutationFn: async (input: BroadcastInput) => ({ input, result: await previewBroadcast(input) }),
    onSuccess: ({ input, result }) => setPreviewed({ key: broadcastKey(input), input, result }),
  });

  const send = useMutation({
    mutationFn: (input: BroadcastInput & { confirmRecipients: number }) => sendBroadcast(input),
    onSuccess: async (broadcast) => {
      message.success(`已提交群发，${broadcast.recipientCount} 条短信进入发件箱`);
      setPreviewed(null);
      setGroupChanged(false);
      await queryClient.invalidateQueries({ queryKey: smsKeys.all });
      onSent(broadcast);
    },
    onError: (error, input) => {
      if (isApiError(error) && error.status === 409) {
        setGroupChanged(true);
        const { confirmRecipients: _, ...again } = input;
        preview.mutate(again);
      }
    },
  });

  const runPreview = async () => {
    await form.validateFields();
    setGroupChanged(false);
    send.reset();
    preview.mutate(inputNow());
  };

  const confirmSend = (shown: Previewed) => {
    modal.confirm({
      title: sendConfirmText(shown.result),
      content: (
        <Flex vertical gap={4}>
          <Typography.Text>
            模板「{template?.name ?? ''}」，每人 {shown.result.segments} 条计费短信。
          </Typography.Text>
          {shown.result.withoutPhone + shown.result.optedOut > 0 && (
            <Typography.Text type="secondary">
              无手机号 {shown.result.withoutPhone} 人、已退订 {shown.result.optedOut} 人，不会发送。
            </Typography.Text>
          )}
          <Typography.Text type="secondary">发送后不能撤回，发送记录留存备查。</Typography.Text>
        </Flex>
      ),
      okText: '确认发送',
      cancelText: '取消',
      onOk: () =>
        send
          .mutateAsync({ ...shown.input, confirmRecipients: shown.result.recipients })
          .catch(() => undefined),
    });
  };

  const shown = isCurrent ? previewed : null;
  const blocker = shown ? sendBlocker(shown.result) : null;
  const warning = shown ? limitWarning(shown.result) : null;
  const draft = template ? previewText(template.body, values.params ?? {}, false) : null;

  return (
    <Row gutter={[24, 16]}>
      <Col xs={24} lg={13}>
        <Form<ComposeValues>
          form={form}
          layout="vertical"
          autoComplete="off"
          initialValues={{ orgId: grant?.orgId ?? null, direction: 'all', params: {} }}
          onFinish={() => void runPreview().catch(() => undefined)}
        >
          <ErrorAlert error={templates.error} style={{ marginBottom: 16 }} />
          <Form.Item
            label="短信模板"
            name="templateId"
            rules={[{ required: true, message: '请选择短信模板' }]}
            extra={
              templates.data && choices.length === 0
                ? '暂无可用的群发模板，请联系有短信配置权限的同志在“模板”中新建'
                : undefined
            }
          >
            <Select
              placeholder="请选择群发模板"
              loading={templates.isPending}
              options={choices.map((t) => ({ value: t.id, label: t.name }))}
            />
          </Form.Item>
          {template && (
            <Card size="small" style={{ marginBottom: 16 }}>
              <Typography.Paragraph style={{ marginBottom: 8 }}>
                {template.body}
              </Typography.Paragraph>
              <Space size={[4, 4]} wrap>
                <Typography.Text type="secondary">变量：</Typography.Text>
                {template.variables.map((v) => (
                  <Tag key={v} style={{ marginInlineEnd: 0 }}>
                    {`\${${v}}`} {variableLabel(v)}
                    {v === 'name' ? '（自动填写）' : ''}
                  </Tag>
                ))}
              </Space>
            </Card>
          )}
          {paramNames.map((name) => (
            <Form.Item
              key={name}
              label={variableLabel(name)}
              name={['params', name]}
              rules={[
                { required: true, whitespace: true, message: `请填写${variableLabel(name)}` },
                { max: 100, message: '不超过100个字' },
              ]}
            >
              <Input maxLength={100} placeholder={name === 'festival' ? '例如：春节' : undefined} />
            </Form.Item>
          ))}
          <Form.Item
            label="发送范围"
            name="orgId"
            rules={[{ required: true, message: '请选择党组织' }]}
            extra="所选党组织及其全部下级组织的流动党员"
          >
            <OrgPicker initialLabel={grant?.orgName} />
          </Form.Item>
          <Form.Item label="发送对象" name="direction">
            <Radio.Group
              optionType="button"
              options={BROADCAST_DIRECTION_OPTIONS}
              aria-label="发送对象"
            />
          </Form.Item>
          <Form.Item
            label="流入地（省或市，可不选）"
            name="destinationRegionCode"
            extra="只发给在该省或该市的党员"
          >
            <RegionCascader />
          </Form.Item>
          <Button htmlType="submit" icon={<EyeOutlined />} loading={preview.isPending}>
            预览
          </Button>
        </Form>
      </Col>
      <Col xs={24} lg={11}>
        <Card title="预览" size="small">
          <Flex vertical gap={12}>
            {groupChanged && <Alert type="warning" showIcon title={GROUP_CHANGED_TEXT} />}
            <ErrorAlert error={preview.error} />
            {send.error && !(isApiError(send.error) && send.error.status === 409) && (
              <ErrorAlert error={send.error} />
            )}
            {shown ? (
              <PreviewFacts preview={shown.result} />
            ) : previewed ? (
              <Alert type="info" showIcon title="条件已修改，请重新预览" />
            ) : draft ? (
              <Flex vertical gap={4}>
                <Typography.Text type="secondary">
                  短信内容（收件人姓名发送时自动填写）：
                </Typography.Text>
                <Typography.Paragraph style={{ marginBottom: 0 }}>
                  {draft.text}
                </Typography.Paragraph>
                <Typography.Text type="secondary">
                  点击“预览”查看收件人数和实际发送内容
                </Typography.Text>
              </Flex>
            ) : (
              <Empty description="选择模板、填写发送范围后点击“预览”" />
            )}
            {warning && <Alert type="warning" showIcon title={warning} />}
            {shown && blocker && <Alert type="error" showIcon title={blocker} />}
            <Button
              type="primary"
              icon={<SendOutlined />}
              disabled={!shown || blocker !== null}
              loading={send.isPending}
              onClick={() => shown && confirmSend(shown)}
            >
              发送
            </Button>
          </Flex>
        </Card>
      </Col>
    </Row>
  );
}

function PreviewFacts({ preview }: { preview: BroadcastPreview }) {
  return (
    <Flex vertical gap={12}>
      <Descriptions
        size="small"
        column={2}
        bordered
        items={[
          {
            key: 'recipients',
            label: '收件人',
            children: <Typography.Text strong>{preview.recipients} 人</Typography.Text>,
          },
          { key: 'segments', label: '每人计费条数', children: `${preview.segments} 条` },
          {
            key: 'withoutPhone',
            label: '无手机号（不发送）',
            children: `${preview.withoutPhone} 人`,
          },
          { key: 'optedOut', label: '已退订（不发送）', children: `${preview.optedOut} 人` },
          {
            key: 'remaining',
            label: '今日剩余可发',
            span: 2,
            children: `${preview.remainingToday} 条`,
          },
        ]}
      />
      <Flex vertical gap={4}>
        <Typography.Text type="secondary">
          实际发送内容（第一位收件人）·{' '}
          {lengthText({ chars: [...preview.sample].length, segments: preview.segments })}
        </Typography.Text>
        <Card size="small" style={{ background: 'rgba(0, 0, 0, 0.02)' }}>
          <Typography.Paragraph style={{ marginBottom: 0 }} aria-label="短信样例">
            {preview.sample}
          </Typography.Paragraph>
        </Card>
      </Flex>
    </Flex>
  );
}
