import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { localDate } from '@mt/periods';
import { interval } from 'rxjs';
import { describeWindow } from './range';

const ZONE_KEY = 'mtink.zone';

/**
 * The business time zone (SPEC §2), as the API names it in its answers, and today's date there. Presets
 * such as "Last month" are days in that zone, not in the browser's. The zone is remembered so that a
 * reload resolves the range at once instead of after the first answer.
 */
@Injectable({ providedIn: 'root' })
export class BusinessClock {
  readonly zone = signal<string | null>(readZone());
  private readonly now = signal(Date.now());
  /** Today in the business zone; changes at its midnight (checked every minute). */
  readonly today = computed(() => {
    const zone = this.zone();
    return zone ? localDate(new Date(this.now()), zone) : null;
  });

  constructor() {
    const ticks = interval(60_000).subscribe(() => this.now.set(Date.now()));
    inject(DestroyRef).onDestroy(() => ticks.unsubscribe());
  }

  /** The days a window of instants covers in the business zone: "1 Nov – 7 Nov 2026". */
  describe(from: string, to: string): string {
    return describeWindow(from, to, this.zone() ?? 'UTC');
  }

  /** An answer named the zone. */
  learn(zone: string): void {
    if (zone === this.zone()) return;
    this.zone.set(zone);
    try {
      globalThis.localStorage?.setItem(ZONE_KEY, zone);
    } catch {
      /* remembered for this tab only */
    }
  }
}

function readZone(): string | null {
  try {
    return globalThis.localStorage?.getItem(ZONE_KEY) ?? null;
  } catch {
    return null;
  }
}
