import { defineConfig } from 'drizzle-kit';

// One schema for both the embedded PGlite and a PostgreSQL server; migrations are generated here
// and applied by `liudong migrate` (or at start-up) on either.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './src/db/migrations',
});
