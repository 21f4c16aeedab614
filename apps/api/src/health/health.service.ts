import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { HealthResponse } from '@mt/contracts';
import { BackupService } from '../backup/backup.service';

type DatabaseHealth = HealthResponse['database'];

const PROBE_TIMEOUT_MS = 2000;
/** Slower than this, the database answers but the dashboard will feel it: degraded. */
const SLOW_MS = 500;

/**
 * Knows whether the database answers (checked every 5 minutes and on every health request) and how old
 * the newest backup is.
 */
@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);
  private readonly startedAt = Date.now();
  private last: DatabaseHealth | null = null;
  private lastCheck: Date | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly backups: BackupService,
  ) {}

  /**
   * The one scheduled job that runs on every instance, without the advisory lock of the others: what it
   * checks is this instance's own connection, and its state and log lines are this instance's.
   */
  @Cron(CronExpression.EVERY_5_MINUTES, { name: 'health.database' })
  async checkDatabase(): Promise<DatabaseHealth> {
    const started = Date.now();
    let current: DatabaseHealth;
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), PROBE_TIMEOUT_MS);
      current = { status: 'up', latencyMs: Date.now() - started, error: null };
    } catch (error) {
      current = { status: 'down', latencyMs: null, error: error instanceof Error ? error.message : 'unreachable' };
    }
    if (this.last && this.last.status !== current.status) {
      const message = `database went ${current.status}${current.error ? `: ${current.error}` : ''}`;
      if (current.status === 'down') this.logger.error(message);
      else this.logger.log(message);
    }
    this.last = current;
    this.lastCheck = new Date();
    return current;
  }

  async health(): Promise<HealthResponse> {
    const database = await this.checkDatabase();
    return {
      status: database.status === 'down' ? 'down' : database.latencyMs! > SLOW_MS ? 'degraded' : 'ok',
      database,
      lastCheck: this.lastCheck?.toISOString() ?? null,
      uptime: Math.round((Date.now() - this.startedAt) / 1000),
      version: process.env.npm_package_version ?? '0.1.0',
      backup: await this.backups.status(),
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
