import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type {
  AlertCheckResponse,
  AlertEvent,
  AlertEventsResponse,
  AlertKind,
  AlertRule,
  AlertRuleRequest,
  DigestDay,
  DigestFigures,
} from '@mt/contracts';
import {
  addDays,
  localDate,
  previousRange,
  startOfIsoWeek,
  startOfLocalDay,
  TimeWindow,
  todaySoFar,
  toLocal,
  toZonedIso,
  weekSoFar,
  yesterdayFullDay,
} from '@mt/periods';
import { AppConfig } from '../config/app-config';
import { AdvisoryLocks } from '../database/advisory-lock';
import { DomainEvents } from '../realtime/domain-events';
import { SalesRepository, WindowFigures } from '../sales/sales.repository';
import { SpotifyService } from '../spotify/spotify.service';
import { AlertMailer } from './alert-mailer';
import {
  AlertMessage,
  bestDayMessage,
  dayRevenueMessage,
  digestMessage,
  silenceMessage,
  weekOrdersMessage,
} from './alert-messages';
import { AlertRuleEntity } from './alert-rule.entity';
import { AlertEventRow, AlertRuleFields, AlertsRepository } from './alerts.repository';

/** The job (and lock) name of the checks: the minute job and POST /api/alerts/check take turns on it. */
export const ALERT_CHECKS = 'alerts.check';
const DIGEST_COUNTRIES = 5;

interface Firing extends AlertMessage {
  periodKey: string;
}

/** Figures shared by the rules of one run, each computed at most once. */
class RunFigures {
  private cache = new Map<string, Promise<unknown>>();
  once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key) as Promise<T>;
  }
}

/**
 * Alert rules, their checks and their delivery. Checks run every minute on one instance at a time
 * (advisory lock); the unique (rule, period) row decides whether an alert is new, so a period fires once.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger(AlertsService.name);
  /** The best day before a given day only changes at midnight: computed once per day, not per minute. */
  private bestBefore: { today: string; best: { date: string; revenue: number } | null } | null = null;

  constructor(
    private readonly repository: AlertsRepository,
    private readonly sales: SalesRepository,
    private readonly spotify: SpotifyService,
    private readonly mailer: AlertMailer,
    private readonly config: AppConfig,
    private readonly locks: AdvisoryLocks,
    private readonly domainEvents: DomainEvents,
  ) {}

  private get zone(): string {
    return this.config.businessTimezone;
  }

  async listRules(): Promise<AlertRule[]> {
    return (await this.repository.listRules()).map(mapRule);
  }

  async getRule(id: number): Promise<AlertRule> {
    const rule = await this.repository.findRule(id);
    if (!rule) throw new NotFoundException(`alert rule ${id} does not exist`);
    return mapRule(rule);
  }

  async createRule(request: AlertRuleRequest): Promise<AlertRule> {
    return mapRule(await this.repository.createRule(this.ruleFields(request)));
  }

  async updateRule(id: number, request: AlertRuleRequest): Promise<AlertRule> {
    const rule = await this.repository.updateRule(id, this.ruleFields(request));
    if (!rule) throw new NotFoundException(`alert rule ${id} does not exist`);
    return mapRule(rule);
  }

  async deleteRule(id: number): Promise<void> {
    if (!(await this.repository.deleteRule(id))) throw new NotFoundException(`alert rule ${id} does not exist`);
  }

  async events(limit: number): Promise<AlertEventsResponse> {
    return { events: (await this.repository.events(limit)).map((row) => this.mapEvent(row)) };
  }

  /** POST /api/alerts/check: the checks at `now`, or 409 while they are running (the minute job, another request). */
  async checkNow(now: Date): Promise<AlertCheckResponse> {
    const run = await this.locks.runExclusive(ALERT_CHECKS, () => this.runChecks(now));
    if (!run.ran) throw new ConflictException('the alert checks are running already; try again in a minute');
    return run.result;
  }

  /**
   * Evaluates every enabled rule at `now`, records what fires, sends what is unsent, and returns what this
   * run fired. The caller holds the ALERT_CHECKS lock (`checkNow`, or `AlertsJob` through ScheduledJobs).
   */
  async runChecks(now: Date): Promise<AlertCheckResponse> {
    const fired: string[] = [];
    const figures = new RunFigures();
    for (const rule of await this.repository.enabledRules()) {
      try {
        const firing = await this.evaluate(rule, now, figures);
        if (!firing) continue;
        const id = await this.repository.claim(rule.id, firing.periodKey, firing.subject, firing.body, now);
        if (id) fired.push(id);
      } catch (error) {
        this.logger.error(`alert rule ${rule.id} (${rule.kind}) not checked: ${message(error)}`);
      }
    }
    await this.deliverPending(now);
    const events = fired.length ? await this.repository.events(fired.length, fired) : [];
    const firedEvents = events.map((row) => this.mapEvent(row)).reverse();
    // Each claim committed on its own and only this run made it, so every alert is announced once.
    for (const event of firedEvents) {
      const { id, kind, ruleName, subject, firedAt } = event;
      this.domainEvents.publish('alert.fired', { id, kind, ruleName, subject, firedAt });
    }
    return { asOf: toZonedIso(now, this.zone), fired: firedEvents };
  }

  /** Yesterday (relative to `now`) against the day before and the same weekday a week earlier. */
  async digest(now: Date): Promise<DigestFigures> {
    const zone = this.zone;
    const yesterday = yesterdayFullDay(now, zone);
    const day = localDate(yesterday.from, zone);
    const dayBefore = previousRange(yesterday, zone);
    const lastWeek = dayWindow(addDays(day, -7), zone);
    const [figures, countries] = await Promise.all([
      this.sales.windows([
        { ...yesterday, previous: 1 },
        { ...dayBefore, previous: null },
        { ...yesterday, previous: 3 },
        { ...lastWeek, previous: null },
      ]),
      this.sales.countries(yesterday, 'orders', DIGEST_COUNTRIES),
    ]);
    const [vsDayBefore, before, vsLastWeek, lastWeekFigures] = figures as [
      WindowFigures,
      WindowFigures,
      WindowFigures,
      WindowFigures,
    ];
    const weekStart = addDays(startOfIsoWeek(localDate(now, zone)), -7);
    const [minutes, previousMinutes] = await Promise.all([
      this.spotify.weekMinutes(weekStart),
      this.spotify.weekMinutes(addDays(weekStart, -7)),
    ]);
    return {
      timezone: zone,
      currency: this.config.baseCurrency,
      day: digestDay(day, vsDayBefore),
      dayBefore: digestDay(addDays(day, -1), before),
      sameWeekdayLastWeek: digestDay(addDays(day, -7), lastWeekFigures),
      vsDayBefore: change(vsDayBefore),
      vsSameWeekdayLastWeek: change(vsLastWeek),
      topCountries: countries.map((c) => ({ country: c.key, orders: c.orders, revenue: c.revenue })),
      spotify: {
        weekStart,
        minutes,
        previousWeekMinutes: previousMinutes,
        change:
          previousMinutes === 0 ? null : Math.round(((minutes - previousMinutes) * 10_000) / previousMinutes) / 100,
      },
    };
  }

  private async evaluate(rule: AlertRuleEntity, now: Date, run: RunFigures): Promise<Firing | null> {
    const zone = this.zone;
    const currency = this.config.baseCurrency;
    const today = localDate(now, zone);
    const todayFigures = () =>
      run.once('today', async () => (await this.sales.windows([{ ...todaySoFar(now, zone), previous: null }]))[0]!);
    switch (rule.kind) {
      case 'day_revenue': {
        if (await this.repository.hasFired(rule.id, today)) return null;
        const figures = await todayFigures();
        const threshold = Number(rule.threshold);
        if (toCents(figures.revenue) < toCents(threshold)) return null;
        return {
          periodKey: today,
          ...dayRevenueMessage({
            date: today,
            zone,
            currency,
            revenue: figures.revenue,
            orders: figures.orders,
            threshold,
            asOf: now,
          }),
        };
      }
      case 'week_orders': {
        const weekStart = startOfIsoWeek(today);
        if (await this.repository.hasFired(rule.id, weekStart)) return null;
        const figures = await run.once(
          'week',
          async () => (await this.sales.windows([{ ...weekSoFar(now, zone), previous: null }]))[0]!,
        );
        const threshold = Number(rule.threshold);
        if (figures.orders < threshold) return null;
        return {
          periodKey: weekStart,
          ...weekOrdersMessage({
            weekStart,
            zone,
            currency,
            orders: figures.orders,
            revenue: figures.revenue,
            threshold,
            asOf: now,
          }),
        };
      }
      case 'best_day': {
        if (await this.repository.hasFired(rule.id, today)) return null;
        const figures = await todayFigures();
        const best = await this.bestDayBefore(today);
        if (!best || toCents(figures.revenue) <= toCents(best.revenue)) return null;
        return {
          periodKey: today,
          ...bestDayMessage({
            date: today,
            zone,
            currency,
            revenue: figures.revenue,
            orders: figures.orders,
            previousBest: best.revenue,
            previousBestDate: best.date,
            asOf: now,
          }),
        };
      }
      case 'silence': {
        if (!withinHours(minuteOfDay(now, zone), parseTime(rule.activeFrom!), parseTime(rule.activeTo!))) return null;
        const last = await run.once('lastOrder', () => this.sales.lastOrderAt(now));
        // A shop that never had an order is new, not silent.
        if (!last || now.getTime() - last.getTime() < rule.hours! * 3_600_000) return null;
        // One alert per quiet spell: the spell is named by the order it follows.
        return {
          periodKey: last.toISOString(),
          ...silenceMessage({ zone, hours: rule.hours!, lastOrderAt: last, asOf: now }),
        };
      }
      case 'daily_digest': {
        if (minuteOfDay(now, zone) < parseTime(rule.sendAt!)) return null;
        const day = addDays(today, -1);
        if (await this.repository.hasFired(rule.id, day)) return null;
        return { periodKey: day, ...digestMessage(await run.once('digest', () => this.digest(now))) };
      }
    }
  }

  /** The day with the highest revenue before `today`, or null when there was none with revenue. */
  private async bestDayBefore(today: string): Promise<{ date: string; revenue: number } | null> {
    if (this.bestBefore?.today !== today) {
      const first = await this.sales.firstOrderAt();
      let best: { date: string; revenue: number } | null = null;
      const firstDay = first && localDate(first, this.zone);
      if (firstDay && firstDay < today) {
        const days = await this.sales.series('day', firstDay, addDays(today, -1), startOfLocalDay(today, this.zone));
        for (const day of days) {
          if (day.revenue > 0 && (!best || toCents(day.revenue) > toCents(best.revenue)))
            best = { date: day.label!, revenue: day.revenue };
        }
      }
      this.bestBefore = { today, best };
    }
    return this.bestBefore.best;
  }

  private async deliverPending(now: Date): Promise<void> {
    for (const event of await this.repository.undelivered(now)) {
      const result = await this.mailer.send({
        id: event.id,
        firedAt: event.firedAt,
        subject: event.subject,
        text: event.body,
      });
      await this.repository.markDelivery(event.id, result.delivery, result.error);
      if (result.delivery === 'failed') this.logger.warn(`alert ${event.id} not sent: ${result.error}`);
    }
  }

  private ruleFields(request: AlertRuleRequest): AlertRuleFields {
    const kind = request.kind;
    const required = <T>(field: keyof AlertRuleRequest, value: T | null | undefined): T => {
      if (value === null || value === undefined)
        throw new BadRequestException([`${field} is required for ${kind} rules`]);
      return value;
    };
    let threshold: string | null = null;
    if (kind === 'day_revenue') threshold = required('threshold', request.threshold).toFixed(2);
    if (kind === 'week_orders') {
      const orders = required('threshold', request.threshold);
      if (!Number.isInteger(orders))
        throw new BadRequestException(['threshold must be a whole number of orders for week_orders rules']);
      threshold = String(orders);
    }
    const silence = kind === 'silence';
    const fields: AlertRuleFields = {
      kind,
      name: request.name?.trim() || '',
      enabled: request.enabled ?? true,
      threshold,
      hours: silence ? required('hours', request.hours) : null,
      activeFrom: silence ? required('activeFrom', request.activeFrom) : null,
      activeTo: silence ? required('activeTo', request.activeTo) : null,
      sendAt: kind === 'daily_digest' ? required('sendAt', request.sendAt) : null,
    };
    return { ...fields, name: fields.name || this.defaultName(fields) };
  }

  private defaultName(rule: AlertRuleFields): string {
    const names: Record<AlertKind, () => string> = {
      day_revenue: () => `Day revenue reaches ${rule.threshold} ${this.config.baseCurrency}`,
      week_orders: () => `${rule.threshold} orders in a week`,
      best_day: () => 'Best day ever',
      silence: () => `No order for ${rule.hours} hours (${rule.activeFrom}–${rule.activeTo})`,
      daily_digest: () => `Daily digest at ${rule.sendAt}`,
    };
    return names[rule.kind]();
  }

  private mapEvent(row: AlertEventRow): AlertEvent {
    return {
      id: Number(row.id),
      ruleId: Number(row.ruleId),
      kind: row.kind,
      ruleName: row.ruleName,
      periodKey: row.periodKey,
      firedAt: toZonedIso(row.firedAt, this.zone),
      subject: row.subject,
      body: row.body,
      delivery: row.delivery,
      deliveryError: row.deliveryError,
    };
  }
}

export function mapRule(rule: AlertRuleEntity): AlertRule {
  return {
    id: Number(rule.id),
    kind: rule.kind,
    name: rule.name,
    enabled: rule.enabled,
    threshold: rule.threshold === null ? null : Number(rule.threshold),
    hours: rule.hours,
    activeFrom: hhmm(rule.activeFrom),
    activeTo: hhmm(rule.activeTo),
    sendAt: hhmm(rule.sendAt),
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

function hhmm(time: string | null): string | null {
  return time === null ? null : time.slice(0, 5);
}

/** `HH:MM[:SS]` → minutes after midnight. */
export function parseTime(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

function minuteOfDay(now: Date, zone: string): number {
  const local = toLocal(now, zone);
  return local.hour * 60 + local.minute;
}

/** [from, to) on the clock; wraps midnight when from > to; from = to means all day. */
export function withinHours(minute: number, from: number, to: number): boolean {
  if (from === to) return true;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

function dayWindow(date: string, zone: string): TimeWindow {
  return { from: startOfLocalDay(date, zone), to: startOfLocalDay(addDays(date, 1), zone) };
}

function digestDay(date: string, figures: WindowFigures): DigestDay {
  return { date, orders: figures.orders, revenue: figures.revenue, aov: figures.aov };
}

function change(figures: WindowFigures): DigestFigures['vsDayBefore'] {
  return { orders: figures.ordersChange, revenue: figures.revenueChange, aov: figures.aovChange };
}

/** Money compared in whole cents: the figures are already rounded to cents, so this is exact. */
function toCents(amount: number): number {
  return Math.round(amount * 100);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
