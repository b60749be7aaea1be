import { Alert } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { isApiError } from '../api/client';
import { describeErrorDetails } from './error-details';

/** The server's Chinese message as is, plus the listed details, in an Alert. */
export function ErrorAlert({
  error,
  style,
  action,
}: {
  error: unknown;
  style?: CSSProperties;
  action?: ReactNode;
}) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : '操作失败，请稍后重试';
  const details = isApiError(error) ? describeErrorDetails(error.details) : [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={style}
      title={message}
      action={action}
      description={
        details.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {details.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
