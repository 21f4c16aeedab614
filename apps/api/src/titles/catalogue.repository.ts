import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CatalogueTitle, Edition, EditionFormat, EditionIdentifier } from '@mt/contracts';
import { AppConfig } from '../config/app-config';
import { convertedRefund, countedAndConvertible } from '../sales/sales-sql';

/** A line of an order, as the catalogue knows it: which edition and title it is on now. */
export interface LinePlacement {
  orderId: string;
  position: number;
  titleId: string;
}

export interface StoredIdentifier {
  kind: EditionIdentifier['kind'];
  platform: string;
  value: string;
  editionId: string;
}

/** A title's name and its editions with their identifiers, as the titles endpoints show them. */
export interface TitleHead {
  id: number;
  title: string;
  editions: Edition[];
}

/** A Spotify title key that is an ISBN (ISBN-10 or -13) is shown as one; else it is a name. */
const ISBN_KEY = `'^([0-9]{13}|[0-9]{9}[0-9X])$'`;

/**
 * The catalogue: titles, their editions and the identifiers and names that lead to them. Reads, and the
 * admin changes (rename, merge, split, identifiers) inside one transaction that a preview rolls back.
 */
@Injectable()
export class CatalogueRepository {
  /** Heads by title id (null: no such title) as `catalogue_version` was `version` when they were read. */
  private keptHeads: { version: string; heads: Map<string, TitleHead | null> } = { version: '', heads: new Map() };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Runs `work` in a transaction and commits it, or rolls it back when `dryRun` (a preview sees what
   * the change would do, then nothing is left of it).
   */
  async change<T>(dryRun: boolean, work: (tx: CatalogueTransaction) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const result = await work(new CatalogueTransaction(runner.manager, this.config));
      if (dryRun) await runner.rollbackTransaction();
      else await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Titles whose name, spellings or identifiers contain `search` (all without one), by name, at most `limit`. */
  search(search: string | null, limit: number): Promise<CatalogueTitle[]> {
    return new CatalogueTransaction(this.dataSource.manager, this.config).search(search, limit);
  }

  titles(ids: string[]): Promise<CatalogueTitle[]> {
    return new CatalogueTransaction(this.dataSource.manager, this.config).titles(ids);
  }

  /**
   * The heads of the titles `ids` that exist, in the order given. With `version` (the catalogue's
   * version as read for this answer: `TitlesRepository.readState`), from the heads kept at that version
   * when they hold every id; else read, with the version they were read at, and kept at it.
   */
  async heads(ids: string[], version?: string): Promise<TitleHead[]> {
    const tx = new CatalogueTransaction(this.dataSource.manager, this.config);
    if (version === undefined) return tx.heads(ids);
    const kept = this.keptHeads;
    if (kept.version === version && ids.every((id) => kept.heads.has(id)))
      return ids.map((id) => kept.heads.get(id)).filter((head): head is TitleHead => head !== null);
    const read = await tx.headsWithVersion(ids);
    // Read in the statement that read the heads: what is kept at a version is what that version holds.
    if (read.version !== null) {
      if (kept.version !== read.version) this.keptHeads = { version: read.version, heads: new Map() };
      const found = new Map(read.heads.map((head) => [String(head.id), head]));
      for (const id of ids) this.keptHeads.heads.set(id, found.get(id) ?? null);
    }
    return read.heads;
  }

  /** The catalogue title names of each order's lines, in line order (for the `order.created` event). */
  async orderTitles(orderIds: string[]): Promise<Map<string, string[]>> {
    if (orderIds.length === 0) return new Map();
    const rows: Array<{ order_id: string; titles: string[] }> = await this.dataSource.query(
      `SELECT x.order_id::text AS order_id, array_agg(x.name ORDER BY x.first) AS titles
       FROM (
         SELECT t.order_id, ti.name, min(t.position) AS first
         FROM order_line_titles t JOIN editions e ON e.id = t.edition_id JOIN titles ti ON ti.id = e.title_id
         WHERE t.order_id = ANY ($1::bigint[])
         GROUP BY t.order_id, ti.name
       ) x
       GROUP BY x.order_id`,
      [orderIds],
    );
    return new Map(rows.map((row) => [row.order_id, row.titles]));
  }
}

export class CatalogueTransaction {
  constructor(
    private readonly manager: EntityManager,
    private readonly config: AppConfig,
  ) {}

  async search(search: string | null, limit: number): Promise<CatalogueTitle[]> {
    const rows: Array<{ id: string }> = await this.manager.query(
      `SELECT t.id::text AS id FROM titles t
       WHERE $1::text IS NULL
          OR t.name ILIKE $1 ESCAPE '\\'
          OR EXISTS (SELECT 1 FROM title_names n WHERE n.title_id = t.id AND n.key ILIKE $1 ESCAPE '\\')
          OR EXISTS (SELECT 1 FROM editions e JOIN edition_identifiers i ON i.edition_id = e.id
                     WHERE e.title_id = t.id AND i.value ILIKE $1 ESCAPE '\\')
       ORDER BY lower(t.name), t.id
       LIMIT $2`,
      [search === null ? null : `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit],
    );
    return this.titles(rows.map((row) => row.id));
  }

  /** The titles with these ids that exist, in the order given, with their editions, identifiers and line counts. */
  async titles(ids: string[]): Promise<CatalogueTitle[]> {
    const rows = await this.withEditions(ids, `(SELECT count(*) FROM order_line_titles l WHERE l.edition_id = e.id)`);
    return rows.map((row) => ({
      id: Number(row.id),
      title: row.name,
      editions: row.editions.map((edition) => ({ ...edition, id: Number(edition.id), lines: Number(edition.lines) })),
      lines: row.editions.reduce((sum, edition) => sum + Number(edition.lines), 0),
    }));
  }

  /** Name and editions (with identifiers) of each title, without counting lines. */
  async heads(ids: string[]): Promise<TitleHead[]> {
    return (await this.headsWithVersion(ids)).heads;
  }

  /** `heads`, with the catalogue version they were read at (null when none of the titles exists). */
  async headsWithVersion(ids: string[]): Promise<{ version: string | null; heads: TitleHead[] }> {
    const rows = await this.withEditions(ids, 'NULL');
    return {
      version: rows[0]?.catalogue_version ?? null,
      heads: rows.map((row) => ({
        id: Number(row.id),
        title: row.name,
        editions: row.editions.map(({ lines: _lines, ...edition }) => ({ ...edition, id: Number(edition.id) })),
      })),
    };
  }

  private async withEditions(
    ids: string[],
    lines: string,
  ): Promise<
    Array<{
      id: string;
      name: string;
      editions: Array<Edition & { lines: number | string | null }>;
      catalogue_version: string;
    }>
  > {
    if (ids.length === 0) return [];
    return this.manager.query(
      `SELECT t.id::text AS id, t.name, (SELECT version::text FROM catalogue_version) AS catalogue_version, coalesce((
         SELECT jsonb_agg(jsonb_build_object(
           'id', e.id, 'format', e.format, 'lines', ${lines},
           'identifiers', coalesce((
             SELECT jsonb_agg(jsonb_build_object('kind', i.kind, 'platform', i.platform, 'value', i.value) ORDER BY i.kind, i.platform NULLS FIRST, i.value)
             FROM (
               SELECT kind, nullif(platform, '') AS platform, value FROM edition_identifiers WHERE edition_id = e.id
               UNION ALL
               SELECT CASE WHEN s.title_key ~ ${ISBN_KEY} THEN 'isbn' ELSE 'title' END, 'spotify', s.title_key
               FROM spotify_title_editions s WHERE s.edition_id = e.id
             ) i), '[]'::jsonb)
         ) ORDER BY e.id)
         FROM editions e WHERE e.title_id = t.id), '[]'::jsonb) AS editions
       FROM unnest($1::bigint[]) WITH ORDINALITY AS x (id, ord) JOIN titles t ON t.id = x.id
       ORDER BY x.ord`,
      [ids],
    );
  }

  /** The ids among `ids` that are titles. */
  async existingTitles(ids: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.manager.query(
      `SELECT id::text AS id FROM titles WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return rows.map((row) => row.id);
  }

  async editions(titleId: string): Promise<Array<{ id: string; format: EditionFormat }>> {
    return this.manager.query(
      `SELECT id::text AS id, format FROM editions WHERE title_id = $1::bigint ORDER BY id FOR UPDATE`,
      [titleId],
    );
  }

  async edition(editionId: string): Promise<{ id: string; titleId: string; format: EditionFormat } | null> {
    const [row]: Array<{ id: string; title_id: string; format: EditionFormat }> = await this.manager.query(
      `SELECT id::text AS id, title_id::text AS title_id, format FROM editions WHERE id = $1::bigint`,
      [editionId],
    );
    return row ? { id: row.id, titleId: row.title_id, format: row.format } : null;
  }

  async titleName(titleId: string): Promise<string | null> {
    const [row]: Array<{ name: string }> = await this.manager.query(`SELECT name FROM titles WHERE id = $1::bigint`, [
      titleId,
    ]);
    return row?.name ?? null;
  }

  /** The new name leads new lines to the title too, unless another title has that spelling already. */
  async rename(titleId: string, name: string): Promise<void> {
    await this.manager.query(`UPDATE titles SET name = $2, updated_at = now() WHERE id = $1::bigint`, [titleId, name]);
    await this.addName(titleId, name);
  }

  /** Editions and spellings of `others` move to `target`; the others are gone. */
  async merge(target: string, others: string[]): Promise<void> {
    await this.manager.query(`UPDATE editions SET title_id = $1::bigint WHERE title_id = ANY ($2::bigint[])`, [
      target,
      others,
    ]);
    await this.manager.query(`UPDATE title_names SET title_id = $1::bigint WHERE title_id = ANY ($2::bigint[])`, [
      target,
      others,
    ]);
    await this.manager.query(`DELETE FROM titles WHERE id = ANY ($1::bigint[])`, [others]);
  }

  /** A new title named `name` gets these editions; returns its id. */
  async split(editionIds: string[], name: string): Promise<string> {
    const [row]: Array<{ id: string }> = await this.manager.query(
      `INSERT INTO titles (name) VALUES ($1) RETURNING id::text AS id`,
      [name],
    );
    await this.manager.query(`UPDATE editions SET title_id = $1::bigint WHERE id = ANY ($2::bigint[])`, [
      row!.id,
      editionIds,
    ]);
    await this.addName(row!.id, name);
    return row!.id;
  }

  /** Where the identifier leads now (`platform` '' for ISBNs and SKUs, 'spotify' for a Spotify title key). */
  async identifier(kind: string, platform: string, value: string): Promise<StoredIdentifier | null> {
    const [row]: Array<{ edition_id: string }> =
      platform === 'spotify'
        ? await this.manager.query(
            `SELECT edition_id::text AS edition_id FROM spotify_title_editions WHERE title_key = $1 FOR UPDATE`,
            [value],
          )
        : await this.manager.query(
            `SELECT edition_id::text AS edition_id FROM edition_identifiers
             WHERE kind = $1 AND platform = $2 AND value = $3 FOR UPDATE`,
            [kind, platform, value],
          );
    return row ? { kind: kind as StoredIdentifier['kind'], platform, value, editionId: row.edition_id } : null;
  }

  /** Points the identifier at the edition (adding it when new). */
  async assignIdentifier(identifier: StoredIdentifier): Promise<void> {
    const { kind, platform, value, editionId } = identifier;
    if (platform === 'spotify') {
      await this.manager.query(
        `INSERT INTO spotify_title_editions (title_key, edition_id) VALUES ($1, $2::bigint)
         ON CONFLICT (title_key) DO UPDATE SET edition_id = excluded.edition_id`,
        [value, editionId],
      );
      return;
    }
    await this.manager.query(
      `INSERT INTO edition_identifiers (kind, platform, value, edition_id) VALUES ($1, $2, $3, $4::bigint)
       ON CONFLICT (kind, platform, value) DO UPDATE SET edition_id = excluded.edition_id`,
      [kind, platform, value, editionId],
    );
  }

  /** The lines that carry the identifier, and the title each is on. */
  async linesCarrying(identifier: Omit<StoredIdentifier, 'editionId'>): Promise<LinePlacement[]> {
    const { kind, platform, value } = identifier;
    if (platform === 'spotify') return [];
    const carries =
      kind === 'isbn' ? 'l.gtin = $1' : kind === 'sku' ? 'l.sku = $1' : 'l.product_id = $1 AND o.platform = $2';
    const rows: Array<{ order_id: string; position: number; title_id: string }> = await this.manager.query(
      `SELECT l.order_id::text AS order_id, l.position, e.title_id::text AS title_id
       FROM order_lines l JOIN orders o ON o.id = l.order_id
       JOIN order_line_titles t ON t.order_id = l.order_id AND t.position = l.position
       JOIN editions e ON e.id = t.edition_id
       WHERE ${carries}
       ORDER BY l.order_id, l.position`,
      kind === 'listing' ? [value, platform] : [value],
    );
    return rows.map((row) => ({ orderId: row.order_id, position: row.position, titleId: row.title_id }));
  }

  /**
   * Matches these lines again (after an identifier changed where it leads): their edition follows the
   * identifiers as they are now, and their orders are allocated again.
   */
  async rematch(lines: LinePlacement[]): Promise<void> {
    if (lines.length === 0) return;
    await this.manager.query(
      `DELETE FROM order_line_titles t USING unnest($1::bigint[], $2::int[]) AS l (order_id, position)
       WHERE t.order_id = l.order_id AND t.position = l.position`,
      [lines.map((line) => line.orderId), lines.map((line) => line.position)],
    );
    const orders = [...new Set(lines.map((line) => line.orderId))];
    await this.manager.query(`SELECT match_order_lines($1::bigint[])`, [orders]);
    await this.manager.query(`SELECT allocate_order_revenue($1::bigint[])`, [orders]);
  }

  /** Lines on the editions of these titles (or on these editions), and their revenue ever (counted orders). */
  async linesOn(where: { titleIds: string[] } | { editionIds: string[] }): Promise<{ lines: number; revenue: string }> {
    const editions =
      'titleIds' in where
        ? `SELECT id FROM editions WHERE title_id = ANY ($1::bigint[])`
        : `SELECT unnest($1::bigint[])`;
    return this.lineRevenue(
      `SELECT t.order_id, t.position, t.base_allocated FROM order_line_titles t WHERE t.edition_id IN (${editions})`,
      'titleIds' in where ? where.titleIds : where.editionIds,
    );
  }

  async linesRevenue(lines: Array<{ orderId: string; position: number }>): Promise<{ lines: number; revenue: string }> {
    return this.lineRevenue(
      `SELECT t.order_id, t.position, t.base_allocated FROM order_line_titles t
       JOIN unnest($1::bigint[], $2::int[]) AS x (order_id, position) ON x.order_id = t.order_id AND x.position = t.position`,
      lines.map((line) => line.orderId),
      lines.map((line) => line.position),
    );
  }

  /** After a change: the title rollups of these titles, on every day, as the lines now say. */
  async rebuildRollups(titleIds: string[]): Promise<void> {
    await this.manager.query(
      `SELECT rebuild_title_rollups($1::bigint[], $2), rebuild_title_hour_rollups($1::bigint[])`,
      [titleIds, this.config.businessTimezone],
    );
  }

  private async addName(titleId: string, name: string): Promise<void> {
    await this.manager.query(
      `INSERT INTO title_names (key, title_id) VALUES (title_key($2), $1::bigint) ON CONFLICT (key) DO NOTHING`,
      [titleId, name],
    );
  }

  private async lineRevenue(linesSql: string, ...params: unknown[]): Promise<{ lines: number; revenue: string }> {
    const [row]: Array<{ lines: number; revenue: string }> = await this.manager.query(
      `WITH l AS (${linesSql})
       SELECT (SELECT count(*)::int FROM l) AS lines,
         round(
           coalesce((SELECT sum(l.base_allocated) FROM l JOIN orders o ON o.id = l.order_id WHERE ${countedAndConvertible()}), 0)
           - coalesce((SELECT sum(a.amount) FROM l JOIN refund_line_allocations a ON a.order_id = l.order_id AND a.position = l.position
                       JOIN refunds r ON r.id = a.refund_id JOIN orders o ON o.id = l.order_id
                       WHERE ${convertedRefund()} AND ${countedAndConvertible()}), 0), 2)::text AS revenue`,
      params,
    );
    return row!;
  }
}
