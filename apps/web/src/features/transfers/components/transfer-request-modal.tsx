import { App, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { RequestTransferInput, type Transfer } from '@liudong/contracts';
import { TRANSFER_RECEIVING_ORG_KINDS } from '@liudong/domain';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { showZodErrors } from '../../../ui/zod-form';
import { errorAboveForm, fieldErrorsOf } from '../../mobility/components/mobility-form-values';
import { OrgChoiceFields } from '../../orgs/components/org-directory-select';
import { requestTransfer } from '../api/transfers-api';
import { useRefreshAfterTransfer } from '../hooks/use-refresh-after-transfer';
import { toRequestInput, type RequestFormValues } from './transfer-values';

const FORM_ID = 'transfer-request-form';
const REQUEST_FIELDS = ['toOrgId', 'toOrgText', 'toRegionCode', 'reason'] as const;

/**
 * 申请转接组织关系 for one member: where the affiliation goes (an org anywhere in the system, or
 * outside it by name and region) and why. The sending org is the member's own; the letter comes
 * with the approval (issue 3 §5).
 */
export function TransferRequestModal({
  member,
  open,
  onClose,
  defaultRegionCode,
}: {
  member: { id: string; name: string; orgName: string | null };
  open: boolean;
  onClose: () => void;
  /** Where the member is working away, a likely region for an org outside the system. */
  defaultRegionCode?: string | null;
}) {
  const [form] = Form.useForm<RequestFormValues>();
  const { message } = App.useApp();
  const refresh = useRefreshAfterTransfer();

  const mutation = useMutation({
    mutationFn: (values: RequestFormValues): Promise<Transfer> => {
      const parsed = RequestTransferInput.safeParse(toRequestInput(member.id, values));
      if (!parsed.success) throw parsed.error;
      return requestTransfer(parsed.data);
    },
    onSuccess: async () => {
      message.success(`已提交「${member.name}」的组织关系转接申请，待审批`);
      await refresh();
      onClose();
    },
    onError: (error) => {
      if (error instanceof z.ZodError) showZodErrors(form, error);
      else if (isApiError(error, 'validation_failed')) {
        const { fields } = fieldErrorsOf(error.details, REQUEST_FIELDS);
        form.setFields(fields as Parameters<typeof form.setFields>[0]);
      }
    },
  });
  // Messages placed next to their fields are not repeated above the form.
  const error = errorAboveForm(mutation.error, REQUEST_FIELDS);

  return (
    <Modal
      open={open}
      title={`申请转接组织关系 · ${member.name}`}
      width={640}
      destroyOnHidden
      onCancel={onClose}
      okText="提交申请"
      okButtonProps={{ htmlType: 'submit', form: FORM_ID, loading: mutation.isPending }}
      afterClose={() => mutation.reset()}
    >
      <Form<RequestFormValues>
        form={form}
        id={FORM_ID}
        layout="vertical"
        disabled={mutation.isPending}
        initialValues={{ toRegionCode: defaultRegionCode ?? null }}
        onFinish={(values) => mutation.mutate(values)}
        autoComplete="off"
        clearOnDestroy
      >
        <ErrorAlert error={error} style={{ marginBottom: 16 }} />
        <Form.Item label="转出党组织" extra="即党员所在党组织，由其上级党委审批并开具介绍信">
          <Input value={member.orgName ?? '—'} disabled aria-label="转出党组织" />
        </Form.Item>
        <OrgChoiceFields
          label="接收党组织"
          modeName="toOrgMode"
          idName="toOrgId"
          textName="toOrgText"
          regionName="toRegionCode"
          required
          // Temporary and online branches and committees do not take in an affiliation.
          kinds={TRANSFER_RECEIVING_ORG_KINDS}
          kindsHint="匹配的组织不接收组织关系（党委、临时党支部、网上党支部），请选择党支部、党总支或流动党员党组织"
          extra="系统内的党组织（可跨县）请搜索选择；系统外的填写全称并选择所在地"
        />
        <Form.Item
          label="转接原因"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '请填写转接原因' },
            { max: 200, message: '不超过200个字' },
          ]}
        >
          <Input.TextArea
            maxLength={200}
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder="如：外出务工满6个月且工作地点相对固定"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
