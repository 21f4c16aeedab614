import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { filter, Subscription } from 'rxjs';
import { ScheduledJobs } from '../database/scheduled-jobs';
import { DomainEvents } from '../realtime/domain-events';
import { SpotifyService } from './spotify.service';

/** Keeps the stored quarterly projection fresh: every hour (one instance), and after every upload. */
@Injectable()
export class SpotifyProjectionJob implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SpotifyProjectionJob.name);
  private subscription: Subscription | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly spotify: SpotifyService,
    private readonly events: DomainEvents,
    private readonly jobs: ScheduledJobs,
  ) {}

  onModuleInit(): void {
    // Not a scheduled job: the upload's own figures change, so this runs whatever SCHEDULED_JOBS says.
    this.subscription = this.events.events$
      .pipe(filter((event) => event.name === 'upload.completed'))
      .subscribe(
        () =>
          void this.refresh().catch((error: unknown) =>
            this.logger.error(`projection refresh after an upload failed: ${String(error)}`),
          ),
      );
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.running;
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'spotify-projection' })
  hourly(): Promise<unknown> {
    return this.jobs.runOnOneInstance('spotify.projection', () => this.refresh(), { minGapMs: 30 * 60_000 });
  }

  /** Resolves when the refreshes triggered so far are done (tests, shutdown). */
  idle(): Promise<unknown> {
    return this.running;
  }

  /**
   * One refresh at a time on this instance: a refresh asked for while another runs starts after it (an
   * upload that lands mid-refresh must still be counted). Rejects when this refresh fails.
   */
  private refresh(): Promise<unknown> {
    const run = this.running.then(() => this.spotify.refreshStoredProjection());
    this.running = run.catch(() => undefined);
    return run;
  }
}
