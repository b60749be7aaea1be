import { useEffect, useRef, useState } from 'react';
import { App, Descriptions, Flex, Steps } from 'antd';
import { useMutation } from '@tanstack/react-query';
import {
  IMPORT_KIND_LABELS,
  ImportOptions,
  type ImportCheckResult,
  type ImportKind,
  type ImportPreview,
} from '@liudong/contracts';
import { activeGrant, useMe } from '../../auth/hooks/use-me';
import { checkImport, uploadImport } from '../api/imports-api';
import { useImportCommit } from '../hooks/use-import-commit';
import { CheckStep } from './check-step';
import { CommitStep, type CommitState } from './commit-step';
import { FileStep } from './file-step';
import { MappingStep } from './mapping-step';
import { mappingInitialValues, toImportOptions, type ImportFormValues } from './mapping-form';

const STEPS = [{ title: '选择文件' }, { title: '核对列' }, { title: '检查' }, { title: '导入' }];
const MAPPING_NAME_MAX = 40;

interface Checked {
  options: ImportOptions;
  result: ImportCheckResult;
}

/**
 * The import wizard (issue 3 §6): upload → check the columns → dry run → commit with progress.
 * The commit sends exactly the options of the check the officer saw.
 */
export function ImportWizard({ onShowHistory }: { onShowHistory: () => void }) {
  const { message, modal } = App.useApp();
  const me = useMe();
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<ImportKind>('members');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);

  const showPreview = (next: ImportPreview) => {
    setPreview(next);
    setChecked(null);
    setStep(1);
  };
  const upload = useMutation({ mutationFn: uploadImport, onSuccess: showPreview });
  const switchSheet = useMutation({ mutationFn: uploadImport, onSuccess: showPreview });
  const check = useMutation({
    mutationFn: ({ id, options }: { id: string; options: ImportOptions }) =>
      checkImport(id, options),
    onSuccess: (result, { options }) => {
      setChecked({ options, result });
      setStep(2);
    },
  });
  const { mutation: commit, progress } = useImportCommit();

  // Each step starts at the top: the 核对列 step is long and its buttons are at the bottom.
  const topRef = useRef<HTMLDivElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    const top = topRef.current;
    if (top && top.getBoundingClientRect().top < 0) top.scrollIntoView({ block: 'start' });
  }, [step]);

  // A branch officer imports into their own branch: start from it (as the member form does).
  const grant = activeGrant(me);
  const ownBranch = grant?.role === 'branch_officer' ? grant : null;

  const restart = () => {
    setStep(0);
    setFile(null);
    setPreview(null);
    setChecked(null);
    upload.reset();
    switchSheet.reset();
    check.reset();
    commit.reset();
  };

  const runCheck = (values: ImportFormValues) => {
    if (!preview) return;
    const parsed = ImportOptions.safeParse(toImportOptions(preview.columns, values));
    if (!parsed.success) {
      message.error(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    check.mutate({ id: preview.id, options: parsed.data });
  };

  const confirmCommit = () => {
    if (!preview || !checked) return;
    const { result, options } = checked;
    modal.confirm({
      title: `确认导入「${preview.fileName}」？`,
      width: 480,
      content: (
        <Flex vertical gap={12}>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'kind', label: '类型', children: IMPORT_KIND_LABELS[preview.kind] },
              { key: 'create', label: '新增党员', children: result.toCreate },
              { key: 'update', label: '更新党员', children: result.toUpdate },
              { key: 'skip', label: '跳过', children: result.toSkip },
              ...(result.episodesToCreate > 0 || preview.kind === 'ledger'
                ? [{ key: 'episodes', label: '流动登记', children: result.episodesToCreate }]
                : []),
            ]}
          />
          <span>
            整批导入在一个事务中完成，全部成功才会写入。导入后如发现问题，可在“导入记录”中整批撤销。
          </span>
        </Flex>
      ),
      okText: '开始导入',
      cancelText: '取消',
      onOk: () => {
        setStep(3);
        commit.mutate({ id: preview.id, options });
      },
    });
  };

  const commitState: CommitState = commit.isSuccess
    ? { status: 'done', batch: commit.data }
    : commit.isError
      ? { status: 'failed', error: commit.error }
      : { status: 'running', progress };

  return (
    <Flex vertical gap={24} ref={topRef}>
      <Steps
        current={step}
        items={STEPS}
        status={
          step === 3 && commit.isSuccess
            ? 'finish'
            : step === 3 && commit.isError
              ? 'error'
              : 'process'
        }
      />

      {step === 0 && (
        <FileStep
          kind={kind}
          onKindChange={setKind}
          uploading={upload.isPending}
          error={upload.error}
          onFile={(next) => {
            setFile(next);
            upload.mutate({ file: next, kind });
          }}
        />
      )}

      {preview && (
        <div hidden={step !== 1}>
          <MappingStep
            key={preview.id}
            preview={preview}
            initialValues={{
              mapping: mappingInitialValues(preview.columns),
              dedupe: 'skip',
              defaultOrgId: ownBranch?.orgId ?? null,
              saveMapping: false,
              mappingName: (preview.savedMappingName ?? baseName(preview.fileName)).slice(
                0,
                MAPPING_NAME_MAX,
              ),
            }}
            defaultOrgLabel={ownBranch?.orgName}
            switchingSheet={switchSheet.isPending}
            sheetError={switchSheet.error}
            onSheetChange={(sheet) => {
              if (file) switchSheet.mutate({ file, kind: preview.kind, sheet });
            }}
            checking={check.isPending}
            checkError={check.error}
            onBack={restart}
            onRestart={restart}
            onSubmit={runCheck}
          />
        </div>
      )}

      {step === 2 && preview && checked && (
        <CheckStep
          importId={preview.id}
          kind={preview.kind}
          result={checked.result}
          onBack={() => setStep(1)}
          onRestart={restart}
          onCommit={confirmCommit}
        />
      )}

      {step === 3 && (
        <CommitStep
          state={commitState}
          onRestart={restart}
          onBackToCheck={() => {
            commit.reset();
            setStep(2);
          }}
          onShowHistory={onShowHistory}
        />
      )}
    </Flex>
  );
}

/** '2025年党员名册' from '2025年党员名册.xlsx': the suggested name of a saved mapping. */
function baseName(fileName: string): string {
  return fileName.replace(/\.xlsx$/i, '');
}
