import {
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { SaveSmsTemplateInput, type SmsTemplate } from '@liudong/contracts';
import { SMS_MAX_CHARS, type SmsTemplateKind } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { blankToNull } from '../../../ui/format';
import { showZodErrors } from '../../../ui/zod-form';
import { createSmsTemplate, smsKeys, updateSmsTemplate } from '../api/sms-api';
import { TEMPLATE_KIND_OPTIONS, lengthText, previewText, variableLabel } from '../sms-values';

const FORM_ID = 'sms-template-form';

interface TemplateValues {
  name?: string;
  kind?: SmsTemplateKind;
  body?: string;
  providerTemplateCode?: string;
  active?: boolean;
}

/**
 * 新建 / 编辑 an SMS template (sms.configure). Variables are written `${name}` as in the provider's
 * own template review; the preview fills them with fictional sample values and counts characters
 * and billing segments as the provider will (sign not included).
 */
export function TemplateFormModal({
  template,
  open,
  onClose,
}: {
  /** null: a new template. */
  template: SmsTemplate | null;
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<TemplateValues>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const body = Form.useWatch('body', form) ?? '';
  const preview = previewText(body, {}, true);

  const mutation = useMutation({
    mutationFn: (values: TemplateValues) => {
      const parsed = SaveSmsTemplateInput.safeParse({
        name: values.name ?? '',
        kind: values.kind,
        body: values.body ?? '',
        providerTemplateCode: blankToNull(values.providerTemplateCode),
        active: values.active ?? true,
        ...(template ? { version: template.version } : {}),
      });
      if (!parsed.success) throw parsed.error;
      return template
        ? updateSmsTemplate(template.id, parsed.data)
        : createSmsTemplate(parsed.data);
    },
    onSuccess: async (saved) => {
      message.success(template ? `已保存「${saved.name}」` : `已新建「${saved.name}」`);
      await queryClient.invalidateQueries({ queryKey: smsKeys.templates });
      onClose();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
    },
  });

  return (
    <Modal
      open={open}
      title={template ? `编辑短信模板 · ${template.name}` : '新建短信模板'}
      width={760}
      destroyOnHidden
      onCancel={onClose}
      okText="保存"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      {mutation.error && !(mutation.error instanceof z.ZodError) && (
        <ErrorAlert
          error={
            isApiError(mutation.error, 'version_conflict')
              ? new Error('该模板已被他人修改，请关闭后刷新再编辑')
              : mutation.error
          }
          style={{ marginBottom: 16 }}
          action={
            isApiError(mutation.error, 'version_conflict') ? (
              <Button
                size="small"
                onClick={() => {
                  void queryClient.invalidateQueries({ queryKey: smsKeys.templates });
                  onClose();
                }}
              >
                刷新
              </Button>
            ) : undefined
          }
        />
      )}
      <Form<TemplateValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        autoComplete="off"
        disabled={mutation.isPending}
        initialValues={
          template
            ? {
                name: template.name,
                kind: template.kind,
                body: template.body,
                providerTemplateCode: template.providerTemplateCode ?? undefined,
                active: template.active,
              }
            : { kind: 'broadcast', active: true }
        }
        onFinish={(values) => mutation.mutate(values)}
        clearOnDestroy
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label="模板名称"
              name="name"
              rules={[
                { required: true, whitespace: true, message: '请填写模板名称' },
                { max: 40, message: '不超过40个字' },
              ]}
            >
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label="类型" name="kind" rules={[{ required: true, message: '请选择类型' }]}>
              <Select options={TEMPLATE_KIND_OPTIONS} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              label="短信内容"
              name="body"
              rules={[
                { required: true, whitespace: true, message: '请填写短信内容' },
                { max: SMS_MAX_CHARS, message: `不超过${SMS_MAX_CHARS}个字` },
              ]}
              extra="变量写作 ${变量名}，如 ${name}（收件人姓名，发送时自动填写）、${festival}（节日）"
            >
              <Input.TextArea rows={4} maxLength={SMS_MAX_CHARS} showCount />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="服务商模板编号"
              name="providerTemplateCode"
              rules={[{ max: 40, message: '不超过40个字' }]}
              extra="在阿里云短信服务审核通过的模板编号，如 SMS_123456789"
            >
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label="启用" name="active" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <Card size="small" title="预览（示例数据）">
        <Flex vertical gap={8}>
          <Flex gap={4} wrap align="center">
            <Typography.Text type="secondary">变量：</Typography.Text>
            {preview.variables.length === 0 ? (
              <Typography.Text type="secondary">无</Typography.Text>
            ) : (
              preview.variables.map((v) => (
                <Tag key={v} style={{ marginInlineEnd: 0 }}>
                  {`\${${v}}`} {variableLabel(v)}
                </Tag>
              ))
            )}
          </Flex>
          <Typography.Paragraph style={{ marginBottom: 0 }} aria-label="模板预览">
            {preview.text || '（请填写短信内容）'}
          </Typography.Paragraph>
          <Typography.Text type={preview.tooLong ? 'danger' : 'secondary'}>
            {lengthText(preview)}，不含短信签名
            {preview.tooLong ? `；超过${SMS_MAX_CHARS}字，服务商将拒收` : ''}
          </Typography.Text>
        </Flex>
      </Card>
    </Modal>
  );
}
