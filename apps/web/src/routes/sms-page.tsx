import { useState } from 'react';
import { Card, Flex, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import type { Broadcast, SmsStatus } from '@liudong/contracts';
import { usePermission } from '../features/auth/hooks/use-me';
import { BroadcastCompose } from '../features/sms/components/broadcast-compose';
import { BroadcastsTab } from '../features/sms/components/broadcasts-tab';
import { OutboxTab } from '../features/sms/components/outbox-tab';
import { SmsStatusLine } from '../features/sms/components/sms-status-line';
import { TemplatesTab } from '../features/sms/components/templates-tab';
import { formatDateTimeMinutes } from '../ui/format';

const TABS = ['compose', 'outbox', 'broadcasts', 'templates'] as const;
type SmsTab = (typeof TABS)[number];
const TAB_LABELS: Record<SmsTab, string> = {
  compose: '群发',
  outbox: '发件箱',
  broadcasts: '群发记录',
  templates: '模板',
};
const parseTab = (value: string | null): SmsTab =>
  (TABS as readonly string[]).includes(value ?? '') ? (value as SmsTab) : 'compose';

const broadcastLabel = (b: Broadcast) =>
  `${b.templateName} · ${formatDateTimeMinutes(b.createdAt)}`;

/**
 * 短信 (`/sms`, sms.send; issue 4 §6): 群发 (红色短信) with a preview before sending, the outbox,
 * the broadcasts sent, the templates; the driver's status line on top. The tab lives in the URL.
 */
export function SmsPage() {
  const canConfigure = usePermission('sms.configure');
  const [params, setParams] = useSearchParams();
  const tab = parseTab(params.get('tab'));
  const [status, setStatus] = useState<SmsStatus | null>(null);
  const [broadcast, setBroadcast] = useState<{ id: string; label: string } | null>(null);

  const setTab = (next: SmsTab) =>
    setParams(
      (current) => {
        const url = new URLSearchParams(current);
        if (next === 'compose') url.delete('tab');
        else url.set('tab', next);
        return url;
      },
      { replace: true },
    );

  const openOutbox = (b: Broadcast) => {
    setBroadcast({ id: b.id, label: broadcastLabel(b) });
    setStatus(null);
    setTab('outbox');
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        短信
      </Typography.Title>
      <SmsStatusLine />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(parseTab(key))}
          items={TABS.map((key) => ({
            key,
            label: TAB_LABELS[key],
            children:
              key === 'compose' ? (
                <BroadcastCompose onSent={openOutbox} />
              ) : key === 'outbox' ? (
                <OutboxTab
                  status={status}
                  onStatusChange={setStatus}
                  broadcast={broadcast}
                  onClearBroadcast={() => setBroadcast(null)}
                />
              ) : key === 'broadcasts' ? (
                <BroadcastsTab onOpen={openOutbox} />
              ) : (
                <TemplatesTab canConfigure={canConfigure} />
              ),
          }))}
        />
      </Card>
    </Flex>
  );
}
