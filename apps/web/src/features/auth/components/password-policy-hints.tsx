import { Flex, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, MinusCircleOutlined } from '@ant-design/icons';
import { checkPasswordPolicy, describePasswordPolicy } from '@liudong/domain';

type Rule = { key: string; label: string; codes: string[] };

const RULES: Rule[] = [
  { key: 'length', label: '长度为12至128个字符', codes: ['too_short', 'too_long'] },
  {
    key: 'classes',
    label: '包含大写字母、小写字母、数字、其他字符中的至少3类',
    codes: ['too_few_classes'],
  },
  { key: 'username', label: '不包含用户名', codes: ['contains_username'] },
];

/** Live feedback while typing a new password, from the same rule the server applies. */
export function PasswordPolicyHints({
  password,
  username,
}: {
  password: string;
  username: string;
}) {
  const violations = checkPasswordPolicy(password, { username }).map((v) => v.code as string);
  const isEmpty = password.length === 0;
  return (
    <div aria-live="polite" style={{ marginTop: 4, marginBottom: 8 }}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
        {describePasswordPolicy()}
      </Typography.Paragraph>
      <Flex vertical gap={2}>
        {RULES.map((rule) => {
          const isBroken = rule.codes.some((code) => violations.includes(code));
          const icon = isEmpty ? (
            <MinusCircleOutlined style={{ color: '#bfbfbf' }} />
          ) : isBroken ? (
            <CloseCircleFilled style={{ color: '#cf1322' }} />
          ) : (
            <CheckCircleFilled style={{ color: '#389e0d' }} />
          );
          return (
            <Typography.Text
              key={rule.key}
              style={{ fontSize: 12 }}
              type={isEmpty ? 'secondary' : isBroken ? 'danger' : 'success'}
            >
              {icon} {rule.label}
            </Typography.Text>
          );
        })}
      </Flex>
    </div>
  );
}
