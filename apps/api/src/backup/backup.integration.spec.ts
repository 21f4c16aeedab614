import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, gzipSync, createGzip } from 'node:zlib';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../../../../migrations';
import { createTestApp, TestApp } from '../../test/test-app';
import { TestDatabase } from '../../test/test-database';
import { testAdminUrl, withDatabase } from '../../test/test-server';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { seedDemoData } from '../demo/demo-seed';
import { backupFileName, listBackups } from './backup-files';
import { BackupJob } from './backup.job';
import { BackupService } from './backup.service';
import { dumpDatabase } from './database-dump';

/** The figures are compared at a pinned now: Tuesday 31 March 2026, 14:30 in Berlin. */
const NOW = '2026-03-31T14:30:00+02:00';
const NAME = /^mtink-\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\d\.\d{3}Z\.dump\.gz$/;

/** Every GET that the dashboard reads, with the parameters it sends. */
const ENDPOINTS: Array<[string, Record<string, string | number>]> = [
  ['/api/comparison/today-vs-yesterday', {}],
  ['/api/comparison/week-vs-lastweek', {}],
  ['/api/comparison/month-vs-lastmonth', {}],
  ['/api/comparison/range', { from: '2026-01-01', to: '2026-03-31' }],
  ['/api/comparison/yoy', { from: '2026-03-01', to: '2026-03-31' }],
  ['/api/growth/daily', { days: 90 }],
  ['/api/growth/weekly', { weeks: 26 }],
  ['/api/growth/monthly', { months: 24 }],
  ['/api/countries', { days: 365, limit: 250 }],
  ['/api/countries', { days: 30, sort: 'revenue' }],
  ['/api/revenue/platforms', {}],
  ['/api/metrics/summary', {}],
  ['/api/spotify/minutes', {}],
  ['/api/spotify/countries', {}],
  ['/api/spotify/quarterly-projection', {}],
  ['/api/goals/current', {}],
  ['/api/goals', {}],
  ['/api/settings/spotify', {}],
  ['/api/alerts', {}],
  ['/api/sources', {}],
  ['/api/upload/aliases', {}],
];

/** Generous: three apps, a demo seed and child processes share a machine that other test runs load too. */
jest.setTimeout(180_000);

describe('backups', () => {
  let dir: string;
  let source: TestApp;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mtink-backups-'));
    source = await createTestApp({ env: { BACKUP_DIR: dir, BACKUP_KEEP: '3' } });
    await seedDemoData(source.db.dataSource, {
      orders: 3000,
      baseCurrency: 'USD',
      now: new Date(NOW),
      timeZone: 'Europe/Berlin',
    });
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    for (const name of readdirSync(dir)) rmSync(join(dir, name));
  });

  /** A database as `CREATE DATABASE` makes it: no tables at all. */
  async function emptyDatabase(): Promise<{ url: string; name: string; tables: () => Promise<string[]> }> {
    const name = `mtink_restore_${randomBytes(6).toString('hex')}`;
    const adminUrl = testAdminUrl();
    await query(adminUrl, `CREATE DATABASE ${name}`);
    const url = withDatabase(adminUrl, name);
    cleanups.push(() => query(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined));
    return {
      url,
      name,
      tables: async () =>
        (await query(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map(
          (row) => row.tablename as string,
        ),
    };
  }

  function backupsOn(url: string, env: Record<string, string> = {}): BackupService {
    return new BackupService(loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, BACKUP_DIR: dir, ...env }));
  }

  async function figures(app: TestApp): Promise<Record<string, unknown>> {
    const answers: Record<string, unknown> = {};
    for (const [path, params] of ENDPOINTS) {
      const res = await app
        .as('admin')
        .get(path)
        .query({ now: NOW, ...params });
      answers[`${path}?${new URLSearchParams(params as Record<string, string>)}`] = {
        status: res.status,
        body: res.body,
      };
    }
    const exported = await app.as('admin').get('/api/export/daily').query({ from: '2025-04-01', to: '2026-03-31' });
    answers['/api/export/daily'] = { status: exported.status, text: exported.text };
    return answers;
  }

  it('restores a dump of demo data into an empty database, and every endpoint gives the same answer', async () => {
    const backup = await source.app.get(BackupService).backup();
    expect(basename(backup.file)).toMatch(NAME);
    expect(readdirSync(dir)).toEqual([basename(backup.file)]);
    const [{ orders }] = await source.db.dataSource.query(`SELECT count(*)::int AS orders FROM orders`);
    expect(orders).toBeGreaterThan(2500);

    const target = await emptyDatabase();
    const restored = await backupsOn(target.url).restore(backup.file, { force: false });
    expect(restored).toEqual({
      tables: backup.tables,
      rows: backup.rows,
      migrations: migrations.length,
      createdAt: backup.at.toISOString(),
      upgradedWith: [],
    });
    // Table by table the same rows: the triggers were off while loading (no dirty hours queued twice).
    const rowCounts = async (url: string) => {
      const tables = await query(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
      const counts: Record<string, unknown> = {};
      for (const { tablename } of tables)
        counts[tablename as string] = (
          await query(url, `SELECT count(*)::int AS n FROM "${tablename as string}"`)
        )[0]!.n;
      return counts;
    };
    expect(await rowCounts(target.url)).toEqual(await rowCounts(source.db.url));
    const copy = await openAsTestDatabase(target);
    const restoredApp = await createTestApp({ db: copy });
    cleanups.push(() => restoredApp.close().then(() => copy.dataSource.destroy()));

    const before = await figures(source);
    const after = await figures(restoredApp);
    const statuses = Object.fromEntries(
      Object.entries(before).map(([path, a]) => [path, (a as { status: number }).status]),
    );
    expect(statuses).toEqual(Object.fromEntries(Object.keys(before).map((path) => [path, 200])));
    // The figures are real ones: this quarter has orders, and the daily export a row per day.
    const quarter = before['/api/comparison/range?from=2026-01-01&to=2026-03-31'] as {
      body: { current: { orders: number } };
    };
    expect(quarter.body.current.orders).toBeGreaterThan(100);
    expect((before['/api/export/daily'] as { text: string }).text.split('\n').length).toBeGreaterThan(365);
    expect(after).toEqual(before);

    // The sequences go on after the restored ids.
    const [{ next, max }] = await copy.dataSource.query(
      `SELECT nextval(pg_get_serial_sequence('orders', 'id'))::bigint AS next, (SELECT max(id) FROM orders) AS max`,
    );
    expect(BigInt(next)).toBe(BigInt(max) + 1n);
  });

  it('refuses a database that has tables, names them, and changes nothing in it', async () => {
    const backup = await source.app.get(BackupService).backup();
    const count = () => source.db.dataSource.query(`SELECT count(*)::int AS n FROM orders`);
    const ordersBefore = await count();
    await source.db.dataSource.query(`INSERT INTO settings (key, value) VALUES ('backup.test', '"kept"')`);

    await expect(backupsOn(source.db.url).restore(backup.file, { force: false })).rejects.toThrow(
      new RegExp(
        `^database ${source.db.name} is not empty \\(\\d+ tables: [a-z_]+, [a-z_]+, [a-z_]+, [a-z_]+, [a-z_]+, …\\); ` +
          `nothing was changed\\. Restore into an empty database, or add --force to replace everything in this one$`,
      ),
    );
    expect(await count()).toEqual(ordersBefore);
    expect(await source.db.dataSource.query(`SELECT value FROM settings WHERE key = 'backup.test'`)).toEqual([
      { value: 'kept' },
    ]);
  });

  it('with force replaces a database that has tables, but not while something else is connected to it', async () => {
    const backup = await source.app.get(BackupService).backup();
    const target = await emptyDatabase();
    await backupsOn(target.url).restore(backup.file, { force: false });
    const other = new DataSource(dataSourceOptions(target.url, { extra: { max: 1 } }));
    await other.initialize();
    await other.query(`DELETE FROM refunds`);
    await other.query(`INSERT INTO settings (key, value) VALUES ('backup.replaced', '"gone after the restore"')`);

    await expect(backupsOn(target.url).restore(backup.file, { force: true })).rejects.toThrow(
      `database ${target.name} has 1 other connection: stop the API (and anything else using it) before replacing it; nothing was changed`,
    );
    expect(await other.query(`SELECT count(*)::int AS n FROM refunds`)).toEqual([{ n: 0 }]);
    await other.destroy();

    const restored = await backupsOn(target.url).restore(backup.file, { force: true });
    expect(restored.rows).toBe(backup.rows);
    const counts = `SELECT (SELECT count(*) FROM refunds)::int AS refunds,
                           (SELECT count(*) FROM settings WHERE key = 'backup.replaced')::int AS marker`;
    expect(await query(target.url, counts)).toEqual(await source.db.dataSource.query(counts));
  });

  it.each([
    [
      'cut off inside the gzip stream',
      (gz: Buffer) => gz.subarray(0, Math.floor(gz.length / 2)),
      /is incomplete \(it was cut off\): nothing was restored$/,
    ],
    [
      'ending before its last table',
      (gz: Buffer) => {
        const text = gunzipSync(gz);
        return gzipSync(text.subarray(0, text.lastIndexOf('\n', Math.floor(text.length * 0.6)) + 1));
      },
      /^the backup file is incomplete \(it ends before its last table\): nothing was restored$/,
    ],
    [
      'not a gzip file',
      () => Buffer.from('order_id,total\n1,2\n'),
      /is not a backup of MT Ink Dashboard \(not a gzip file\)/,
    ],
  ])('restores nothing from a file %s', async (_, damage, message) => {
    const backup = await source.app.get(BackupService).backup();
    const damaged = join(dir, 'damaged.dump.gz');
    await writeFile(damaged, damage(await readFile(backup.file)));
    const target = await emptyDatabase();

    await expect(backupsOn(target.url).restore(damaged, { force: false })).rejects.toThrow(message);
    expect(await target.tables()).toEqual([]);
  });

  it('restores a dump of an older schema, then upgrades it with the newer migrations', async () => {
    const older = await emptyDatabase();
    // Dumped before the line items came (OrderLines adds `priced`, which `counted` depends on since).
    const atDump = migrations.findIndex((m) => m.name === 'OrderLines1797500000000');
    expect(atDump).toBeGreaterThan(0);
    const old = new DataSource(dataSourceOptions(older.url, { migrations: migrations.slice(0, atDump) }));
    await old.initialize();
    await old.runMigrations();
    await old.query(
      `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
       VALUES ('shopify', 'A', '2026-03-30T10:00:00Z', 'USD', '10.50', '10.50', 'GB', 'paid'),
              ('etsy', 'B', '2026-03-31T10:00:00Z', 'USD', '4.25', '4.25', 'US', 'paid')`,
    );
    await old.destroy();
    const file = join(dir, backupFileName(new Date()));
    const gzip = createGzip();
    const written = pipeline(gzip, createWriteStream(file));
    await dumpDatabase(older.url, gzip);
    await written;

    const target = await emptyDatabase();
    const restored = await backupsOn(target.url).restore(file, { force: false });
    expect(restored.migrations).toBe(atDump);
    expect(restored.upgradedWith).toEqual(migrations.slice(atDump).map((m) => m.name));
    expect(await query(target.url, `SELECT name FROM migrations ORDER BY id`)).toEqual(
      migrations.map((m) => ({ name: m.name })),
    );
    // The newer schema works on the restored rows: they count (priced by default) and the rollups fold them.
    await query(target.url, `SELECT refresh_order_rollups('Europe/Berlin')`);
    expect(
      await query(target.url, `SELECT day::text, orders, sales::text FROM order_daily_totals ORDER BY day`),
    ).toEqual([
      { day: '2026-03-30', orders: 1, sales: '10.50' },
      { day: '2026-03-31', orders: 1, sales: '4.25' },
    ]);
  });

  it('refuses a dump of a newer version, whose migrations this one does not know', async () => {
    const backup = await source.app.get(BackupService).backup();
    const lines = gunzipSync(await readFile(backup.file))
      .toString('utf8')
      .split('\n');
    const header = JSON.parse(lines[0]!) as { migrations: string[] };
    header.migrations.push('FutureThing1999999999999');
    const newer = join(dir, 'newer.dump.gz');
    await writeFile(newer, gzipSync([JSON.stringify(header), ...lines.slice(1)].join('\n')));
    const target = await emptyDatabase();

    await expect(backupsOn(target.url).restore(newer, { force: false })).rejects.toThrow(
      'this backup was written by a newer version (its migration FutureThing1999999999999 is unknown here): restore it with that version or a later one',
    );
    expect(await target.tables()).toEqual([]);
  });

  it('keeps the newest BACKUP_KEEP dumps, removes what a dead dump left, and leaves other files alone', async () => {
    const backups = source.app.get(BackupService);
    writeFileSync(join(dir, 'notes.txt'), 'not a backup');
    const stale = join(dir, '.mtink-2026-03-01T03.00.00.000Z.dump.gz.0000.partial');
    writeFileSync(stale, 'half');
    utimesSync(stale, new Date('2026-03-01T04:00:00Z'), new Date('2026-03-01T04:00:00Z'));
    const times = [1, 2, 3, 4, 5].map((day) => new Date(`2026-03-0${day}T02:00:00.000Z`));
    const results = [];
    for (const at of times) results.push(await backups.backup({ now: at }));

    expect(results.map((r) => r.pruned.map((file) => basename(file)))).toEqual([
      [basename(stale)],
      [],
      [],
      [backupFileName(times[0]!)],
      [backupFileName(times[1]!)],
    ]);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', ...times.slice(2).map(backupFileName)].sort());
    expect((await listBackups(dir)).map((b) => b.at)).toEqual(times.slice(2).reverse());
  });

  it('leaves no file behind when the dump fails', async () => {
    const missing = withDatabase(testAdminUrl(), `mtink_missing_${randomBytes(4).toString('hex')}`);
    await expect(backupsOn(missing).backup()).rejects.toThrow(/does not exist/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports the age of the newest backup in GET /api/health', async () => {
    expect((await source.anonymous().get('/api/health').expect(200)).body.backup).toEqual({
      lastAt: null,
      ageHours: null,
    });
    const at = new Date(Date.now() - 30 * 3_600_000);
    await source.app.get(BackupService).backup({ now: at });
    const { backup } = (await source.anonymous().get('/api/health').expect(200)).body;
    expect(backup.lastAt).toBe(at.toISOString());
    // Hours since the dump began, to one decimal: 30 plus however long this test took to get here.
    expect(backup.ageHours).toBeGreaterThanOrEqual(30);
    expect(backup.ageHours).toBeLessThan(31);
  });

  it('schedules the dump at BACKUP_SCHEDULE in the business time zone, one instance per tick', async () => {
    const scheduledDir = mkdtempSync(join(tmpdir(), 'mtink-scheduled-'));
    cleanups.push(async () => rmSync(scheduledDir, { recursive: true, force: true }));
    const app = await createTestApp({
      env: { SCHEDULED_JOBS: 'on', LOG_LEVEL: 'silent', BACKUP_DIR: scheduledDir, BACKUP_SCHEDULE: '15 4 * * *' },
    });
    try {
      const job = app.app.get(SchedulerRegistry).getCronJob('backup');
      expect(job.cronTime.source).toBe('15 4 * * *');
      expect(job.cronTime.timeZone).toBe('Europe/Berlin');
      expect(job.isActive).toBe(true);
      // A second tick right after the first (another instance's clock) finds it done.
      expect(await app.app.get(BackupJob).runScheduled()).toBe('ran');
      expect(await app.app.get(BackupJob).runScheduled()).toBe('ran-elsewhere');
      expect(readdirSync(scheduledDir)).toEqual([expect.stringMatching(NAME)]);
    } finally {
      await app.close();
    }
  });

  it('npm run backup and npm run restore do it from the command line, and say why they refuse', async () => {
    const target = await emptyDatabase();
    const backup = cli(['backup', '--dir', dir], source.db.url);
    expect(backup.stderr).toBe('');
    const [written] = readdirSync(dir);
    expect(written).toMatch(NAME);
    expect(backup.stdout).toMatch(
      new RegExp(
        `^backup written: ${join(dir, written!).replace(/\./g, '\\.')} \\(\\d+ tables, \\d+ rows, ${migrations.length} migrations\\)\\n$`,
      ),
    );
    expect(backup.status).toBe(0);

    const restore = cli(['restore', join(dir, written!)], target.url);
    expect(restore.stdout).toMatch(/^restored .*: the database as of \d{4}-.*Z, \d+ tables, \d+ rows\n$/);
    expect(restore.status).toBe(0);

    const again = cli(['restore', join(dir, written!)], target.url);
    expect(again.stderr).toMatch(
      /^database mtink_restore_\w+ is not empty \(.*\); nothing was changed\. .* --force .*\n$/,
    );
    expect(again.status).toBe(1);
  });
});

function cli(args: string[], databaseUrl: string): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/api/src/backup/backup.cli.ts',
      ...args,
    ],
    {
      cwd: join(__dirname, '../../../..'),
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
}

async function openAsTestDatabase(db: { url: string; name: string }): Promise<TestDatabase> {
  const dataSource = new DataSource(dataSourceOptions(db.url));
  await dataSource.initialize();
  return { ...db, dataSource, drop: () => dataSource.destroy() };
}

async function query(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
