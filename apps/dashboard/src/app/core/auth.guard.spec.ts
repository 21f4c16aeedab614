import { provideHttpClient, withInterceptors, HttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, UrlTree, provideRouter } from '@angular/router';
import { adminGuard, sessionExpiryInterceptor, signedInGuard } from './auth.guard';
import { AuthService } from './auth.service';

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideHttpClient(withInterceptors([sessionExpiryInterceptor])),
      provideHttpClientTesting(),
    ],
  });
  return {
    http: TestBed.inject(HttpTestingController),
    auth: TestBed.inject(AuthService),
    router: TestBed.inject(Router),
  };
}

const run = (guard: typeof signedInGuard, url = '/') =>
  TestBed.runInInjectionContext(() => guard({} as never, { url } as never)) as Promise<boolean | UrlTree>;

describe('auth guards', () => {
  it('sends a visitor without a session to /login, remembering where they were going', async () => {
    const { http, router } = setup();
    const decision = run(signedInGuard, '/settings');
    http.expectOne('/api/auth/me').flush({ message: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });
    expect(router.serializeUrl((await decision) as UrlTree)).toBe('/login?returnTo=%2Fsettings');
  });

  it('lets a signed-in viewer in, but not into the admin pages', async () => {
    const { http, auth } = setup();
    const decision = run(signedInGuard);
    http
      .expectOne('/api/auth/me')
      .flush({ user: { id: '2', email: 'staff@example.com', name: 'Staff', role: 'viewer' }, via: 'session' });
    expect(await decision).toBe(true);
    expect(auth.isAdmin()).toBe(false);
    expect(await run(adminGuard)).toBeInstanceOf(UrlTree);
    http.verify();
  });

  it('ends the session in the UI when any API call answers 401', async () => {
    const { http, auth, router } = setup();
    auth.user.set({ id: '1', email: 'admin@example.com', name: 'Admin', role: 'admin' });
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    TestBed.inject(HttpClient)
      .get('/api/metrics/summary')
      .subscribe({ error: () => undefined });
    http.expectOne('/api/metrics/summary').flush({}, { status: 401, statusText: 'Unauthorized' });
    expect(auth.user()).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login']);
  });
});
