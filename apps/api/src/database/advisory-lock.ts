import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';

/** First key of every advisory lock we take ('mtin'), so that our locks cannot collide with others'. */
const LOCK_NAMESPACE = 0x6d74696e;
/** This process, as job logs and `job_runs.last_instance` name it. */
export const INSTANCE = `${hostname()}:${process.pid}`;

export type ExclusiveRun<T> = { ran: true; result: T } | { ran: false; reason: 'locked' | 'ran-elsewhere' };

/**
 * Scheduled jobs on several API instances (SPEC §5): each instance's scheduler fires, and the first
 * to take the PostgreSQL advisory lock of the job runs it; the others skip this tick. The lock is
 * session-level on a connection held for the run, so it is released even if the process dies.
 *
 * A lock alone lets a second instance run the same tick when its clock fires a moment after the
 * first run finished; `minGapMs` (about half the schedule's period) closes that: the run is
 * recorded in `job_runs`, and a run that started less than `minGapMs` ago counts as this tick's.
 */
@Injectable()
export class AdvisoryLocks {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runExclusive<T>(
    job: string,
    /** `startedAt`: the run's start on the database's clock, as `job_runs` records it (with `minGapMs`). */
    work: (run: { startedAt: Date | null }) => Promise<T>,
    options: { minGapMs?: number } = {},
  ): Promise<ExclusiveRun<T>> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`, [
        LOCK_NAMESPACE,
        job,
      ])) as [{ locked: boolean }];
      if (!locked) return { ran: false, reason: 'locked' };
      try {
        if (options.minGapMs !== undefined) {
          const claimed: Array<{ started_at: Date }> = await runner.query(
            `INSERT INTO job_runs AS j (name, last_started_at, last_instance) VALUES ($1, now(), $3)
             ON CONFLICT (name) DO UPDATE SET last_started_at = now(), last_instance = $3
               WHERE j.last_started_at <= now() - $2 * interval '1 millisecond'
             RETURNING last_started_at AS started_at`,
            [job, options.minGapMs, INSTANCE],
          );
          if (claimed.length === 0) return { ran: false, reason: 'ran-elsewhere' };
          return { ran: true, result: await work({ startedAt: claimed[0]!.started_at }) };
        }
        return { ran: true, result: await work({ startedAt: null }) };
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [LOCK_NAMESPACE, job]);
      }
    } finally {
      await runner.release();
    }
  }
}
