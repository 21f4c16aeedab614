import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AdvisoryLocks, INSTANCE } from './advisory-lock';

/** Why a tick did not run its job. */
const SKIPS = {
  'running-here': 'still running here',
  locked: 'running on another instance',
  'ran-elsewhere': 'it ran already within its minimum gap',
} as const;
type Skip = keyof typeof SKIPS;

/** What one tick did: ran the work, saw it fail, found jobs off, or skipped it (and why). */
export type TickOutcome = 'ran' | 'failed' | 'off' | Skip;

export interface TickOptions {
  /** See `AdvisoryLocks`: a run started less than this long ago on any instance is this tick's (~half the period). */
  minGapMs?: number;
  /** Level of the line saying the job ran; `debug` for jobs that run every few seconds. */
  logRunAt?: 'log' | 'debug';
}

/**
 * The one shape of a scheduled job: its `@Cron`/`@Interval` method hands the work to this and returns.
 *
 * - SCHEDULED_JOBS=off: nothing runs (tests drive the work themselves).
 * - A job never queues behind itself: a tick that finds it still running on this instance skips at once,
 *   and one that finds it running on another instance skips on the advisory lock, which is only ever
 *   tried (`pg_try_advisory_lock`), never waited for.
 * - Errors are caught and logged; the next tick simply runs again.
 * - Every run and every skip is logged with the instance (skips at debug).
 */
@Injectable()
export class ScheduledJobs {
  private readonly logger = new Logger(ScheduledJobs.name);
  private readonly running = new Set<string>();

  constructor(
    private readonly locks: AdvisoryLocks,
    private readonly config: AppConfig,
  ) {}

  /** Runs `work` on one instance per tick: the one that takes the job's advisory lock. */
  runOnOneInstance(job: string, work: () => Promise<unknown>, options: TickOptions = {}): Promise<TickOutcome> {
    return this.tick(job, options, async () => {
      const run = await this.locks.runExclusive(job, work, { minGapMs: options.minGapMs });
      return run.ran ? ('ran' as const) : run.reason;
    });
  }

  /** Runs `work` on every instance, for what is each instance's own (its connection, its state). */
  runOnThisInstance(job: string, work: () => Promise<unknown>, options: TickOptions = {}): Promise<TickOutcome> {
    return this.tick(job, options, async () => {
      await work();
      return 'ran' as const;
    });
  }

  private async tick(job: string, options: TickOptions, run: () => Promise<'ran' | Skip>): Promise<TickOutcome> {
    if (!this.config.scheduledJobs) return 'off';
    if (this.running.has(job)) return this.skipped(job, 'running-here');
    this.running.add(job);
    try {
      const outcome = await run();
      if (outcome !== 'ran') return this.skipped(job, outcome);
      this.logger[options.logRunAt ?? 'log'](`${job} ran on ${INSTANCE}`);
      return outcome;
    } catch (error) {
      this.logger.error(`${job} failed on ${INSTANCE}: ${error instanceof Error ? error.message : String(error)}`);
      return 'failed';
    } finally {
      this.running.delete(job);
    }
  }

  private skipped(job: string, skip: Skip): Skip {
    this.logger.debug(`${job} skipped on ${INSTANCE}: ${SKIPS[skip]}`);
    return skip;
  }
}
