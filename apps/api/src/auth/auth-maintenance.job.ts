import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AdvisoryLocks } from '../database/advisory-lock';
import { AuthService } from './auth.service';
import { OidcService } from './oidc.service';

/** Deletes expired sessions, pending sign-ins and spent rate-limit counters, on one instance per tick. */
@Injectable()
export class AuthMaintenanceJob {
  private readonly logger = new Logger(AuthMaintenanceJob.name);

  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcService,
    private readonly locks: AdvisoryLocks,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'auth.prune' })
  async prune(): Promise<void> {
    try {
      await this.locks.runExclusive(
        'auth.prune',
        async () => {
          await this.auth.pruneExpired();
          await this.oidc.pruneExpired();
        },
        { minGapMs: 30 * 60_000 },
      );
    } catch (error) {
      this.logger.warn(`expired sessions not pruned: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
