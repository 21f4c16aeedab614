import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { AlertFiredEvent, OrderEvent, PushPreferences } from '@mt/contracts';
import { Subscription } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../realtime/domain-events';
import { TitlesService } from '../titles/titles.service';
import { alertTag, alertTitle, inQuietHours, ORDERS_TAG, ordersTitle, pushMessage } from './push-messages';
import { PushSender, PushTarget } from './push-sender';
import { PushRepository, SubscriptionRow } from './push.repository';

/** The sender, or null when Web Push is off. */
export const PUSH_SENDER = Symbol('PushSender');

/**
 * An order that arrives this long after it was placed (an uploaded export, a late poll) is not news:
 * it counts in the figures but rings nowhere.
 */
export const RING_MAX_AGE_MS = 2 * 3600_000;

/**
 * Rings the devices (SPEC §6): new orders and fired alerts, as the dashboard's toasts say them. Off the
 * path that stored them: events are gathered and sent after the publishing code has moved on, so a
 * webhook is never answered later for it. Orders announced together (an import, a poller page) and
 * orders within a minute of each other fold into one notification per device.
 */
@Injectable()
export class PushNotifier implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PushNotifier.name);
  private subscription: Subscription | null = null;
  private gathered: OrderEvent[] = [];
  private flushScheduled = false;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly events: DomainEvents,
    private readonly repository: PushRepository,
    @Inject(PUSH_SENDER) private readonly sender: PushSender | null,
    private readonly config: AppConfig,
    // Only to link an order's one title to its page: the catalogue is the titles module's.
    @Inject(TitlesService) private readonly titles: Pick<TitlesService, 'titleNamed'>,
  ) {}

  onModuleInit(): void {
    if (!this.sender) return;
    this.subscription = this.events.events$.subscribe((event) => {
      if (event.name === 'order.created') this.gather(event.payload as OrderEvent);
      else if (event.name === 'alert.fired') this.track(this.notifyAlert(event.payload as AlertFiredEvent, new Date()));
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.idle();
  }

  /** Resolves once every notification begun so far was sent (or given up on). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.flushScheduled) await Promise.all([...this.running, tick()]);
  }

  /** New orders at `at`, to every device they ring on. */
  async notifyOrders(orders: OrderEvent[], at: Date): Promise<void> {
    if (!this.sender) return;
    const news = orders.filter((order) => at.getTime() - Date.parse(order.createdAt) <= RING_MAX_AGE_MS);
    if (news.length === 0) return;
    const devices = await this.repository.forOrders();
    let titleUrl: Promise<string> | null = null;
    await Promise.all(
      devices.map(async (device) => {
        const ringing = news.filter((order) => this.rings(device.preferences, order));
        if (ringing.length === 0) return;
        const { total, currency } = sum(ringing);
        const fold = await this.repository.fold(device.id, at, ringing.length, total, currency);
        if (!fold) return; // the device was removed meanwhile
        const first = ringing[0]!;
        const url = fold.orders === 1 ? await (titleUrl ??= this.orderUrl(first)) : '/';
        const title = ordersTitle(first, fold, device.preferences.hideAmounts);
        await this.send(device, title, ORDERS_TAG, url, at);
      }),
    );
  }

  /** A fired alert (the daily digest is one too), to the devices that chose it. */
  async notifyAlert(alert: AlertFiredEvent, at: Date): Promise<void> {
    if (!this.sender) return;
    const devices = await this.repository.forAlerts(alert.kind === 'daily_digest');
    await Promise.all(
      devices.map((device) =>
        this.send(device, alertTitle(alert, device.preferences.hideAmounts), alertTag(alert), '/', at),
      ),
    );
  }

  private gather(order: OrderEvent): void {
    this.gathered.push(order);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // The orders of one transaction are published in one go: they leave together, as one notification.
    setImmediate(() => {
      this.flushScheduled = false;
      const orders = this.gathered;
      this.gathered = [];
      this.track(this.notifyOrders(orders, new Date()));
    });
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) =>
        this.logger.error(`notifications not sent: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /**
   * Every order, or those of at least the device's amount. That amount is in the base currency; an
   * order in another one rings, since the event carries no converted amount to compare.
   */
  private rings(preferences: PushPreferences, order: OrderEvent): boolean {
    if (preferences.everyOrder) return true;
    if (preferences.ordersOver === null) return false;
    return order.currency !== this.config.baseCurrency || cents(order.amount) >= cents(preferences.ordersOver);
  }

  /** The title's page when the order has exactly one title and the catalogue knows it by that name. */
  private async orderUrl(order: OrderEvent): Promise<string> {
    if (order.titles.length !== 1) return '/';
    const id = await this.titles.titleNamed(order.titles[0]!);
    return id === null ? '/' : `/titles/${id}`;
  }

  private async send(device: SubscriptionRow, title: string, tag: string, url: string, at: Date): Promise<void> {
    const silent = inQuietHours(device.preferences.quietHours, at);
    const target: PushTarget = device;
    const outcome = await this.sender!.send(target, pushMessage(title, tag, url, { silent, at }), tag);
    if (outcome === 'gone') {
      await this.repository.forget(device.endpoint);
      this.logger.log(`push subscription ${device.id} removed: its push service no longer knows it`);
    }
  }
}

/** Amounts are rounded to cents: as whole cents their sum is exact. */
function cents(amount: number): number {
  return Math.round(amount * 100);
}

/** The orders' total as a decimal string, and their currency (null when they are in several). */
function sum(orders: OrderEvent[]): { total: string; currency: string | null } {
  const currency = orders.every((order) => order.currency === orders[0]!.currency) ? orders[0]!.currency : null;
  const total = orders.reduce((all, order) => all + cents(order.amount), 0);
  return { total: (total / 100).toFixed(2), currency };
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
