import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './lib/report/chromium';

// Lets the tests read stores with an immutable open, which leaves no -wal/-shm files behind (workers inherit it).
process.env.SQLITE_USE_URI = '1';

/** Browser tests run the production build in Debian's Chromium, one worker (2 cores). */
export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e',
  use: {
    browserName: 'chromium',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(process.env),
      args: CHROMIUM_ARGS,
    },
  },
});
