import { Injectable, signal } from '@angular/core';
import type { AlertFiredEvent, OrderEvent } from '@mt/contracts';

/**
 * `order.created` as SPEC §5 has it: with the order's number and, once the API sends them, the titles
 * bought. Both are optional: an event without them still makes a toast.
 */
export type LiveOrderEvent = OrderEvent & { orderNumber?: string | null; titles?: string[] };

export const TOAST_MS = 5_000;
const MAX_TOASTS = 4;

/** A new order or a fired alert: the live events worth interrupting for. */
export type OrderToast =
  { id: number; kind: 'order'; order: OrderEvent } | { id: number; kind: 'alert'; alert: AlertFiredEvent };

/** Live notifications (new orders, fired alerts), top right, each gone after 5 s (or when dismissed). */
@Injectable({ providedIn: 'root' })
export class OrderToastsService {
  readonly toasts = signal<OrderToast[]>([]);
  private nextId = 1;

  show(order: OrderEvent): void {
    this.add((id) => ({ id, kind: 'order', order }));
  }

  showAlert(alert: AlertFiredEvent): void {
    this.add((id) => ({ id, kind: 'alert', alert }));
  }

  dismiss(id: number): void {
    this.toasts.update((toasts) => toasts.filter((toast) => toast.id !== id));
  }

  private add(toast: (id: number) => OrderToast): void {
    const id = this.nextId++;
    this.toasts.update((toasts) => [...toasts, toast(id)].slice(-MAX_TOASTS));
    setTimeout(() => this.dismiss(id), TOAST_MS);
  }
}
