import { useEffect, useRef } from 'react';
import { Button, Form, Input, type GetRef } from 'antd';
import { useMutation } from '@tanstack/react-query';
import type { StepResponse } from '@liudong/contracts';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';

type OTPRef = GetRef<typeof Input.OTP>;

const CODE_PATTERN = /^\d{6}$/;

/**
 * antd 6 names the six boxes "OTP Input 1…6" in English and has no prop for it (Input.OTP passes
 * nothing of ours down to the boxes), so the names are set on the rendered inputs. The group keeps
 * its own name, 6位验证码.
 */
function labelOtpBoxes(root: HTMLElement | null | undefined): void {
  root?.querySelectorAll('input').forEach((input, index) => {
    const label = `验证码第${index + 1}位`;
    if (input.getAttribute('aria-label') !== label) input.setAttribute('aria-label', label);
  });
}

/**
 * A 6-digit code: submits itself once all six digits are in (Enter works too); a wrong code clears
 * the boxes and puts the cursor back in the first one.
 */
export function TotpCodeForm({
  submitLabel,
  submit,
  onDone,
  onError,
}: {
  submitLabel: string;
  submit: (code: string) => Promise<StepResponse>;
  onDone: (response: StepResponse) => Promise<unknown>;
  onError?: (error: unknown) => Promise<unknown>;
}) {
  const [form] = Form.useForm<{ code: string }>();
  const otpRef = useRef<OTPRef>(null);
  const mutation = useMutation({
    mutationFn: submit,
    onSuccess: onDone,
    onError: async (error) => {
      if (isApiError(error, 'totp_invalid') || isApiError(error, 'validation_failed')) {
        form.setFieldValue('code', '');
        // After React has re-rendered the emptied boxes.
        window.requestAnimationFrame(() => otpRef.current?.focus());
      }
      await onError?.(error);
    },
  });

  useEffect(() => {
    otpRef.current?.focus();
  }, []);

  // After every render: React leaves attributes it did not change alone, so this sticks.
  useEffect(() => {
    labelOtpBoxes(otpRef.current?.nativeElement);
  });

  const trySubmit = (code: string | undefined) => {
    if (code && CODE_PATTERN.test(code) && !mutation.isPending) mutation.mutate(code);
  };

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={({ code }) => trySubmit(code)}
      onValuesChange={(changed: { code?: string }) => trySubmit(changed.code)}
    >
      <ErrorAlert error={mutation.error} style={{ marginBottom: 16 }} />
      <Form.Item
        label="6位验证码"
        name="code"
        rules={[{ required: true, pattern: CODE_PATTERN, message: '请输入6位数字验证码' }]}
      >
        <Input.OTP
          ref={otpRef}
          length={6}
          size="large"
          autoComplete="one-time-code"
          formatter={(value) => value.replace(/\D/g, '')}
          aria-label="6位验证码"
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={mutation.isPending}>
        {submitLabel}
      </Button>
    </Form>
  );
}
