import type { AppServices } from '../../app';
import type { Api } from '../../platform/http';

// Placeholder while the module is being built (replaced in this change).
export function registerTransferRoutes(_api: Api, _s: AppServices) {}
