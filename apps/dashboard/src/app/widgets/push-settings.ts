import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { SwPush } from '@angular/service-worker';
import type { PushPreferences, PushSubscriptionResponse } from '@mt/contracts';
import { firstValueFrom } from 'rxjs';
import { describeError } from '../core/live-data';
import { PushApi } from '../core/push-api.service';

/** Whether this device can ring, or why not. */
export type PushAvailability = 'ready' | 'no-worker' | 'server-off' | 'blocked';

/**
 * "Notifications on this device": turn Web Push on or off for this browser, and choose what rings
 * (every order, orders over an amount, alerts, the daily digest), quiet hours on this device's clock,
 * and whether amounts are hidden. The device is this browser's push subscription; the API keeps it.
 */
@Component({
  selector: 'mt-push-settings',
  imports: [ReactiveFormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error(); as message) {
      <p class="error-banner" role="alert" data-testid="push-error">{{ message }}</p>
    }
    @switch (availability()) {
      @case ('no-worker') {
        <p data-testid="push-unavailable">
          This browser cannot ring here: notifications need the installed app's service worker (the production build,
          served over https or on localhost).
        </p>
      }
      @case ('server-off') {
        <p data-testid="push-unavailable">Notifications are off on this server: it has no VAPID keys.</p>
      }
      @case ('blocked') {
        <p data-testid="push-unavailable">
          Notifications are blocked for this site: allow them in the browser's site settings, then turn them on here.
        </p>
      }
    }
    @if (device(); as device) {
      <form [formGroup]="form" (ngSubmit)="save(device)" class="stacked-form" data-testid="push-form">
        <mat-checkbox formControlName="everyOrder">Every new order</mat-checkbox>
        @if (!form.controls.everyOrder.value) {
          <mat-form-field appearance="outline">
            <mat-label>Only orders of at least (empty: none)</mat-label>
            <input matInput type="number" min="0.01" step="0.01" formControlName="ordersOver" data-testid="push-over" />
          </mat-form-field>
        }
        <mat-checkbox formControlName="alerts">Alerts (milestones, no orders for a while)</mat-checkbox>
        <mat-checkbox formControlName="dailyDigest">The daily digest</mat-checkbox>
        <mat-checkbox formControlName="hideAmounts">Hide amounts (as in presenter mode)</mat-checkbox>
        <mat-checkbox formControlName="quiet">Quiet hours: notifications arrive without sound</mat-checkbox>
        @if (form.controls.quiet.value) {
          <div class="quiet">
            <mat-form-field appearance="outline">
              <mat-label>From</mat-label>
              <input matInput type="time" formControlName="quietFrom" data-testid="push-quiet-from" />
            </mat-form-field>
            <mat-form-field appearance="outline">
              <mat-label>To</mat-label>
              <input matInput type="time" formControlName="quietTo" data-testid="push-quiet-to" />
            </mat-form-field>
          </div>
        }
        @if (saved()) {
          <p role="status" data-testid="push-saved">Saved for this device.</p>
        }
        <div class="form-actions">
          <button mat-flat-button type="submit" [disabled]="busy()">Save</button>
          <button mat-button type="button" (click)="turnOff(device)" [disabled]="busy()" data-testid="push-off">
            Turn off on this device
          </button>
        </div>
      </form>
    } @else if (availability() === 'ready') {
      <p>New orders and alerts can ring on this device, even when the dashboard is closed.</p>
      <button mat-flat-button type="button" (click)="turnOn()" [disabled]="busy()" data-testid="push-on">
        Turn on notifications
      </button>
    }
  `,
  styles: `
    .quiet {
      display: flex;
      gap: 12px;
    }
  `,
})
export class PushSettings {
  private readonly api = inject(PushApi);
  private readonly swPush = inject(SwPush, { optional: true });
  private readonly serverKey = signal<string | null | undefined>(undefined);
  private readonly permission = signal(globalThis.Notification?.permission ?? 'default');
  protected readonly device = signal<PushSubscriptionResponse | null>(null);
  protected readonly busy = signal(false);
  protected readonly saved = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly availability = computed<PushAvailability | null>(() => {
    if (!this.swPush?.isEnabled) return 'no-worker';
    const key = this.serverKey();
    if (key === undefined) return null;
    if (key === null) return 'server-off';
    return this.permission() === 'denied' && !this.device() ? 'blocked' : 'ready';
  });
  readonly form = new FormGroup({
    everyOrder: new FormControl(true, { nonNullable: true }),
    ordersOver: new FormControl<number | null>(null),
    alerts: new FormControl(true, { nonNullable: true }),
    dailyDigest: new FormControl(false, { nonNullable: true }),
    hideAmounts: new FormControl(false, { nonNullable: true }),
    quiet: new FormControl(false, { nonNullable: true }),
    quietFrom: new FormControl('22:00', { nonNullable: true }),
    quietTo: new FormControl('07:00', { nonNullable: true }),
  });

  constructor() {
    if (this.swPush?.isEnabled) void this.load();
  }

  private async load(): Promise<void> {
    try {
      const { publicKey } = await firstValueFrom(this.api.publicKey());
      this.serverKey.set(publicKey);
      const current = await firstValueFrom(this.swPush!.subscription);
      if (!current) return;
      const { subscriptions } = await firstValueFrom(this.api.subscriptions());
      const mine = subscriptions.find((s) => s.endpoint === current.endpoint);
      if (mine) this.show(mine);
    } catch (failure) {
      this.error.set(describeError(failure));
    }
  }

  protected async turnOn(): Promise<void> {
    await this.run(async () => {
      const serverPublicKey = this.serverKey()!;
      const subscription = await this.swPush!.requestSubscription({ serverPublicKey });
      this.permission.set(globalThis.Notification?.permission ?? 'granted');
      const json = subscription.toJSON();
      const device = await firstValueFrom(
        this.api.subscribe({
          endpoint: subscription.endpoint,
          keys: { p256dh: json.keys?.['p256dh'] ?? '', auth: json.keys?.['auth'] ?? '' },
        }),
      );
      this.show(device);
    });
  }

  protected async turnOff(device: PushSubscriptionResponse): Promise<void> {
    await this.run(async () => {
      await firstValueFrom(this.api.unsubscribe(device.id));
      await this.swPush!.unsubscribe().catch(() => undefined);
      this.device.set(null);
    });
  }

  protected async save(device: PushSubscriptionResponse): Promise<void> {
    this.saved.set(false);
    await this.run(async () => {
      this.show(await firstValueFrom(this.api.updatePreferences(device.id, this.preferences())));
      this.saved.set(true);
    });
  }

  /** The form as the API takes it; quiet hours on this browser's own clock. */
  protected preferences(): PushPreferences {
    const v = this.form.getRawValue();
    return {
      everyOrder: v.everyOrder,
      ordersOver: v.everyOrder || v.ordersOver === null ? null : v.ordersOver,
      alerts: v.alerts,
      dailyDigest: v.dailyDigest,
      hideAmounts: v.hideAmounts,
      quietHours: v.quiet
        ? { from: v.quietFrom, to: v.quietTo, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }
        : null,
    };
  }

  private show(device: PushSubscriptionResponse): void {
    const p = device.preferences;
    this.device.set(device);
    this.form.setValue({
      everyOrder: p.everyOrder,
      ordersOver: p.ordersOver,
      alerts: p.alerts,
      dailyDigest: p.dailyDigest,
      hideAmounts: p.hideAmounts,
      quiet: p.quietHours !== null,
      quietFrom: p.quietHours?.from ?? '22:00',
      quietTo: p.quietHours?.to ?? '07:00',
    });
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await work();
    } catch (failure) {
      this.error.set(describeError(failure));
    } finally {
      this.busy.set(false);
    }
  }
}
