import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { ScheduledJobs } from '../database/scheduled-jobs';
import { ECB_FETCH_LOCK, FxService } from './fx.service';

/** Delay of the first fetch after start, so that booting never waits for the ECB. */
const FIRST_FETCH_DELAY_MS = 20_000;

/**
 * Fetches the ECB reference rates every hour (the file changes once a working day, around 16:00 CET;
 * an hourly try also retries a failed fetch soon), on one instance at a time. Hands work on only.
 */
@Injectable()
export class FxJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private firstFetch: NodeJS.Timeout | null = null;

  constructor(
    private readonly fx: FxService,
    private readonly jobs: ScheduledJobs,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.fxRatesUrl && this.config.scheduledJobs)
      this.firstFetch = setTimeout(() => void this.hourly(), FIRST_FETCH_DELAY_MS);
  }

  onApplicationShutdown(): void {
    if (this.firstFetch) clearTimeout(this.firstFetch);
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'fx.ecb' })
  async hourly(): Promise<unknown> {
    if (!this.config.fxRatesUrl) return 'off';
    // The same lock as POST /api/fx/refresh, so the two never fetch at once.
    return this.jobs.runOnOneInstance(ECB_FETCH_LOCK, () => this.fx.fetchEcb(), { minGapMs: 30 * 60_000 });
  }
}
