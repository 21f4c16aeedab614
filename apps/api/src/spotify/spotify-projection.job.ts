import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { filter, Subscription } from 'rxjs';
import { AdvisoryLocks } from '../database/advisory-lock';
import { DomainEvents } from '../realtime/domain-events';
import { SpotifyService } from './spotify.service';

/** Keeps the stored quarterly projection fresh: every hour, and after every upload. Hands work on only. */
@Injectable()
export class SpotifyProjectionJob implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SpotifyProjectionJob.name);
  private subscription: Subscription | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly spotify: SpotifyService,
    private readonly events: DomainEvents,
    private readonly locks: AdvisoryLocks,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.events$
      .pipe(filter((event) => event.name === 'upload.completed'))
      .subscribe(() => void this.refresh('upload'));
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.running;
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'spotify-projection' })
  async hourly(): Promise<void> {
    // One instance per tick refreshes the stored projection; the others skip.
    try {
      await this.locks.runExclusive('spotify.projection', () => this.refresh('hourly'), { minGapMs: 30 * 60_000 });
    } catch (error) {
      this.logger.error(`projection refresh (hourly) not started: ${String(error)}`);
    }
  }

  /** Resolves when the refreshes triggered so far are done (tests, shutdown). */
  idle(): Promise<unknown> {
    return this.running;
  }

  /** Runs one refresh at a time; errors are logged, the next trigger tries again. */
  refresh(reason: string): Promise<unknown> {
    this.running = this.running
      .then(() => this.spotify.refreshStoredProjection())
      .catch((error: unknown) => this.logger.error(`projection refresh (${reason}) failed: ${String(error)}`));
    return this.running;
  }
}
