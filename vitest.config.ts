import { defineConfig } from 'vitest/config';

const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/domain/**/*.test.ts', 'src/lib/**/*.test.ts'] } },
      // The web app's own logic (offline outbox and its sync), in Node with an in-memory IndexedDB.
      { test: { name: 'web', include: ['web/src/**/*.test.ts'] } },
      {
        test: {
          name: 'api-pglite',
          include: ['src/modules/**/*.test.ts', 'src/cli/**/*.test.ts'],
          env: { PULIH_TEST_ENGINE: 'pglite' },
          globalSetup: ['src/testing/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'api-postgres',
          include: ['src/modules/**/*.test.ts', 'src/cli/**/*.test.ts'],
          env: { PULIH_TEST_ENGINE: 'postgres', TEST_DATABASE_URL: postgresUrl },
          globalSetup: ['src/testing/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
