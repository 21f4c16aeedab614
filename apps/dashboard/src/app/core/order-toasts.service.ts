import { Injectable, signal } from '@angular/core';
import type { AlertFiredEvent, OrderEvent } from '@mt/contracts';

/** `order.created` with the titles bought, which SPEC §5 names and the API does not send yet. */
export type LiveOrderEvent = OrderEvent & { titles?: string[] };

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
