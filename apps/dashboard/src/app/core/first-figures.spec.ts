import { TestBed } from '@angular/core/testing';
import { FIRST_FIGURES_WAIT_MS, FirstFigures } from './first-figures';

/** Whether `promise` has settled after the microtasks queued so far (and, with fake timers, the timers run). */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('FirstFigures', () => {
  afterEach(() => vi.useRealTimers());

  it('holds nothing back on a page without a hero', async () => {
    const firstFigures = TestBed.inject(FirstFigures);
    expect(await settled(firstFigures.whenDrawn())).toBe(true);
  });

  it('holds the rest back until the expected hero is drawn, and not after', async () => {
    const firstFigures = TestBed.inject(FirstFigures);
    firstFigures.expect();
    const waiting = firstFigures.whenDrawn();
    expect(await settled(waiting)).toBe(false);
    expect(firstFigures.drawn()).toBe(false);
    firstFigures.markDrawn();
    expect(firstFigures.drawn()).toBe(true);
    expect(await settled(waiting)).toBe(true);
    expect(await settled(firstFigures.whenDrawn())).toBe(true);
  });

  it('lets the rest go after the wait when the hero never draws (an answer that never comes)', async () => {
    vi.useFakeTimers();
    const firstFigures = TestBed.inject(FirstFigures);
    firstFigures.expect();
    const waiting = firstFigures.whenDrawn();
    vi.advanceTimersByTime(FIRST_FIGURES_WAIT_MS - 1);
    expect(await settled(waiting)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(waiting)).toBe(true);
    expect(firstFigures.drawn()).toBe(false);
  });
});
