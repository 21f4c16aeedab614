import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { toBaseSql } from '../fx/fx-conversion';
import { ReadStatement } from './statement-reader';

export interface StoredStatementOutcome {
  id: string;
  /** The statement of that period it replaced (a corrected re-issue), with its file; null when new. */
  replaced: { file: string | null; uploadedAt: Date | null } | null;
}

export interface StatementRow {
  id: string;
  issuer: string;
  month: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  netAmount: string;
  currency: string;
  baseNetAmount: string | null;
  spotifyAmount: string | null;
  otherAmount: string | null;
  channels: Array<{ channel: string; currency: string; amount: string }>;
  file: string | null;
  uploadedAt: Date | null;
  uploadedBy: string | null;
  versions: number;
}

/**
 * A statement's amount in the base currency, at the rate of its invoice date (SPEC §2 "Money"); the fx
 * rule itself lives in fx-conversion.ts. Placeholders: `$1` base currency, `$2` business zone.
 */
export function statementBaseSql(amount: string, statement = 's'): string {
  return toBaseSql(amount, `${statement}.currency`, `(${statement}.invoice_date::timestamp AT TIME ZONE $2::text)`);
}

/** Owns `spotify_statements` and `spotify_statement_lines` (migration RoyaltyStatements). */
@Injectable()
export class StatementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Stores a statement with its lines; one already stored for the same issuer, payee and period is
   * replaced whole (a corrected re-issue). Every line's title is matched into the catalogue.
   */
  async store(manager: EntityManager, statement: ReadStatement): Promise<StoredStatementOutcome> {
    const key = [statement.issuer, statement.payee, statement.periodStart, statement.periodEnd];
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`statement:${key.join('|')}`]);
    const [previous]: Array<{ id: string; file: string | null; uploaded_at: Date | null }> = await manager.query(
      `SELECT s.id, u.file_name AS file, u.uploaded_at
         FROM spotify_statements s LEFT JOIN upload_log u ON u.id = s.upload_id
        WHERE s.issuer = $1 AND s.payee = $2 AND s.period_start = $3 AND s.period_end = $4`,
      key,
    );
    const values = [
      statement.month,
      statement.invoiceNumber,
      statement.invoiceDate,
      statement.dueDate,
      statement.currency,
      statement.netAmount,
      JSON.stringify(statement.channels),
    ];
    let id: string;
    if (previous) {
      id = previous.id;
      await manager.query(`DELETE FROM spotify_statement_lines WHERE statement_id = $1`, [id]);
      await manager.query(
        `UPDATE spotify_statements SET month = $2, invoice_number = $3, invoice_date = $4, due_date = $5, currency = $6,
                net_amount = $7, channels = $8::jsonb, versions = versions + 1
          WHERE id = $1`,
        [id, ...values],
      );
    } else {
      const [row]: Array<{ id: string }> = await manager.query(
        `INSERT INTO spotify_statements (issuer, payee, period_start, period_end, month, invoice_number, invoice_date,
                                         due_date, currency, net_amount, channels)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb) RETURNING id`,
        [...key, ...values],
      );
      id = row!.id;
    }
    await manager.query(
      `INSERT INTO spotify_statement_lines (statement_id, month, channel, sheet_row, title, isbn, title_key, sales_type,
              partner, is_spotify, is_pool, territory, royalty_rate, display_number, publisher, promotion, currency,
              list_price, price_type, sales_qty, gross_revenue, royalty_earned, distribution_fee, exchange_rate,
              payable_currency, royalty_payable)
       SELECT $1, $2::date, l."channel", l."sheetRow", l."title", l."isbn", l."titleKey", l."salesType", l."partner",
              l."isSpotify", l."isPool", l."territory", l."royaltyRate", l."displayNumber", l."publisher", l."promotion",
              l."currency", l."listPrice", l."priceType", l."salesQty", l."grossRevenue", l."royaltyEarned",
              l."distributionFee", l."exchangeRate", l."payableCurrency", l."royaltyPayable"
         FROM jsonb_to_recordset($3::jsonb) AS l (
              "channel" text, "sheetRow" int, "title" text, "isbn" text, "titleKey" text, "salesType" text, "partner" text,
              "isSpotify" boolean, "isPool" boolean, "territory" text, "royaltyRate" text, "displayNumber" text,
              "publisher" text, "promotion" text, "currency" text, "listPrice" numeric, "priceType" text,
              "salesQty" numeric, "grossRevenue" numeric, "royaltyEarned" numeric, "distributionFee" numeric,
              "exchangeRate" numeric, "payableCurrency" text, "royaltyPayable" numeric)`,
      [id, statement.month, JSON.stringify(statement.lines)],
    );
    // The catalogue's own matching of Spotify title keys (Titles migration): ISBN, then normalised title.
    await manager.query(
      `SELECT match_spotify_titles(array_agg(title_key), array_agg(isbn), array_agg(title))
         FROM (SELECT title_key, max(isbn) AS isbn, min(title) AS title
                 FROM spotify_statement_lines WHERE statement_id = $1 GROUP BY title_key) k`,
      [id],
    );
    return { id, replaced: previous ? { file: previous.file, uploadedAt: previous.uploaded_at } : null };
  }

  /** The import history entry a statement came with (its provenance). */
  async linkUpload(manager: EntityManager, statementId: string, uploadId: string): Promise<void> {
    await manager.query(`UPDATE spotify_statements SET upload_id = $2 WHERE id = $1`, [statementId, uploadId]);
  }

  /** Every statement, newest period first, with its Spotify and other partners' money in the base currency. */
  async statements(baseCurrency: string, zone: string): Promise<StatementRow[]> {
    const rows: Array<Omit<StatementRow, 'channels'> & { channels: StatementRow['channels'] }> =
      await this.dataSource.query(
        `SELECT s.id::text, s.issuer, to_char(s.month, 'YYYY-MM') AS month, s.invoice_number AS "invoiceNumber",
                to_char(s.invoice_date, 'YYYY-MM-DD') AS "invoiceDate", to_char(s.due_date, 'YYYY-MM-DD') AS "dueDate",
                s.net_amount::text AS "netAmount", s.currency,
                ${statementBaseSql('s.net_amount')}::text AS "baseNetAmount",
                ${statementBaseSql('m.spotify')}::text AS "spotifyAmount",
                ${statementBaseSql('m.other')}::text AS "otherAmount",
                s.channels, u.file_name AS file, u.uploaded_at AS "uploadedAt", us.email AS "uploadedBy", s.versions
           FROM spotify_statements s
           CROSS JOIN LATERAL (
             SELECT coalesce(sum(l.royalty_payable) FILTER (WHERE l.is_spotify), 0) AS spotify,
                    coalesce(sum(l.royalty_payable) FILTER (WHERE NOT l.is_spotify), 0) AS other
               FROM spotify_statement_lines l WHERE l.statement_id = s.id) m
           LEFT JOIN upload_log u ON u.id = s.upload_id
           LEFT JOIN users us ON us.id = u.user_id
          ORDER BY s.month DESC, s.id DESC`,
        [baseCurrency, zone],
      );
    return rows;
  }

  /** Days from a period's end to its due date on the latest statement (Findaway: about six weeks); null without one. */
  async paymentLagDays(): Promise<number | null> {
    const [row]: Array<{ lag: number }> = await this.dataSource.query(
      `SELECT (due_date - period_end)::int AS lag FROM spotify_statements ORDER BY month DESC, id DESC LIMIT 1`,
    );
    return row ? row.lag : null;
  }
}
