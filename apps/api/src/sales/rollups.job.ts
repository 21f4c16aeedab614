import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ScheduledJobs } from '../database/scheduled-jobs';
import { SalesRepository } from './sales.repository';

/**
 * Keeps the rollups close to current so that readers have few dirty hours to sum from `orders`.
 * Correctness never depends on it: dirty hours are always read from the orders themselves. Also starts
 * once at start, to fold what migrations, demo data or another zone left behind, in the background: the
 * app listens meanwhile (its readers are exact, only slower), and the 10 s ticks skip while it runs.
 * No minimum gap: a second fold in the same period finds little to do and is harmless.
 */
@Injectable()
export class RollupsJob implements OnApplicationBootstrap {
  constructor(
    private readonly repository: SalesRepository,
    private readonly jobs: ScheduledJobs,
  ) {}

  onApplicationBootstrap(): void {
    void this.refresh();
  }

  @Interval('comparison.rollups', 10_000)
  refresh(): Promise<unknown> {
    // Every 10 s: an info line each time would drown the log.
    return this.jobs.runOnOneInstance('comparison.rollups', () => this.repository.refreshRollups(), {
      logRunAt: 'debug',
    });
  }
}
