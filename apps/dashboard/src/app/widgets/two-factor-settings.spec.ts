import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Role, TwoFactorStatus } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { TwoFactorSettings } from './two-factor-settings';

const OFF: TwoFactorStatus = { enabled: false, pending: false, recoveryCodesLeft: 0, required: false };
const ON: TwoFactorStatus = { enabled: true, pending: false, recoveryCodesLeft: 7, required: false };

async function setup(status: TwoFactorStatus, role: Role = 'viewer', requireTwoFactor = false) {
  TestBed.configureTestingModule({
    imports: [TwoFactorSettings],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  TestBed.inject(AuthService).user.set({ id: '1', email: 'ana@example.com', name: 'Ana', role });
  const fixture = TestBed.createComponent(TwoFactorSettings);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne('/api/auth/2fa').flush(status);
  if (role === 'admin') http.expectOne('/api/auth/2fa/policy').flush({ requireTwoFactor });
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const text = (testId: string) => element.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? null;
  const button = (label: string) =>
    Array.from(element.querySelectorAll('button')).find((b) => b.textContent?.trim() === label)!;
  const type = async (testId: string, value: string) => {
    const input = element.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  };
  return { fixture, http, element, text, button, type };
}

describe('TwoFactorSettings', () => {
  it('sets two-factor up: QR code, first code, the recovery codes once, then the new state', async () => {
    const { fixture, http, element, text, button, type } = await setup(OFF);
    expect(text('two-factor-state')).toBe('Two-factor sign-in is off: a password alone signs you in.');
    button('Set up').click();
    http
      .expectOne('/api/auth/2fa/setup')
      .flush({ otpauthUrl: 'otpauth://…', qrCode: 'data:image/png;base64,AA==', secret: 'ABCD' });
    await fixture.whenStable();
    expect(element.querySelector<HTMLImageElement>('img.qr')!.getAttribute('src')).toBe('data:image/png;base64,AA==');
    await type('enrol-code', '123-456');
    element.querySelector('mt-two-factor-enrolment form')!.dispatchEvent(new Event('submit'));
    const confirm = http.expectOne('/api/auth/2fa/confirm');
    expect(confirm.request.body).toEqual({ code: '123456' });
    const codes = Array.from({ length: 10 }, (_, i) => `1111${i}-22222-33333-44444`);
    confirm.flush({ recoveryCodes: codes });
    await fixture.whenStable();
    expect(element.querySelectorAll('[data-testid="recovery-codes"] li')).toHaveLength(10);
    button('I have saved them').click();
    http.expectOne('/api/auth/2fa').flush({ ...ON, recoveryCodesLeft: 10 });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="recovery-codes"]')).toBeNull();
    expect(text('two-factor-state')).toBe('Two-factor sign-in is on; 10 of 10 recovery codes are left.');
  });

  it('does not send a malformed first code', async () => {
    const { fixture, http, element, button, type } = await setup(OFF);
    button('Set up').click();
    http.expectOne('/api/auth/2fa/setup').flush({ otpauthUrl: '', qrCode: '', secret: '' });
    await fixture.whenStable();
    await type('enrol-code', '12345');
    element.querySelector('mt-two-factor-enrolment form')!.dispatchEvent(new Event('submit'));
    http.expectNone('/api/auth/2fa/confirm');
  });

  it('turns it off with six digits as a code and anything else as the password', async () => {
    const { fixture, http, element, type, text } = await setup(ON);
    await type('disable-proof', '987 654');
    element.querySelector('form')!.dispatchEvent(new Event('submit'));
    const byCode = http.expectOne('/api/auth/2fa/disable');
    expect(byCode.request.body).toEqual({ code: '987654' });
    byCode.flush({ message: ['code is wrong'] }, { status: 400, statusText: 'Bad Request' });
    await fixture.whenStable();
    expect(text('two-factor-error')).toBe('The API answered 400: code is wrong');
    await type('disable-proof', 'my password 1');
    element.querySelector('form')!.dispatchEvent(new Event('submit'));
    const byPassword = http.expectOne('/api/auth/2fa/disable');
    expect(byPassword.request.body).toEqual({ password: 'my password 1' });
    byPassword.flush(null);
    http.expectOne('/api/auth/2fa').flush(OFF);
    await fixture.whenStable();
    expect(text('two-factor-state')).toBe('Two-factor sign-in is off: a password alone signs you in.');
  });

  it('offers no way to turn it off while an admin requires it', async () => {
    const { element } = await setup({ ...ON, required: true });
    expect(element.querySelector('[data-testid="disable-proof"]')).toBeNull();
    expect(element.textContent).toContain('An admin requires it for everyone, so it cannot be turned off.');
  });

  it('lets an admin require it for everyone; a viewer sees no such switch', async () => {
    const admin = await setup(ON, 'admin');
    const checkbox = admin.element.querySelector<HTMLInputElement>('[data-testid="require-two-factor"] input')!;
    expect(checkbox.checked).toBe(false);
    checkbox.click();
    const save = admin.http.expectOne('/api/auth/2fa/policy');
    expect(save.request.method).toBe('PUT');
    expect(save.request.body).toEqual({ requireTwoFactor: true });
    save.flush({ requireTwoFactor: true });
    admin.http.expectOne('/api/auth/2fa').flush({ ...ON, required: true });
    await admin.fixture.whenStable();
    expect(checkbox.checked).toBe(true);
    TestBed.resetTestingModule();
    const viewer = await setup(ON, 'viewer');
    expect(viewer.element.querySelector('[data-testid="require-two-factor"]')).toBeNull();
  });
});
