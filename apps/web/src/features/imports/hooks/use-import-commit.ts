import { useEffect, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { ImportOptions } from '@liudong/contracts';
import { commitImport, type ImportProgress } from '../api/imports-api';
import { useRefreshAfterImport } from './use-refresh-after-import';

/**
 * The commit with its streamed progress. While it runs, leaving the page asks first: the import
 * goes on (or rolls back) on the server, but the officer would no longer see how it ended.
 */
export function useImportCommit() {
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const refresh = useRefreshAfterImport();

  const mutation = useMutation({
    mutationFn: ({ id, options }: { id: string; options: ImportOptions }) => {
      setProgress(null);
      return commitImport(id, options, setProgress);
    },
    // Also after a failure: the history shows how an interrupted import ended.
    onSettled: () => refresh(),
  });

  const isPending = mutation.isPending;
  useEffect(() => {
    if (!isPending) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isPending]);

  return { mutation, progress };
}
