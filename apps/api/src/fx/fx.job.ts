import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { AdvisoryLocks } from '../database/advisory-lock';
import { ECB_FETCH_LOCK, FxService } from './fx.service';

/** Delay of the first fetch after start, so that booting never waits for the ECB. */
const FIRST_FETCH_DELAY_MS = 20_000;

/**
 * Fetches the ECB reference rates every hour (the file changes once a working day, around 16:00 CET;
 * an hourly try also retries a failed fetch soon), on one instance at a time. Hands work on only.
 */
@Injectable()
export class FxJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FxJob.name);
  private firstFetch: NodeJS.Timeout | null = null;

  constructor(
    private readonly fx: FxService,
    private readonly locks: AdvisoryLocks,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Tests run the fetch themselves; a timer firing mid-test would race them.
    if (this.config.fxRatesUrl && this.config.nodeEnv !== 'test')
      this.firstFetch = setTimeout(() => void this.hourly(), FIRST_FETCH_DELAY_MS);
  }

  onApplicationShutdown(): void {
    if (this.firstFetch) clearTimeout(this.firstFetch);
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'fx.ecb' })
  async hourly(): Promise<void> {
    if (!this.config.fxRatesUrl) return;
    try {
      const run = await this.locks.runExclusive(ECB_FETCH_LOCK, () => this.fx.fetchEcb(), { minGapMs: 30 * 60_000 });
      if (!run.ran) this.logger.debug(`ECB fetch skipped: ${run.reason}`);
    } catch (error) {
      this.logger.error(`ECB fetch not started: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
