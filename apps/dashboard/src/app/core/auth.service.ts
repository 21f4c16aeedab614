import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, effect, inject, signal } from '@angular/core';
import type {
  CurrentUser,
  EnrolledSignIn,
  LoginResponse,
  MeResponse,
  PasswordLoginResponse,
  SecondFactorRequest,
  SecondStepRequired,
  SignInOptions,
  TwoFactorSetup,
} from '@mt/contracts';
import { Observable, catchError, firstValueFrom, from, map, of, switchMap, tap } from 'rxjs';
import { takePrefetched } from './prefetch';
import { readStored, store } from './preferences.service';

/** Who was signed in last, so that the installed app opens without a network (the API decides again once online). */
const LAST_USER_KEY = 'mtink.lastUser';

export type SessionUser = CurrentUser;

/**
 * Session state: `undefined` until `GET /api/auth/me` has answered, `null` when signed out. The
 * session itself is an httpOnly cookie the browser sends; this service never sees a token.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  readonly user = signal<SessionUser | null | undefined>(undefined);
  readonly isAdmin = computed(() => this.user()?.role === 'admin');
  private pendingCheck: Promise<SessionUser | null> | null = null;

  constructor() {
    effect(() => {
      const user = this.user();
      if (user !== undefined) store(LAST_USER_KEY, JSON.stringify(user));
    });
  }

  /** Who is signed in (asked once, then remembered until login or logout). */
  currentUser(): Promise<SessionUser | null> {
    const known = this.user();
    if (known !== undefined) return Promise.resolve(known);
    this.pendingCheck ??= firstValueFrom(
      this.me().pipe(
        map((body) => body.user),
        catchError((failure: unknown) => of(signedOutOrOpen(failure))),
        tap((user) => {
          this.user.set(user);
          this.pendingCheck = null;
        }),
      ),
    );
    return this.pendingCheck;
  }

  /** The user when the password was enough; otherwise the second step the API asks for. */
  /** The check index.html started early (public/prefetch.js), when it answered; else a request now. */
  private me(): Observable<MeResponse> {
    const early = takePrefetched<MeResponse>('/api/auth/me');
    if (!early) return this.http.get<MeResponse>('/api/auth/me');
    return from(early).pipe(switchMap((answer) => (answer ? of(answer) : this.http.get<MeResponse>('/api/auth/me'))));
  }

  login(email: string, password: string): Observable<SessionUser | SecondStepRequired> {
    return this.http.post<PasswordLoginResponse>('/api/auth/login', { email, password }).pipe(
      map((body) => ('twoFactorRequired' in body ? body : body.user)),
      tap((outcome) => {
        if (!('twoFactorRequired' in outcome)) this.user.set(outcome);
      }),
    );
  }

  /** The second step with a code of the authenticator app or a recovery code. */
  completeSignIn(proof: SecondFactorRequest): Observable<SessionUser> {
    return this.http.post<LoginResponse>('/api/auth/login/2fa', proof).pipe(
      map((body) => body.user),
      tap((user) => this.user.set(user)),
    );
  }

  /** Enrolment an admin requires before the first session. */
  setUpTwoFactorForSignIn(): Observable<TwoFactorSetup> {
    return this.http.post<TwoFactorSetup>('/api/auth/login/2fa/setup', {});
  }

  /** The first code turns two-factor on and signs in; the recovery codes come back this once. */
  confirmTwoFactorForSignIn(code: string): Observable<EnrolledSignIn> {
    return this.http
      .post<EnrolledSignIn>('/api/auth/login/2fa/confirm', { code })
      .pipe(tap((body) => this.user.set(body.signedIn.user)));
  }

  signInOptions(): Observable<SignInOptions> {
    return this.http.get<SignInOptions>('/api/auth/config');
  }

  logout(): Observable<void> {
    return this.http.post('/api/auth/logout', {}).pipe(
      catchError(() => of(null)),
      map(() => undefined),
      tap(() => this.user.set(null)),
    );
  }

  /** The API said 401: the session ended elsewhere (expired, logged out in another tab). */
  sessionEnded(): void {
    this.user.set(null);
  }
}

/**
 * 401 means signed out. A 404 means the API has no auth module (a development build without it): the
 * dashboard then works as an unnamed admin rather than locking everyone out.
 */
function signedOutOrOpen(failure: unknown): SessionUser | null {
  if (failure instanceof HttpErrorResponse && failure.status === 404)
    return { id: '', email: '', name: '', role: 'admin' };
  // No answer at all (offline, the server away): whoever was signed in last sees the page as they left it.
  if (failure instanceof HttpErrorResponse && failure.status === 0) return lastUser();
  return null;
}

function lastUser(): SessionUser | null {
  try {
    return JSON.parse(readStored(LAST_USER_KEY) ?? 'null') as SessionUser | null;
  } catch {
    return null;
  }
}
