import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// End-to-end journeys in real Chromium against the real server (`liudong start`). Separate from
// the root config: no server globalSetup (each file starts its own server, see support/server.ts),
// one file at a time (Chromium and a server each), and long timeouts (argon2, PGlite start-up and
// waiting for a fresh TOTP step all take seconds).
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.ts'],
    exclude: ['**/node_modules/**', 'e2e/artifacts/**'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // A journey's steps build on each other: never retry one step alone.
    retry: 0,
  },
});
