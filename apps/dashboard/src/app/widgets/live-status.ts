import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { type MessageFormats, type OrderEvent, orderMessageParts } from '@mt/contracts';
import { BusinessClock } from '../core/business-clock';
import { Connectivity } from '../core/connectivity.service';
import { MASKED_AMOUNT, UnlessPresentingPipe, clockTime, countryName, formatMoney } from '../core/format';
import { ALERT_KIND_NAMES } from '../core/alerts-api.service';
import { LiveOrderEvent, OrderToastsService } from '../core/order-toasts.service';
import { SocketService } from '../core/socket.service';

/** New orders (amount, currency, country and platform) and fired alerts, top right, each for 5 s. */
@Component({
  selector: 'mt-order-toasts',
  imports: [UnlessPresentingPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="toasts" aria-live="polite" role="status">
      @for (toast of toasts.toasts(); track toast.id) {
        <div class="toast" [attr.data-testid]="toast.kind + '-toast'">
          @if (toast.kind === 'order') {
            @let order = live(toast.order);
            <p class="toast-text" data-testid="toast-text">
              @for (part of parts(order); track part.kind) {
                @if (!$first) {
                  ·
                }
                @switch (part.kind) {
                  @case ('heading') {
                    <strong>{{ part.text }}</strong>
                  }
                  @case ('amount') {
                    <span class="amount" data-testid="toast-amount">{{ part.text | unlessPresenting: masked }}</span>
                  }
                  @default {
                    <span [attr.data-testid]="'toast-' + part.kind">{{ part.text }}</span>
                  }
                }
              }
            </p>
          } @else {
            <div>
              <strong>Alert</strong>
              <!-- Subjects carry amounts: presenter mode names only the kind of alert. -->
              <div data-testid="toast-alert">
                {{ toast.alert.subject | unlessPresenting: kindNames[toast.alert.kind] }}
              </div>
            </div>
          }
          <button
            type="button"
            class="link-button"
            (click)="toasts.dismiss(toast.id)"
            aria-label="Dismiss notification"
          >
            ✕
          </button>
        </div>
      }
    </div>
  `,
  styles: `
    .toasts {
      position: fixed;
      top: 72px;
      right: 12px;
      z-index: 1000;
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-width: min(360px, calc(100vw - 24px));
      pointer-events: none;
    }
    .toast {
      pointer-events: auto;
      display: flex;
      gap: 12px;
      justify-content: space-between;
      align-items: flex-start;
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-inverse-surface);
      color: var(--mat-sys-inverse-on-surface);
      box-shadow: 0 4px 16px rgba(0, 0, 0, 0.35);
    }
    .toast-text {
      margin: 0;
    }
    .toast .link-button {
      color: inherit;
    }
  `,
})
export class OrderToasts {
  protected readonly toasts = inject(OrderToastsService);
  protected readonly kindNames = ALERT_KIND_NAMES;
  protected readonly masked = MASKED_AMOUNT;
  protected readonly live = (order: OrderEvent) => order as LiveOrderEvent;
  /** The words of the phone's notification too (libs/contracts order-messages.ts), in this browser's locale. */
  protected readonly parts = (order: LiveOrderEvent) =>
    orderMessageParts({ ...order, titles: order.titles ?? [] }, BROWSER_FORMATS);
}

const BROWSER_FORMATS: MessageFormats = {
  money: (amount, currency) => formatMoney(amount, currency),
  country: countryName,
};

/** A dot and a word: live, connecting, reconnecting. */
@Component({
  selector: 'mt-connection-indicator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'status', '[attr.data-status]': 'socket.status()', '[attr.title]': 'text()' },
  template: `<span class="dot" [class]="'dot dot-' + socket.status()" aria-hidden="true"></span
    ><span class="status-text">{{ text() }}</span>`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 0.85rem;
    }
    .dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: var(--mat-sys-outline);
    }
    .dot-connected {
      background: var(--mt-rise);
    }
    .dot-connecting {
      background: var(--mat-sys-outline);
    }
    .dot-reconnecting {
      background: var(--mt-fall);
    }
    @media (max-width: 480px) {
      .status-text {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
      }
    }
  `,
})
export class ConnectionIndicator {
  protected readonly socket = inject(SocketService);
  protected readonly text = computed(
    () =>
      ({ idle: 'Offline', connecting: 'Connecting…', connected: 'Live', reconnecting: 'Reconnecting…' })[
        this.socket.status()
      ],
  );
}

/**
 * The one sign of being cut off: "offline — figures as of 14:32" under the toolbar, in place of an error
 * on every card; the figures stay as they were until the connection is back.
 */
@Component({
  selector: 'mt-offline-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'status' },
  template: `
    @if (connectivity.offline()) {
      <div class="offline-bar" data-testid="offline-bar"><span class="dot" aria-hidden="true"></span>{{ text() }}</div>
    }
  `,
  styles: `
    :host {
      display: block;
      position: sticky;
      top: 64px;
      z-index: 9;
    }
    .offline-bar {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 8px;
      padding: 8px 16px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      font-weight: 500;
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: currentColor;
    }
    @media (max-width: 599.98px) {
      :host {
        top: 56px;
      }
    }
  `,
})
export class OfflineBar {
  protected readonly connectivity = inject(Connectivity);
  private readonly clock = inject(BusinessClock);
  protected readonly text = computed(() => {
    const asOf = this.connectivity.figuresAsOf();
    if (!asOf) return 'offline — reconnecting…';
    return `offline — figures as of ${clockTime(asOf, this.clock.zone() ?? 'UTC')}`;
  });
}
