import { Injectable, Logger } from '@nestjs/common';
import type { ImportRowError, OrderImportFileReport, Platform } from '@mt/contracts';
import { DecimalMark } from '../../common/number-grammar';
import { AppConfig } from '../../config/app-config';
import { OrderIngestService } from '../order-ingest.service';
import { OrdersRepository } from '../orders.repository';
import { SourcesService } from '../sources/sources.service';
import { wooStore } from '../webhooks/webhooks.service';
import { NormalizedOrder } from '../normalized-order';
import { FileRejected } from '../../upload/file-guard';
import { SourceRow } from '../../upload/row-sources';
import { OrderChange, OrdersTransaction } from '../orders.repository';
import {
  addError,
  BuiltOrder,
  buildOrders,
  DetectedOrderFile,
  ParsedOrderFile,
  scanOrderRows,
} from './order-file-reader';
import { BuildContext } from './order-export-formats';
import { OrderJsonElement, OrderJsonKind, readOrderJson } from './order-json';

/** One order file's outcome; `failed` when writing it hit an unexpected error (it then wrote nothing). */
export interface OrderFileOutcome extends OrderImportFileReport {
  failed?: Error;
}

/** A file's part in the one transaction of its orders: its name, its rows (again for a second pass), its decimal mark. */
export interface ExportFile {
  name: string;
  rows: () => AsyncIterable<SourceRow>;
  decimalMark: DecimalMark;
}

/** A file as read, and what writing it did. */
export interface StreamedOrderFile {
  parsed: ParsedOrderFile;
  outcome: OrderFileOutcome;
}

/**
 * Orders written per statement batch of a streamed file. Smaller batches would hold less in memory but
 * cost PostgreSQL far more: a 50,000-order Etsy pair took 8 s of its CPU at 500, 12 s at 250 and 137 s at
 * 100 (the statement-level triggers of titles and rollups, match_order_lines above all).
 */
export const WRITE_CHUNK_ORDERS = 500;
/**
 * Bytes of the file a write chunk holds at most (a JSON answer's orders are 5–15 kB each, their raw JSON
 * stored with them): every statement's parameters stay small, never a large string for the collector.
 */
export const WRITE_CHUNK_BYTES = 256 * 1024;

/** Rolls a streamed file's transaction back when its rows have errors (not a failure: a rejection). */
class FileHasErrors extends Error {}

/**
 * The write side of order files (the intake in `upload/` reads and recognises them). One file is one
 * transaction: a file with any error writes nothing, and the same file twice changes nothing (orders and
 * refunds upsert by their natural keys).
 */
@Injectable()
export class OrderImportService {
  private readonly logger = new Logger(OrderImportService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly orders: OrdersRepository,
    private readonly ingest: OrderIngestService,
    private readonly sources: SourcesService,
  ) {}

  /** How a file's orders are built: the store they belong to, the business zone, the base currency. */
  async context(platform: Platform, store: string | null | undefined): Promise<BuildContext> {
    return {
      store: store?.trim() ? normalizeStore(platform, store) : await this.defaultStore(platform),
      zone: this.config.businessTimezone,
      baseCurrency: this.config.baseCurrency,
    };
  }

  /**
   * One export read as it streams in, for files of any size (SPEC §9): its rows staged by order in its
   * own transaction, then its orders built and written chunk by chunk in the same transaction. Any bad
   * row rolls the whole file back (it is reported, nothing written); so does an unexpected failure.
   */
  async writeStreamed(
    name: string,
    source: AsyncIterable<SourceRow>,
    decimalMark: DecimalMark,
    store: string | null | undefined,
  ): Promise<StreamedOrderFile> {
    const [file] = await this.writeExports([{ name, rows: () => source, decimalMark }], store);
    return file!;
  }

  /**
   * An Etsy Sold Orders file with its Sold Order Items file (either first): both staged in one
   * transaction, the Orders file's orders written with their lines from the Items file, and the orders
   * found only in the Items file built from its rows there; each file's report counts its own orders.
   * When one of the two has errors nothing of the pair is written, and the other is then imported on its
   * own (a second pass over its file), as it would be without its partner.
   */
  async writePair(files: [ExportFile, ExportFile], store: string | null | undefined): Promise<StreamedOrderFile[]> {
    const together = await this.writeExports(files, store);
    if (together.every((file) => file.parsed.errors.length === 0) || together.some((file) => file.outcome.failed))
      return together;
    return Promise.all(
      together.map(async (file, i) =>
        file.parsed.errors.length ? file : (await this.writeExports([files[i]!], store))[0]!,
      ),
    );
  }

  /**
   * A platform's API answer saved as JSON, its elements streamed in (see jsonValues), each order
   * through its platform's parser and written chunk by chunk in one transaction: all or nothing.
   */
  async writeJson(
    name: string,
    kind: OrderJsonKind,
    elements: AsyncIterable<OrderJsonElement>,
    store: string | null | undefined,
  ): Promise<StreamedOrderFile> {
    const ctx = { ...(await this.context(kind.platform, store)), storeGiven: !!store?.trim() };
    const [file] = await this.writeFiles([name], async function* (parsed) {
      const file = parsed[0]!;
      Object.assign(file, { platform: kind.platform, label: kind.label, noun: kind.noun });
      const read = readOrderJson(kind, elements, ctx);
      for (;;) {
        const next = await rejectedAs(file, () => read.next());
        if (!next) throw new FileHasErrors();
        if (next.done) break;
        file.rows = ++file.count;
        yield { file: 0, built: next.value };
      }
    });
    return file!;
  }

  /** Exports read together in one transaction (one file, or an orders file with its items file). */
  private writeExports(files: ExportFile[], store: string | null | undefined): Promise<StreamedOrderFile[]> {
    const context = (platform: Platform) => this.context(platform, store);
    return this.writeFiles(
      files.map((file) => file.name),
      async function* (parsed, tx) {
        const staged = await tx.stageRows();
        const detected: DetectedOrderFile[] = [];
        try {
          for (const [i, file] of files.entries()) {
            const scanned = await rejectedAs(parsed[i]!, () =>
              scanOrderRows(file.rows(), file.decimalMark, staged.file(i)),
            );
            if (!scanned) continue;
            Object.assign(parsed[i]!, { platform: scanned.platform, kind: scanned.kind, label: scanned.label });
            parsed[i]!.rows = scanned.rows;
            parsed[i]!.errors = scanned.errors;
            if (scanned.detected) detected.push({ ...scanned, detected: scanned.detected });
          }
        } finally {
          await staged.endStaging();
        }
        if (detected.length < files.length || parsed.some((file) => file.errors.length)) throw new FileHasErrors();
        yield* buildOrders(detected, staged, await context(detected[0]!.detected.format.platform));
        parsed.forEach((file, i) => (file.count = staged.file(i).orders));
      },
    );
  }

  /**
   * The one transaction of one or more files: the orders `orders` builds (each for one of the files,
   * filling in what it reads into that file's `parsed`) written chunk by chunk. A file the reader cannot
   * go on with (a damaged workbook, a broken CSV quote or JSON) or a bad row of any file rolls all of
   * them back: each is reported with its own errors, nothing written; so does an unexpected failure.
   */
  private async writeFiles(
    names: string[],
    orders: (parsed: ParsedOrderFile[], tx: OrdersTransaction) => AsyncIterable<{ file: number; built: BuiltOrder }>,
  ): Promise<StreamedOrderFile[]> {
    const parsed: ParsedOrderFile[] = names.map(() => ({
      platform: null,
      kind: 'orders',
      label: 'order export',
      rows: 0,
      count: 0,
      noun: 'order',
      orders: [],
      errors: [],
    }));
    const outcomes: OrderFileOutcome[] = names.map((file) => ({
      file,
      platform: null,
      rows: 0,
      inserted: 0,
      updated: 0,
      skipped: 0,
      errors: [],
    }));
    try {
      await this.ingest.ingestInChunks(async (tx, write) => {
        let chunk: Array<{ file: number; order: NormalizedOrder }> = [];
        let chunkBytes = 0;
        const flush = async () => {
          const changes = await write(chunk.map((entry) => entry.order));
          chunk.forEach((entry, i) => tally(outcomes[entry.file]!, changes[i]!));
          chunk = [];
          chunkBytes = 0;
        };
        let siteless = -1;
        for await (const { file, built } of orders(parsed, tx)) {
          if ('error' in built) addError(parsed[file]!.errors, built.error);
          else if (built.order.platform === 'woocommerce' && built.order.store === '') siteless = file;
          // Once a file is known to be rejected, the remaining orders are only checked.
          if (siteless !== -1 || parsed.some((p) => p.errors.length) || !('order' in built)) continue;
          chunk.push({ file, order: built.order });
          chunkBytes += built.bytes ?? 0;
          if (chunk.length >= WRITE_CHUNK_ORDERS || chunkBytes >= WRITE_CHUNK_BYTES) await flush();
        }
        if (siteless !== -1 && parsed.every((p) => !p.errors.length))
          parsed[siteless]!.errors.push(await this.wooSiteError());
        if (parsed.some((p) => p.errors.length)) throw new FileHasErrors();
        await flush();
      });
    } catch (error) {
      if (!(error instanceof FileHasErrors)) {
        const failed = error instanceof Error ? error : new Error(String(error));
        this.logger.error(`${names.join(', ')}: writing the orders failed`, failed);
        for (const outcome of outcomes) outcome.failed = failed;
      }
      return parsed.map((file, i) => {
        file.errors.sort((a, b) => a.row - b.row);
        const outcome = { ...outcomes[i]!, inserted: 0, updated: 0, skipped: 0 };
        return { parsed: file, outcome: { ...outcome, platform: file.platform, rows: file.rows, errors: file.errors } };
      });
    }
    for (const platform of new Set(parsed.map((file) => file.platform!)))
      await this.sources.recorded(`${platform}-import`, platform, 'import', null);
    return parsed.map((file, i) => ({
      parsed: file,
      outcome: { ...outcomes[i]!, platform: file.platform, rows: file.rows },
    }));
  }

  /**
   * Exports do not name their store. Only WooCommerce needs one to know the order (its ids are per site,
   * SPEC §2): the one site known (from stored orders or WOOCOMMERCE_URL), else blank, which
   * `requireWooSite` refuses. For the other platforms the store is information only: the one known (or
   * the only Shopify domain configured), else blank.
   */
  private async defaultStore(platform: Platform): Promise<string> {
    if (platform === 'woocommerce') {
      const sites = await this.wooSites();
      return sites.length === 1 ? sites[0]! : '';
    }
    const known = (await this.orders.knownStores(platform)).filter((s) => s !== '');
    if (known.length === 1) return known[0]!;
    if (platform === 'shopify') {
      const domains = [...this.config.shopifyWebhookSecrets.keys()].filter((d) => d !== '*');
      if (domains.length === 1) return domains[0]!;
    }
    return '';
  }

  /**
   * A readable WooCommerce file whose site is neither given nor the one known would store its orders
   * under no site, apart from the same orders of the real site: it gets a file error instead (reported
   * once its rows are readable, so that a file's own errors come first), and writes nothing.
   */
  private async requireWooSite(file: ParsedOrderFile): Promise<void> {
    if (file.platform !== 'woocommerce' || file.errors.length > 0) return;
    if (!file.orders.some((order) => order.store === '')) return;
    file.errors.push(await this.wooSiteError());
  }

  private async wooSiteError(): Promise<ImportRowError> {
    const sites = await this.wooSites();
    const known = sites.length ? ` (known sites: ${sites.join(', ')})` : '';
    return {
      row: 0,
      column: null,
      message: `store: this WooCommerce export does not say which site it comes from; send the site's address in the field "store"${known}`,
    };
  }

  private async wooSites(): Promise<string[]> {
    const polled = this.config.pollers.woocommerce ? [wooStore(this.config.pollers.woocommerce.url)] : [];
    const stored = (await this.orders.knownStores('woocommerce')).filter((s) => s !== '');
    return [...new Set([...stored, ...polled])].sort();
  }
}

/** The same spelling the webhooks use, so an import names the store its webhooks write to. */
function normalizeStore(platform: Platform, store: string): string {
  if (platform === 'woocommerce') return wooStore(store);
  if (platform === 'shopify') return store.trim().toLowerCase();
  return store.trim();
}

/** What an order of a file did: inserted, updated (a refund added counts as an update), or left as it was. */
function tally(report: OrderFileOutcome, change: OrderChange): void {
  if (change.result === 'inserted') report.inserted++;
  else if (change.result === 'updated' || change.refundsInserted > 0) report.updated++;
  else report.skipped++;
}

/**
 * What `read` gives, or null when the reader cannot go on with the file (a damaged workbook, a broken
 * CSV quote or JSON): that is then the file's error, saying why.
 */
async function rejectedAs<T>(file: ParsedOrderFile, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof FileRejected)) throw error;
    file.errors.push({ row: 0, column: null, message: error.message });
    return null;
  }
}
