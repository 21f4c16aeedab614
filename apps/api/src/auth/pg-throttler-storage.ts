import { Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's counters in PostgreSQL instead of process memory, so that a limit holds
 * across every API instance and survives a restart (an attacker gains nothing by hitting another
 * instance). Fixed windows: a key's window starts at its first hit.
 */
@Injectable()
export class PgThrottlerStorage implements ThrottlerStorage {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const rows: Array<{ hits: number; expires_ms: number; blocked_ms: number | null }> = await this.dataSource.query(
      `INSERT INTO rate_limits AS r (key, hits, window_ends_at) VALUES ($1, 1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END,
         window_ends_at = CASE WHEN r.window_ends_at <= now() THEN excluded.window_ends_at ELSE r.window_ends_at END,
         blocked_until = CASE
           WHEN r.blocked_until > now() THEN r.blocked_until
           WHEN r.window_ends_at > now() AND r.hits + 1 > $3 THEN now() + $4 * interval '1 millisecond'
           ELSE NULL END
       RETURNING hits,
         (extract(epoch FROM window_ends_at - now()) * 1000)::float8 AS expires_ms,
         (extract(epoch FROM blocked_until - now()) * 1000)::float8 AS blocked_ms`,
      [`${throttlerName}:${key}`, ttl, limit, blockDuration],
    );
    const row = rows[0]!;
    const blockedMs = row.blocked_ms !== null && row.blocked_ms > 0 ? row.blocked_ms : 0;
    return {
      totalHits: row.hits,
      timeToExpire: Math.max(0, Math.ceil(row.expires_ms / 1000)),
      isBlocked: blockedMs > 0,
      timeToBlockExpire: Math.ceil(blockedMs / 1000),
    };
  }

  /** Seconds until the key may try again, or 0: `limit` hits in the window, or a block, stop it. */
  async retryAfter(key: string, limit: number, throttlerName: string): Promise<number> {
    const rows: Array<{ wait_ms: number | null }> = await this.dataSource.query(
      `SELECT (extract(epoch FROM greatest(
                CASE WHEN hits >= $2 THEN window_ends_at END,
                blocked_until) - now()) * 1000)::float8 AS wait_ms
         FROM rate_limits WHERE key = $1`,
      [`${throttlerName}:${key}`, limit],
    );
    const wait = rows[0]?.wait_ms ?? 0;
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  async reset(key: string, throttlerName: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limits WHERE key = $1`, [`${throttlerName}:${key}`]);
  }

  async deleteExpired(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM rate_limits WHERE window_ends_at < now() AND (blocked_until IS NULL OR blocked_until < now())`,
    );
  }
}
