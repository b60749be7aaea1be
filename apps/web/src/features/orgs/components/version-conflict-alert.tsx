import { Alert, Button } from 'antd';
import { isApiError } from '../../../api/client';
import { ErrorAlert } from '../../../ui/error-alert';
import { VERSION_CONFLICT_MESSAGE } from '../hooks/use-org-mutations';

/**
 * A failed save: for 409 `version_conflict` (someone else saved first, SECURITY.md 26) offer to
 * reload the record; otherwise show the server's message.
 */
export function SaveErrorAlert({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (!error) return null;
  if (isApiError(error, 'version_conflict')) {
    return (
      <Alert
        type="warning"
        showIcon
        role="alert"
        style={{ marginBottom: 16 }}
        title={VERSION_CONFLICT_MESSAGE}
        action={
          <Button size="small" onClick={onReload}>
            刷新
          </Button>
        }
      />
    );
  }
  return <ErrorAlert error={error} style={{ marginBottom: 16 }} />;
}
