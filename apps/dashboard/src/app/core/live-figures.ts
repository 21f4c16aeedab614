import { Injectable } from '@angular/core';
import type { PushedFigures } from '@mt/contracts';
import { Observable, Subject, distinctUntilChanged, filter, map, merge, scan } from 'rxjs';

/**
 * The figures the server pushes with `metrics.changed` (SPEC §5: compute once, push to all). A card
 * whose answer is among them follows the pushes after its own fetch, without asking again.
 */
@Injectable({ providedIn: 'root' })
export class LiveFigures {
  private readonly pushes = new Subject<PushedFigures>();

  accept(figures: PushedFigures): void {
    this.pushes.next(figures);
  }

  /**
   * `fetch$`'s answer, then every pushed one; whichever is newest by `asOf` wins, so a push that
   * overtook a slow fetch is not replaced by the older answer.
   */
  follow<K extends keyof PushedFigures>(key: K, fetch$: Observable<PushedFigures[K]>): Observable<PushedFigures[K]> {
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
