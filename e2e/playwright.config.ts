import { defineConfig } from '@playwright/test';

/**
 * Browser tests in Debian's Chromium (never a downloaded browser) against the real app: built, on its own
 * embedded PostgreSQL under .data/e2e (fresh each run, demo data), on port 3103 so that a running
 * `npm start` on 3003 is not disturbed.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3103);
export const E2E_ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' };
/** Signs the Shopify webhooks that browser tests post (the sample files' test secret). */
export const E2E_SHOPIFY_SECRET = 'hq_test_shopify_client_secret_DO_NOT_USE';

export default defineConfig({
  testDir: './browser',
  testMatch: '**/*.e2e.ts',
  outputDir: '../test-results/e2e',
  // Limits against a hang, not speed bars: the machine may be a loaded 2-core one (load average 10+).
  timeout: 300_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { outputFolder: '../test-results/e2e-report', open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: 'rm -rf .data/e2e && node scripts/start.mjs',
    cwd: '..',
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(E2E_PORT),
      DATA_DIR: '.data/e2e',
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54339',
      ADMIN_EMAIL: E2E_ADMIN.email,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      DEMO_DATA: 'true',
      SHOPIFY_WEBHOOK_SECRET: E2E_SHOPIFY_SECRET,
    },
  },
});
