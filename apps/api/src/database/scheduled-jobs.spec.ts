import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createTestApp } from '../../test/test-app';
import { createTestDatabase, TestDatabase } from '../../test/test-database';
import { loadConfig } from '../config/app-config';
import { RecentEventsJob } from '../realtime/recent-events.job';
import { RecentEventsRepository } from '../realtime/recent-events.repository';
import { AdvisoryLocks, INSTANCE } from './advisory-lock';
import { dataSourceOptions } from './data-source-options';
import { ScheduledJobs } from './scheduled-jobs';

/** A job body that stays running until `finish()`; `started` resolves once it is running. */
function heldWork() {
  let finish!: () => void;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const work = jest.fn(async () => {
    started();
    await finished;
  });
  return { work, running, finish };
}

function logged(jobs: ScheduledJobs) {
  const logger = (jobs as unknown as { logger: Logger }).logger;
  const lines: string[] = [];
  for (const level of ['log', 'debug', 'error'] as const) {
    jest
      .spyOn(logger, level)
      .mockImplementation((...args: unknown[]) => void lines.push(`${level}: ${String(args[0])}`));
  }
  return lines;
}

describe('ScheduledJobs', () => {
  let db: TestDatabase;
  /** A second API instance: its own pool on the same database. */
  let otherConnection: DataSource;
  let here: ScheduledJobs;
  let there: ScheduledJobs;
  let job = 0;
  /** A fresh job name per test, so that `job_runs` rows of one test do not reach the next. */
  const nextJob = () => `test.job-${++job}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    otherConnection = new DataSource(dataSourceOptions(db.url));
    await otherConnection.initialize();
    const on = loadConfig({ SCHEDULED_JOBS: 'on' });
    here = new ScheduledJobs(new AdvisoryLocks(db.dataSource), on);
    there = new ScheduledJobs(new AdvisoryLocks(otherConnection), on);
  });
  afterAll(async () => {
    await otherConnection?.destroy();
    await db?.drop();
  });
  afterEach(() => jest.restoreAllMocks());

  it('skips a tick that finds the job still running, here or on another instance, instead of waiting', async () => {
    const name = nextJob();
    const lines = logged(here);
    const { work, running, finish } = heldWork();
    const first = here.runOnOneInstance(name, work);
    await running;
    // Both answer while the first run is still going: had either waited, this would never resolve.
    expect(await here.runOnOneInstance(name, work)).toBe('running-here');
    expect(await there.runOnOneInstance(name, work)).toBe('locked');
    finish();
    expect(await first).toBe('ran');
    expect(work).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      `debug: ${name} skipped on ${INSTANCE}: still running here`,
      `log: ${name} ran on ${INSTANCE}`,
    ]);
  });

  it('runs a job once per period on two instances whose ticks fire together', async () => {
    const name = nextJob();
    const work = jest.fn(async () => undefined);
    const tick = () =>
      Promise.all([
        here.runOnOneInstance(name, work, { minGapMs: 60_000 }),
        there.runOnOneInstance(name, work, { minGapMs: 60_000 }),
      ]);

    const [a, b] = await tick();
    // The other one found the run going on (lock) or just finished (minimum gap).
    expect([a, b].filter((outcome) => outcome === 'ran')).toEqual(['ran']);
    expect([a, b].filter((outcome) => outcome === 'locked' || outcome === 'ran-elsewhere')).toHaveLength(1);
    // Later in the same period, on either instance: skipped.
    expect(await there.runOnOneInstance(name, work, { minGapMs: 60_000 })).toBe('ran-elsewhere');
    expect(await here.runOnOneInstance(name, work, { minGapMs: 60_000 })).toBe('ran-elsewhere');
    expect(work).toHaveBeenCalledTimes(1);

    // The next period: the last run started longer ago than the gap.
    await db.dataSource.query(`UPDATE job_runs SET last_started_at = now() - interval '61 seconds' WHERE name = $1`, [
      name,
    ]);
    const next = await tick();
    expect(next.filter((outcome) => outcome === 'ran')).toEqual(['ran']);
    expect(work).toHaveBeenCalledTimes(2);
    const [row] = await db.dataSource.query(`SELECT last_instance FROM job_runs WHERE name = $1`, [name]);
    expect(row).toEqual({ last_instance: INSTANCE });
  });

  it('never calls the work when SCHEDULED_JOBS=off, taking no lock and recording no run', async () => {
    const name = nextJob();
    const off = new ScheduledJobs(new AdvisoryLocks(db.dataSource), loadConfig({ SCHEDULED_JOBS: 'off' }));
    const work = jest.fn(async () => undefined);
    expect(await off.runOnOneInstance(name, work, { minGapMs: 1000 })).toBe('off');
    expect(await off.runOnThisInstance(name, work)).toBe('off');
    expect(work).not.toHaveBeenCalled();
    expect(await db.dataSource.query(`SELECT name FROM job_runs WHERE name = $1`, [name])).toEqual([]);
  });

  it('leaves the real jobs of a test app (SCHEDULED_JOBS=off) idle', async () => {
    const t = await createTestApp({ db });
    try {
      expect(t.config.scheduledJobs).toBe(false);
      const prune = jest.spyOn(t.app.get(RecentEventsRepository), 'prune');
      expect(await t.app.get(RecentEventsJob).prune()).toBe('off');
      expect(prune).not.toHaveBeenCalled();
    } finally {
      await t.close();
    }
  });

  it('logs a failing run with its instance and runs the job again on the next tick', async () => {
    const name = nextJob();
    const lines = logged(here);
    const work = jest
      .fn<Promise<void>, []>()
      .mockRejectedValueOnce(new Error('connection reset'))
      .mockResolvedValueOnce(undefined);
    expect(await here.runOnOneInstance(name, work)).toBe('failed');
    expect(await here.runOnOneInstance(name, work)).toBe('ran');
    expect(work).toHaveBeenCalledTimes(2);
    expect(lines).toEqual([
      `error: ${name} failed on ${INSTANCE}: connection reset`,
      `log: ${name} ran on ${INSTANCE}`,
    ]);
    // The lock went with the failed run: the other instance can take the job too.
    expect(await there.runOnOneInstance(name, async () => undefined)).toBe('ran');
  });

  it('runs an every-instance job on each instance, and skips it only while it runs on this one', async () => {
    const name = nextJob();
    const { work, running, finish } = heldWork();
    const first = here.runOnThisInstance(name, work);
    await running;
    expect(await here.runOnThisInstance(name, work)).toBe('running-here');
    const elsewhere = jest.fn(async () => undefined);
    expect(await there.runOnThisInstance(name, elsewhere)).toBe('ran');
    finish();
    expect(await first).toBe('ran');
    expect([work.mock.calls.length, elsewhere.mock.calls.length]).toEqual([1, 1]);
  });
});
