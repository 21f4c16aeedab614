import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { ScheduledJobs } from '../database/scheduled-jobs';
import { ALERT_CHECKS, AlertsService } from './alerts.service';

/** Hands the alert checks to the service every minute, on one instance (or every one would send the e-mail). */
@Injectable()
export class AlertsJob {
  constructor(
    private readonly alerts: AlertsService,
    private readonly jobs: ScheduledJobs,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'alerts.check' })
  check(): Promise<unknown> {
    return this.jobs.runOnOneInstance(ALERT_CHECKS, () => this.alerts.runChecks(new Date()), { minGapMs: 30_000 });
  }
}
