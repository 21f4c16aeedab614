import { WritableSignal, signal } from '@angular/core';
import type { Observable } from 'rxjs';
import { describeError } from './live-data';

/**
 * A list in the settings that an admin changes (users, API tokens): read it, and make one change at a
 * time, with the list read again afterwards whatever happened (a refused change included), so that
 * what is shown is what the API holds.
 */
export class SettingsList<T> {
  readonly items = signal<T[] | null>(null);
  readonly error: WritableSignal<string | null> = signal(null);
  readonly busy = signal(false);

  constructor(private readonly read: () => Observable<T[]>) {
    this.load();
  }

  load(): void {
    this.read().subscribe({
      next: (items) => this.items.set(items),
      error: (failure: unknown) => this.error.set(describeError(failure)),
    });
  }

  /** `done` gets the change's answer when it succeeds. */
  change<A>(change: Observable<A>, done?: (answer: A) => void): void {
    this.busy.set(true);
    this.error.set(null);
    change.subscribe({
      next: (answer) => done?.(answer),
      error: (failure: unknown) => {
        this.busy.set(false);
        this.error.set(describeError(failure));
        this.load();
      },
      complete: () => {
        this.busy.set(false);
        this.load();
      },
    });
  }
}
