import { Injectable, signal } from '@angular/core';
import type { OrderEvent } from '@mt/contracts';

export const TOAST_MS = 5_000;
const MAX_TOASTS = 4;

export interface OrderToast {
  id: number;
  order: OrderEvent;
}

/** New-order notifications, top right, each gone after 5 s (or when dismissed). */
@Injectable({ providedIn: 'root' })
export class OrderToastsService {
  readonly toasts = signal<OrderToast[]>([]);
  private nextId = 1;

  show(order: OrderEvent): void {
    const id = this.nextId++;
    this.toasts.update((toasts) => [...toasts, { id, order }].slice(-MAX_TOASTS));
    setTimeout(() => this.dismiss(id), TOAST_MS);
  }

  dismiss(id: number): void {
    this.toasts.update((toasts) => toasts.filter((toast) => toast.id !== id));
  }
}
