import { Injectable, Logger } from '@nestjs/common';
import type { OrderImportFileReport, Platform } from '@mt/contracts';
import { AppConfig } from '../../config/app-config';
import { OrderIngestService } from '../order-ingest.service';
import { OrdersRepository } from '../orders.repository';
import { SourcesService } from '../sources/sources.service';
import { wooStore } from '../webhooks/webhooks.service';
import { NormalizedOrder } from '../normalized-order';
import { ParsedOrderFile } from './order-file-reader';
import { BuildContext } from './order-export-formats';

/** One order file's outcome; `failed` when writing it hit an unexpected error (it then wrote nothing). */
export interface OrderFileOutcome extends OrderImportFileReport {
  failed?: Error;
}

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
      for (const change of changes.slice(at, at + part.orders.length)) {
        if (change.result === 'inserted') part.report.inserted++;
        else if (change.result === 'updated' || change.refundsInserted > 0) part.report.updated++;
        else part.report.skipped++;
      }
      at += part.orders.length;
    }
    await this.sources.recorded(`${platform}-import`, platform, 'import', null);
  }

  /**
   * Exports do not name their store. When the platform has exactly one store (seen in stored orders, or
   * the only Shopify domain configured), the export belongs to it, so it meets that store's webhooks.
   */
  private async defaultStore(platform: Platform): Promise<string> {
    const known = (await this.orders.knownStores(platform)).filter((s) => s !== '');
    if (known.length === 1) return known[0]!;
    if (platform === 'shopify') {
      const domains = [...this.config.shopifyWebhookSecrets.keys()].filter((d) => d !== '*');
      if (domains.length === 1) return domains[0]!;
    }
    return '';
  }
}

/** The same spelling the webhooks use, so an import names the store its webhooks write to. */
function normalizeStore(platform: Platform, store: string): string {
  if (platform === 'woocommerce') return wooStore(store);
  if (platform === 'shopify') return store.trim().toLowerCase();
  return store.trim();
}
