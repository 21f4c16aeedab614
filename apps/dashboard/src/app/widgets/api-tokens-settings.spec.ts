import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { ApiTokenSummary } from '@mt/contracts';
import { ApiTokensSettings } from './api-tokens-settings';

const token = (change: Partial<ApiTokenSummary>): ApiTokenSummary => ({
  id: '7',
  name: 'Report script',
  userId: '1',
  userEmail: 'admin@example.com',
  createdAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
  lastUsedAt: null,
  revokedAt: null,
  ...change,
});

async function setup() {
  TestBed.configureTestingModule({
    imports: [ApiTokensSettings],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  const fixture = TestBed.createComponent(ApiTokensSettings);
  const http = TestBed.inject(HttpTestingController);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const text = (testId: string) =>
    Array.from(element.querySelectorAll(`[data-testid="${testId}"]`), (node) => node.textContent?.trim());
  return { fixture, http, element, text };
}

describe('ApiTokensSettings', () => {
  it('lists the tokens with when each was last used, and which are revoked', async () => {
    const { fixture, http, text } = await setup();
    http.expectOne('/api/auth/tokens').flush({
      tokens: [
        token({}),
        token({ id: '8', name: 'Old', lastUsedAt: new Date(Date.now() - 5 * 60_000).toISOString() }),
        token({ id: '9', name: 'Gone', revokedAt: new Date().toISOString() }),
      ],
    });
    await fixture.whenStable();
    expect(text('token-last-used')).toEqual(['never used', 'last used 5 min ago', 'never used']);
    expect(text('token-status')).toEqual(['Revoked']);
    expect(text('token-revoke')).toHaveLength(2);
  });

  it('creates a token from the form (Enter or the button) and shows its secret once', async () => {
    const { fixture, http, element, text } = await setup();
    http.expectOne('/api/auth/tokens').flush({ tokens: [] });
    await fixture.whenStable();
    const input = element.querySelector<HTMLInputElement>('[data-testid="token-name"]')!;
    input.value = '  Monthly report  ';
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    const form = element.querySelector('form')!;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    const create = http.expectOne({ method: 'POST', url: '/api/auth/tokens' });
    expect(create.request.body).toEqual({ name: 'Monthly report' });
    create.flush({ token: token({ name: 'Monthly report' }), secret: 'mt_secret_value' });
    http.expectOne('/api/auth/tokens').flush({ tokens: [token({ name: 'Monthly report' })] });
    await fixture.whenStable();
    expect(text('token-secret')).toEqual(['mt_secret_value']);
    expect(input.value).toBe('');
  });

  it('revokes a token after asking, and lists the tokens again', async () => {
    const { fixture, http, element, text } = await setup();
    http.expectOne('/api/auth/tokens').flush({ tokens: [token({})] });
    await fixture.whenStable();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    element.querySelector<HTMLButtonElement>('[data-testid="token-revoke"]')!.click();
    expect(confirm).toHaveBeenCalledWith('Revoke "Report script"? Scripts that use it stop working at once.');
    http
      .expectOne({ method: 'DELETE', url: '/api/auth/tokens/7' })
      .flush(null, { status: 204, statusText: 'No Content' });
    http.expectOne('/api/auth/tokens').flush({ tokens: [token({ revokedAt: new Date().toISOString() })] });
    await fixture.whenStable();
    expect(text('token-status')).toEqual(['Revoked']);
    confirm.mockRestore();
  });
});
