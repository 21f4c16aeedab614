import { DestroyRef, Injectable, inject } from '@angular/core';
import { Observable, Subject, filter, interval } from 'rxjs';

/** What changed: sales figures (orders), Spotify figures (uploads), alerts, or everything (timer, reconnect). */
export type RefreshTopic = 'sales' | 'spotify' | 'sources' | 'alerts' | 'all';

export const AUTO_REFRESH_MS = 60_000;

/**
 * One place that says "fetch again": the 60 s timer, live events and reconnects all go through here,
 * so every card refreshes the same way whatever the cause.
 */
@Injectable({ providedIn: 'root' })
export class RefreshService {
  private readonly requests = new Subject<RefreshTopic>();

  constructor() {
    const timer = interval(AUTO_REFRESH_MS).subscribe(() => this.requests.next('all'));
    inject(DestroyRef).onDestroy(() => timer.unsubscribe());
  }

  request(topic: RefreshTopic): void {
    this.requests.next(topic);
  }

  /**
   * The same after a random wait of up to `spreadMs`, for what reaches every dashboard at once (a push
   * without figures, a reconnect after an outage): the server gets their requests spread out, not at once.
   */
  requestSpread(topic: RefreshTopic, spreadMs: number, random = Math.random()): void {
    setTimeout(() => this.requests.next(topic), Math.round(random * spreadMs));
  }

  /** Refresh requests that concern `topic`. */
  on(topic: Exclude<RefreshTopic, 'all'>): Observable<RefreshTopic> {
    return this.requests.pipe(filter((requested) => requested === 'all' || requested === topic));
  }
}
