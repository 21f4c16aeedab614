import { Injectable } from '@angular/core';
import { LiveHero, type HeroShare, type PushedFigures, type TodayVsYesterdayResponse } from '@mt/contracts';
import { Observable, Subject, distinctUntilChanged, filter, map, merge, scan, tap } from 'rxjs';

/**
 * The figures the server pushes with `metrics.changed` (SPEC §5: compute once, push to all). A card
 * whose answer is among them follows the pushes after its own fetch, without asking again. The hero
 * also follows the orders: each `order.created` says what it adds to it, and the hero shows the pushed
 * figures plus the shares of the orders they do not include yet (LiveHero), so it is right as soon as
 * the order's event arrives instead of at the next push.
 */
@Injectable({ providedIn: 'root' })
export class LiveFigures {
  private readonly pushes = new Subject<PushedFigures>();
  private readonly hero = new LiveHero();
  private readonly heroMoved = new Subject<void>();

  accept(figures: PushedFigures): void {
    if (this.hero.acceptFigures(figures.hero, figures.watermark)) this.heroMoved.next();
    this.pushes.next(figures);
  }

  /** What an order adds to the hero; `eventId` (its `meta.id`) makes an event seen twice count once. */
  acceptShare(eventId: string, share: HeroShare): void {
    this.hero.acceptShare(eventId, share);
    this.heroMoved.next();
  }

  /** The hero: `fetch$`'s answer, or the newest pushed figures, with the orders' shares on top. */
  followHero(fetch$: Observable<TodayVsYesterdayResponse>): Observable<TodayVsYesterdayResponse> {
    return merge(fetch$.pipe(tap((answer) => this.hero.acceptFigures(answer, null))), this.heroMoved).pipe(
      map(() => this.hero.shown()),
      filter((shown): shown is TodayVsYesterdayResponse => shown !== null),
      // A share that moves nothing (another day's, or one the figures include) draws nothing again.
      distinctUntilChanged((a, b) => a === b || JSON.stringify(a) === JSON.stringify(b)),
    );
  }

  /**
   * `fetch$`'s answer, then every pushed one; whichever is newest by `asOf` wins, so a push that
   * overtook a slow fetch is not replaced by the older answer.
   */
  follow<K extends Exclude<keyof PushedFigures, 'hero' | 'watermark'>>(
    key: K,
    fetch$: Observable<PushedFigures[K]>,
  ): Observable<PushedFigures[K]> {
    return merge(fetch$, this.pushes.pipe(map((figures) => figures[key]))).pipe(
      scan<PushedFigures[K], PushedFigures[K] | undefined>(
        (shown, next) => (shown && Date.parse(shown.asOf) > Date.parse(next.asOf) ? shown : next),
        undefined,
      ),
      filter((shown): shown is PushedFigures[K] => shown !== undefined),
      distinctUntilChanged(),
    );
  }
}
