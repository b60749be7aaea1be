import { describe, expect, it } from 'vitest';
import { lostExportUrl } from './contacts-api';

describe('lost-contact Excel downloads', () => {
  it('links each tab to its export: the lists by level, the registers by kind', () => {
    expect(lostExportUrl('warning')).toBe('/api/contacts/lost.xlsx?level=warning');
    expect(lostExportUrl('lost', '2026-09-01')).toBe('/api/contacts/lost.xlsx?level=lost');
    expect(lostExportUrl('found')).toBe('/api/contacts/lost/registers.xlsx?kind=found');
    expect(lostExportUrl('found', '2026-09-01')).toBe(
      '/api/contacts/lost/registers.xlsx?kind=found&since=2026-09-01',
    );
    // "Found since" means nothing for those still not found.
    expect(lostExportUrl('not_found', '2026-09-01')).toBe(
      '/api/contacts/lost/registers.xlsx?kind=not_found',
    );
  });
});
