import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '../config/app-config';
import { AdvisoryLocks } from '../database/advisory-lock';
import { BackupService } from './backup.service';

/** Hands a backup to the service on BACKUP_SCHEDULE (business time zone) when BACKUP_DIR is set. */
@Injectable()
export class BackupJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(BackupJob.name);

  constructor(
    private readonly backups: BackupService,
    private readonly config: AppConfig,
    private readonly locks: AdvisoryLocks,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const { dir, schedule } = this.config.backup;
    // Tests run backups themselves; one firing mid-test would race them.
    if (!dir || this.config.nodeEnv === 'test') return;
    // The schedule comes from the environment, so the job is added here rather than by @Cron.
    const job = CronJob.from({
      cronTime: schedule,
      onTick: () => this.runScheduled(),
      timeZone: this.config.businessTimezone,
      start: true,
    });
    this.scheduler.addCronJob('backup', job);
    this.logger.log(
      `backups to ${dir} on "${schedule}" (${this.config.businessTimezone}), keeping ${this.config.backup.keep}`,
    );
  }

  /** One instance per tick writes the dump (instances may share BACKUP_DIR); the others skip. */
  async runScheduled(): Promise<void> {
    try {
      const run = await this.locks.runExclusive('backup', () => this.backups.backup(), { minGapMs: 30 * 60_000 });
      if (!run.ran) this.logger.log(`scheduled backup skipped: ${run.reason}`);
      else
        this.logger.log(
          `backup written: ${run.result.file} (${run.result.tables} tables, ${run.result.rows} rows)` +
            (run.result.pruned.length ? `; deleted ${run.result.pruned.length} older` : ''),
        );
    } catch (error) {
      this.logger.error(`scheduled backup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
