import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventLoopMonitor } from '../common/event-loop';
import { ScheduledJobs } from '../database/scheduled-jobs';
import type { HealthResponse } from '@mt/contracts';
import { FxService } from '../fx/fx.service';
import { BackupService } from '../backup/backup.service';

type DatabaseHealth = HealthResponse['database'];
/** The check as this instance knows it: `reason` (a driver message, with addresses) is for the log only. */
type DatabaseCheck = DatabaseHealth & { reason: string | null };

const PROBE_TIMEOUT_MS = 2000;
/** Slower than this, the database answers but the dashboard will feel it: degraded. */
const SLOW_MS = 500;
/** The longest window of the event loop's delay in a health answer. */
const EVENT_LOOP_WINDOW_MS = 60_000;

/**
 * Knows whether the database answers (checked every 5 minutes and on every health request) and how old
 * the newest backup is.
 */
@Injectable()
export class HealthService implements OnModuleDestroy {
  private readonly logger = new Logger(HealthService.name);
  private readonly startedAt = Date.now();
  private last: DatabaseCheck | null = null;
  private lastCheck: Date | null = null;
  private readonly eventLoop = new EventLoopMonitor();
  private readonly eventLoopWindow = setInterval(
    () => this.eventLoop.read({ reset: true }),
    EVENT_LOOP_WINDOW_MS,
  ).unref();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: ScheduledJobs,
    private readonly fx: FxService,
    private readonly backups: BackupService,
  ) {}

  /**
   * The one scheduled job that runs on every instance, without the advisory lock of the others: what it
   * checks is this instance's own connection, and its state and log lines are this instance's. Its run
   * line is at debug, like health requests: a change of state is logged by the check itself.
   */
  @Cron(CronExpression.EVERY_5_MINUTES, { name: 'health.database' })
  scheduledCheck(): Promise<unknown> {
    return this.jobs.runOnThisInstance('health.database', () => this.checkDatabase(), { logRunAt: 'debug' });
  }

  onModuleDestroy(): void {
    clearInterval(this.eventLoopWindow);
    this.eventLoop.stop();
  }

  async checkDatabase(): Promise<DatabaseHealth> {
    const started = Date.now();
    let current: DatabaseCheck;
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), PROBE_TIMEOUT_MS);
      current = { status: 'up', latencyMs: Date.now() - started, reason: null };
    } catch (error) {
      current = { status: 'down', latencyMs: null, reason: error instanceof Error ? error.message : String(error) };
    }
    this.logChange(current);
    this.last = current;
    this.lastCheck = new Date();
    return { status: current.status, latencyMs: current.latencyMs };
  }

  /** Once per change of state (or of the reason it is down), so that the log says why without repeating it. */
  private logChange(current: DatabaseCheck): void {
    if (current.status === 'down') {
      if (this.last?.status !== 'down') this.logger.error(`database went down: ${current.reason}`);
      else if (this.last.reason !== current.reason) this.logger.error(`database still down: ${current.reason}`);
    } else if (this.last?.status === 'down') {
      this.logger.log('database went up');
    }
  }

  async health(): Promise<HealthResponse> {
    const database = await this.checkDatabase();
    const exchangeRates = database.status === 'up' ? await this.fx.fetchState().catch(() => null) : null;
    const reasons = [
      // The public answer never carries the driver's error text (addresses, ports): that goes to the log.
      ...(database.status === 'down' ? ['database down'] : []),
      ...(database.status === 'up' && database.latencyMs! > SLOW_MS ? [`database slow: ${database.latencyMs} ms`] : []),
      ...(exchangeRates?.status === 'stale'
        ? [
            `exchange rates from ${exchangeRates.url} are stale: ${exchangeRates.lastError ?? 'no successful fetch for days'}` +
              ` (last success ${exchangeRates.lastSuccessAt ?? 'never'})`,
          ]
        : []),
    ];
    return {
      status: database.status === 'down' ? 'down' : reasons.length ? 'degraded' : 'ok',
      database,
      exchangeRates,
      reasons,
      lastCheck: this.lastCheck?.toISOString() ?? null,
      uptime: Math.round((Date.now() - this.startedAt) / 1000),
      version: process.env.npm_package_version ?? '0.1.0',
      backup: await this.backups.status(),
      eventLoop: this.eventLoop.read({ reset: true }),
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
