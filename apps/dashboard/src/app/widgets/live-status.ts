import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MoneyPipe, UnlessPresentingPipe } from '../core/format';
import { ALERT_KIND_NAMES } from '../core/alerts-api.service';
import { OrderToastsService } from '../core/order-toasts.service';
import { SocketService } from '../core/socket.service';
import { PLATFORM_NAMES } from './platforms-card';
import { countryName } from './top-countries';

/** New orders (amount, currency, country and platform) and fired alerts, top right, each for 5 s. */
@Component({
  selector: 'mt-order-toasts',
  imports: [MoneyPipe, UnlessPresentingPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="toasts" aria-live="polite" role="status">
      @for (toast of toasts.toasts(); track toast.id) {
        <div class="toast" [attr.data-testid]="toast.kind + '-toast'">
          @if (toast.kind === 'order') {
            <div>
              <strong>New order</strong>
              <span class="amount" data-testid="toast-amount">{{
                toast.order.amount | money: toast.order.currency
              }}</span>
              <div class="muted">{{ names[toast.order.platform] }} · {{ country(toast.order.country) }}</div>
            </div>
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
    .toast .muted {
      color: inherit;
      opacity: 0.8;
    }
    .toast .link-button {
      color: inherit;
    }
  `,
})
export class OrderToasts {
  protected readonly toasts = inject(OrderToastsService);
  protected readonly names = PLATFORM_NAMES;
  protected readonly kindNames = ALERT_KIND_NAMES;
  protected readonly country = countryName;
}

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
      background: #2e9d5b;
    }
    .dot-reconnecting,
    .dot-connecting {
      background: #e0a100;
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
