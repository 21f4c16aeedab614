import { HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Signal, computed, inject, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { Observable, Subject, catchError, map, merge, of, switchMap, withLatestFrom } from 'rxjs';
import { Connectivity } from './connectivity.service';
import { RefreshService, RefreshTopic } from './refresh.service';

export interface LiveData<T> {
  /** The last good answer; kept while refreshing and after a failed refresh. */
  readonly value: Signal<T | undefined>;
  /** Why the last fetch failed, or null. */
  readonly error: Signal<string | null>;
  /** Nothing to show yet: the first fetch is under way (skeleton). */
  readonly loading: Signal<boolean>;
  reload(): void;
}

/**
 * A card's data: fetched at once (so that requests leave in the order the cards are created, hero
 * first), on `reload()`, and whenever the refresh service asks for `topic` (timer, live events). Must
 * be called in an injection context.
 */
export function liveData<T>(topic: Exclude<RefreshTopic, 'all'>, load: () => Observable<T>): LiveData<T> {
  return connect(topic, of(null), () => load());
}

/**
 * The same for data that depends on signals (e.g. a component's inputs): fetched again whenever they
 * change. The first fetch waits for the first change detection, when inputs have their values.
 */
export function liveDataFor<P, T>(
  topic: Exclude<RefreshTopic, 'all'>,
  params: () => P,
  load: (params: P) => Observable<T>,
): LiveData<T> {
  return connect(topic, toObservable(computed(params)), load);
}

function connect<P, T>(
  topic: Exclude<RefreshTopic, 'all'>,
  params$: Observable<P>,
  load: (params: P) => Observable<T>,
): LiveData<T> {
  const refresh = inject(RefreshService);
  const connectivity = inject(Connectivity);
  const value = signal<T | undefined>(undefined);
  const error = signal<string | null>(null);
  const pending = signal(true);
  const reloads = new Subject<void>();

  const subscription = merge(
    params$,
    merge(reloads, refresh.on(topic)).pipe(
      withLatestFrom(params$),
      map(([, latest]) => latest),
    ),
  )
    .pipe(
      switchMap((latest) => {
        pending.set(true);
        return load(latest).pipe(
          map((answer) => ({ ok: true as const, answer })),
          catchError((failure: unknown) =>
            of({ ok: false as const, unanswered: isUnanswered(failure), message: describeError(failure) }),
          ),
        );
      }),
    )
    .subscribe((outcome) => {
      pending.set(false);
      if (outcome.ok) {
        value.set(outcome.answer);
        error.set(null);
      } else if (!(outcome.unanswered && connectivity.offline())) {
        // Offline, the page's one offline bar says why nothing is fresh: no banner on every card.
        error.set(outcome.message);
      }
    });
  inject(DestroyRef).onDestroy(() => subscription.unsubscribe());

  return {
    value,
    error,
    loading: computed(() => pending() && value() === undefined && error() === null),
    reload: () => reloads.next(),
  };
}

/** No answer at all (network down, server gone), as opposed to an answer that says no. */
function isUnanswered(failure: unknown): boolean {
  return failure instanceof HttpErrorResponse && failure.status === 0;
}

/** A sentence for the error banner. */
export function describeError(failure: unknown): string {
  if (failure instanceof HttpErrorResponse) {
    if (failure.status === 0) return 'The API is unreachable. Retrying automatically.';
    if (failure.status === 404) return 'This part of the API is not available yet.';
    if (failure.status === 401) return 'Your session has ended. Please sign in again.';
    if (failure.status === 403) return 'You are not allowed to see this.';
    const message = apiMessage(failure.error);
    return message ? `The API answered ${failure.status}: ${message}` : `The API answered ${failure.status}.`;
  }
  return failure instanceof Error ? failure.message : 'Something went wrong.';
}

/** Nest's error body: `{ message: string | string[] }`. */
export function apiMessage(body: unknown): string | null {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = (body as { message: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return null;
}
