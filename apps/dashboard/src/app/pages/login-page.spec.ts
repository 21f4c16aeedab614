import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, Router, convertToParamMap, provideRouter } from '@angular/router';
import type { TwoFactorSetup } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { LoginPage } from './login-page';

const USER = { id: '2', email: 'ana@example.com', name: 'Ana', role: 'viewer' as const };
const SETUP: TwoFactorSetup = {
  otpauthUrl: 'otpauth://totp/MT%20Ink%20Dashboard:ana%40example.com?secret=ABC&issuer=MT%20Ink%20Dashboard',
  qrCode: 'data:image/png;base64,iVBORw0KGgo=',
  secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
};

async function setup(query: Record<string, string> = {}, oidc: { name: string; loginUrl: string } | null = null) {
  TestBed.configureTestingModule({
    imports: [LoginPage],
    providers: [
      provideRouter([]),
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: ActivatedRoute, useValue: { snapshot: { queryParamMap: convertToParamMap(query) } } },
    ],
  });
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
  const fixture = TestBed.createComponent(LoginPage);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne('/api/auth/config').flush({ oidc });
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const type = async (selector: string, text: string) => {
    const input = element.querySelector<HTMLInputElement>(selector)!;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  };
  const submit = async () => {
    element.querySelector('form')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
  };
  const button = (text: string) =>
    Array.from(element.querySelectorAll('button')).find((b) => b.textContent?.trim() === text)!;
  const signInWithPassword = async () => {
    await type('input[type=email]', USER.email);
    await type('input[type=password]', 'the-password');
    await submit();
  };
  return { fixture, http, element, navigate, type, submit, button, signInWithPassword };
}

describe('LoginPage', () => {
  it('asks for the authenticator code after the password, then signs in', async () => {
    const { http, element, navigate, type, submit, fixture, signInWithPassword } = await setup();
    await signInWithPassword();
    http
      .expectOne('/api/auth/login')
      .flush({ twoFactorRequired: true, step: 'code', expiresAt: '2026-12-01T10:05:00Z' });
    await fixture.whenStable();
    expect(navigate).not.toHaveBeenCalled();
    expect(element.querySelector('input[type=password]')).toBeNull();
    await type('[data-testid="second-factor"]', '123 456');
    await submit();
    const step = http.expectOne('/api/auth/login/2fa');
    expect(step.request.body).toEqual({ code: '123456' });
    step.flush({ user: USER, expiresAt: '2026-12-08T10:00:00Z' });
    await fixture.whenStable();
    expect(TestBed.inject(AuthService).user()).toEqual(USER);
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('takes a recovery code instead, and says so when a code is wrong', async () => {
    const { http, element, type, submit, button, fixture, signInWithPassword } = await setup();
    await signInWithPassword();
    http.expectOne('/api/auth/login').flush({ twoFactorRequired: true, step: 'code', expiresAt: '' });
    await fixture.whenStable();
    button('Use a recovery code').click();
    await fixture.whenStable();
    await type('[data-testid="second-factor"]', '3f9a2-c41b7-0d5e8-a6c13');
    await submit();
    const step = http.expectOne('/api/auth/login/2fa');
    expect(step.request.body).toEqual({ recoveryCode: '3f9a2-c41b7-0d5e8-a6c13' });
    step.flush({ message: 'wrong recovery code' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="login-error"]')!.textContent!.trim()).toBe(
      'That code is not right. Check the time on your phone and try again.',
    );
  });

  it('goes back to the password when the pending sign-in has expired', async () => {
    const { http, element, type, submit, fixture, signInWithPassword } = await setup();
    await signInWithPassword();
    http.expectOne('/api/auth/login').flush({ twoFactorRequired: true, step: 'code', expiresAt: '' });
    await fixture.whenStable();
    await type('[data-testid="second-factor"]', '123456');
    await submit();
    http
      .expectOne('/api/auth/login/2fa')
      .flush(
        { message: 'the sign-in has expired; enter your password again' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await fixture.whenStable();
    expect(element.querySelector('input[type=password]')).not.toBeNull();
    expect(element.querySelector('[data-testid="login-error"]')!.textContent!.trim()).toBe(
      'The sign-in has expired. Enter your password again.',
    );
  });

  it('sets two-factor up when an admin requires it, shows the recovery codes once, then goes on', async () => {
    const { http, element, navigate, type, fixture, button, signInWithPassword } = await setup({
      returnTo: '/settings',
    });
    await signInWithPassword();
    http.expectOne('/api/auth/login').flush({ twoFactorRequired: true, step: 'enrol', expiresAt: '' });
    http.expectOne('/api/auth/login/2fa/setup').flush(SETUP);
    await fixture.whenStable();
    expect(element.querySelector<HTMLImageElement>('img.qr')!.src).toBe(SETUP.qrCode);
    expect(element.querySelector('[data-testid="totp-secret"]')!.textContent).toBe(SETUP.secret);
    await type('[data-testid="enrol-code"]', '654321');
    element.querySelector('mt-two-factor-enrolment form')!.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    const confirm = http.expectOne('/api/auth/login/2fa/confirm');
    expect(confirm.request.body).toEqual({ code: '654321' });
    const codes = Array.from({ length: 10 }, (_, i) => `0000${i}-aaaaa-bbbbb-ccccc`);
    confirm.flush({ signedIn: { user: USER, expiresAt: '' }, recoveryCodes: codes });
    await fixture.whenStable();
    expect(
      Array.from(element.querySelectorAll('[data-testid="recovery-codes"] li')).map((li) => li.textContent!.trim()),
    ).toEqual(codes);
    expect(navigate).not.toHaveBeenCalled();
    button('I have saved them').click();
    expect(navigate).toHaveBeenCalledWith('/settings');
  });

  it('offers the single sign-on button when the API has a provider', async () => {
    const { element } = await setup({}, { name: 'Example SSO', loginUrl: '/api/auth/oidc/login' });
    const link = element.querySelector<HTMLAnchorElement>('[data-testid="sso-button"]')!;
    expect(link.textContent!.trim()).toBe('Sign in with Example SSO');
    expect(link.getAttribute('href')).toBe('/api/auth/oidc/login');
  });

  it('has no single sign-on button without a provider', async () => {
    const { element } = await setup();
    expect(element.querySelector('[data-testid="sso-button"]')).toBeNull();
  });

  it('says why the single sign-on came back refused, and continues at the code step it asks for', async () => {
    const refused = await setup({ ssoError: 'unverified-email' });
    expect(refused.element.querySelector('[data-testid="login-error"]')!.textContent!.trim()).toBe(
      'The identity provider has not verified your e-mail address.',
    );
    TestBed.resetTestingModule();
    const second = await setup({ twoFactor: 'code' });
    expect(second.element.querySelector('[data-testid="second-factor"]')).not.toBeNull();
  });
});
