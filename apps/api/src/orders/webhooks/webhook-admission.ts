import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { AppConfig } from '../../config/app-config';
import { WEBHOOKS_PATH } from './webhook-raw-body';

/**
 * The webhook paths behind the gate: those whose whole work is ours (check, parse, store). Etsy's
 * webhook waits on Etsy's API for each receipt (seconds, see WebhooksService.etsy), so its age says
 * nothing about whether we can store, and one slow fetch would shut the gate for every platform.
 */
export const ADMITTED_WEBHOOK_PATHS = [`${WEBHOOKS_PATH}/shopify`, `${WEBHOOKS_PATH}/woocommerce`];

export interface AdmissionLimits {
  /** Webhook requests handled at once; the next one is refused. */
  maxInFlight: number;
  /** The store deadline (WEBHOOK_STORE_DEADLINE_MS). */
  deadlineMs: number;
}

export type Admission = { admitted: true; release: () => void } | { admitted: false; reason: string };

/** What the platform's retry should wait, in seconds (`Retry-After`): about one store deadline. */
export function retryAfterSeconds(deadlineMs: number): number {
  return Math.max(1, Math.ceil(deadlineMs / 1000));
}

/**
 * The other 503 of the webhook path, a delivery let in that could not be stored within the deadline
 * (OrderIngestService), carries the same `Retry-After` as the gate's: either way the platform should
 * wait about one deadline before it sends the delivery again.
 */
@Injectable()
@Catch(ServiceUnavailableException)
export class WebhookRetryAfter implements ExceptionFilter {
  constructor(private readonly config: AppConfig) {}

  catch(error: ServiceUnavailableException, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(error.getStatus())
      .set('Retry-After', String(retryAfterSeconds(this.config.webhookStoreDeadlineMs)))
      .json(error.getResponse());
  }
}

/**
 * Admission control of the webhook path (SPEC §9: every webhook answered within 1 s whatever else runs).
 * When deliveries come faster than this server can check, parse and store them (a busy CPU, a stalled
 * database), each one let in adds to a queue whose tail is answered after the platform gave up. So a
 * request is refused at once with 503 and `Retry-After`, before its signature is checked or its body
 * parsed, when the deliveries already in flight show that it could not be stored within the deadline:
 *
 * - `maxInFlight` are in flight already (WEBHOOK_MAX_IN_FLIGHT), or
 * - the oldest one in flight has waited half the deadline: the store is not keeping up, and the ones
 *   behind it would not make it either.
 *
 * A refused delivery was never read past its bytes, so nothing of it is stored; the platform retries a
 * 503 (Shopify for 48 hours), and a delivery let in keeps its own deadline. The answers that are given
 * stay fast, and the work saved lets the server catch up.
 */
export class WebhookAdmission {
  /** Admission times of the requests in flight, oldest first (a Set keeps the order of insertion). */
  private readonly inFlight = new Set<{ since: number }>();
  /** Refused since the gate last let one in: logged when it shuts and when it opens, not per request. */
  private refusedInRow = 0;
  private refusedTotal = 0;
  private readonly logger = new Logger(WebhookAdmission.name);

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Lets one request in (call `release` once it is answered), or says why not. */
  admit(): Admission {
    const reason = this.fullBecause();
    if (reason) {
      this.refusedTotal++;
      if (this.refusedInRow++ === 0) this.logger.warn(`refusing webhooks with 503 (retried) while ${reason}`);
      return { admitted: false, reason };
    }
    if (this.refusedInRow > 0) {
      this.logger.log(`admitting webhooks again after refusing ${this.refusedInRow} with 503`);
      this.refusedInRow = 0;
    }
    const entry = { since: this.now() };
    this.inFlight.add(entry);
    return { admitted: true, release: () => this.inFlight.delete(entry) };
  }

  /** Webhook requests being handled now. */
  get admitted(): number {
    return this.inFlight.size;
  }

  /** Webhook requests refused since this process started. */
  get refused(): number {
    return this.refusedTotal;
  }

  /** Express middleware, mounted on ADMITTED_WEBHOOK_PATHS ahead of everything but the raw body. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    const admission = this.admit();
    if (!admission.admitted) {
      res
        .status(503)
        .set('Retry-After', String(retryAfterSeconds(this.limits.deadlineMs)))
        .json({
          statusCode: 503,
          error: 'Service Unavailable',
          message: `the delivery cannot be stored within ${this.limits.deadlineMs} ms now (${admission.reason}); send it again`,
        });
      return;
    }
    // 'close' comes once the answer is out or the client went away, whichever happens.
    res.once('close', admission.release);
    next();
  };

  private fullBecause(): string | null {
    const { maxInFlight, deadlineMs } = this.limits;
    if (this.inFlight.size >= maxInFlight)
      return `${this.inFlight.size} webhooks are in flight, the most this server takes`;
    const oldest = this.inFlight.values().next();
    if (oldest.done) return null;
    const waited = Math.round(this.now() - oldest.value.since);
    return waited * 2 >= deadlineMs ? `the oldest webhook in flight has waited ${waited} ms` : null;
  }
}
