import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Native SQLite handles and child processes: separate processes are the honest isolation.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['tests/global-setup.ts'],
  },
  resolve: { alias: { '@': new URL('./', import.meta.url).pathname } },
});
