import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ScheduledJobs } from '../database/scheduled-jobs';
import { TitlesRepository } from './titles.repository';

/**
 * Keeps the title rollups close to current, as the order rollups job does for its own: correctness never
 * depends on it (dirty days are read from the lines), and it runs once at start to build what a
 * migration, demo data or another zone left behind.
 */
@Injectable()
export class TitlesRollupsJob implements OnApplicationBootstrap {
  constructor(
    private readonly repository: TitlesRepository,
    private readonly jobs: ScheduledJobs,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
  }

  @Interval('titles.rollups', 10_000)
  refresh(): Promise<unknown> {
    return this.jobs.runOnOneInstance('titles.rollups', () => this.repository.refreshRollups(), { logRunAt: 'debug' });
  }
}
