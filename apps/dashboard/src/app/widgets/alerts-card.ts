import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { AlertDelivery, AlertEvent } from '@mt/contracts';
import { ALERT_KIND_NAMES, AlertsApi } from '../core/alerts-api.service';
import { UnlessPresentingPipe, shortDate } from '../core/format';
import { liveData } from '../core/live-data';
import { ErrorBanner, Skeleton } from './ui';

/** How many fired alerts the card lists. */
export const ALERTS_SHOWN = 5;

/** The e-mail's fate, as the chip says it. */
export const DELIVERY_NAMES: Record<AlertDelivery, string> = {
  pending: 'pending',
  sent: 'sent',
  failed: 'failed',
  not_configured: 'not configured',
};

/**
 * "26 Nov 09:45" of an instant the API wrote in the business zone (`…T09:45:00+01:00`): its own wall
 * clock is the business zone's, so it is read as written rather than converted to the browser's zone.
 */
export function businessDateTime(iso: string): string {
  return `${shortDate(iso.slice(0, 10))} ${iso.slice(11, 16)}`;
}

/** The latest alerts the rules fired (milestones, silence, digests) and whether their e-mail went out. */
@Component({
  selector: 'mt-alerts-card',
  imports: [MatCardModule, UnlessPresentingPipe, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="alerts-card">
      <mat-card-header><mat-card-title>Alerts</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          <ul class="alert-list">
            @for (alert of d.events; track alert.id) {
              <li data-testid="alert-item" [attr.data-kind]="alert.kind">
                <!-- Subjects and rule names carry amounts: presenter mode names only the kind of alert. -->
                <span
                  class="alert-subject"
                  data-testid="alert-subject"
                  [attr.title]="alert.ruleName | unlessPresenting: null"
                  >{{ alert.subject | unlessPresenting: kindNames[alert.kind] }}</span
                >
                <span class="muted" data-testid="alert-time">{{ when(alert.firedAt) }}</span>
                <!-- A mail server's refusal may quote the subject. -->
                <span
                  [class]="'chip chip-' + alert.delivery"
                  data-testid="alert-delivery"
                  [attr.title]="deliveryDetail(alert) | unlessPresenting: 'E-mail ' + deliveryNames[alert.delivery]"
                  >{{ deliveryNames[alert.delivery] }}</span
                >
              </li>
            } @empty {
              <li class="empty-state" data-testid="alerts-empty">No alerts yet</li>
            }
          </ul>
        } @else if (data.loading()) {
          <mt-skeleton [lines]="3" label="alerts" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .alert-list {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .alert-list li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      padding: 6px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .alert-list li:last-child {
      border-bottom: 0;
    }
    .alert-subject {
      flex: 1 1 240px;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .chip {
      font-size: 0.75rem;
      padding: 2px 8px;
      border-radius: 999px;
      border: 1px solid var(--mat-sys-outline-variant);
      white-space: nowrap;
    }
    .chip-sent {
      border-color: #2e9d5b;
      color: #2e9d5b;
    }
    .chip-failed {
      border-color: var(--mat-sys-error);
      color: var(--mat-sys-error);
    }
  `,
})
export class AlertsCard {
  private readonly api = inject(AlertsApi);
  readonly data = liveData('alerts', () => this.api.events(ALERTS_SHOWN));
  protected readonly kindNames = ALERT_KIND_NAMES;
  protected readonly deliveryNames = DELIVERY_NAMES;
  protected readonly when = businessDateTime;

  protected deliveryDetail(alert: AlertEvent): string {
    const outcome = `E-mail ${DELIVERY_NAMES[alert.delivery]}`;
    return alert.deliveryError ? `${outcome}: ${alert.deliveryError}` : outcome;
  }
}
