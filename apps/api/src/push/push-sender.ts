import { Logger } from '@nestjs/common';
import type { PushMessage } from '@mt/contracts';
import webpush from 'web-push';
import type { VapidKeys } from '../config/app-config';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** `gone`: the push service no longer knows the subscription (404, 410): it must be forgotten. */
export type PushOutcome = 'sent' | 'gone' | 'failed';

/** A push service that does not answer by then is given up on for this message (it keeps it or not). */
const SEND_TIMEOUT_MS = 15_000;
/** A notification older than a day is no longer news: the push service may drop it. */
const TTL_SECONDS = 24 * 3600;

/**
 * One encrypted message to one device (RFC 8291 aes128gcm, RFC 8292 VAPID), built by `web-push` and
 * sent with fetch, so that a push service on loopback (tests) may be plain http. `topic` lets the push
 * service replace a message of the same topic that the device has not fetched yet.
 */
export class PushSender {
  private readonly logger = new Logger(PushSender.name);

  constructor(
    private readonly keys: VapidKeys,
    private readonly subject: string,
  ) {}

  async send(target: PushTarget, message: PushMessage, topic: string): Promise<PushOutcome> {
    const request = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      JSON.stringify(message),
      {
        vapidDetails: { subject: this.subject, ...this.keys },
        TTL: TTL_SECONDS,
        urgency: 'high',
        topic,
        contentEncoding: 'aes128gcm',
      },
    );
    try {
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
        body: request.body === null ? null : new Uint8Array(request.body),
        redirect: 'error',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.status === 404 || response.status === 410) return 'gone';
      if (response.ok) return 'sent';
      this.logger.warn(`push service ${new URL(target.endpoint).host} answered ${response.status}`);
      return 'failed';
    } catch (error) {
      this.logger.warn(
        `push service ${new URL(target.endpoint).host} not reached: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 'failed';
    }
  }
}
