import { Injectable } from '@nestjs/common';
import type { OrderImportFileReport, OrderImportResponse, Platform } from '@mt/contracts';
import { AppConfig } from '../../config/app-config';
import { OrderIngestService } from '../order-ingest.service';
import { OrdersRepository } from '../orders.repository';
import { SourcesService } from '../sources/sources.service';
import { wooStore } from '../webhooks/webhooks.service';
import { readOrderFile } from './order-file-reader';

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

  async importFiles(files: UploadedOrderFile[], store: string | undefined): Promise<OrderImportResponse> {
    const reports: OrderImportFileReport[] = [];
    for (const file of files) reports.push(await this.importFile(file, store));
    return { files: reports };
  }

  async importFile(file: UploadedOrderFile, store: string | undefined): Promise<OrderImportFileReport> {
    const parsed = await readOrderFile(file.buffer, async (platform) => ({
      store: store?.trim() ? normalizeStore(platform, store) : await this.defaultStore(platform),
      zone: this.config.businessTimezone,
      baseCurrency: this.config.baseCurrency,
    }));
    const report: OrderImportFileReport = {
      file: file.originalname,
      platform: parsed.platform,
      rows: parsed.rows,
      inserted: 0,
      updated: 0,
      skipped: 0,
      errors: parsed.errors,
    };
    if (parsed.errors.length || !parsed.platform) return report;
    const changes = await this.ingest.ingestBatch(parsed.orders);
    for (const change of changes) {
      if (change.result === 'inserted') report.inserted++;
      else if (change.result === 'updated' || change.refundsInserted > 0) report.updated++;
      else report.skipped++;
    }
    await this.sources.recorded(`${parsed.platform}-import`, parsed.platform, 'import', null);
    return report;
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
