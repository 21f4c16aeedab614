import { Injectable, Logger } from '@nestjs/common';
import {
  RATE_FILE_TYPES,
  STATEMENT_FILE_TYPE,
  type ImportHistoryResponse,
  type ImportKind,
  type Platform,
  type RateFileType,
  type UploadAliasesRequest,
  type UploadAliasesResponse,
  type UploadFileResult,
  type UploadFileType,
  type UploadHistoryResponse,
  type UploadReportType,
  type UploadResponse,
  type UploadRowError,
} from '@mt/contracts';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { assumedDecimalMark } from '../common/number-grammar';
import { WorkSlices, yieldToEventLoop } from '../common/event-loop';
import { AppConfig } from '../config/app-config';
import { FxService } from '../fx/fx.service';
import { readEcbXml, readRateCsv } from '../fx/rate-files';
import { ParsedOrderFile } from '../orders/import/order-file-reader';
import { ExportFile, OrderImportService } from '../orders/import/order-import.service';
import { ORDER_JSON_LISTS, OrderJsonElement, orderJsonElements, OrderJsonKind } from '../orders/import/order-json';
import { DomainEvents } from '../realtime/domain-events';
import { readStatement, STATEMENT_LABEL } from '../spotify/statement-reader';
import { StatementsService } from '../spotify/statements.service';
import { checkXlsx, detectFileKind, FileRejected } from './file-guard';
import { InvalidJson, jsonSample, jsonValues, textPosition } from './json-source';
import {
  FileSample,
  RATE_LABELS,
  Recognition,
  recogniseFile,
  SAMPLE_ROWS_PER_SHEET,
  SPOTIFY_LABELS,
  unrecognised,
} from './file-kinds';
import { MAX_ROW_ERRORS, ReportReader, ReportRecord } from './report-reader';
import { csvRows, SourceRow, sniffDelimiter, xlsxRows } from './row-sources';
import { UploadLogInput, UploadRepository } from './upload.repository';
import { withCellReferences } from './xlsx-references';

/** A received file: in memory (multer memory storage) or on disk (bench, CLI). */
export type IncomingFile = { name: string; size: number } & ({ buffer: Buffer } | { path: string });

export interface ImportOptions {
  /** Read every file as this Spotify report or rate file type instead of recognising it. */
  type?: UploadFileType | null;
  userId?: string | null;
  /** The store order exports belong to (exports do not name theirs). */
  store?: string | null;
}

const STAGE_BATCH_ROWS = 1000;
/** Bytes hashed between two turns of the event loop (SHA-256 of 1 MB: about 2 ms). */
const HASH_SLICE_BYTES = 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const HEAD_BYTES = 64 * 1024;

/** A file past the guard, with what it was recognised as. */
interface OpenedFile {
  file: IncomingFile;
  logged: LoggedFile;
  format: FileSample['format'];
  /** CSV only. */
  delimiter: string;
  recognition: Recognition;
  /** The kind came with the upload (`type`), not from the content. */
  given: boolean;
}

type LoggedFile = { name: string; size: number; hash: string; userId: string | null };

/** The sentence for a file that failed in a way no rule foresaw; the details go to the log, not to the user. */
export const UNEXPECTED_FAILURE =
  'This file could not be read because of an unexpected error on our side; nothing of it was stored, and the other files of the upload are not affected. The server log has the details.';

/**
 * The one intake (SPEC §4 "One way in for files"): every file of an upload passes the same guard (size,
 * file type, zip bombs), is recognised from its content through one registry (file-kinds.ts), is read
 * through one reader (CSV with `,` `;` or tab, BOM, XLSX with or without cell references, JSON) and one
 * number grammar, and is handed to the module that owns its rows, in one transaction per file. Each file
 * gets its own result and an entry in the import history; one failing file never hides or undoes another.
 */
@Injectable()
export class UploadService {
  private readonly logger = new Logger(UploadService.name);

  constructor(
    private readonly repository: UploadRepository,
    private readonly config: AppConfig,
    private readonly events: DomainEvents,
    private readonly fx: FxService,
    private readonly orderImports: OrderImportService,
    private readonly statements: StatementsService,
  ) {}

  /**
   * Each file is imported on its own, in upload order (an Etsy Sold Orders file with its Items file as
   * one): results in upload order. Every kind streams from the file on disk: order exports and Spotify
   * reports through staging tables, JSON answers element by element.
   */
  async importFiles(files: IncomingFile[], options: ImportOptions = {}): Promise<UploadResponse> {
    const results: Array<UploadFileResult | null> = files.map(() => null);
    const opened: Array<{ index: number; opened: OpenedFile }> = [];
    for (const [index, file] of files.entries()) {
      results[index] = await this.guarded(file, options, async (logged) => {
        const outcome = await this.open(file, logged, options);
        if (!('recognition' in outcome)) return outcome;
        opened.push({ index, opened: outcome });
        return null;
      });
    }
    const partners = pairedOrderFiles(opened.map((entry) => entry.opened));
    for (const [i, { index, opened: file }] of opened.entries()) {
      if (results[index]) continue;
      const partner = partners.get(i);
      results[index] = await this.guarded(
        file.file,
        options,
        async () => {
          switch (file.recognition.kind) {
            case 'orders': {
              if (partner !== undefined) {
                const [mine, theirs] = await this.importOrderPair(file, opened[partner]!.opened, options);
                results[opened[partner]!.index] = theirs!;
                return mine!;
              }
              const recognition = file.recognition;
              if ('json' in recognition) return this.importOrderJson(file, recognition.json, options);
              return this.importOrdersStreamed(file, options);
            }
            case 'spotify':
              return this.importReport(file, file.recognition.reportType);
            case 'statement':
              return this.importStatement(file);
            case 'rates':
              return this.importRateFile(file, file.recognition.rateType);
          }
        },
        file.logged,
      );
      // A pair that failed unexpectedly failed for both of its files.
      if (partner !== undefined && !results[opened[partner]!.index]) {
        const other = opened[partner]!.opened;
        results[opened[partner]!.index] = await this.guarded(
          other.file,
          options,
          () => Promise.reject(new Error(`imported with ${file.file.name}, which failed`)),
          other.logged,
        );
      }
    }
    const done = results.map((result, index) => result ?? failedResult(files[index]!.name, null));
    if (done.length) {
      this.events.publish('upload.completed', {
        files: done.length,
        imported: done.filter((result) => result.status === 'imported' && !result.duplicate).length,
        rejected: done.filter((result) => result.status === 'rejected').length,
        at: new Date().toISOString(),
      });
    }
    return { files: done };
  }

  /** One file on its own (the bench, scripts). */
  async importFile(file: IncomingFile, options: ImportOptions = {}): Promise<UploadFileResult> {
    return (await this.importFiles([file], options)).files[0]!;
  }

  /**
   * Runs one file's work so that whatever goes wrong stays that file's: an unexpected error becomes its
   * `rejected` result (logged with the details, recorded in the history) and the next file goes on.
   */
  private async guarded(
    file: IncomingFile,
    options: ImportOptions,
    work: (logged: LoggedFile) => Promise<UploadFileResult | null>,
    known?: LoggedFile,
  ): Promise<UploadFileResult | null> {
    const logged = known ?? { name: file.name, size: file.size, hash: '', userId: options.userId ?? null };
    try {
      if (!logged.hash) logged.hash = await contentHash(file);
      return await work(logged);
    } catch (error) {
      this.logger.error(`${file.name}: import failed unexpectedly`, asError(error).stack);
      return this.reject(logged, null, 0, [{ row: null, column: null, message: UNEXPECTED_FAILURE }]).catch(() =>
        failedResult(file.name, null),
      );
    }
  }

  /** The guard, then the registry: what the file is, or its rejection. */
  private async open(
    incoming: IncomingFile,
    logged: LoggedFile,
    options: ImportOptions,
  ): Promise<OpenedFile | UploadFileResult> {
    let file = incoming;
    let format: FileSample['format'];
    const head = await readHead(file);
    try {
      const kind = detectFileKind(file.name, head);
      format = kind === 'xlsx' ? 'xlsx' : textFormat(head);
      if (format === 'xlsx') {
        const zip = await fileBuffer(file);
        const { withoutReferences } = await checkXlsx(file.name, zip);
        if (withoutReferences)
          file = { name: file.name, size: file.size, buffer: await withCellReferences(file.name, zip) };
      }
    } catch (error) {
      if (!(error instanceof FileRejected)) throw error;
      return this.reject(logged, null, 0, [{ row: null, column: null, message: error.message }]);
    }
    const delimiter = format === 'csv' ? sniffDelimiter(head) : ',';
    const given = this.givenRecognition(options.type ?? null);
    if (given) return { file, logged, format, delimiter, recognition: given, given: true };

    const sample: FileSample = {
      format,
      head: head.toString('utf8').replace(/^\uFEFF/, ''),
      rows: [],
      aliases: await this.repository.aliasLookup(),
    };
    try {
      if (format === 'json')
        sample.json = await jsonSample(openStream(file), ORDER_JSON_LISTS).catch(async (error: unknown) => {
          throw await jsonRejection(file, error);
        });
      if (format === 'csv' || format === 'xlsx') sample.rows = await firstRows(this.rowsOf(file, format, delimiter));
    } catch (error) {
      if (!(error instanceof FileRejected)) throw error;
      return this.reject(logged, null, 0, [{ row: null, column: null, message: error.message }]);
    }
    const recognition = recogniseFile(sample);
    if (!recognition) return this.reject(logged, null, 0, [{ row: null, column: null, message: unrecognised(sample) }]);
    if (recognition.kind === 'rates' && format === 'xml' && recognition.rateType !== 'ecb-rates')
      return this.reject(logged, null, 0, [{ row: null, column: null, message: unrecognised(sample) }]);
    return { file, logged, format, delimiter, recognition, given: false };
  }

  private givenRecognition(type: UploadFileType | null): Recognition | null {
    if (!type) return null;
    if (isRateFileType(type)) return { kind: 'rates', label: RATE_LABELS[type], rateType: type };
    if (type === STATEMENT_FILE_TYPE) return { kind: 'statement', label: STATEMENT_LABEL };
    return { kind: 'spotify', label: SPOTIFY_LABELS[type], reportType: type };
  }

  private rowsOf(file: IncomingFile, format: 'csv' | 'xlsx', delimiter: string): AsyncGenerator<SourceRow> {
    return format === 'csv' ? csvRows(openStream(file), delimiter) : xlsxRows(file);
  }

  /** An Etsy Sold Orders file and its Sold Order Items file, in one transaction (OrderImportService.writePair). */
  private async importOrderPair(
    first: OpenedFile,
    second: OpenedFile,
    options: ImportOptions,
  ): Promise<UploadFileResult[]> {
    const streamed = await this.orderImports.writePair(
      [this.exportFile(first), this.exportFile(second)],
      options.store,
    );
    return [
      await this.orderResult(first, streamed[0]!.parsed, streamed[0]!.outcome),
      await this.orderResult(second, streamed[1]!.parsed, streamed[1]!.outcome),
    ];
  }

  /** A platform's API answer saved as JSON, read element by element from the file (OrderImportService.writeJson). */
  private async importOrderJson(
    opened: OpenedFile,
    kind: OrderJsonKind,
    options: ImportOptions,
  ): Promise<UploadFileResult> {
    const file = opened.file;
    const { parsed, outcome } = await this.orderImports.writeJson(file.name, kind, jsonElementsOf(file), options.store);
    return this.orderResult(opened, parsed, outcome);
  }

  private exportFile(opened: OpenedFile): ExportFile {
    const format = opened.format === 'xlsx' ? 'xlsx' : 'csv';
    return {
      name: opened.file.name,
      rows: () => this.rowsOf(opened.file, format, opened.delimiter),
      decimalMark: format === 'csv' ? assumedDecimalMark(opened.delimiter) : '.',
    };
  }

  /** An order export of any size, streamed into its own transaction (OrderImportService.writeStreamed). */
  private async importOrdersStreamed(opened: OpenedFile, options: ImportOptions): Promise<UploadFileResult> {
    const file = this.exportFile(opened);
    const { parsed, outcome } = await this.orderImports.writeStreamed(
      file.name,
      file.rows(),
      file.decimalMark,
      options.store,
    );
    return this.orderResult(opened, parsed, outcome);
  }

  private async orderResult(
    opened: OpenedFile,
    parsed: ParsedOrderFile,
    outcome: { failed?: Error; inserted?: number; updated?: number; skipped?: number },
  ): Promise<UploadFileResult> {
    const platform = parsed.platform ?? (opened.recognition as { platform: Platform }).platform;
    const recognised = ordersRecognised(parsed, opened.recognition.label);
    const entry = { ...logged(opened.logged), type: null, kind: 'orders' as const, platform, recognised };
    const base = { ...result(opened.file.name, null, 'imported', parsed.rows), kind: 'orders' as const, platform };
    if (outcome.failed || parsed.errors.length) {
      if (outcome.failed) this.logger.error(`${opened.file.name}: writing its orders failed`, outcome.failed.stack);
      const errors: UploadRowError[] = outcome.failed
        ? [{ row: null, column: null, message: UNEXPECTED_FAILURE }]
        : withOverflow(
            parsed.errors.map((error) => ({ ...error, row: error.row || null })),
            parsed.errors.length,
          );
      await this.repository.log({ ...entry, status: 'rejected', rows: parsed.rows, errors });
      return { ...base, status: 'rejected', recognised, errors };
    }
    const counts = { inserted: outcome.inserted ?? 0, updated: outcome.updated ?? 0, skipped: outcome.skipped ?? 0 };
    await this.repository.log({ ...entry, status: 'imported', rows: parsed.rows, ...counts });
    this.logger.log(
      `${opened.file.name}: ${recognised}; ${counts.inserted} inserted, ${counts.updated} updated, ${counts.skipped} unchanged`,
    );
    return { ...base, ...counts, recognised };
  }

  /** A Spotify report: streamed row by row into a staging table, merged on its natural key in one transaction. */
  private async importReport(opened: OpenedFile, reportType: UploadReportType): Promise<UploadFileResult> {
    const { file, logged: base } = opened;
    const hash = base.hash;
    const decimalMark = opened.format === 'csv' ? assumedDecimalMark(opened.delimiter) : '.';
    // A type given with the upload binds the reader; a recognised one it finds again in the header rows.
    const reader = new ReportReader(
      await this.repository.aliasLookup(),
      this.config.baseCurrency,
      opened.given ? reportType : null,
      decimalMark,
    );
    const spotify = (type: UploadReportType | null, rows: number) => ({
      ...result(file.name, type, 'imported', rows),
      kind: 'spotify' as const,
      recognised: type ? `${SPOTIFY_LABELS[type]}, ${count(rows, 'row')}` : null,
    });
    if (opened.format === 'json' || opened.format === 'xml') {
      return this.reject(base, reportType, 0, [
        { row: null, column: null, message: `${file.name}: Spotify reports are read as CSV or XLSX` },
      ]);
    }
    const tx = await this.repository.begin(hash);
    // One batch goes to PostgreSQL while the next is parsed; never more, so memory stays bounded.
    let staging: Promise<void> = Promise.resolve();
    try {
      if (await tx.alreadyImported(hash)) {
        await tx.rollback();
        await this.repository.log({
          ...logged(base),
          type: reportType,
          kind: 'spotify',
          status: 'duplicate',
          rows: 0,
        });
        return {
          ...spotify(reportType, 0),
          recognised: SPOTIFY_LABELS[reportType],
          duplicate: true,
          message: DUPLICATE_MESSAGE,
        };
      }
      let batch: ReportRecord[] = [];
      let prepared = false;
      const slices = new WorkSlices();
      for await (const row of this.rowsOf(file, opened.format, opened.delimiter)) {
        // A stream from memory never waits for I/O: without this, a big file would hold every request up.
        if (slices.done()) await slices.next();
        const record = reader.read(row);
        // After the first bad row the file is rejected anyway: keep validating, stop staging.
        if (!record || reader.errorCount) continue;
        if (!prepared) {
          await tx.prepare(reader.type!);
          prepared = true;
        }
        batch.push(record);
        if (batch.length >= STAGE_BATCH_ROWS) {
          await staging;
          staging = tx.stage(batch);
          // Handled here so that a failure is not "unhandled" while parsing goes on; awaited below.
          staging.catch(() => undefined);
          batch = [];
        }
      }
      reader.finish();
      await staging;
      if (!reader.errorCount && reader.rows === 0)
        reader.addError(null, null, null, 'the file has a header row but no data rows');
      if (reader.errorCount) {
        await tx.rollback();
        return this.reject(
          base,
          reader.type,
          reader.rows,
          withOverflow(reader.errors, reader.errorCount),
          reader.sheets,
        );
      }
      await tx.stage(batch);
      await tx.endStaging();
      const repeated = await tx.repeatedKeys(MAX_ROW_ERRORS);
      if (repeated.length) {
        await tx.rollback();
        return this.reject(base, reader.type, reader.rows, repeated, reader.sheets);
      }
      const outcome = spotify(reader.type, reader.rows);
      const counts = await tx.merge({
        ...logged(base),
        type: reader.type,
        kind: 'spotify',
        recognised: outcome.recognised,
        rows: reader.rows,
      });
      await tx.commit();
      this.logger.log(
        `${file.name}: ${reader.type} imported, ${reader.rows} rows, ${counts.inserted} inserted, ${counts.updated} updated`,
      );
      return { ...outcome, ...counts, sheets: reader.sheets };
    } catch (error) {
      await staging.catch(() => undefined);
      await tx.rollback();
      if (!(error instanceof FileRejected)) throw error;
      if (error.cause) this.logger.warn(`${file.name}: ${String(error.cause)}`);
      const errors = [...reader.errors, { row: null, column: null, message: `${file.name}: ${error.message}` }];
      return this.reject(base, reader.type, reader.rows, errors, reader.sheets);
    }
  }

  /**
   * A royalty statement: read whole (one payee and month: a few hundred lines), checked to add up, then
   * stored by StatementsService with its import history entry in one transaction.
   */
  private async importStatement(opened: OpenedFile): Promise<UploadFileResult> {
    const { file, logged: base } = opened;
    const type = STATEMENT_FILE_TYPE;
    const statement = (rows: number) => ({ ...result(file.name, type, 'imported', rows), kind: 'spotify' as const });
    if (opened.format !== 'xlsx') {
      return this.reject(base, type, 0, [
        {
          row: null,
          column: null,
          message: `${file.name}: royalty statements are read as XLSX, as Findaway sends them`,
        },
      ]);
    }
    if (await this.repository.alreadyImported(base.hash)) {
      await this.repository.log({ ...logged(base), type, kind: 'spotify', status: 'duplicate', rows: 0 });
      return { ...statement(0), recognised: STATEMENT_LABEL, duplicate: true, message: DUPLICATE_MESSAGE };
    }
    const rows: SourceRow[] = [];
    try {
      for await (const row of this.rowsOf(file, 'xlsx', opened.delimiter)) rows.push(row);
    } catch (error) {
      if (!(error instanceof FileRejected)) throw error;
      return this.reject(base, type, 0, [{ row: null, column: null, message: `${file.name}: ${error.message}` }]);
    }
    const sheets = [...new Set(rows.map((row) => row.sheet))];
    const reading = readStatement(rows, await this.repository.aliasLookup());
    if (!reading.ok) return this.reject(base, type, 0, reading.errors, sheets);
    const lines = reading.statement.lines.length;
    let recognised = `${STATEMENT_LABEL} for ${reading.statement.month.slice(0, 7)}, ${count(lines, 'line')}`;
    const stored = await this.statements.store(reading.statement, (manager, outcome) => {
      if (outcome.replaced)
        recognised += `; replaces the earlier statement of that period (${outcome.replaced.file ?? 'an earlier file'})`;
      const counts = outcome.replaced ? { inserted: 0, updated: lines } : { inserted: lines, updated: 0 };
      return this.repository.log(
        { ...logged(base), type, kind: 'spotify', recognised, status: 'imported', rows: lines, ...counts },
        manager,
      );
    });
    this.logger.log(`${file.name}: ${recognised}`);
    return {
      ...statement(lines),
      recognised,
      inserted: stored.replaced ? 0 : lines,
      updated: stored.replaced ? lines : 0,
      sheets,
    };
  }

  /**
   * A rate file: read whole (rate files are small), checked row by row, then stored with everything that
   * waited for its rates converted, and logged, in one transaction (FxService.storeRates).
   */
  private async importRateFile(opened: OpenedFile, type: RateFileType): Promise<UploadFileResult> {
    const { file, logged: base } = opened;
    const rates = (rows: number) => ({
      ...result(file.name, type, 'imported', rows),
      kind: 'rates' as const,
      recognised: `${RATE_LABELS[type]}, ${count(rows, type === 'ecb-rates' && opened.format === 'xml' ? 'day' : 'row')}`,
    });
    if (await this.repository.alreadyImported(base.hash)) {
      await this.repository.log({ ...logged(base), type, kind: 'rates', status: 'duplicate', rows: 0 });
      return { ...rates(0), recognised: RATE_LABELS[type], duplicate: true, message: DUPLICATE_MESSAGE };
    }
    if (opened.format === 'json') {
      return this.reject(base, type, 0, [
        { row: null, column: null, message: `${file.name}: exchange-rate files are read as CSV, XLSX or XML` },
      ]);
    }
    const content =
      opened.format === 'xml'
        ? readEcbXml((await fileBuffer(file)).toString('utf8'))
        : await readRateCsv(
            this.rowsOf(file, opened.format, opened.delimiter),
            this.config.baseCurrency,
            opened.format === 'csv' ? assumedDecimalMark(opened.delimiter) : '.',
          );
    if (content.errors.length) return this.reject(base, type, content.rows, content.errors);
    const outcome = rates(content.rows);
    const stored = await this.fx.storeRates(
      content.input,
      { source: 'file', origin: file.name, userId: base.userId },
      async (manager, counts) => {
        await this.repository.log(
          {
            ...logged(base),
            type,
            kind: 'rates',
            recognised: outcome.recognised,
            status: 'imported',
            rows: content.rows,
            ...counts,
          },
          manager,
        );
      },
    );
    this.logger.log(
      `${file.name}: ${type} imported, ${content.rows} rows, ${stored.inserted} rates new, ${stored.updated} changed`,
    );
    return {
      ...outcome,
      inserted: stored.inserted,
      updated: stored.updated,
      converted: stored.converted,
      warnings: stored.warnings,
    };
  }

  async history(limit: number): Promise<UploadHistoryResponse> {
    const rows = await this.repository.history(limit);
    return {
      uploads: rows.map((row) => ({
        id: Number(row.id),
        uploadedAt: row.uploadedAt.toISOString(),
        userId: row.userId === null ? null : Number(row.userId),
        fileName: row.fileName,
        fileHash: row.fileHash,
        sizeBytes: Number(row.sizeBytes),
        type: row.type as UploadFileType | null,
        status: row.status as 'imported' | 'rejected' | 'duplicate',
        rows: row.rows,
        inserted: row.inserted,
        updated: row.updated,
        errorCount: row.errors.length,
      })),
    };
  }

  /** `GET /api/imports`: every file of the intake, newest first. */
  async imports(limit: number): Promise<ImportHistoryResponse> {
    return { imports: await this.repository.imports(limit) };
  }

  async aliases(): Promise<UploadAliasesResponse> {
    return { aliases: await this.repository.aliases() };
  }

  async replaceAliases(request: UploadAliasesRequest): Promise<UploadAliasesResponse> {
    await this.repository.replaceAliases(request.aliases.map((entry) => ({ ...entry, factor: entry.factor ?? 1 })));
    return this.aliases();
  }

  private async reject(
    file: LoggedFile,
    type: UploadFileType | null,
    rows: number,
    errors: UploadRowError[],
    sheets: string[] = [],
  ): Promise<UploadFileResult> {
    const kind = kindOfType(type);
    const recognised = type ? labelOfType(type) : null;
    await this.repository.log({ ...logged(file), type, kind, recognised, status: 'rejected', rows, errors });
    return { ...result(file.name, type, 'rejected', rows), kind, recognised, errors, sheets };
  }
}

const DUPLICATE_MESSAGE = 'already imported: a file with the same content was imported before; nothing changed';

function logged(file: LoggedFile): Pick<UploadLogInput, 'userId' | 'fileName' | 'fileHash' | 'sizeBytes'> {
  return { userId: file.userId, fileName: file.name, fileHash: file.hash, sizeBytes: file.size };
}

function isRateFileType(type: UploadFileType | null): type is RateFileType {
  return (RATE_FILE_TYPES as readonly string[]).includes(type ?? '');
}

function labelOfType(type: UploadFileType): string {
  if (isRateFileType(type)) return RATE_LABELS[type];
  return type === STATEMENT_FILE_TYPE ? STATEMENT_LABEL : SPOTIFY_LABELS[type];
}

function kindOfType(type: UploadFileType | null): ImportKind | null {
  if (!type) return null;
  return isRateFileType(type) ? 'rates' : 'spotify';
}

function result(
  name: string,
  type: UploadFileType | null,
  status: 'imported' | 'rejected',
  rows: number,
): UploadFileResult {
  return {
    name,
    kind: kindOfType(type),
    type,
    platform: null,
    recognised: null,
    status,
    rows,
    inserted: 0,
    updated: 0,
    skipped: 0,
    errors: [],
    duplicate: false,
    sheets: [],
  };
}

function failedResult(name: string, kind: ImportKind | null): UploadFileResult {
  return {
    ...result(name, null, 'rejected', 0),
    kind,
    errors: [{ row: null, column: null, message: UNEXPECTED_FAILURE }],
  };
}

/** "Shopify orders export, 50 orders"; "Etsy Sold Order Items file, 12 items in 8 orders". */
function ordersRecognised(parsed: ParsedOrderFile, label: string): string {
  if (parsed.kind === 'order-items')
    return `${label}, ${count(parsed.rows, 'item')} in ${count(parsed.count, 'order')}`;
  return `${label}, ${count(parsed.count, parsed.noun)}`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function withOverflow(errors: UploadRowError[], total: number): UploadRowError[] {
  if (total <= errors.length) return errors;
  return [
    ...errors,
    { row: null, column: null, message: `${total - errors.length} more errors not listed (${total} in all)` },
  ];
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The order exports of one upload that complete each other (an Etsy Sold Orders file and its Items file):
 * each file's partner by position, the first file of the other kind of the same platform not yet paired.
 */
function pairedOrderFiles(files: OpenedFile[]): Map<number, number> {
  const exportKind = (file: OpenedFile) => {
    const recognition = file.recognition;
    return recognition.kind === 'orders' && 'export' in recognition
      ? { platform: recognition.platform, kind: recognition.export.kind ?? 'orders' }
      : null;
  };
  const partners = new Map<number, number>();
  files.forEach((file, i) => {
    const mine = exportKind(file);
    if (!mine || partners.has(i)) return;
    const partner = files.findIndex((other, j) => {
      const theirs = j !== i && !partners.has(j) ? exportKind(other) : null;
      return theirs !== null && theirs.platform === mine.platform && theirs.kind !== mine.kind;
    });
    if (partner !== -1) partners.set(i, partner).set(partner, i);
  });
  return partners;
}

/** Text files by their first character: JSON documents, XML (the ECB's files), else delimited text. */
function textFormat(head: Buffer): 'csv' | 'json' | 'xml' {
  const first = /\S/.exec(head.toString('utf8').replace(/^\uFEFF/, ''))?.[0];
  if (first === '{' || first === '[') return 'json';
  if (first === '<') return 'xml';
  return 'csv';
}

/** The first rows of each sheet: enough to find any kind's header row. */
async function firstRows(rows: AsyncGenerator<SourceRow>): Promise<SourceRow[]> {
  const sample: SourceRow[] = [];
  const perSheet = new Map<string, number>();
  try {
    for await (const row of rows) {
      const seen = (perSheet.get(row.sheet) ?? 0) + 1;
      perSheet.set(row.sheet, seen);
      if (seen <= SAMPLE_ROWS_PER_SHEET) sample.push(row);
      else if (row.sheet === '' || perSheet.size > 20) break;
    }
  } finally {
    await rows.return(undefined);
  }
  return sample;
}

/**
 * The elements of a JSON file as they are read from it (see orderJsonElements); a document that is not
 * JSON is a FileRejected saying where it breaks (`jsonRejection`).
 */
async function* jsonElementsOf(file: IncomingFile): AsyncGenerator<OrderJsonElement> {
  try {
    yield* orderJsonElements(jsonValues(openStream(file), ORDER_JSON_LISTS));
  } catch (error) {
    throw await jsonRejection(file, error);
  }
}

/**
 * What to throw for an error of the JSON reader: a JSON file's rejection naming the file, and where a
 * document that is not JSON breaks in lines and columns rather than the reader's byte offset (the file
 * is read again up to there); any other error as it is.
 */
async function jsonRejection(file: IncomingFile, error: unknown): Promise<unknown> {
  if (error instanceof JsonFileRejected) return error;
  if (error instanceof FileRejected) return new JsonFileRejected(`${file.name}: ${error.message}`);
  if (!(error instanceof InvalidJson)) return error;
  const problem = `${file.name} is not valid JSON:`;
  if ('truncated' in error.at)
    return new JsonFileRejected(`${problem} it ends before its last value is complete (was it cut short?)`);
  const { line, column } = await textPosition(openStream(file), error.at.offset);
  return new JsonFileRejected(
    error.at.value
      ? `${problem} the value that starts at line ${line}, column ${column} may have been edited by hand`
      : `${problem} it breaks off or has a stray character at line ${line}, column ${column}`,
  );
}

/** A JSON file's rejection, its message naming the file already. */
class JsonFileRejected extends FileRejected {}

async function contentHash(file: IncomingFile): Promise<string> {
  const hash = createHash('sha256');
  if ('buffer' in file) {
    for (let offset = 0; offset < file.buffer.length; offset += HASH_SLICE_BYTES) {
      hash.update(file.buffer.subarray(offset, offset + HASH_SLICE_BYTES));
      await yieldToEventLoop();
    }
    return hash.digest('hex');
  }
  for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function fileBuffer(file: IncomingFile): Promise<Buffer> {
  return 'buffer' in file ? file.buffer : readFile(file.path);
}

async function readHead(file: IncomingFile): Promise<Buffer> {
  if ('buffer' in file) return file.buffer.subarray(0, HEAD_BYTES);
  const handle = await open(file.path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Small chunks even from memory: a whole buffer as one chunk would make the CSV parser emit every row at once. */
function openStream(file: IncomingFile): Readable {
  if ('path' in file) return createReadStream(file.path, { highWaterMark: CHUNK_BYTES });
  const buffer = file.buffer;
  return Readable.from(
    (function* chunks() {
      for (let offset = 0; offset < buffer.length; offset += CHUNK_BYTES)
        yield buffer.subarray(offset, offset + CHUNK_BYTES);
    })(),
  );
}
