import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Client, PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DataSource, MigrationExecutor, QueryRunner } from 'typeorm';
import { migrations as allMigrations } from '../../../../migrations';
import { dataSourceOptions } from '../database/data-source-options';
import {
  BackupError,
  DUMP_FORMAT,
  DUMP_VERSION,
  DumpHeader,
  DumpTrailer,
  END_OF_TABLE,
  jsonLine,
  parseHeader,
  parseJson,
  SequencesSection,
  splitLines,
  TableSection,
} from './dump-format';

/** TypeORM's table of applied migrations: recorded in the header, rebuilt by the restore's migrations. */
const MIGRATIONS_TABLE = 'migrations';
/** Rows are handed to COPY in batches of about this many bytes. */
const BATCH_BYTES = 256 * 1024;

export interface DumpSummary {
  tables: number;
  rows: number;
  migrations: number;
}

export interface RestoreSummary extends DumpSummary {
  createdAt: string;
  /** Migrations newer than the dump, applied after the data was loaded. */
  upgradedWith: string[];
}

interface TableInfo {
  name: string;
  columns: string[];
}

/**
 * Writes the whole database, as one snapshot, to `out` (see dump-format.ts) and ends it. Tables come
 * parents first, so that the restore can load them in file order with the foreign keys checked.
 */
export async function dumpDatabase(url: string, out: Writable, createdAt = new Date()): Promise<DumpSummary> {
  const client = new Client({ connectionString: url, application_name: 'mtink-backup' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(SESSION_SETTINGS);
    const [{ database, server }] = (
      await client.query<{ database: string; server: string }>(
        `SELECT current_database() AS database, current_setting('server_version') AS server`,
      )
    ).rows;
    const migrations = (
      await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
        `public.${MIGRATIONS_TABLE}`,
      ])
    ).rows[0]!.exists
      ? (await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)).rows.map(
          (r) => r.name,
        )
      : [];
    const header: DumpHeader = {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      createdAt: createdAt.toISOString(),
      database,
      serverVersion: server,
      migrations,
    };
    await write(out, jsonLine(header));
    const tables = parentsFirst(await listTables(client), await listForeignKeys(client));
    const rows: Record<string, number> = {};
    for (const table of tables) {
      await write(out, jsonLine({ table: table.name, columns: table.columns } satisfies TableSection));
      rows[table.name] = await copyTable(client, table, out);
      await write(out, `${END_OF_TABLE}\n`);
    }
    const sequences = await client.query<{ name: string; lastValue: string | null }>(
      `SELECT sequencename AS name, last_value::text AS "lastValue" FROM pg_sequences
       WHERE schemaname = 'public' ORDER BY sequencename`,
    );
    await write(out, jsonLine({ sequences: sequences.rows } satisfies SequencesSection));
    await write(out, jsonLine({ end: true, rows } satisfies DumpTrailer));
    await client.query('COMMIT');
    out.end();
    return { tables: tables.length, rows: sum(rows), migrations: migrations.length };
  } finally {
    await client.end();
  }
}

/**
 * Loads a dump into `url`, all or nothing: one transaction creates the schema with the migrations the
 * dump was taken at, loads every table (their triggers off, so that rollups are taken as dumped, not
 * counted again) and sets the sequences; the newer migrations of this version run after it, as at an
 * upgrade. A database that has tables is refused, unless `force` (then its schema is replaced).
 */
export async function restoreDatabase(
  url: string,
  input: AsyncIterable<Buffer>,
  options: { force: boolean },
): Promise<RestoreSummary> {
  const lines = splitLines(input);
  const header = parseHeader((await lines.next()).value as Buffer | undefined);
  const atDump = migrationsOf(header);
  const dataSource = new DataSource(dataSourceOptions(url, { migrations: atDump, extra: { max: 1 } }));
  await dataSource.initialize();
  let loaded: { tables: number; rows: number } | undefined;
  try {
    const runner = dataSource.createQueryRunner();
    try {
      await refuseUnlessEmpty(runner, options.force);
      await runner.startTransaction();
      try {
        if (options.force) await runner.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
        const executor = new MigrationExecutor(dataSource, runner);
        executor.transaction = 'none'; // inside ours
        await executor.executePendingMigrations();
        loaded = await loadTables(runner, lines);
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  } finally {
    await dataSource.destroy();
  }
  const current = new DataSource(dataSourceOptions(url, { extra: { max: 1 } }));
  await current.initialize();
  try {
    const upgraded = await current.runMigrations({ transaction: 'each' });
    return {
      ...loaded!,
      migrations: header.migrations.length,
      createdAt: header.createdAt,
      upgradedWith: upgraded.map((m) => m.name),
    };
  } finally {
    await current.destroy();
  }
}

/** The migration classes of the dump's schema: the first N of this version's, in the same order. */
function migrationsOf(header: DumpHeader): (typeof allMigrations)[number][] {
  const known = allMigrations.map((migration) => migration.name);
  header.migrations.forEach((name, index) => {
    if (known[index] === name) return;
    throw new BackupError(
      known.includes(name)
        ? `this backup's migrations are not in this version's order (at ${name}): restore it with the version that wrote it`
        : `this backup was written by a newer version (its migration ${name} is unknown here): restore it with that version or a later one`,
    );
  });
  return allMigrations.slice(0, header.migrations.length);
}

async function refuseUnlessEmpty(runner: QueryRunner, force: boolean): Promise<void> {
  const [{ database, tables }] = (await runner.query(
    `SELECT current_database() AS database,
            array(SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename) AS tables`,
  )) as [{ database: string; tables: string[] }];
  if (tables.length === 0) return;
  if (!force) {
    const named = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
    throw new BackupError(
      `database ${database} is not empty (${tables.length} tables: ${named}); nothing was changed. ` +
        `Restore into an empty database, or add --force to replace everything in this one`,
    );
  }
  const [{ others }] = (await runner.query(
    `SELECT count(*)::int AS others FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  )) as [{ others: number }];
  if (others > 0)
    throw new BackupError(
      `database ${database} has ${others} other connection${others === 1 ? '' : 's'}: stop the API (and anything else using it) before replacing it; nothing was changed`,
    );
}

async function loadTables(
  runner: QueryRunner,
  lines: AsyncGenerator<Buffer>,
): Promise<{ tables: number; rows: number }> {
  const client = (await runner.connect()) as PoolClient;
  await client.query(SESSION_SETTINGS);
  const target = await listTables(client);
  const names = target.map((table) => client.escapeIdentifier(table.name));
  // Rows some migration inserted (built-in aliases, defaults) are in the dump as they were then.
  if (names.length) await client.query(`TRUNCATE ${names.join(', ')} RESTART IDENTITY`);
  for (const name of names) await client.query(`ALTER TABLE ${name} DISABLE TRIGGER USER`);
  const loaded: Record<string, number> = {};
  let trailer: DumpTrailer | null = null;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const section = parseJson(next.value) as Partial<TableSection & SequencesSection & DumpTrailer> | null;
    if (section?.table !== undefined && Array.isArray(section.columns)) {
      if (!target.some((table) => table.name === section.table))
        throw new BackupError(`the backup has a table ${section.table} that its migrations do not create`);
      loaded[section.table] = await copyRows(client, section as TableSection, lines);
    } else if (Array.isArray(section?.sequences)) {
      for (const { name, lastValue } of section.sequences)
        if (lastValue !== null)
          await client.query(`SELECT setval($1::regclass, $2::bigint)`, [client.escapeIdentifier(name), lastValue]);
    } else if (section?.end === true) {
      trailer = section as DumpTrailer;
      break;
    } else {
      throw new BackupError(`the backup is damaged: unexpected line "${next.value.toString('utf8').slice(0, 60)}"`);
    }
  }
  if (!trailer) throw incomplete();
  for (const [table, rows] of Object.entries(trailer.rows))
    if (loaded[table] !== rows)
      throw new BackupError(`table ${table}: the backup lists ${rows} rows, ${loaded[table] ?? 0} were read`);
  for (const name of names) await client.query(`ALTER TABLE ${name} ENABLE TRIGGER USER`);
  return { tables: Object.keys(loaded).length, rows: sum(loaded) };
}

/** Streams one table's rows from the dump into `COPY … FROM STDIN` until its `\.` line. */
async function copyRows(client: PoolClient, section: TableSection, lines: AsyncGenerator<Buffer>): Promise<number> {
  const columns = section.columns.map((column) => client.escapeIdentifier(column)).join(', ');
  const copy = client.query(copyFrom(`COPY ${client.escapeIdentifier(section.table)} (${columns}) FROM STDIN`));
  const done = finished(copy);
  done.catch(() => undefined); // awaited below; this keeps an early failure from being "unhandled"
  try {
    let batch: Buffer[] = [];
    let bytes = 0;
    let ended = false;
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      if (next.value.length === 2 && next.value.toString('latin1') === END_OF_TABLE) {
        ended = true;
        break;
      }
      batch.push(next.value, NEWLINE);
      bytes += next.value.length + 1;
      if (bytes >= BATCH_BYTES) {
        if (!copy.write(Buffer.concat(batch))) await Promise.race([once(copy, 'drain'), done]);
        batch = [];
        bytes = 0;
      }
    }
    if (!ended) throw incomplete();
    if (batch.length) copy.write(Buffer.concat(batch));
    copy.end();
    await done;
  } catch (error) {
    // Ends the COPY on the server (CopyFail); until then the connection could not even roll back.
    copy.destroy(error as Error);
    await done.catch(() => undefined);
    throw error;
  }
  return copy.rowCount;
}

async function copyTable(client: Client, table: TableInfo, out: Writable): Promise<number> {
  const columns = table.columns.map((column) => client.escapeIdentifier(column)).join(', ');
  const copy = client.query(copyTo(`COPY (SELECT ${columns} FROM ${client.escapeIdentifier(table.name)}) TO STDOUT`));
  let rows = 0;
  for await (const chunk of copy as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) rows++;
    await write(out, chunk);
  }
  return rows;
}

/** Tables of the public schema with their stored columns (generated ones are computed again on load). */
async function listTables(client: Client | PoolClient): Promise<TableInfo[]> {
  const result = await client.query<TableInfo>(
    `SELECT c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> $1
     GROUP BY c.relname
     ORDER BY c.relname`,
    [MIGRATIONS_TABLE],
  );
  return result.rows;
}

async function listForeignKeys(client: Client): Promise<Array<{ child: string; parent: string }>> {
  const result = await client.query<{ child: string; parent: string }>(
    `SELECT DISTINCT child.relname AS child, parent.relname AS parent
     FROM pg_constraint k
     JOIN pg_class child ON child.oid = k.conrelid
     JOIN pg_class parent ON parent.oid = k.confrelid
     WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace AND k.conrelid <> k.confrelid`,
  );
  return result.rows;
}

/** Orders tables so that every table comes after the tables its foreign keys point to. */
export function parentsFirst<T extends { name: string }>(
  tables: T[],
  keys: Array<{ child: string; parent: string }>,
): T[] {
  const names = new Set(tables.map((table) => table.name));
  const ordered: T[] = [];
  const placed = new Set<string>();
  let pending = tables;
  while (pending.length) {
    const ready = pending.filter((table) =>
      keys.every((key) => key.child !== table.name || !names.has(key.parent) || placed.has(key.parent)),
    );
    if (!ready.length)
      throw new BackupError(`foreign keys form a cycle between ${pending.map((t) => t.name).join(', ')}`);
    for (const table of ready) {
      ordered.push(table);
      placed.add(table.name);
    }
    pending = pending.filter((table) => !placed.has(table.name));
  }
  return ordered;
}

/**
 * What pg_dump sets too: the COPY text of dates, intervals and floats then reads back the same on any
 * server, whatever the configuration of the one that wrote it.
 */
const SESSION_SETTINGS = `SET client_encoding = 'UTF8'; SET DateStyle = ISO; SET IntervalStyle = postgres; SET extra_float_digits = 3; SET TimeZone = 'UTC'`;

const NEWLINE = Buffer.from('\n');

function incomplete(): BackupError {
  return new BackupError('the backup file is incomplete (it ends before its last table): nothing was restored');
}

async function write(out: Writable, data: string | Buffer): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

function sum(rows: Record<string, number>): number {
  return Object.values(rows).reduce((total, n) => total + n, 0);
}
