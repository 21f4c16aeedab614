import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { PLATFORMS, type Platform, type StoredOrderSummary } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { apiMessage, describeError } from '../core/live-data';
import { OrdersApi } from '../core/orders-api.service';
import { RefreshService } from '../core/refresh.service';

/**
 * Settings → Data (admins): remove an order that should not be there. Found by platform and order
 * number or id, removed only after a confirmation that shows it; the API keeps an audit line.
 */
@Component({
  selector: 'mt-order-removal',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (isAdmin()) {
      <mat-card appearance="outlined" class="settings-card" id="data">
        <mat-card-header
          ><mat-card-title><h2>Data: remove an order</h2></mat-card-title></mat-card-header
        >
        <mat-card-content>
          <p class="muted">
            For an order that should not be in the figures (a test, a duplicate). It stays stored, leaves every sum, and
            a later delivery of it does not bring it back.
          </p>
          <form [formGroup]="form" (ngSubmit)="findOrders()" class="find-form" data-testid="order-find-form">
            <mat-form-field appearance="outline">
              <mat-label>Platform</mat-label>
              <select matNativeControl formControlName="platform" data-testid="order-platform">
                @for (platform of platforms; track platform) {
                  <option [value]="platform">{{ platform }}</option>
                }
              </select>
            </mat-form-field>
            <mat-form-field appearance="outline">
              <mat-label>Order number or id</mat-label>
              <input matInput formControlName="ref" maxlength="100" placeholder="#1047" data-testid="order-ref" />
            </mat-form-field>
            <button mat-stroked-button type="submit" [disabled]="form.invalid || busy()">Find</button>
          </form>
          @if (found(); as orders) {
            <ul class="found" data-testid="order-matches">
              @for (order of orders; track order.id) {
                <li [attr.data-order-id]="order.id">
                  <span [class.muted]="order.deletedAt"
                    >{{ describe(order) }}{{ order.deletedAt ? ', removed' : '' }}</span
                  >
                  @if (!order.deletedAt && confirming()?.id === order.id) {
                    <span role="alert" class="confirm">
                      Remove it from the figures?
                      <button
                        mat-flat-button
                        type="button"
                        (click)="removeOrder(order)"
                        [disabled]="busy()"
                        data-testid="order-remove-confirm"
                      >
                        Yes, remove
                      </button>
                      <button mat-button type="button" (click)="confirming.set(null)">Cancel</button>
                    </span>
                  } @else if (!order.deletedAt) {
                    <button mat-button type="button" (click)="confirming.set(order)" data-testid="order-remove">
                      Remove…
                    </button>
                  }
                </li>
              } @empty {
                <li class="muted">No such order.</li>
              }
            </ul>
          }
          @if (message(); as text) {
            <p role="status" data-testid="order-removal-message">{{ text }}</p>
          }
        </mat-card-content>
      </mat-card>
    }
  `,
  styles: `
    .settings-card {
      width: min(100%, 560px);
    }
    h2 {
      margin: 0;
      font-size: 1.4rem;
    }
    .find-form {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: baseline;
    }
    .find-form mat-form-field {
      flex: 1 1 140px;
      min-width: 0;
    }
    .found {
      list-style: none;
      padding: 0;
    }
    .found li {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      padding: 4px 0;
    }
  `,
})
export class OrderRemoval {
  private readonly api = inject(OrdersApi);
  private readonly refresh = inject(RefreshService);
  protected readonly isAdmin = inject(AuthService).isAdmin;
  protected readonly platforms = PLATFORMS;
  protected readonly form = new FormGroup({
    platform: new FormControl<Platform>('shopify', { nonNullable: true }),
    ref: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(100)] }),
  });
  protected readonly found = signal<StoredOrderSummary[] | null>(null);
  protected readonly confirming = signal<StoredOrderSummary | null>(null);
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);

  protected describe(order: StoredOrderSummary): string {
    const number = order.orderNumber && order.orderNumber !== order.externalId ? `${order.orderNumber} ` : '';
    const store = order.store ? `, ${order.store}` : '';
    return `${number}(id ${order.externalId}${store}) of ${order.createdAt.slice(0, 10)}, ${order.total} ${order.currency}`;
  }

  protected findOrders(): void {
    const { platform, ref } = this.form.getRawValue();
    this.busy.set(true);
    this.message.set(null);
    this.confirming.set(null);
    this.api.find(platform, ref.trim()).subscribe({
      next: (answer) => {
        this.busy.set(false);
        this.found.set(answer.orders);
      },
      error: (failure: unknown) => {
        this.busy.set(false);
        this.message.set(describeError(failure));
      },
    });
  }

  protected removeOrder(order: StoredOrderSummary): void {
    this.busy.set(true);
    this.api.remove(order.id).subscribe({
      next: (answer) => {
        this.busy.set(false);
        this.confirming.set(null);
        this.found.update((orders) => orders?.map((o) => (o.id === order.id ? answer.order : o)) ?? null);
        this.message.set(`Removed ${this.describe(answer.order)} from the figures.`);
        this.refresh.request('sales');
      },
      error: (failure: unknown) => {
        this.busy.set(false);
        // The API says why (unknown, removed already) in words meant for this admin.
        const reason = failure instanceof HttpErrorResponse ? apiMessage(failure.error) : null;
        this.message.set(reason ?? describeError(failure));
      },
    });
  }
}
