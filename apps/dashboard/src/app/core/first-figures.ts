import { Injectable, signal } from '@angular/core';

/** The longest the rest waits for the hero (an answer that never comes must not keep the page from going live). */
export const FIRST_FIGURES_WAIT_MS = 5_000;

/**
 * Whether the first screen's own figures (the hero's) are drawn. A phone draws them first: the live
 * connection and the cards under the hero wait for them, then come in tasks of their own. The hero says
 * it is coming (`expect`) when it is created and `markDrawn` once its first answer (or why there is
 * none) is on the screen; a page without a hero holds nothing back.
 */
@Injectable({ providedIn: 'root' })
export class FirstFigures {
  readonly drawn = signal(false);
  private expected = false;
  private release: (() => void) | null = null;
  private readonly drawnOnce = new Promise<void>((resolve) => (this.release = resolve));

  expect(): void {
    this.expected = true;
  }

  markDrawn(): void {
    this.drawn.set(true);
    this.release?.();
  }

  /** Resolves once the hero is drawn; at once when no hero is expected, at the latest after the wait. */
  whenDrawn(): Promise<void> {
    if (!this.expected || this.drawn()) return Promise.resolve();
    return Promise.race([this.drawnOnce, new Promise<void>((resolve) => setTimeout(resolve, FIRST_FIGURES_WAIT_MS))]);
  }
}
