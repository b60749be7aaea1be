import type { ReactNode } from 'react';
import { Button, Card, Flex, Result, Skeleton } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/client';

/** The "back to the list" link above a detail page (hidden when printing). */
export function BackLink({ to, label }: { to: string; label: string }) {
  const navigate = useNavigate();
  return (
    <Button
      className="no-print"
      type="link"
      icon={<ArrowLeftOutlined />}
      style={{ paddingInline: 0, alignSelf: 'flex-start' }}
      onClick={() => void navigate(to)}
    >
      {label}
    </Button>
  );
}

/**
 * What a detail page shows while its record loads or when it cannot: a skeleton, or a 404 that
 * says the record does not exist or lies outside the active role's scope (the server answers both
 * alike, SECURITY.md 8), or the error. Null once the record is there.
 */
export function detailLoadState(opts: {
  query: { isPending: boolean; error: Error | null };
  back: ReactNode;
  /** E.g. 党员, 摸排: "未找到该党员". */
  what: string;
  rows?: number;
}): ReactNode | null {
  const { query, back, what } = opts;
  if (query.isPending)
    return (
      <Flex vertical gap={8}>
        {back}
        <Card>
          <Skeleton active paragraph={{ rows: opts.rows ?? 8 }} />
        </Card>
      </Flex>
    );
  if (!query.error) return null;
  const notFound =
    isApiError(query.error, 'not_found') || isApiError(query.error, 'validation_failed');
  return (
    <Flex vertical gap={8}>
      {back}
      <Card>
        {notFound ? (
          <Result
            status="404"
            title={`未找到该${what}`}
            subTitle={`该${what}不存在，或不在您当前角色的管辖范围内。`}
          />
        ) : (
          <Result status="error" title="加载失败" subTitle={query.error.message} />
        )}
      </Card>
    </Flex>
  );
}
