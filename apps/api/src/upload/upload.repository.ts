import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ImportHistoryEntry,
  ImportKind,
  Platform,
  UploadField,
  UploadFileType,
  UploadHeaderAlias,
  UploadReportType,
  UploadRowError,
} from '@mt/contracts';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { CopyIn, copyText } from '../database/copy-in';
import { AliasLookup, headerKey } from './header-aliases';
import { ReportRecord, RevenueRecord, StatsRecord } from './report-reader';
import { UploadLog } from './upload-log.entity';

export interface UploadLogInput {
  userId: string | null;
  fileName: string;
  fileHash: string;
  sizeBytes: number;
  type: UploadFileType | null;
  kind: ImportKind | null;
  platform?: Platform | null;
  recognised?: string | null;
  status: 'imported' | 'rejected' | 'duplicate';
  rows: number;
  inserted?: number;
  updated?: number;
  skipped?: number;
  errors?: UploadRowError[];
}

const TARGETS = {
  'spotify-weekly': { table: 'spotify_weekly_stats', period: 'week_start' },
  'spotify-monthly': { table: 'spotify_monthly_stats', period: 'month' },
} as const;

/** Owns the SQL of uploads: header aliases, the upload log and the staged, transactional import. */
@Injectable()
export class UploadRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async aliases(): Promise<UploadHeaderAlias[]> {
    const rows: Array<{ alias: string; field: UploadField; factor: string; builtin: boolean }> =
      await this.dataSource.query(
        `SELECT alias, field, factor, builtin FROM upload_header_aliases ORDER BY field, builtin DESC, alias`,
      );
    return rows.map((row) => ({
      alias: row.alias,
      field: row.field,
      factor: Number(row.factor),
      builtin: row.builtin,
    }));
  }

  async aliasLookup(): Promise<AliasLookup> {
    const aliases = await this.aliases();
    return new Map(aliases.map((entry) => [headerKey(entry.alias), { field: entry.field, factor: entry.factor }]));
  }

  /** Replaces the admin-defined aliases; builtin ones stay unless listed with another field or factor. */
  async replaceAliases(aliases: Array<{ alias: string; field: UploadField; factor: number }>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM upload_header_aliases WHERE NOT builtin`);
      for (const entry of aliases) {
        await manager.query(
          `INSERT INTO upload_header_aliases (alias_key, alias, field, factor, builtin) VALUES ($1, $2, $3, $4, false)
           ON CONFLICT (alias_key) DO UPDATE SET alias = excluded.alias, field = excluded.field, factor = excluded.factor, builtin = false`,
          [headerKey(entry.alias), entry.alias.trim(), entry.field, entry.factor],
        );
      }
    });
  }

  async history(limit: number): Promise<UploadLog[]> {
    return this.dataSource.getRepository(UploadLog).find({ order: { uploadedAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** Whether a file with this content was imported before (a re-upload changes nothing). */
  async alreadyImported(fileHash: string, runner?: QueryRunner): Promise<boolean> {
    const rows: unknown[] = await (runner ?? this.dataSource).query(
      `SELECT 1 FROM upload_log WHERE file_hash = $1 AND status = 'imported' LIMIT 1`,
      [fileHash],
    );
    return rows.length > 0;
  }

  async log(entry: UploadLogInput, runner?: QueryRunner | EntityManager): Promise<string> {
    const rows: Array<{ id: string }> = await (runner ?? this.dataSource).query(
      `INSERT INTO upload_log (user_id, file_name, file_hash, size_bytes, type, kind, platform, recognised, status, rows,
                               inserted, updated, skipped, errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [
        entry.userId,
        entry.fileName,
        entry.fileHash,
        entry.sizeBytes,
        entry.type,
        entry.kind,
        entry.platform ?? null,
        entry.recognised ?? null,
        entry.status,
        entry.rows,
        entry.inserted ?? 0,
        entry.updated ?? 0,
        entry.skipped ?? 0,
        JSON.stringify(entry.errors ?? []),
      ],
    );
    return rows[0]!.id;
  }

  /** The import history, newest first, with who uploaded each file. */
  async imports(limit: number): Promise<ImportHistoryEntry[]> {
    const rows: Array<{
      id: string;
      file: string;
      kind: ImportKind | null;
      platform: Platform | null;
      type: UploadFileType | null;
      recognised: string | null;
      rows: number;
      inserted: number;
      updated: number;
      skipped: number;
      status: ImportHistoryEntry['status'];
      error_count: number;
      at: Date;
      by: string | null;
    }> = await this.dataSource.query(
      `SELECT l.id, l.file_name AS file, l.kind, l.platform, l.type, l.recognised, l.rows, l.inserted, l.updated,
              l.skipped, l.status, jsonb_array_length(l.errors) AS error_count, l.uploaded_at AS at, u.email AS by
         FROM upload_log l LEFT JOIN users u ON u.id = l.user_id
        ORDER BY l.uploaded_at DESC, l.id DESC
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      file: row.file,
      kind: row.kind,
      platform: row.platform,
      reportType: row.type,
      recognised: row.recognised,
      rows: row.rows,
      inserted: row.inserted,
      updated: row.updated,
      skipped: row.skipped,
      status: row.status,
      errorCount: row.error_count,
      at: row.at.toISOString(),
      by: row.by,
    }));
  }

  /** Opens the one transaction a file is imported in; holds an advisory lock on its content hash. */
  async begin(fileHash: string): Promise<FileImportTransaction> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`upload:${fileHash}`]);
    } catch (error) {
      await runner.release();
      throw error;
    }
    return new FileImportTransaction(runner, this);
  }
}

/**
 * Rows go to a temporary staging table through COPY as they are parsed (so the file's rows are never
 * all in memory), are checked for keys repeated within the file, then merged into the target
 * table on the natural key. Unchanged rows are not rewritten.
 */
export class FileImportTransaction {
  private type: UploadReportType | null = null;
  private done = false;
  private readonly copy: CopyIn;

  constructor(
    private readonly runner: QueryRunner,
    private readonly repository: UploadRepository,
  ) {
    this.copy = new CopyIn(runner, `COPY upload_stage FROM STDIN`);
  }

  alreadyImported(fileHash: string): Promise<boolean> {
    return this.repository.alreadyImported(fileHash, this.runner);
  }

  async prepare(type: UploadReportType): Promise<void> {
    this.type = type;
    // The duplicate check and the ordered merge sort the whole file; in memory rather than on disk.
    await this.runner.query(`SET LOCAL work_mem = '128MB'`);
    if (type === 'spotify-revenue') {
      await this.runner.query(`
        CREATE TEMP TABLE upload_stage (
          period date, title text, isbn text, title_key text, country char(2), revenue_model text,
          minutes numeric(16, 2), units numeric(14, 2), currency char(3), net_royalty numeric(16, 4), source_row integer
        ) ON COMMIT DROP`);
    } else {
      await this.runner.query(`
        CREATE TEMP TABLE upload_stage (
          period date, title text, isbn text, title_key text, country char(2),
          minutes numeric(16, 2), completes numeric(14, 2), source_row integer
        ) ON COMMIT DROP`);
    }
  }

  /** Appends records to the staging table through one `COPY … FROM STDIN` kept open for the whole file. */
  async stage(records: ReportRecord[]): Promise<void> {
    if (!records.length) return;
    await this.copy.write(
      this.type === 'spotify-revenue' ? revenueLines(records as RevenueRecord[]) : statsLines(records as StatsRecord[]),
    );
  }

  /** Ends the COPY; must come before any other statement on this connection. */
  endStaging(): Promise<void> {
    return this.copy.end();
  }

  /** Rows whose natural key an earlier row of the same file already used. */
  async repeatedKeys(limit: number): Promise<UploadRowError[]> {
    const key =
      this.type === 'spotify-revenue'
        ? `period, title_key, coalesce(country, ''), revenue_model`
        : `period, title_key, country`;
    const rows: Array<{ first: number; repeated: number; period: string }> = await this.runner.query(
      `SELECT min(source_row) AS first, (array_agg(source_row ORDER BY source_row))[2] AS repeated, to_char(period, 'YYYY-MM-DD') AS period
         FROM upload_stage GROUP BY ${key} HAVING count(*) > 1 ORDER BY 2 LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      row: row.repeated,
      column: null,
      message: `repeats row ${row.first} (same ${this.type === 'spotify-weekly' ? 'week' : 'period'} ${row.period}, title/ISBN and country${this.type === 'spotify-revenue' ? ' and revenue model' : ''})`,
    }));
  }

  /** Logs the upload and merges the staged rows, all inside the transaction. */
  async merge(entry: Omit<UploadLogInput, 'status'>): Promise<{ inserted: number; updated: number }> {
    const uploadId = await this.repository.log({ ...entry, status: 'imported' }, this.runner);
    const counts =
      this.type === 'spotify-revenue' ? await this.mergeRevenue(uploadId) : await this.mergeStats(uploadId);
    // Each Spotify title leads to an edition of the title catalogue (apps/api/src/titles), new ones included.
    await this.runner.query(
      `SELECT match_spotify_titles(array_agg(title_key), array_agg(isbn), array_agg(title))
       FROM (SELECT title_key, min(isbn) AS isbn, min(title) AS title FROM upload_stage GROUP BY title_key) k`,
    );
    await this.runner.query(`UPDATE upload_log SET inserted = $2, updated = $3 WHERE id = $1`, [
      uploadId,
      counts.inserted,
      counts.updated,
    ]);
    return counts;
  }

  /**
   * Update-then-insert rather than `INSERT … ON CONFLICT`: for a million rows the speculative insertion
   * of ON CONFLICT costs about twice a plain insert. Imports into the same table are serialised by an
   * advisory lock, so no other transaction can add a key between the two statements.
   */
  private async mergeStats(uploadId: string): Promise<{ inserted: number; updated: number }> {
    const { table, period } = TARGETS[this.type as keyof typeof TARGETS];
    await this.lockTable(table);
    const updated = await this.count(
      `UPDATE ${table} AS t
          SET title = s.title, isbn = s.isbn, minutes = s.minutes, completes = s.completes, upload_id = $1
         FROM upload_stage s
        WHERE t.${period} = s.period AND t.title_key = s.title_key AND t.country = s.country
          AND (t.title, t.isbn, t.minutes, t.completes) IS DISTINCT FROM (s.title, s.isbn, s.minutes, s.completes)`,
      [uploadId],
    );
    const inserted = await this.count(
      `INSERT INTO ${table} (${period}, title, isbn, title_key, country, minutes, completes, upload_id)
       SELECT s.period, s.title, s.isbn, s.title_key, s.country, s.minutes, s.completes, $1
         FROM upload_stage s
        WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${period} = s.period AND t.title_key = s.title_key AND t.country = s.country)
        -- in key order, so that the natural-key index grows at its right edge instead of at random
        ORDER BY s.period, s.title_key, s.country`,
      [uploadId],
    );
    if (this.type === 'spotify-weekly') {
      // The weekly charts read these totals; recompute the weeks this file touched, in this transaction.
      await this.runner.query(
        `SELECT refresh_spotify_week_country_totals(ARRAY(SELECT DISTINCT period FROM upload_stage))`,
      );
    }
    return { inserted, updated };
  }

  private async mergeRevenue(uploadId: string): Promise<{ inserted: number; updated: number }> {
    await this.lockTable('spotify_revenue_lines');
    const sameKey = `t.period = s.period AND t.title_key = s.title_key AND coalesce(t.country, '') = coalesce(s.country, '') AND t.revenue_model = s.revenue_model`;
    const updated = await this.count(
      `UPDATE spotify_revenue_lines AS t
          SET title = s.title, isbn = s.isbn, minutes = s.minutes, units = s.units, currency = s.currency,
              net_royalty = s.net_royalty, upload_id = $1, source_row = s.source_row
         FROM upload_stage s
        WHERE ${sameKey}
          AND (t.title, t.isbn, t.minutes, t.units, t.currency, t.net_royalty) IS DISTINCT FROM
              (s.title, s.isbn, s.minutes, s.units, s.currency, s.net_royalty)`,
      [uploadId],
    );
    const inserted = await this.count(
      `INSERT INTO spotify_revenue_lines
         (period, title, isbn, title_key, country, revenue_model, minutes, units, currency, net_royalty, upload_id, source_row)
       SELECT s.period, s.title, s.isbn, s.title_key, s.country, s.revenue_model, s.minutes, s.units, s.currency, s.net_royalty, $1, s.source_row
         FROM upload_stage s
        WHERE NOT EXISTS (SELECT 1 FROM spotify_revenue_lines t WHERE ${sameKey})
        ORDER BY s.period, s.title_key, s.country, s.revenue_model`,
      [uploadId],
    );
    return { inserted, updated };
  }

  private async lockTable(table: string): Promise<void> {
    await this.runner.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`upload-merge:${table}`]);
    // The staging table has no statistics yet; with them the planner joins by hash instead of looping.
    await this.runner.query(`ANALYZE upload_stage`);
  }

  /** Rows the statement changed, from the command tag (no RETURNING rows to materialise). */
  private async count(sql: string, params: unknown[]): Promise<number> {
    const result: { affected?: number | null } = await this.runner.query(sql, params, true);
    return result.affected ?? 0;
  }

  async commit(): Promise<void> {
    await this.runner.commitTransaction();
    await this.finish();
  }

  async rollback(): Promise<void> {
    if (this.done) return;
    await this.endStaging().catch(() => undefined);
    if (this.runner.isTransactionActive) await this.runner.rollbackTransaction();
    await this.finish();
  }

  private async finish(): Promise<void> {
    this.done = true;
    await this.runner.release();
  }
}

function statsLines(rows: StatsRecord[]): string {
  let text = '';
  for (const r of rows) {
    text += `${r.period}\t${copyText(r.title)}\t${copyText(r.isbn)}\t${copyText(r.titleKey)}\t${r.country}\t${r.minutes}\t${copyText(r.completes)}\t${r.sourceRow}\n`;
  }
  return text;
}

function revenueLines(rows: RevenueRecord[]): string {
  let text = '';
  for (const r of rows) {
    text +=
      `${r.period}\t${copyText(r.title)}\t${copyText(r.isbn)}\t${copyText(r.titleKey)}\t${copyText(r.country)}\t` +
      `${copyText(r.revenueModel)}\t${r.minutes}\t${r.units}\t${r.currency}\t${r.netRoyalty}\t${r.sourceRow}\n`;
  }
  return text;
}
