import { describe, expect, it } from 'vitest';
import { buildUrl } from './client';

describe('buildUrl', () => {
  it('leaves out empty, null and undefined values', () => {
    expect(buildUrl('/api/orgs', { q: '', kind: undefined, cursor: null, limit: 20 })).toBe(
      '/api/orgs?limit=20',
    );
  });
  it('returns the bare path when nothing is left', () => {
    expect(buildUrl('/api/orgs', { q: '' })).toBe('/api/orgs');
  });
  it('encodes Chinese text and booleans', () => {
    expect(buildUrl('/api/orgs', { q: '党支部', includeDissolved: true })).toBe(
      '/api/orgs?q=%E5%85%9A%E6%94%AF%E9%83%A8&includeDissolved=true',
    );
  });
});
