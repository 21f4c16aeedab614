import { Injectable, Logger } from '@nestjs/common';
import {
  RATE_FILE_TYPES,
  type RateFileType,
  type UploadAliasesRequest,
  type UploadAliasesResponse,
  type UploadFileResult,
  type UploadFileType,
  type UploadHistoryResponse,
  type UploadResponse,
  type UploadRowError,
} from '@mt/contracts';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { yieldToEventLoop } from '../common/event-loop';
import { AppConfig } from '../config/app-config';
import { FxService } from '../fx/fx.service';
import { readEcbXml, readRateCsv, recogniseRateFile } from '../fx/rate-files';
import { DomainEvents } from '../realtime/domain-events';
import { checkXlsx, detectFileKind, FileRejected } from './file-guard';
import { MAX_ROW_ERRORS, ReportReader, ReportRecord } from './report-reader';
import { csvRows, sniffDelimiter, xlsxRows } from './row-sources';
import { UploadRepository } from './upload.repository';

/** A received file: in memory (multer memory storage) or on disk (bench, CLI). */
export type IncomingFile = { name: string; size: number } & ({ buffer: Buffer } | { path: string });

export interface ImportOptions {
  type?: UploadFileType | null;
  userId?: string | null;
}

const STAGE_BATCH_ROWS = 1000;
/** Rows read between two turns of the event loop: a slice of a few milliseconds, whatever the file. */
const ROWS_PER_SLICE = 1000;
/** Bytes hashed between two turns of the event loop (SHA-256 of 1 MB: about 2 ms). */
const HASH_SLICE_BYTES = 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

@Injectable()
export class UploadService {
  private readonly logger = new Logger(UploadService.name);

  constructor(
    private readonly repository: UploadRepository,
    private readonly config: AppConfig,
    private readonly events: DomainEvents,
    private readonly fx: FxService,
  ) {}

  /** Each file is imported on its own: a rejected file does not stop the others. */
  async importFiles(files: IncomingFile[], options: ImportOptions = {}): Promise<UploadResponse> {
    const results: UploadFileResult[] = [];
    for (const file of files) results.push(await this.importFile(file, options));
    if (results.length) {
      this.events.publish('upload.completed', {
        files: results.length,
        imported: results.filter((result) => result.status === 'imported' && !result.duplicate).length,
        rejected: results.filter((result) => result.status === 'rejected').length,
        at: new Date().toISOString(),
      });
    }
    return { files: results };
  }

  async importFile(file: IncomingFile, options: ImportOptions = {}): Promise<UploadFileResult> {
    const hash = await contentHash(file);
    const base = { name: file.name, size: file.size, hash, userId: options.userId ?? null };
    const given = options.type ?? null;
    let kind: 'csv' | 'xlsx';
    try {
      kind = detectFileKind(file.name, await readHead(file));
      if (kind === 'xlsx') await checkXlsx(file.name, 'buffer' in file ? file.buffer : await readFile(file.path));
    } catch (error) {
      if (!(error instanceof FileRejected)) throw error;
      return this.reject(base, given, 0, [{ row: null, column: null, message: error.message }]);
    }

    const rateFile = isRateFileType(given) ? given : given ? null : recogniseRateFile(await readHead(file));
    if (rateFile && kind === 'xlsx') {
      const message = `${file.name}: exchange-rate files are read as CSV or XML; save the sheet as CSV`;
      return this.reject(base, rateFile, 0, [{ row: null, column: null, message }]);
    }
    if (rateFile) return this.importRateFile(file, base, rateFile);
    const reportType = isRateFileType(given) ? null : given;
    const reader = new ReportReader(await this.repository.aliasLookup(), this.config.baseCurrency, reportType);
    const tx = await this.repository.begin(hash);
    // One batch goes to PostgreSQL while the next is parsed; never more, so memory stays bounded.
    let staging: Promise<void> = Promise.resolve();
    try {
      if (await tx.alreadyImported(hash)) {
        await tx.rollback();
        await this.repository.log({
          userId: base.userId,
          fileName: file.name,
          fileHash: hash,
          sizeBytes: file.size,
          type: reportType,
          status: 'duplicate',
          rows: 0,
        });
        return {
          ...result(file.name, reportType, 'imported', 0),
          duplicate: true,
          message: DUPLICATE_MESSAGE,
        };
      }
      const rows =
        kind === 'csv' ? csvRows(openStream(file), sniffDelimiter(await readHead(file))) : xlsxRows(openStream(file));
      let batch: ReportRecord[] = [];
      let prepared = false;
      let read = 0;
      for await (const row of rows) {
        // A stream from memory never waits for I/O: without this, a big file would hold every request up.
        if (++read % ROWS_PER_SLICE === 0) await yieldToEventLoop();
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
      const counts = await tx.merge({
        userId: base.userId,
        fileName: file.name,
        fileHash: hash,
        sizeBytes: file.size,
        type: reader.type,
        rows: reader.rows,
      });
      await tx.commit();
      this.logger.log(
        `${file.name}: ${reader.type} imported, ${reader.rows} rows, ${counts.inserted} inserted, ${counts.updated} updated`,
      );
      return { ...result(file.name, reader.type, 'imported', reader.rows), ...counts, sheets: reader.sheets };
    } catch (error) {
      await staging.catch(() => undefined);
      await tx.rollback();
      if (!(error instanceof FileRejected)) throw error;
      const errors = [...reader.errors, { row: null, column: null, message: `${file.name}: ${error.message}` }];
      return this.reject(base, reader.type, reader.rows, errors, reader.sheets);
    }
  }

  /**
   * A rate file: read whole (rate files are small), checked row by row, then stored with everything that
   * waited for its rates converted, and logged, in one transaction (FxService.storeRates).
   */
  private async importRateFile(file: IncomingFile, base: LoggedFile, type: RateFileType): Promise<UploadFileResult> {
    if (await this.repository.alreadyImported(base.hash)) {
      await this.repository.log({ ...logged(base), type, status: 'duplicate', rows: 0 });
      return { ...result(file.name, type, 'imported', 0), duplicate: true, message: DUPLICATE_MESSAGE };
    }
    const head = await readHead(file);
    const content = /^\s*</.test(head.toString('utf8').replace(/^\uFEFF/, ''))
      ? readEcbXml(('buffer' in file ? file.buffer : await readFile(file.path)).toString('utf8'))
      : await readRateCsv(csvRows(openStream(file), sniffDelimiter(head)), this.config.baseCurrency);
    if (content.errors.length) return this.reject(base, type, content.rows, content.errors);
    const stored = await this.fx.storeRates(
      content.input,
      { source: 'file', origin: file.name, userId: base.userId },
      async (manager, counts) => {
        await this.repository.log(
          { ...logged(base), type, status: 'imported', rows: content.rows, ...counts },
          manager,
        );
      },
    );
    this.logger.log(
      `${file.name}: ${type} imported, ${content.rows} rows, ${stored.inserted} rates new, ${stored.updated} changed`,
    );
    return {
      ...result(file.name, type, 'imported', content.rows),
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
    await this.repository.log({
      userId: file.userId,
      fileName: file.name,
      fileHash: file.hash,
      sizeBytes: file.size,
      type,
      status: 'rejected',
      rows,
      errors,
    });
    return { ...result(file.name, type, 'rejected', rows), errors, sheets };
  }
}

type LoggedFile = { name: string; size: number; hash: string; userId: string | null };

const DUPLICATE_MESSAGE = 'already imported: a file with the same content was imported before; nothing changed';

function logged(file: LoggedFile) {
  return { userId: file.userId, fileName: file.name, fileHash: file.hash, sizeBytes: file.size };
}

function isRateFileType(type: UploadFileType | null): type is RateFileType {
  return (RATE_FILE_TYPES as readonly string[]).includes(type ?? '');
}

function result(
  name: string,
  type: UploadFileType | null,
  status: 'imported' | 'rejected',
  rows: number,
): UploadFileResult {
  return { name, type, status, rows, inserted: 0, updated: 0, errors: [], duplicate: false, sheets: [] };
}

function withOverflow(errors: UploadRowError[], count: number): UploadRowError[] {
  if (count <= errors.length) return errors;
  return [
    ...errors,
    { row: null, column: null, message: `${count - errors.length} more errors not listed (${count} in all)` },
  ];
}

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

async function readHead(file: IncomingFile): Promise<Buffer> {
  if ('buffer' in file) return file.buffer.subarray(0, 64 * 1024);
  const handle = await open(file.path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
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
