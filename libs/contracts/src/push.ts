import type { IsoDateTime } from './common';

/**
 * Web Push (SPEC §6): each signed-in user turns notifications on per device; a device is one push
 * subscription (its endpoint), owned by the user who turned it on and seen by nobody else.
 */

/** `GET /api/push/public-key`: the VAPID key to subscribe with; `enabled: false` when Web Push is off. */
export interface PushPublicKeyResponse {
  enabled: boolean;
  /** Base64url of the uncompressed P-256 point, as `PushManager.subscribe({ applicationServerKey })` takes it. */
  publicKey: string | null;
}

/** "Don't ring between 22:00 and 07:00" on this device's clock (`timeZone`, IANA). May wrap midnight. */
export interface QuietHours {
  /** `HH:MM`. */
  from: string;
  /** `HH:MM`; equal to `from` is refused (it would be always or never). */
  to: string;
  timeZone: string;
}

/** What rings on one device. */
export interface PushPreferences {
  /** Every new order. */
  everyOrder: boolean;
  /**
   * With `everyOrder` off: orders of at least this amount in the base currency (orders in another
   * currency ring, since their amount cannot be compared). Null: no order rings unless `everyOrder`.
   */
  ordersOver: number | null;
  /** Fired milestone and silence alerts. */
  alerts: boolean;
  /** The daily digest, when its rule fires. */
  dailyDigest: boolean;
  /** During these hours notifications still arrive, but silently. Null: always with sound. */
  quietHours: QuietHours | null;
  /** Presenter mode on this device: no amount in any notification. */
  hideAmounts: boolean;
}

export const DEFAULT_PUSH_PREFERENCES: PushPreferences = {
  everyOrder: true,
  ordersOver: null,
  alerts: true,
  dailyDigest: false,
  quietHours: null,
  hideAmounts: false,
};

/** `POST /api/push/subscriptions`: `PushSubscription.toJSON()` of the device, and optionally what rings. */
export interface PushSubscribeRequest {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  preferences?: Partial<PushPreferences>;
}

/** `PATCH /api/push/subscriptions/:id`: the preferences to change. */
export type PushPreferencesRequest = Partial<PushPreferences>;

export interface PushSubscriptionResponse {
  id: string;
  endpoint: string;
  preferences: PushPreferences;
  createdAt: IsoDateTime;
}

/** `GET /api/push/subscriptions`: the caller's own devices. */
export interface PushSubscriptionsResponse {
  subscriptions: PushSubscriptionResponse[];
}

/**
 * What a device receives (encrypted): the shape the Angular service worker shows as a notification.
 * One `tag` per kind, so that a newer notification of that kind replaces the older one on the device.
 */
export interface PushMessage {
  notification: {
    title: string;
    body?: string;
    tag: string;
    icon: string;
    badge: string;
    silent: boolean;
    timestamp: number;
    data: { onActionClick: { default: { operation: 'navigateLastFocusedOrOpen'; url: string } } };
  };
}
