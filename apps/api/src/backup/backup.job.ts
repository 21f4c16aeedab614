import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '../config/app-config';
import { ScheduledJobs, TickOutcome } from '../database/scheduled-jobs';
import { BackupService } from './backup.service';

/** Hands a backup to the service on BACKUP_SCHEDULE (business time zone) when BACKUP_DIR is set. */
@Injectable()
export class BackupJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(BackupJob.name);

  constructor(
    private readonly backups: BackupService,
    private readonly config: AppConfig,
    private readonly jobs: ScheduledJobs,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const { dir, schedule } = this.config.backup;
    if (!dir || !this.config.scheduledJobs) return;
    // The schedule comes from the environment, so the job is added here rather than by @Cron.
    const job = CronJob.from({
      cronTime: schedule,
      onTick: () => void this.runScheduled(),
      timeZone: this.config.businessTimezone,
      start: true,
    });
    this.scheduler.addCronJob('backup', job);
    this.logger.log(
      `backups to ${dir} on "${schedule}" (${this.config.businessTimezone}), keeping ${this.config.backup.keep}`,
    );
  }

  /** One instance per tick writes the dump (instances may share BACKUP_DIR); the others skip. */
  runScheduled(): Promise<TickOutcome> {
    return this.jobs.runOnOneInstance(
      'backup',
      async () => {
        const result = await this.backups.backup();
        this.logger.log(
          `backup written: ${result.file} (${result.tables} tables, ${result.rows} rows)` +
            (result.pruned.length ? `; deleted ${result.pruned.length} older` : ''),
        );
      },
      { minGapMs: 30 * 60_000 },
    );
  }
}
