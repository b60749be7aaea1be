import { App, Button } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import type { CensusCampaign } from '@liudong/contracts';
import { isApiError } from '../../../api/client';
import { closeCensus } from '../api/census-api';
import { closeConfirmText } from '../census-values';
import { useRefreshAfterCensus } from '../hooks/use-refresh-after-census';

/**
 * 结束摸排 (census.manage, the campaign's `close` ability): the confirmation states how many
 * members are still pending; they stay pending in the register (CloseCensusInput).
 */
export function CloseCensusButton({ campaign }: { campaign: CensusCampaign }) {
  const { message, modal } = App.useApp();
  const refresh = useRefreshAfterCensus();
  const mutation = useMutation({
    mutationFn: () => closeCensus(campaign.id, { version: campaign.version }),
    onSuccess: async (closed) => {
      message.success(`「${closed.name}」已结束`);
      await refresh();
    },
    onError: async (error) => {
      message.error(
        isApiError(error, 'version_conflict')
          ? '摸排的进度刚刚有变化，已刷新，请再次确认'
          : error.message,
      );
      if (isApiError(error, 'version_conflict')) await refresh();
    },
  });

  return (
    <Button
      danger
      icon={<StopOutlined />}
      loading={mutation.isPending}
      onClick={() =>
        modal.confirm({
          title: '确认结束摸排',
          content: closeConfirmText(campaign.name, campaign.counts),
          okText: '结束摸排',
          okButtonProps: { danger: true },
          cancelText: '取消',
          onOk: () => mutation.mutateAsync().catch(() => undefined),
        })
      }
    >
      结束摸排
    </Button>
  );
}
