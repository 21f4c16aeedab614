import { performance } from 'node:perf_hooks';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { PushedFigures } from '@mt/contracts';
import { filter, Subscription } from 'rxjs';
import { ComparisonService } from '../comparison/comparison.service';
import { AdvisoryLocks } from '../database/advisory-lock';
import { DomainEvent, DomainEvents } from './domain-events';

/** Whether `event` is a push of computed figures (state, not news: the gateway does not buffer it). */
export function isMetricsPush(event: DomainEvent): boolean {
  return event.name === 'metrics.changed' && !!(event as DomainEvent<'metrics.changed'>).payload.figures;
}

/**
 * A burst with its figures pushes coalesced: only the last one stays, where it was (they are state, not
 * news: the last figures win), so that a dashboard applies one push per burst, not every stale one.
 */
export function withLatestFiguresOnly<T extends DomainEvent>(burst: T[]): T[] {
  const last = burst.findLastIndex(isMetricsPush);
  return burst.filter((event, i) => i === last || !isMetricsPush(event));
}

/** The job name of the push: its advisory lock and its `job_runs` row, shared by every instance. */
export const METRICS_PUSH_JOB = 'realtime.metrics-push.sales';
/** At most one computation per topic per second across instances (SPEC §5). */
export const METRICS_PUSH_GAP_MS = 1000;
/** How long the first change of a burst waits for the rest of it before the figures are computed. */
const GATHER_MS = 100;
/** How soon an instance whose turn was taken (lock held, or the gap not over) tries again. */
const RETRY_MS = 200;
/** After a failure (the database away): not every RETRY_MS, and not a warning each time. */
const FAILED_RETRY_MS = 5000;

/**
 * Compute once, push to all (SPEC §5): the order changes this instance stored mark the sales figures
 * stale; shortly after, one instance computes the hero and the metrics summary once and publishes
 * `metrics.changed` with them, which the gateway sends to every dashboard (on every instance). At
 * most once a second across instances: the advisory lock and the `job_runs` gap of AdvisoryLocks
 * decide whose turn it is. An instance that finds its turn taken keeps its changes and tries again
 * after the gap, so a change that came after another instance's computation is never left unsent.
 */
@Injectable()
export class MetricsPush implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MetricsPush.name);
  private subscription: Subscription | null = null;
  private stale = false;
  private timer: NodeJS.Timeout | null = null;
  private computing: Promise<void> | null = null;
  private stopped = false;
  /**
   * When this instance's own last push allows the next one (performance.now()): a change that comes
   * sooner waits for it instead of asking for the lock in vain every RETRY_MS.
   */
  private nextTurnAt = 0;

  constructor(
    private readonly events: DomainEvents,
    private readonly comparison: ComparisonService,
    private readonly locks: AdvisoryLocks,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.events$
      .pipe(filter((event) => event.name === 'order.created' || event.name === 'order.updated'))
      .subscribe(() => this.markStale());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    await this.computing;
  }

  /** The figures as the dashboard's hero and metrics grid would fetch them now. */
  async figures(now = new Date()): Promise<PushedFigures> {
    const [{ hero, watermark }, summary] = await Promise.all([
      this.comparison.liveHero(now),
      this.comparison.metricsSummary(now, { compare: 'previous' }),
    ]);
    return { hero, summary, watermark };
  }

  private markStale(): void {
    this.stale = true;
    this.schedule(GATHER_MS);
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.computing || this.stopped) return;
    delayMs = Math.max(delayMs, this.nextTurnAt - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.computing = this.push().then((retryMs) => {
        this.computing = null;
        if (this.stale) this.schedule(retryMs);
      });
    }, delayMs).unref();
  }

  /** Pushes if it is this instance's turn; the wait before trying again should figures still be stale. */
  private async push(): Promise<number> {
    try {
      const run = await this.locks.runExclusive(
        METRICS_PUSH_JOB,
        async ({ startedAt }) => {
          // The gap runs from the database's start of this run, which came before this moment.
          this.nextTurnAt = performance.now() + METRICS_PUSH_GAP_MS;
          // Changes from here on may be missing from these figures: they make the next push.
          this.stale = false;
          // The database's clock, on which the gap between two pushes is kept, whichever instance sent them.
          const at = startedAt ?? new Date();
          const figures = await this.figures(at);
          this.events.publish('metrics.changed', { reason: 'orders', at: at.toISOString(), figures });
        },
        { minGapMs: METRICS_PUSH_GAP_MS },
      );
      if (!run.ran) this.logger.debug(`metrics push: ${run.reason}, trying again`);
      return RETRY_MS;
    } catch (error) {
      this.stale = true;
      this.logger.warn(`metrics push failed: ${error instanceof Error ? error.message : String(error)}`);
      return FAILED_RETRY_MS;
    }
  }
}
