import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AdvisoryLocks } from '../database/advisory-lock';
import { RecentEventsRepository } from './recent-events.repository';

/** Keeps the recent-events buffer bounded, on one instance per tick. */
@Injectable()
export class RecentEventsJob {
  private readonly logger = new Logger(RecentEventsJob.name);

  constructor(
    private readonly recent: RecentEventsRepository,
    private readonly locks: AdvisoryLocks,
  ) {}

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'realtime.prune' })
  async prune(): Promise<void> {
    try {
      await this.locks.runExclusive('realtime.prune', () => this.recent.prune(), { minGapMs: 5 * 60_000 });
    } catch (error) {
      this.logger.warn(`recent events not pruned: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
