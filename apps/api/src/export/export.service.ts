import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { addDays, customRange, daysBetween, isLocalDate, localDate, TimeWindow } from '@mt/periods';
import { AppConfig } from '../config/app-config';
import { ORDER_COLUMNS, OrderRowsRepository } from '../sales/order-rows.repository';
import { LINE_COLUMNS, LineRowsRepository } from '../titles/line-rows.repository';
import { SalesRepository } from '../sales/sales.repository';
import { ExportFormat, ExportQuery } from './export.dto';
import { ExportSlots } from './export-slots';
import { ClientGoneError, Column, CsvWriter, csvLinesSql, TableWriter, XlsxWriter } from './table-writers';

const DAILY_COLUMNS: Column[] = [
  { name: 'date', kind: 'text' },
  { name: 'timezone', kind: 'text' },
  { name: 'currency', kind: 'text' },
  { name: 'orders', kind: 'number' },
  { name: 'revenue', kind: 'number' },
  { name: 'aov', kind: 'number' },
];

/** Ten years of days: more is a typo, not a report. */
const MAX_DAILY_DAYS = 3660;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Orders and daily figures of any range as CSV or XLSX, streamed to the response as they are read. */
@Injectable()
export class ExportService {
  private readonly logger = new Logger(ExportService.name);

  constructor(
    private readonly orderRows: OrderRowsRepository,
    private readonly lineRows: LineRowsRepository,
    private readonly sales: SalesRepository,
    private readonly config: AppConfig,
    private readonly slots: ExportSlots,
  ) {}

  /** `userId`: who asks, for the per-user limit of ExportSlots (429 when full). */
  async orders(query: ExportQuery, res: Response, userId: string): Promise<void> {
    const window = this.window(query);
    const release = this.slots.take(userId);
    try {
      const writer = this.start(res, query.format, 'orders', window, ORDER_COLUMNS);
      const zone = this.config.businessTimezone;
      const currency = this.config.baseCurrency;
      // CSV lines are written by PostgreSQL and passed through: a million orders never become 18 million cells.
      await this.finish(res, writer, () =>
        writer instanceof CsvWriter
          ? this.orderRows.streamOrderLines(
              window,
              zone,
              currency,
              (select) => csvLinesSql(select, ORDER_COLUMNS),
              (lines) => writer.writeLines(lines),
            )
          : this.orderRows.streamOrders(window, zone, currency, (rows) => writer.write(rows)),
      );
    } finally {
      release();
    }
  }

  /** Every line of the orders of the range, with its title and its share of the order's revenue. */
  async lines(query: ExportQuery, res: Response, userId: string): Promise<void> {
    const window = this.window(query);
    const release = this.slots.take(userId);
    try {
      const writer = this.start(res, query.format, 'lines', window, LINE_COLUMNS);
      await this.finish(res, writer, () =>
        this.lineRows.streamLines(window, this.config.businessTimezone, this.config.baseCurrency, (rows) =>
          writer.write(rows),
        ),
      );
    } finally {
      release();
    }
  }

  /**
   * Orders, revenue and AOV per calendar day of the business zone, as the dashboard counts them. One
   * short query, read before the response starts: it holds no connection while the client reads.
   */
  async daily(query: ExportQuery, res: Response): Promise<void> {
    for (const name of ['from', 'to'] as const) {
      if (!isLocalDate(query[name]))
        throw new BadRequestException([`${name} must be a date (YYYY-MM-DD) for the daily export`]);
    }
    const window = this.window(query);
    if (daysBetween(query.from, query.to) >= MAX_DAILY_DAYS)
      throw new BadRequestException([`to must be less than ${MAX_DAILY_DAYS} days after from`]);
    const days = await this.sales.series('day', query.from, query.to, window.to);
    const zone = this.config.businessTimezone;
    const currency = this.config.baseCurrency;
    const writer = this.start(res, query.format, 'daily', window, DAILY_COLUMNS);
    await this.finish(res, writer, () =>
      writer.write(
        days.map((d) => [
          d.label,
          zone,
          currency,
          String(d.orders),
          d.revenue.toFixed(2),
          d.aov === null ? null : d.aov.toFixed(2),
        ]),
      ),
    );
  }

  private window(query: ExportQuery): TimeWindow {
    const zone = this.config.businessTimezone;
    const bound = (name: 'from' | 'to'): TimeWindow => {
      try {
        return customRange(query[name], query[name], zone);
      } catch {
        throw new BadRequestException([`${name} must be a real date (YYYY-MM-DD) or an ISO 8601 instant with offset`]);
      }
    };
    if (bound('from').from.getTime() > bound('to').from.getTime())
      throw new BadRequestException(['from must not be after to']);
    return customRange(query.from, query.to, zone);
  }

  private start(res: Response, format: ExportFormat, name: string, window: TimeWindow, columns: Column[]): TableWriter {
    const zone = this.config.businessTimezone;
    // The file is named by the local days it covers; `to` is exclusive, so the last day is the one before.
    const last = isMidnight(window.to, zone) ? addDays(localDate(window.to, zone), -1) : localDate(window.to, zone);
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name}-${localDate(window.from, zone)}-to-${last}.${format}"`,
    );
    res.setHeader('Cache-Control', 'no-store');
    return format === 'csv' ? new CsvWriter(res, columns) : new XlsxWriter(res, columns, name);
  }

  private async finish(res: Response, writer: TableWriter, produce: () => Promise<unknown>): Promise<void> {
    try {
      await produce();
      await writer.end();
    } catch (error) {
      // The status line is gone already: all we can do is cut the download short so it is not taken as whole.
      if (!(error instanceof ClientGoneError))
        this.logger.error(`export failed: ${error instanceof Error ? error.message : String(error)}`);
      res.destroy();
    }
  }
}

function isMidnight(instant: Date, zone: string): boolean {
  return customRange(localDate(instant, zone), localDate(instant, zone), zone).from.getTime() === instant.getTime();
}
