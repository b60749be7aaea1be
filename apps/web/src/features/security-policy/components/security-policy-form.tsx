import { Alert, App, Button, Card, Col, Flex, Form, InputNumber, Row, Tag, Typography } from 'antd';
import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { SecurityPolicy } from '@liudong/contracts';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { saveSecurityPolicy, securityPolicyKeys } from '../api/security-policy-api';
import {
  DEFAULT_SECURITY_POLICY,
  POLICY_GROUPS,
  diffPolicy,
  fieldOfServerPath,
  policyFieldKey,
  type PolicyField,
} from '../policy-fields';

const FORM_ID = 'security-policy-form';

/** Half-width cards for the small groups, the lockout (three settings) across the page. */
const GROUP_SPAN: Record<string, { xs: number; xl: number }> = {
  lockout: { xs: 24, xl: 24 },
};

/** The details of a 400 `validation_failed` that name one of the fields, with that field. */
function serverFieldErrors(error: unknown): { field: PolicyField; message: string }[] {
  if (!isApiError(error, 'validation_failed') || !Array.isArray(error.details)) return [];
  return error.details.flatMap((detail: { path?: unknown; message?: unknown }) => {
    const field = fieldOfServerPath(detail?.path);
    return field && typeof detail.message === 'string' ? [{ field, message: detail.message }] : [];
  });
}

/** The server's message; for field errors, each with the field's Chinese name. */
function SaveError({ error }: { error: unknown }) {
  const fields = serverFieldErrors(error);
  if (fields.length === 0 || !(error instanceof Error)) return <ErrorAlert error={error} />;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={error.message}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {fields.map(({ field, message }) => (
            <li key={policyFieldKey(field.path)}>
              {field.label}：{message}
            </li>
          ))}
        </ul>
      }
    />
  );
}

function PolicyInput({ field, isChanged }: { field: PolicyField; isChanged: boolean }) {
  const { label, unit, min, max } = field;
  // No min/max on the InputNumber: antd would silently clamp a typed 99 to 20 on blur; the rule
  // says what is allowed instead.
  return (
    <Form.Item
      label={
        <Flex align="center" gap={6}>
          {label}
          {isChanged && (
            <Tag color="orange" variant="filled" style={{ marginInlineEnd: 0, fontSize: 11 }}>
              已修改
            </Tag>
          )}
        </Flex>
      }
      name={field.path}
      style={{ marginBottom: 0 }}
      rules={[
        { required: true, message: `请输入${label}` },
        { type: 'number', min, max, message: `${label}应在 ${min}–${max} ${unit} 之间` },
      ]}
      extra={
        <>
          {field.help}
          <br />
          默认 {field.defaultValue} {unit}；可设 {min}–{max} {unit}。
        </>
      }
    >
      <InputNumber precision={0} step={1} suffix={unit} style={{ width: '100%', maxWidth: 240 }} />
    </Form.Item>
  );
}

/**
 * The policy as a form. Nothing is saved until 保存, which first lists every change (old → new) for
 * confirmation; 恢复默认值 only fills in the defaults.
 */
export function SecurityPolicyForm({ saved }: { saved: SecurityPolicy }) {
  const [form] = Form.useForm<SecurityPolicy>();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const watched = Form.useWatch((values) => values, form);
  const current = SecurityPolicy.safeParse(watched);
  const changes = current.success ? diffPolicy(saved, current.data) : [];
  const changedKeys = new Set(changes.map((change) => change.key));
  const isDirty = watched !== undefined && (!current.success || changes.length > 0);

  const mutation = useMutation({
    mutationFn: saveSecurityPolicy,
    onSuccess: async () => {
      message.success('安全策略已保存，新的设置立即生效');
      // Reload what the server now holds; the page shows the form again with those values.
      await queryClient.invalidateQueries({ queryKey: securityPolicyKeys.all });
    },
    onError: (error) => {
      const fields = serverFieldErrors(error);
      if (fields.length > 0) {
        form.setFields(
          fields.map(({ field, message }) => ({ name: field.path, errors: [message] })),
        );
      }
    },
  });

  const submit = (values: SecurityPolicy) => {
    const parsed = SecurityPolicy.safeParse(values);
    if (!parsed.success) {
      showZodErrors(form, parsed.error);
      return;
    }
    const list = diffPolicy(saved, parsed.data);
    if (list.length === 0) {
      message.info('没有修改，无需保存');
      return;
    }
    modal.confirm({
      title: '确认修改安全策略？',
      width: 480,
      content: (
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            将修改以下 {list.length} 项设置：
          </Typography.Paragraph>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {list.map((change) => (
              <li key={change.key}>
                {change.label}：{change.before} → <strong>{change.after}</strong>
              </li>
            ))}
          </ul>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            保存后立即对所有账号生效，并记入审计日志。
          </Typography.Paragraph>
        </>
      ),
      okText: '保存',
      cancelText: '取消',
      onOk: () => mutation.mutateAsync(parsed.data).catch(() => undefined),
    });
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          安全策略
        </Typography.Title>
        <Flex gap={8} wrap align="center">
          {isDirty && (
            <Typography.Text type="warning" role="status" style={{ marginInlineEnd: 8 }}>
              {changes.length > 0
                ? `有 ${changes.length} 项修改尚未保存`
                : '有修改尚未保存，请检查标红的项目'}
            </Typography.Text>
          )}
          <Button
            onClick={() => {
              form.setFieldsValue(DEFAULT_SECURITY_POLICY);
              mutation.reset();
              message.info('已填入默认值，点击“保存”后生效');
            }}
          >
            恢复默认值
          </Button>
          <Button
            icon={<UndoOutlined />}
            disabled={!isDirty}
            onClick={() => {
              form.resetFields();
              mutation.reset();
            }}
          >
            撤销修改
          </Button>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            htmlType="submit"
            form={FORM_ID}
            loading={mutation.isPending}
          >
            保存
          </Button>
        </Flex>
      </Flex>

      {mutation.error && <SaveError error={mutation.error} />}
      <Form<SecurityPolicy>
        form={form}
        id={FORM_ID}
        layout="vertical"
        initialValues={saved}
        disabled={mutation.isPending}
        onFinish={submit}
      >
        <Row gutter={[16, 16]}>
          {POLICY_GROUPS.map((group) => (
            <Col key={group.key} xs={24} xl={12} {...GROUP_SPAN[group.key]}>
              <Card
                title={group.title}
                style={{ height: '100%' }}
                styles={{ body: { paddingTop: 16 } }}
              >
                <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
                  {group.description}
                </Typography.Paragraph>
                <Row gutter={[24, 16]}>
                  {group.fields.map((field) => (
                    <Col
                      key={policyFieldKey(field.path)}
                      xs={24}
                      md={group.fields.length > 2 ? 8 : 12}
                    >
                      <PolicyInput
                        field={field}
                        isChanged={changedKeys.has(policyFieldKey(field.path))}
                      />
                    </Col>
                  ))}
                </Row>
              </Card>
            </Col>
          ))}
        </Row>
      </Form>
    </Flex>
  );
}
