import type { IsoDateTime, Platform } from './common';

/** Every event the Socket.IO gateway (path `/ws`) sends to the dashboard, by name. */
export interface ClientEventMap {
  'order.created': OrderEvent;
  'order.updated': OrderEvent;
  'metrics.changed': { reason: string; at: IsoDateTime };
  'upload.completed': { files: number; imported: number; rejected: number; at: IsoDateTime };
  'source.synced': { source: string; at: IsoDateTime; error: string | null };
}

export type ClientEventName = keyof ClientEventMap;

export interface OrderEvent {
  platform: Platform;
  /** Order total in its own currency, rounded to cents. */
  amount: number;
  currency: string;
  country: string | null;
  createdAt: IsoDateTime;
}
