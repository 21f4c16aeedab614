import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GENERIC_PLAN_READS } from '../database/connection-pools';
import { preparedQuery } from '../database/prepared-query';
import { statementBaseSql } from '../spotify/statements.repository';

export interface TitleStatementIncomeRow {
  titleId: string;
  /** Spotify lines (pool and à-la-carte), base currency. */
  spotify: string;
  /** Other partners' lines per partner, base currency. */
  partners: Array<{ partner: string; revenue: string }>;
  other: string;
}

/**
 * What royalty statements paid per title (SPEC §4 "Royalty statements"): Spotify lines are its confirmed
 * Spotify money, the other partners' lines its other audiobook income. Kept apart from the titles
 * repository's order figures: statements are monthly, by statement month, converted at the invoice date.
 */
@Injectable()
export class TitleStatementsRepository {
  /** Prepared reads on generic plans (see GENERIC_PLAN_READS). */
  constructor(@InjectDataSource(GENERIC_PLAN_READS) private readonly dataSource: DataSource) {}

  /** Per title, over the statement months [firstMonth, lastMonth] (YYYY-MM-01). */
  async income(
    firstMonth: string,
    lastMonth: string,
    baseCurrency: string,
    zone: string,
    titleId?: string,
  ): Promise<TitleStatementIncomeRow[]> {
    const rows = await preparedQuery<{
      title_id: string;
      partner: string;
      is_spotify: boolean;
      revenue: string;
      side: string;
    }>(
      this.dataSource,
      `SELECT e.title_id::text AS title_id, l.partner, l.is_spotify,
                round(sum(${statementBaseSql('l.royalty_payable')}), 2)::text AS revenue,
                round(sum(sum(${statementBaseSql('l.royalty_payable')})) OVER (PARTITION BY e.title_id, l.is_spotify), 2)::text AS side
           FROM spotify_statement_lines l
           JOIN spotify_statements s ON s.id = l.statement_id
           JOIN spotify_title_editions k ON k.title_key = l.title_key
           JOIN editions e ON e.id = k.edition_id
            WHERE l.month BETWEEN $3::date AND $4::date AND ($5::bigint IS NULL OR e.title_id = $5::bigint)
          GROUP BY e.title_id, l.partner, l.is_spotify
         HAVING sum(${statementBaseSql('l.royalty_payable')}) IS NOT NULL
          ORDER BY 1, 4 DESC, 2`,
      [baseCurrency, zone, firstMonth, lastMonth, titleId ?? null],
    );
    return this.byTitle(rows);
  }

  /** One title's Spotify money per statement month (YYYY-MM). */
  async spotifyMonths(titleId: string, baseCurrency: string, zone: string): Promise<Map<string, string>> {
    const rows = await preparedQuery<{ month: string; revenue: string | null }>(
      this.dataSource,
      `SELECT to_char(l.month, 'YYYY-MM') AS month, round(sum(${statementBaseSql('l.royalty_payable')}), 2)::text AS revenue
         FROM spotify_statement_lines l
         JOIN spotify_statements s ON s.id = l.statement_id
         JOIN spotify_title_editions k ON k.title_key = l.title_key
         JOIN editions e ON e.id = k.edition_id
        WHERE l.is_spotify AND e.title_id = $3::bigint
        GROUP BY 1`,
      [baseCurrency, zone, titleId],
    );
    return new Map(rows.filter((row) => row.revenue !== null).map((row) => [row.month, row.revenue!]));
  }

  private byTitle(
    rows: Array<{ title_id: string; partner: string; is_spotify: boolean; revenue: string; side: string }>,
  ): TitleStatementIncomeRow[] {
    const titles = new Map<string, TitleStatementIncomeRow>();
    for (const row of rows) {
      const entry = titles.get(row.title_id) ?? { titleId: row.title_id, spotify: '0', other: '0', partners: [] };
      if (row.is_spotify) entry.spotify = row.side;
      else {
        entry.other = row.side;
        entry.partners.push({ partner: row.partner, revenue: row.revenue });
      }
      titles.set(row.title_id, entry);
    }
    return [...titles.values()];
  }
}
