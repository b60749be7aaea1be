import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';

export function ForbiddenResult() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="403"
      subTitle="抱歉，当前角色无权访问此页面。如需访问，请切换角色或联系安全管理员授权。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回首页
        </Button>
      }
    />
  );
}

export function NotFoundResult({ subTitle }: { subTitle?: string }) {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={subTitle ?? '抱歉，您访问的页面不存在。'}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回首页
        </Button>
      }
    />
  );
}
