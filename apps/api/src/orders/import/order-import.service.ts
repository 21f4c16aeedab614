import { Injectable } from '@nestjs/common';
import type { OrderImportFileReport, OrderImportResponse, Platform } from '@mt/contracts';
import { AppConfig } from '../../config/app-config';
import { OrderIngestService } from '../order-ingest.service';
import { OrdersRepository } from '../orders.repository';
import { SourcesService } from '../sources/sources.service';
import { wooStore } from '../webhooks/webhooks.service';
import { NormalizedOrder } from '../normalized-order';
import { ParsedOrderFile, readOrderFile } from './order-file-reader';

export interface UploadedOrderFile {
  originalname: string;
  buffer: Buffer;
}

/**
 * Backfill from the platforms' own exports. One file is one transaction: a file with any error writes
 * nothing, and the same file twice changes nothing (orders and refunds upsert by their natural keys).
 */
@Injectable()
export class OrderImportService {
  constructor(
    private readonly config: AppConfig,
    private readonly orders: OrdersRepository,
    private readonly ingest: OrderIngestService,
    private readonly sources: SourcesService,
  ) {}

  /**
   * Each file is read and written on its own, except an Etsy Sold Order Items file that comes with its
   * Sold Orders file (in either order): the pair is one transaction, the orders of the Orders file take
   * their lines from the Items file, and orders found only in the Items file are built from its rows.
   */
  async importFiles(files: UploadedOrderFile[], store: string | undefined): Promise<OrderImportResponse> {
    const parsed: ParsedOrderFile[] = [];
    for (const file of files) parsed.push(await this.read(file, store));
    const reports: OrderImportFileReport[] = parsed.map((p, i) => ({
      file: files[i]!.originalname,
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
        await this.write([{ report: reports[i]!, orders: parsed[i]!.orders }], parsed[i]!.platform!);
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
      await this.write(
        [
          { report: reports[orders]!, orders: completed },
          { report: reports[items]!, orders: itemsOnly },
        ],
        parsed[i]!.platform!,
      );
    }
    return { files: reports };
  }

  private read(file: UploadedOrderFile, store: string | undefined): Promise<ParsedOrderFile> {
    return readOrderFile(file.buffer, async (platform) => ({
      store: store?.trim() ? normalizeStore(platform, store) : await this.defaultStore(platform),
      zone: this.config.businessTimezone,
      baseCurrency: this.config.baseCurrency,
    }));
  }

  /** The orders of one file, or of a pair, in one transaction; each file's report counts what its orders did. */
  private async write(
    parts: Array<{ report: OrderImportFileReport; orders: NormalizedOrder[] }>,
    platform: Platform,
  ): Promise<void> {
    const changes = await this.ingest.ingestBatch(parts.flatMap((part) => part.orders));
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
