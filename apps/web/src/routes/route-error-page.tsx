import { Button, Result } from 'antd';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** Last resort for a render error or a page chunk that failed to load (e.g. after an upgrade). */
export function RouteErrorPage() {
  const error = useRouteError();
  const isChunkError =
    error instanceof Error && /dynamically imported module|Loading chunk/i.test(error.message);
  const subTitle = isRouteErrorResponse(error)
    ? `请求出错（${error.status}）`
    : isChunkError
      ? '系统可能已经更新，请刷新页面后重试。'
      : '页面出现异常，请刷新后重试；如问题持续存在，请联系系统管理员。';
  return (
    <Result
      status="error"
      title="页面加载失败"
      subTitle={subTitle}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          刷新页面
        </Button>
      }
    />
  );
}
