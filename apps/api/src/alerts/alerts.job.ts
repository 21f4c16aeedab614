import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { AdvisoryLocks } from '../database/advisory-lock';
import { AlertsService } from './alerts.service';

/** Hands the alert checks to the service every minute. */
@Injectable()
export class AlertsJob {
  private readonly logger = new Logger(AlertsJob.name);

  constructor(
    private readonly alerts: AlertsService,
    private readonly config: AppConfig,
    private readonly locks: AdvisoryLocks,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'alerts.check' })
  async check(): Promise<void> {
    // Tests drive the checks with a pinned clock (POST /api/alerts/check?now=); a real-time run in the
    // middle of one would fire on today's date.
    if (this.config.nodeEnv === 'test') return;
    try {
      // One instance per minute, or every instance would send the same e-mail. Not the service's own
      // 'alerts.check' lock: that one is taken on another connection, which this one would refuse.
      await this.locks.runExclusive('alerts.schedule', () => this.alerts.runChecks(new Date()), { minGapMs: 30_000 });
    } catch (error) {
      this.logger.error(`alert checks failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
