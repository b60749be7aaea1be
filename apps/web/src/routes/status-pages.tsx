import { ForbiddenResult, NotFoundResult } from '../ui/status-results';

export function ForbiddenPage() {
  return <ForbiddenResult />;
}

export function NotFoundPage() {
  return <NotFoundResult />;
}
