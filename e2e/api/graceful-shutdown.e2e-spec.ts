import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { EntryPoint, startEntryPoint } from '../../apps/api/test/entry-point';
import { freePort } from '../../apps/api/test/global-setup';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';
import { waitFor } from '../../apps/api/test/wait-for';

const APP_NAME = 'mtink_shutdown_test';

interface LogLine {
  level: string;
  msg: string;
  context?: string;
  req?: { id: string; url: string };
  res?: { statusCode: number };
}

/**
 * The production entry point (apps/api/src/main.ts, through ts-node) in a child process: SIGTERM while a
 * request is running lets the request finish, closes the database pool and exits 0 (SPEC §8).
 */
describe('graceful shutdown', () => {
  let setup: TestApp;
  let server: EntryPoint | null = null;
  let locker: Client | null = null;

  beforeAll(async () => {
    // An in-process app on the same database only to create the users and an API token the child accepts.
    setup = await createTestApp();
    await setup.db.dataSource.query(
      `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
       VALUES ('shopify', 'S-1', '2026-11-02T10:00:00+01:00', 'USD', 12.50, 12.50, 'GB', 'paid')`,
    );
  });
  afterAll(async () => {
    server?.kill();
    await locker?.end().catch(() => undefined);
    await setup?.close();
  });

  it('finish the running request, close the database and exit 0 on SIGTERM, logging JSON with request ids', async () => {
    const port = await freePort();
    const url = new URL(setup.db.url);
    url.searchParams.set('application_name', APP_NAME);
    server = startEntryPoint({
      NODE_ENV: 'production',
      DATABASE_URL: url.toString(),
      PORT: String(port),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
    });
    const logged = (test: (line: LogLine) => boolean) => server!.line((text) => test(JSON.parse(text) as LogLine));

    await logged((line) => line.msg.startsWith('MT Ink Dashboard on'));

    // Hold the orders table so that the export is still running when SIGTERM arrives.
    locker = new Client({ connectionString: setup.db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/api/export/orders?from=2026-11-01&to=2026-11-30',
          headers: { Authorization: `Bearer ${setup.users.admin.token}`, 'X-Request-Id': 'shutdown-test-1' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    await waitFor(async () => {
      const { rows } = await locker!.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
        [APP_NAME],
      );
      return rows[0].n === 1;
    });

    const exited = server.stop();
    await logged((line) => line.msg === 'SIGTERM: draining connections');
    await locker.query('COMMIT');

    const { status, body } = await response;
    expect(status).toBe(200);
    expect(body.split('\r\n')[1]).toBe(
      // The last column, titles, is empty: the order was stored without lines.
      'shopify,,S-1,,2026-11-02T10:00:00+01:00,2026-11-02,Europe/Berlin,paid,true,GB,USD,12.50,0.00,USD,12.50,0.00,12.50,',
    );
    expect(await exited).toBe(0);

    // The pools were closed before the exit; PostgreSQL ends a backend once it has read its client's goodbye,
    // which on a busy machine can come after the process is gone.
    await waitFor(async () => {
      const { rows } = await locker!.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
        [APP_NAME],
      );
      return rows[0].n === 0;
    });
    const logs = server.lines.map((line) => JSON.parse(line) as LogLine); // every stdout line is JSON
    const request = logs.find((line) => line.req?.id === 'shutdown-test-1');
    expect(request).toMatchObject({
      level: 'info',
      msg: 'request completed',
      req: { url: '/api/export/orders?from=2026-11-01&to=2026-11-30' },
      res: { statusCode: 200 },
    });
    const order = logs.map((line) => line.msg);
    expect(order.indexOf('SIGTERM: draining connections')).toBeLessThan(order.indexOf('request completed'));
    expect(order).toContain('HTTP server and database pool closed');
    expect(server.stderr()).toBe('');
  }, 600_000);
});
