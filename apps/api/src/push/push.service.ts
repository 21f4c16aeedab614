import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  DEFAULT_PUSH_PREFERENCES,
  type PushPreferences,
  type PushPreferencesRequest,
  type PushPublicKeyResponse,
  type PushSubscribeRequest,
  type PushSubscriptionResponse,
  type PushSubscriptionsResponse,
} from '@mt/contracts';
import type { VapidKeys } from '../config/app-config';
import { PushRepository, SubscriptionRow } from './push.repository';

/** The VAPID keys of this server, or null when Web Push is off (see vapid-keys.ts). */
export const VAPID_KEYS = Symbol('VAPID keys');

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The signed-in user's devices. Each user sees, changes and removes only their own: another user's
 * subscription is answered as if it did not exist.
 */
@Injectable()
export class PushService {
  constructor(
    private readonly repository: PushRepository,
    @Inject(VAPID_KEYS) private readonly keys: VapidKeys | null,
  ) {}

  publicKey(): PushPublicKeyResponse {
    return { enabled: this.keys !== null, publicKey: this.keys?.publicKey ?? null };
  }

  /** A device turned on (again): a known endpoint keeps its preferences if it stays with the same user. */
  async subscribe(userId: string, request: PushSubscribeRequest): Promise<PushSubscriptionResponse> {
    if (!this.keys)
      throw new ServiceUnavailableException(
        'Web Push is off on this server: it has no VAPID keys (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY)',
      );
    checkEndpoint(request.endpoint);
    checkKey(request.keys.p256dh, 'keys.p256dh', 65, 'a P-256 public key (65 bytes)');
    checkKey(request.keys.auth, 'keys.auth', 16, 'an auth secret (16 bytes)');
    const existing = await this.repository.byEndpoint(request.endpoint);
    const base = existing?.userId === userId ? existing.preferences : DEFAULT_PUSH_PREFERENCES;
    const preferences = merged(base, request.preferences ?? {});
    return mapSubscription(await this.repository.upsert(userId, request.endpoint, request.keys, preferences));
  }

  async list(userId: string): Promise<PushSubscriptionsResponse> {
    return { subscriptions: (await this.repository.listOwned(userId)).map(mapSubscription) };
  }

  async updatePreferences(
    userId: string,
    id: string,
    request: PushPreferencesRequest,
  ): Promise<PushSubscriptionResponse> {
    const current = await this.owned(userId, id);
    const row = await this.repository.updatePreferences(id, userId, merged(current.preferences, request));
    if (!row) throw notFound(id);
    return mapSubscription(row);
  }

  async unsubscribe(userId: string, id: string): Promise<void> {
    if (!(await this.repository.deleteOwned(id, userId))) throw notFound(id);
  }

  private async owned(userId: string, id: string): Promise<SubscriptionRow> {
    const row = await this.repository.owned(id, userId);
    if (!row) throw notFound(id);
    return row;
  }
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`push subscription ${id} does not exist`);
}

/** The fields the request gives replace those of `base`; the rest stay. */
function merged(base: PushPreferences, request: PushPreferencesRequest): PushPreferences {
  const given = Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
  const preferences = { ...base, ...given } as PushPreferences;
  if (preferences.quietHours && preferences.quietHours.from === preferences.quietHours.to)
    throw new BadRequestException(['quietHours.to must differ from quietHours.from']);
  return preferences;
}

/** Push services are https; plain http only on this machine (a push service under test). */
function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new BadRequestException(['endpoint must be the push service URL of the subscription']);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) return;
  throw new BadRequestException(['endpoint must be an https URL']);
}

function checkKey(value: string, field: string, bytes: number, what: string): void {
  const decoded = Buffer.from(value, 'base64url');
  if (decoded.length !== bytes || (bytes === 65 && decoded[0] !== 0x04))
    throw new BadRequestException([`${field} must be ${what} in base64url, as PushSubscription.toJSON() gives it`]);
}

function mapSubscription(row: SubscriptionRow): PushSubscriptionResponse {
  return {
    id: row.id,
    endpoint: row.endpoint,
    preferences: row.preferences,
    createdAt: row.createdAt.toISOString(),
  };
}
