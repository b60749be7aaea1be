import { Button, Flex, Space, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';

export interface KeysetPagerProps {
  /** 1-based page number. */
  page: number;
  hasPrev: boolean;
  hasNext: boolean;
  /** Both buttons are disabled while the list loads. */
  loading?: boolean;
  className?: string;
  onPrev: () => void;
  onNext: () => void;
}

/** "第 n 页" with 上一页 / 下一页, under a keyset-paged table (see use-keyset-pages). */
export function KeysetPager({
  page,
  hasPrev,
  hasNext,
  loading = false,
  className,
  onPrev,
  onNext,
}: KeysetPagerProps) {
  return (
    <Flex justify="flex-end" align="center" gap={12} className={className}>
      <Typography.Text type="secondary">第 {page} 页</Typography.Text>
      <Space>
        <Button icon={<LeftOutlined />} disabled={!hasPrev || loading} onClick={onPrev}>
          上一页
        </Button>
        <Button disabled={!hasNext || loading} onClick={onNext}>
          下一页 <RightOutlined />
        </Button>
      </Space>
    </Flex>
  );
}
