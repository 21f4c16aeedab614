import { Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { ScheduledJobs } from '../../database/scheduled-jobs';
import { OrderIngestService } from '../order-ingest.service';
import { SourcesService } from '../sources/sources.service';
import { AmazonSource } from './amazon.source';
import { EbaySource } from './ebay.source';
import { EtsySource } from './etsy.source';
import { FIRST_POLL_DAYS, OrderSource, POLL_OVERLAP_MS } from './order-source';
import { WooCommerceSource } from './woocommerce.source';

export interface PollResult {
  source: string;
  orders: number;
  error: string | null;
}

/** Delay of the first poll after start, so that booting is not slowed down by platform APIs. */
const FIRST_POLL_DELAY_MS = 15_000;

/**
 * Runs the configured pollers every POLL_INTERVAL_MINUTES (never two runs of one source at once),
 * commits each page through OrderIngestService and records the outcome per source for GET /api/sources.
 */
@Injectable()
export class OrderPollersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrderPollersService.name);
  private readonly sources: OrderSource[];
  private readonly running = new Map<string, Promise<PollResult>>();
  private firstPoll: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly ingest: OrderIngestService,
    private readonly status: SourcesService,
    private readonly scheduler: SchedulerRegistry,
    private readonly jobs: ScheduledJobs,
  ) {
    const { etsy, woocommerce, amazon, ebay } = config.pollers;
    this.sources = [
      ...(etsy ? [new EtsySource(etsy)] : []),
      ...(woocommerce ? [new WooCommerceSource(woocommerce)] : []),
      ...(amazon ? [new AmazonSource(amazon, config.baseCurrency)] : []),
      ...(ebay ? [new EbaySource(ebay)] : []),
    ];
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const source of this.sources) await this.status.register(source.name, source.platform, 'poller', true);
    if (this.sources.length === 0) return;
    const every = this.config.pollers.intervalMinutes * 60_000;
    this.scheduler.addInterval(
      'orders.pollers',
      setInterval(() => void this.scheduledPoll(), every),
    );
    this.firstPoll = setTimeout(() => void this.scheduledPoll(), FIRST_POLL_DELAY_MS);
  }

  onApplicationShutdown(): void {
    if (this.firstPoll) clearTimeout(this.firstPoll);
  }

  /** Tests and a future "sync now" button replace a source's client (e.g. shorter retry waits). */
  replaceSource(source: OrderSource): void {
    const index = this.sources.findIndex((s) => s.name === source.name);
    if (index < 0) throw new NotFoundException(`no poller named ${source.name}`);
    this.sources[index] = source;
  }

  /** Scheduled polls: one instance per interval, the others skip this round. */
  private scheduledPoll(): Promise<unknown> {
    const every = this.config.pollers.intervalMinutes * 60_000;
    return this.jobs.runOnOneInstance('orders.pollers', () => this.pollAll(), { minGapMs: every / 2 });
  }

  async pollAll(): Promise<PollResult[]> {
    return Promise.all(this.sources.map((source) => this.poll(source.name)));
  }

  poll(name: string): Promise<PollResult> {
    const source = this.sources.find((s) => s.name === name);
    if (!source) throw new NotFoundException(`no poller named ${name}`);
    const running = this.running.get(name);
    if (running) return running;
    const run = this.run(source).finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }

  private async run(source: OrderSource): Promise<PollResult> {
    const now = new Date();
    const cursor = await this.status.cursor(source.name);
    const since = cursor
      ? new Date(new Date(cursor).getTime() - POLL_OVERLAP_MS)
      : new Date(now.getTime() - FIRST_POLL_DAYS * 86_400_000);
    let latest = cursor ? new Date(cursor) : since;
    let orders = 0;
    try {
      for await (const page of source.pages(since, now)) {
        await this.ingest.ingestBatch(page.orders);
        orders += page.orders.length;
        for (const order of page.orders) {
          if (order.platformUpdatedAt && order.platformUpdatedAt > latest) latest = order.platformUpdatedAt;
        }
      }
      await this.status.recorded(source.name, source.platform, 'poller', null, latest.toISOString());
      return { source: source.name, orders, error: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`${source.name}: ${message}`);
      // Pages committed so far stay; the cursor does not move, so the next run reads them again (idempotently).
      await this.status.recorded(source.name, source.platform, 'poller', message);
      return { source: source.name, orders, error: message };
    }
  }
}
