import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Platform, SourceKind, SourceStatus } from '@mt/contracts';

interface SourceRow {
  name: string;
  platform: Platform;
  kind: SourceKind;
  enabled: boolean;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  cursor: string | null;
}

@Injectable()
export class SourcesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async register(name: string, platform: Platform, kind: SourceKind, enabled: boolean): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sources (name, platform, kind, enabled) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET platform = EXCLUDED.platform, kind = EXCLUDED.kind, enabled = EXCLUDED.enabled`,
      [name, platform, kind, enabled],
    );
  }

  /** Records one sync attempt; `cursor` (e.g. the last modified time seen) is kept when not given. */
  async record(
    name: string,
    platform: Platform,
    kind: SourceKind,
    at: Date,
    error: string | null,
    cursor?: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sources (name, platform, kind, last_attempt_at, last_success_at, last_error, last_error_at, cursor, updated_at)
       VALUES ($1, $2, $3, $4::timestamptz, CASE WHEN $5::text IS NULL THEN $4::timestamptz END, $5::text,
               CASE WHEN $5::text IS NULL THEN NULL ELSE $4::timestamptz END, $6::text, now())
       ON CONFLICT (name) DO UPDATE SET
         last_attempt_at = EXCLUDED.last_attempt_at,
         last_success_at = COALESCE(EXCLUDED.last_success_at, sources.last_success_at),
         last_error = CASE WHEN EXCLUDED.last_error IS NULL THEN sources.last_error ELSE EXCLUDED.last_error END,
         last_error_at = COALESCE(EXCLUDED.last_error_at, sources.last_error_at),
         cursor = CASE WHEN $7::boolean THEN EXCLUDED.cursor ELSE sources.cursor END,
         updated_at = now()`,
      [name, platform, kind, at, error, cursor ?? null, cursor !== undefined],
    );
  }

  async cursor(name: string): Promise<string | null> {
    const rows: Array<{ cursor: string | null }> = await this.dataSource.query(
      `SELECT cursor FROM sources WHERE name = $1`,
      [name],
    );
    return rows[0]?.cursor ?? null;
  }

  async list(): Promise<SourceStatus[]> {
    const rows: SourceRow[] = await this.dataSource.query(`SELECT * FROM sources ORDER BY platform, kind, name`);
    return rows.map(mapSource);
  }
}

function mapSource(row: SourceRow): SourceStatus {
  return {
    name: row.name,
    platform: row.platform,
    kind: row.kind,
    enabled: row.enabled,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    lastSuccessAt: row.last_success_at?.toISOString() ?? null,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at?.toISOString() ?? null,
  };
}
