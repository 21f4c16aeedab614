import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ComparisonRepository } from './comparison.repository';

/**
 * Keeps the rollups close to current so that readers have few dirty hours to sum from `orders`.
 * Correctness never depends on it: dirty hours are always read from the orders themselves. Also runs
 * once at start, before the app listens, to fold what migrations, demo data or another zone left behind.
 * Several instances may run it; the database function takes an advisory lock.
 */
@Injectable()
export class RollupsJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(RollupsJob.name);

  constructor(private readonly repository: ComparisonRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
  }

  @Interval('comparison.rollups', 10_000)
  async refresh(): Promise<void> {
    try {
      await this.repository.refreshRollups();
    } catch (error) {
      this.logger.warn(`sales rollups not refreshed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
