import { Button, Flex, Progress, Result, Typography } from 'antd';
import { useNavigate } from 'react-router';
import type { ImportBatch } from '@liudong/contracts';
import { ErrorAlert } from '../../../ui/error-alert';
import { commitWroteNothing, type ImportProgress } from '../api/imports-api';
import { batchCountsText } from './import-labels';
import { progressPercent, progressText } from './import-progress';

export type CommitState =
  | { status: 'running'; progress: ImportProgress | null }
  | { status: 'done'; batch: ImportBatch }
  | { status: 'failed'; error: unknown };

/** 第4步 导入: the streamed progress, then what was written (or that nothing was). */
export function CommitStep({
  state,
  onRestart,
  onBackToCheck,
  onShowHistory,
}: {
  state: CommitState;
  onRestart: () => void;
  onBackToCheck: () => void;
  onShowHistory: () => void;
}) {
  const navigate = useNavigate();

  if (state.status === 'running') {
    const { progress } = state;
    return (
      <Flex
        vertical
        gap={12}
        style={{ width: '100%', maxWidth: 640, margin: '24px auto' }}
        role="status"
      >
        <Typography.Title level={5} style={{ margin: 0 }}>
          正在导入，请不要关闭或刷新页面…
        </Typography.Title>
        <Progress
          percent={progress ? progressPercent(progress) : 0}
          status="active"
          aria-label="导入进度"
        />
        <Typography.Text type="secondary">
          {progress ? progressText(progress) : '正在连接服务器…'}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          整批导入在一个事务中完成：中途出错会全部撤回，不会留下写了一半的数据。
        </Typography.Text>
      </Flex>
    );
  }

  if (state.status === 'done') {
    const { batch } = state;
    return (
      <Result
        status="success"
        title="导入完成"
        subTitle={`${batch.fileName}：${batchCountsText(batch)}。如有问题，可在“导入记录”中整批撤销。`}
        extra={[
          <Button
            key="members"
            type={batch.kind === 'members' ? 'primary' : 'default'}
            onClick={() => void navigate('/members')}
          >
            查看党员名册
          </Button>,
          <Button
            key="ledger"
            type={batch.kind === 'ledger' ? 'primary' : 'default'}
            onClick={() => void navigate('/mobilities')}
          >
            查看流动党员台账
          </Button>,
          <Button key="again" onClick={onRestart}>
            继续导入其他文件
          </Button>,
        ]}
      />
    );
  }

  if (commitWroteNothing(state.error)) {
    return (
      <Result
        status="error"
        title="导入失败，未写入任何数据"
        subTitle="整批导入已全部撤回，系统中的数据与导入前相同。请根据下面的原因处理后再试。"
        extra={[
          <Button key="check" type="primary" onClick={onBackToCheck}>
            返回检查
          </Button>,
          <Button key="again" onClick={onRestart}>
            重新选择文件
          </Button>,
        ]}
      >
        <ErrorAlert error={state.error} />
      </Result>
    );
  }

  return (
    <Result
      status="warning"
      title="无法确认导入结果"
      subTitle="导入可能已经完成，也可能已全部撤回（不会只写入一部分）。请先查看导入记录，不要直接重复导入。"
      extra={[
        <Button key="history" type="primary" onClick={onShowHistory}>
          查看导入记录
        </Button>,
        <Button key="again" onClick={onRestart}>
          重新选择文件
        </Button>,
      ]}
    >
      <ErrorAlert error={state.error} />
    </Result>
  );
}
