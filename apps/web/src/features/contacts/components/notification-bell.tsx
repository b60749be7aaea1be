import { useState } from 'react';
import { Badge, Button, Empty, Flex, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { Notification, NotificationListResponse } from '@liudong/contracts';
import { formatDateTimeMinutes } from '../../../ui/format';
import {
  markAllNotificationsRead,
  markNotificationRead,
  notificationKeys,
  notificationsQuery,
} from '../api/contacts-api';
import { relativeTime, safeAppLink } from '../contact-values';

/**
 * The bell in the header (issue 4 §3: reminders in the app): the unread count, asked for every
 * 60 s; the latest notifications in a dropdown. Opening one marks it read and goes to its link;
 * 全部已读 clears the count.
 */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const list = useQuery(notificationsQuery());
  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];

  const markRead = (ids: string[] | 'all') =>
    queryClient.setQueryData<NotificationListResponse>(notificationKeys.all, (current) => {
      if (!current) return current;
      const now = new Date().toISOString();
      let cleared = 0;
      const next = current.items.map((n) => {
        if (n.readAt || (ids !== 'all' && !ids.includes(n.id))) return n;
        cleared += 1;
        return { ...n, readAt: now };
      });
      return { items: next, unread: ids === 'all' ? 0 : Math.max(0, current.unread - cleared) };
    });

  const readOne = useMutation({
    mutationFn: (id: string) => markNotificationRead(id),
    onSuccess: (_, id) => markRead([id]),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
  const readAll = useMutation({
    mutationFn: markAllNotificationsRead,
    onSuccess: () => markRead('all'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });

  const openNotification = (notification: Notification) => {
    if (!notification.readAt) readOne.mutate(notification.id);
    const link = safeAppLink(notification.link);
    setOpen(false);
    if (link) void navigate(link);
  };

  const content = (
    <Flex vertical style={{ width: 'min(360px, calc(100vw - 32px))' }}>
      <Flex
        justify="space-between"
        align="center"
        style={{ padding: '4px 4px 8px', borderBottom: '1px solid #f0f0f0' }}
      >
        <Typography.Text strong>通知{unread > 0 ? `（${unread} 条未读）` : ''}</Typography.Text>
        <Button
          size="small"
          type="link"
          disabled={unread === 0}
          loading={readAll.isPending}
          onClick={() => readAll.mutate()}
        >
          全部已读
        </Button>
      </Flex>
      {list.error ? (
        <Typography.Text type="secondary" style={{ padding: 16 }}>
          {list.error.message}
        </Typography.Text>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" />
      ) : (
        <Flex
          vertical
          role="list"
          aria-label="通知列表"
          style={{ maxHeight: 420, overflowY: 'auto' }}
        >
          {items.map((notification) => (
            <button
              key={notification.id}
              type="button"
              role="listitem"
              className="notification-item"
              onClick={() => openNotification(notification)}
              style={{
                all: 'unset',
                cursor: 'pointer',
                padding: '10px 8px',
                borderBottom: '1px solid #f5f5f5',
                background: notification.readAt ? undefined : '#f0f7ff',
              }}
            >
              <Flex vertical gap={2}>
                <Flex justify="space-between" gap={8}>
                  <Typography.Text strong={!notification.readAt}>
                    {!notification.readAt && (
                      <Badge status="processing" style={{ marginRight: 6 }} />
                    )}
                    {notification.title}
                  </Typography.Text>
                  <Typography.Text
                    type="secondary"
                    style={{ fontSize: 12, whiteSpace: 'nowrap' }}
                    title={formatDateTimeMinutes(notification.createdAt)}
                  >
                    {relativeTime(notification.createdAt)}
                  </Typography.Text>
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {notification.body}
                </Typography.Text>
              </Flex>
            </button>
          ))}
        </Flex>
      )}
    </Flex>
  );

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      content={content}
      arrow={false}
    >
      <Button
        type="text"
        aria-label={unread > 0 ? `通知，${unread} 条未读` : '通知'}
        icon={
          <Badge count={unread} size="small" overflowCount={99} offset={[4, -2]}>
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
