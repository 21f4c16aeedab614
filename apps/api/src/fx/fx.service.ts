import { BadRequestException, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type {
  AnalyticsWarning,
  FxFetchState,
  FxRatesRequest,
  FxRatesResponse,
  FxRatesStoredResponse,
  FxRefreshResponse,
  FxStatusResponse,
  UploadRowError,
} from '@mt/contracts';
import { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AdvisoryLocks } from '../database/advisory-lock';
import { OrdersRepository } from '../orders/orders.repository';
import { DEFAULT_RETRY, HttpRetryOptions, requestText } from '../orders/pollers/platform-http';
import { DomainEvents } from '../realtime/domain-events';
import { assumedDecimalMark } from '../common/number-grammar';
import { csvRows, sniffDelimiter } from '../upload/row-sources';
import { warningsFromRows } from './fx-warnings';
import { FxRepository, RateProvenance } from './fx.repository';
import { BaseRate, RateFileContent, RateInput, readBaseRate, readEcbXml, readRateCsv } from './rate-files';

/** The ECB fetch runs on one instance at a time, scheduled or asked for. */
export const ECB_FETCH_LOCK = 'fx.ecb';
/** Without a successful fetch for this long the ECB source is stale (a weekend plus Easter is 4 days). */
const STALE_AFTER_MS = 4 * 86_400_000;
/** The 90-day file covers orders this recent; older ones need the full history since 1999. */
const SHORT_HISTORY_DAYS = 85;
const MAX_API_ROWS = 10_000;

/**
 * Exchange rates in, and everything that waited for them converted in the same transaction (SPEC §2):
 * the daily ECB fetch, rate files (through the upload intake) and `POST /api/fx/rates` all go through
 * `storeRates`. Also keeps stored base amounts in step with BUSINESS_TIMEZONE.
 */
@Injectable()
export class FxService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FxService.name);
  /** Retries of the ECB download (429, 5xx, network errors, a body cut short); tests shorten the waits. */
  ecbRetry: HttpRetryOptions = { ...DEFAULT_RETRY, retries: 3 };

  constructor(
    private readonly repository: FxRepository,
    private readonly orders: OrdersRepository,
    private readonly events: DomainEvents,
    private readonly locks: AdvisoryLocks,
    private readonly config: AppConfig,
  ) {}

  /** Before the app listens: base amounts converted in another zone follow the configured one. */
  async onApplicationBootstrap(): Promise<void> {
    await this.followBusinessZone();
  }

  /**
   * Stores rates and, in the same transaction, gives every order and refund that waited for them (or
   * whose rate changed) its base amount; `alsoInTransaction` adds the caller's own bookkeeping (the
   * upload log) to that transaction. Announces `metrics.changed` once committed, when figures moved.
   */
  async storeRates(
    input: RateInput,
    provenance: RateProvenance,
    alsoInTransaction?: (manager: EntityManager, counts: { inserted: number; updated: number }) => Promise<void>,
  ): Promise<FxRatesStoredResponse> {
    const { stored, converted } = await this.repository.transaction(async (manager) => {
      const stored = await this.repository.storeRates(manager, input, provenance);
      const converted = await this.orders.applyRates(manager, stored.changed);
      await alsoInTransaction?.(manager, stored);
      return { stored, converted };
    });
    if (converted.orders + converted.refunds > 0) {
      this.logger.log(
        `rates (${provenance.source}${provenance.origin ? ` ${provenance.origin}` : ''}): ${stored.inserted} new, ${stored.updated} changed; ${converted.orders} orders and ${converted.refunds} refunds converted`,
      );
      this.events.publish('metrics.changed', { reason: 'exchange rates', at: new Date().toISOString() });
    }
    return {
      inserted: stored.inserted,
      updated: stored.updated,
      converted,
      warnings: await this.warnings(),
    };
  }

  /** `POST /api/fx/rates`: every row checked first; one bad row refuses all, naming row and field. */
  async addRates(request: FxRatesRequest, userId: string | null): Promise<FxRatesStoredResponse> {
    const rows = Array.isArray(request?.rates) ? request.rates : null;
    if (!rows || rows.length === 0 || rows.length > MAX_API_ROWS)
      throw new BadRequestException(`rates must be a list of 1 to ${MAX_API_ROWS} { date, currency, rate } rows`);
    const errors: UploadRowError[] = [];
    const rates: BaseRate[] = [];
    const seen = new Map<string, number>();
    rows.forEach((row, index) => {
      const cell = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? value : null);
      const rate = readBaseRate(
        { date: cell(row?.date), currency: cell(row?.currency), rate: cell(row?.rate) },
        this.config.baseCurrency,
        (column, message) => errors.push({ row: index + 1, column, message }),
      );
      if (!rate) return;
      const key = `${rate.currency} ${rate.day}`;
      if (seen.has(key)) errors.push({ row: index + 1, column: null, message: `repeats row ${seen.get(key)}` });
      seen.set(key, index + 1);
      rates.push(rate);
    });
    if (errors.length) {
      throw new BadRequestException({
        message: errors.map((e) => `rates[${e.row}]${e.column ? `.${e.column}` : ''} ${e.message}`).join('; '),
        errors,
      });
    }
    return this.storeRates({ kind: 'base', rates }, { source: 'api', origin: null, userId });
  }

  async rates(query: { currency?: string; from?: string; to?: string }): Promise<FxRatesResponse> {
    return { base: this.config.baseCurrency, rates: await this.repository.rates({ ...query, limit: 1000 }) };
  }

  async status(): Promise<FxStatusResponse> {
    const [fetch, currencies, warnings] = await Promise.all([
      this.fetchState(),
      this.repository.currencies(),
      this.warnings(),
    ]);
    return {
      base: this.config.baseCurrency,
      source: this.config.fxRatesUrl,
      lastFetch: fetch.lastSuccessAt,
      fetch,
      currencies: currencies.map((row) => ({
        currency: row.currency,
        lastRateDate: row.last_day,
        lastRateSource: row.last_source,
        waitingOrders: row.waiting_orders,
        waitingRefunds: row.waiting_refunds,
      })),
      warnings,
    };
  }

  /** What still waits for a rate, of all time: the `warnings` of the fx responses. */
  async warnings(): Promise<AnalyticsWarning[]> {
    return warningsFromRows(await this.repository.waiting(), this.config.baseCurrency);
  }

  /** For the health check and the status endpoint. */
  async fetchState(): Promise<FxFetchState> {
    const url = this.config.fxRatesUrl;
    const row = url ? await this.repository.fetchState() : null;
    const failedLast = !!row?.last_error_at && (!row.last_success_at || row.last_error_at > row.last_success_at);
    const old = !row?.last_success_at || Date.now() - row.last_success_at.getTime() > STALE_AFTER_MS;
    return {
      status: !url ? 'off' : !row ? 'pending' : failedLast || old ? 'stale' : 'ok',
      url,
      lastAttemptAt: row?.last_attempt_at?.toISOString() ?? null,
      lastSuccessAt: row?.last_success_at?.toISOString() ?? null,
      lastError: failedLast ? row!.last_error : null,
    };
  }

  /** `POST /api/fx/refresh`: the ECB fetch now, unless another instance is running it. */
  async refresh(): Promise<FxRefreshResponse> {
    if (!this.config.fxRatesUrl)
      throw new BadRequestException('FX_RATES_URL is off: add rates with a rate file or POST /api/fx/rates');
    const run = await this.locks.runExclusive(ECB_FETCH_LOCK, () => this.fetchEcb());
    const fetch = await this.fetchState();
    if (!run.ran) return { ran: false, inserted: 0, updated: 0, converted: { orders: 0, refunds: 0 }, fetch };
    const { inserted, updated, converted } = run.result ?? {
      inserted: 0,
      updated: 0,
      converted: { orders: 0, refunds: 0 },
    };
    return { ran: true, inserted, updated, converted, fetch };
  }

  /**
   * One ECB fetch: the full or 90-day history the first time (and after days without a fetch), else the
   * daily file. The file lands whole in one transaction with its conversions, or not at all; a failure
   * is recorded (the health check shows the source stale) and the next scheduled run tries again.
   * Resolves to null when the fetch failed.
   */
  async fetchEcb(): Promise<FxRatesStoredResponse | null> {
    const daily = this.config.fxRatesUrl;
    if (!daily) return null;
    const file = await this.ecbFileToFetch(daily);
    try {
      const { text } = await requestText(file.url, { headers: { accept: 'application/xml, text/csv' } }, this.ecbRetry);
      const content = await readEcbText(text, this.config.baseCurrency);
      const problem = content.errors[0];
      if (problem)
        throw new Error(
          `${problem.row ? `line ${problem.row}: ` : ''}${problem.message}${content.errors.length > 1 ? ` (and ${content.errors.length - 1} more)` : ''}`,
        );
      if (content.input.kind !== 'ecb') throw new Error('the answer is not an ECB rates file');
      const quotes = content.input.quotes;
      if (!quotes.length) throw new Error('the ECB file holds no rates');
      if (this.config.baseCurrency !== 'EUR' && !quotes.some((q) => q.currency === this.config.baseCurrency))
        throw new Error(
          `the ECB file has no ${this.config.baseCurrency} rate: no cross rates into ${this.config.baseCurrency}`,
        );
      const historyFrom = file.history ? quotes.reduce((min, q) => (q.day < min ? q.day : min), quotes[0]!.day) : null;
      const result = await this.storeRates(
        content.input,
        { source: 'ecb', origin: file.url, userId: null },
        (manager) => this.repository.recordFetch(manager, { url: daily, error: null, historyFrom }),
      );
      this.logger.log(
        `ECB rates from ${file.url}: ${content.rows} days, ${result.inserted} rates new, ${result.updated} changed`,
      );
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.repository
        .recordFetch(null, { url: daily, error: message })
        .catch((recordError: unknown) => this.logger.error(`ECB fetch state not recorded: ${String(recordError)}`));
      this.logger.warn(`ECB rates not fetched from ${file.url}: ${message}; the next scheduled run tries again`);
      return null;
    }
  }

  /** The history files sit beside the daily one, in the same format (`eurofxref-hist-90d.xml`, `eurofxref-hist.xml`). */
  private async ecbFileToFetch(daily: string): Promise<{ url: string; history: boolean }> {
    const [state, oldestOrder] = await Promise.all([
      this.repository.fetchState(),
      this.repository.oldestForeignOrder(),
    ]);
    const extension = /\.csv$/i.test(new URL(daily).pathname) ? 'csv' : 'xml';
    // Days without a successful fetch (a long outage) are caught up from the 90-day file.
    const behind = !state?.last_success_at || Date.now() - state.last_success_at.getTime() > STALE_AFTER_MS;
    if (state?.history_from && !behind) return { url: daily, history: false };
    const longAgo = oldestOrder && Date.now() - oldestOrder.getTime() > SHORT_HISTORY_DAYS * 86_400_000;
    const name = !state?.history_from && longAgo ? 'eurofxref-hist' : 'eurofxref-hist-90d';
    return { url: new URL(`${name}.${extension}`, daily).toString(), history: true };
  }

  /**
   * Base amounts are converted at the rate of the business day; when BUSINESS_TIMEZONE changes (or on the
   * first start with this rule), every converted amount is recomputed in one transaction.
   */
  async followBusinessZone(): Promise<void> {
    const zone = this.config.businessTimezone;
    const outcome = await this.repository.transaction(async (manager) => {
      const stored = await this.repository.lockRateZone(manager);
      if (stored === zone) return null;
      const converted = await this.orders.applyRates(manager, 'all');
      await this.repository.storeRateZone(manager, zone);
      return { stored, converted };
    });
    if (!outcome) return;
    const { stored, converted } = outcome;
    this.logger.log(
      `${stored ? `BUSINESS_TIMEZONE changed from ${stored} to ${zone}` : `base amounts checked in ${zone}`}: ` +
        `${converted.orders} orders and ${converted.refunds} refunds recomputed at the rate of their business day`,
    );
    if (converted.orders + converted.refunds > 0)
      this.events.publish('metrics.changed', { reason: 'business time zone', at: new Date().toISOString() });
  }
}

/** An ECB answer: XML, or the CSV of the zipped files. */
function readEcbText(text: string, base: string): Promise<RateFileContent> {
  if (/^\s*</.test(text)) return Promise.resolve(readEcbXml(text));
  const head = Buffer.from(text.slice(0, 4096));
  const delimiter = sniffDelimiter(head);
  return readRateCsv(csvRows(Readable.from([text]), delimiter), base, assumedDecimalMark(delimiter));
}
