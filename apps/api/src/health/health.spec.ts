import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/global-setup';
import { createTestApp, TestApp } from '../../test/test-app';
import { EmbeddedServer } from '../database/embedded-postgres';
import { prepareDatabase } from '../database/prepare-database';
import { loadConfig } from '../config/app-config';
import { HealthService } from './health.service';

/** This file runs its own PostgreSQL server, because it stops it: the shared test server must stay up. */
describe('GET /api/health', () => {
  let server: EmbeddedServer;
  let dataDir: string;
  let testApp: TestApp;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mtink-health-pg-'));
    server = new EmbeddedServer({ dataDir, port: await freePort(), ephemeral: true });
    await server.start();
    await server.ensureDatabase('health');
    const url = server.url('health');
    await prepareDatabase(loadConfig({ DATABASE_URL: url, DEMO_DATA: 'false' }));
    testApp = await createTestApp({
      env: { DATABASE_URL: url },
      db: { url, name: 'health', dataSource: undefined as never, drop: async () => undefined },
    });
  });

  afterAll(async () => {
    await testApp?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is public and says ok while the database answers', async () => {
    const res = await testApp.anonymous().get('/api/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: { status: 'up', latencyMs: expect.any(Number) },
      exchangeRates: { status: 'off', url: null, lastAttemptAt: null, lastSuccessAt: null, lastError: null },
      reasons: [],
      lastCheck: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      uptime: expect.any(Number),
      version: expect.any(String),
      backup: null,
      eventLoop: { p50Ms: expect.any(Number), p99Ms: expect.any(Number), maxMs: expect.any(Number) },
    });
  });

  it("reports how long this instance's event loop was held up since the previous answer", async () => {
    await testApp.anonymous().get('/api/health').expect(200);
    // Node's delay histogram drops the first sample after a reset (the answer above reset it): one timer
    // turn first, so that the block below falls into a sample it keeps.
    await new Promise((resolve) => setTimeout(resolve, 30));
    // The app runs in this process: hold its event loop for 300 ms, as a synchronous parse would.
    const until = Date.now() + 300;
    while (Date.now() < until);
    // The monitor records the delay when its own timer runs after the block: let one timer turn pass
    // (an order of events, not a wait for speed), so that the answer cannot be read before it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = await testApp.anonymous().get('/api/health').expect(200);
    expect(after.body.eventLoop.maxMs).toBeGreaterThanOrEqual(290);
    expect(after.body.eventLoop.p50Ms).toBeLessThanOrEqual(after.body.eventLoop.maxMs);
  });

  it('says down with 503 while the database is stopped, why only in the log, and recovers by itself', async () => {
    const logged = captureLog(testApp.app.get(HealthService));
    try {
      await server.stop();
      const down = await testApp.anonymous().get('/api/health').expect(503);
      expect(down.body).toEqual({
        status: 'down',
        database: { status: 'down', latencyMs: null },
        exchangeRates: null,
        backup: null,
        reasons: ['database down'],
        lastCheck: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        uptime: expect.any(Number),
        version: expect.any(String),
        eventLoop: { p50Ms: expect.any(Number), p99Ms: expect.any(Number), maxMs: expect.any(Number) },
      });
      expect(down.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect/);
      expect(logged.lines).toEqual([
        expect.stringMatching(/^error: database went down: .*ECONNREFUSED 127\.0\.0\.1:\d+/),
      ]);

      await server.start();
      const up = await testApp.anonymous().get('/api/health').expect(200);
      expect(up.body.status).toBe('ok');
      expect(up.body.database).toEqual({ status: 'up', latencyMs: expect.any(Number) });
    } finally {
      logged.restore();
    }
  });

  it('has the scheduled check log a change of state', async () => {
    const health = testApp.app.get(HealthService);
    const logged = captureLog(health);
    try {
      await health.checkDatabase();
      await server.stop();
      await health.checkDatabase();
      await health.checkDatabase();
      await server.start();
      await health.checkDatabase();
    } finally {
      logged.restore();
    }
    expect(logged.lines).toEqual([expect.stringMatching(/^error: database went down: /), 'log: database went up']);
  });
});

/** The health service's log lines, as `level: message`. */
function captureLog(health: HealthService): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const logger = (health as unknown as { logger: { error: (m: string) => void; log: (m: string) => void } }).logger;
  const spies = [
    jest.spyOn(logger, 'error').mockImplementation((message: string) => void lines.push(`error: ${message}`)),
    jest.spyOn(logger, 'log').mockImplementation((message: string) => void lines.push(`log: ${message}`)),
  ];
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
