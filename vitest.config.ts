import { defineConfig } from 'vitest/config';

// Unit and integration tests. End-to-end journeys have their own config (e2e/vitest.config.ts)
// because they need a built web app and Chromium.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/server/src/**/*.test.ts',
      'apps/web/src/**/*.test.{ts,tsx}',
    ],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['apps/server/src/test/global-setup.ts'],
  },
});
