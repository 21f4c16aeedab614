import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { ScheduledJobs } from '../database/scheduled-jobs';
import { AuthService } from './auth.service';
import { OidcService } from './oidc.service';

/** Deletes expired sessions, pending sign-ins and spent rate-limit counters, on one instance per tick. */
@Injectable()
export class AuthMaintenanceJob {
  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcService,
    private readonly jobs: ScheduledJobs,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'auth.prune' })
  prune(): Promise<unknown> {
    return this.jobs.runOnOneInstance(
      'auth.prune',
      async () => {
        await this.auth.pruneExpired();
        await this.oidc.pruneExpired();
      },
      { minGapMs: 30 * 60_000 },
    );
  }
}
