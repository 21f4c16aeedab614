import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { ScheduledJobs } from '../database/scheduled-jobs';
import { RecentEventsRepository } from './recent-events.repository';

/** Keeps the recent-events buffer bounded, on one instance per tick. */
@Injectable()
export class RecentEventsJob {
  constructor(
    private readonly recent: RecentEventsRepository,
    private readonly jobs: ScheduledJobs,
  ) {}

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'realtime.prune' })
  prune(): Promise<unknown> {
    return this.jobs.runOnOneInstance('realtime.prune', () => this.recent.prune(), { minGapMs: 5 * 60_000 });
  }
}
