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
import { OrderChange } from '../orders.repository';
import { addError, buildOrders, ParsedOrderFile, scanOrderRows } from './order-file-reader';
import { BuildContext } from './order-export-formats';

/** One order file's outcome; `failed` when writing it hit an unexpected error (it then wrote nothing). */
export interface OrderFileOutcome extends OrderImportFileReport {
  failed?: Error;
}

/** Orders written per statement batch of a streamed file. */
const WRITE_CHUNK_ORDERS = 500;

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
   * Writes the readable files of one upload, each on its own, except an Etsy Sold Order Items file that
   * comes with its Sold Orders file (in either order): the pair is one transaction, the orders of the
   * Orders file take their lines from the Items file, and orders found only in the Items file are built
   * from its rows. Outcomes in the order of `files`; a file with errors is reported, not written.
   */
  async write(files: Array<{ name: string; parsed: ParsedOrderFile }>): Promise<OrderFileOutcome[]> {
    const parsed = files.map((file) => file.parsed);
    for (const file of parsed) await this.requireWooSite(file);
    const reports: OrderFileOutcome[] = files.map(({ name, parsed: p }) => ({
      file: name,
      platform: p.platform,
      rows: p.rows,
      inserted: 0,
      updated: 0,
      skipped: 0,
      errors: p.errors,
    }));
    const readable = (p: ParsedOrderFile) => p.platform !== null && p.errors.length === 0;
    const paired = new Set<number>();
    for (let i = 0; i < parsed.length; i++) {
      if (paired.has(i) || !readable(parsed[i]!)) continue;
      const partner = parsed.findIndex(
        (other, j) =>
          j !== i &&
          !paired.has(j) &&
          readable(other) &&
          other.platform === parsed[i]!.platform &&
          other.kind !== parsed[i]!.kind,
      );
      if (partner === -1) {
        await this.writeParts([{ report: reports[i]!, orders: parsed[i]!.orders }], parsed[i]!.platform!);
        continue;
      }
      paired.add(i).add(partner);
      const [orders, items] = parsed[i]!.kind === 'orders' ? [i, partner] : [partner, i];
      const linesById = new Map(parsed[items]!.orders.map((order) => [order.externalId, order.lines]));
      const completed = parsed[orders]!.orders.map((order) => ({
        ...order,
        lines: linesById.get(order.externalId) ?? order.lines,
      }));
      const known = new Set(completed.map((order) => order.externalId));
      const itemsOnly = parsed[items]!.orders.filter((order) => !known.has(order.externalId));
      await this.writeParts(
        [
          { report: reports[orders]!, orders: completed },
          { report: reports[items]!, orders: itemsOnly },
        ],
        parsed[i]!.platform!,
      );
    }
    return reports;
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
  ): Promise<{ parsed: ParsedOrderFile; outcome: OrderFileOutcome }> {
    const parsed: ParsedOrderFile = {
      platform: null,
      kind: 'orders',
      label: 'order export',
      rows: 0,
      count: 0,
      noun: 'order',
      orders: [],
      errors: [],
    };
    const outcome: OrderFileOutcome = {
      file: name,
      platform: null,
      rows: 0,
      inserted: 0,
      updated: 0,
      skipped: 0,
      errors: [],
    };
    try {
      await this.ingest.ingestInChunks(async (tx, write) => {
        const staged = await tx.stageRows();
        const scanned = await scanOrderRows(source, decimalMark, staged);
        Object.assign(parsed, {
          platform: scanned.platform,
          kind: scanned.kind,
          label: scanned.label,
          rows: scanned.rows,
        });
        parsed.errors = scanned.errors;
        if (!scanned.detected || parsed.errors.length) throw new FileHasErrors();
        const ctx = await this.context(scanned.detected.format.platform, store);
        let chunk: NormalizedOrder[] = [];
        let siteless = false;
        for await (const built of buildOrders({ ...scanned, detected: scanned.detected }, staged, ctx)) {
          if ('error' in built) addError(parsed.errors, built.error);
          else if (built.order.platform === 'woocommerce' && built.order.store === '') siteless = true;
          // Once the file is known to be rejected, its remaining orders are only checked.
          if (parsed.errors.length || siteless) continue;
          if (!('order' in built)) continue;
          chunk.push(built.order);
          if (chunk.length >= WRITE_CHUNK_ORDERS) {
            tally(outcome, await write(chunk));
            chunk = [];
          }
        }
        parsed.count = staged.orders;
        if (!parsed.errors.length && siteless) parsed.errors.push(await this.wooSiteError());
        if (parsed.errors.length) throw new FileHasErrors();
        tally(outcome, await write(chunk));
      });
    } catch (error) {
      // A file the reader cannot go on with (a damaged workbook, a broken CSV quote) is rejected, saying why.
      if (error instanceof FileRejected) parsed.errors.push({ row: 0, column: null, message: error.message });
      else if (!(error instanceof FileHasErrors)) {
        outcome.failed = error instanceof Error ? error : new Error(String(error));
        this.logger.error(`${name}: writing the orders failed`, outcome.failed);
      }
      Object.assign(outcome, { inserted: 0, updated: 0, skipped: 0 });
      parsed.errors.sort((a, b) => a.row - b.row);
      return { parsed, outcome: { ...outcome, platform: parsed.platform, rows: parsed.rows, errors: parsed.errors } };
    }
    await this.sources.recorded(`${parsed.platform!}-import`, parsed.platform!, 'import', null);
    return { parsed, outcome: { ...outcome, platform: parsed.platform, rows: parsed.rows } };
  }

  /**
   * The orders of one file, or of a pair, in one transaction; each file's report counts what its orders
   * did. An unexpected failure rolls the transaction back and is reported on those files only.
   */
  private async writeParts(
    parts: Array<{ report: OrderFileOutcome; orders: NormalizedOrder[] }>,
    platform: Platform,
  ): Promise<void> {
    let changes;
    try {
      changes = await this.ingest.ingestBatch(parts.flatMap((part) => part.orders));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.logger.error(`${parts.map((part) => part.report.file).join(', ')}: writing the orders failed`, failure);
      for (const part of parts) part.report.failed = failure;
      return;
    }
    let at = 0;
    for (const part of parts) {
      tally(part.report, changes.slice(at, at + part.orders.length));
      at += part.orders.length;
    }
    await this.sources.recorded(`${platform}-import`, platform, 'import', null);
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

/** What a file's orders did: inserted, updated (a refund added counts as an update), or left as they were. */
function tally(report: OrderFileOutcome, changes: OrderChange[]): void {
  for (const change of changes) {
    if (change.result === 'inserted') report.inserted++;
    else if (change.result === 'updated' || change.refundsInserted > 0) report.updated++;
    else report.skipped++;
  }
}
