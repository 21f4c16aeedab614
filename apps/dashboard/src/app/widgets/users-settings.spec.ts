import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { UserSummary } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { UsersSettings } from './users-settings';

const user = (change: Partial<UserSummary>): UserSummary => ({
  id: '1',
  email: 'admin@example.com',
  name: 'Admin',
  role: 'admin',
  createdAt: '2026-11-01T08:00:00.000Z',
  ...change,
});

async function setup() {
  TestBed.configureTestingModule({
    imports: [UsersSettings],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  TestBed.inject(AuthService).user.set({ id: '1', email: 'admin@example.com', name: 'Admin', role: 'admin' });
  const fixture = TestBed.createComponent(UsersSettings);
  const http = TestBed.inject(HttpTestingController);
  await fixture.whenStable();
  http
    .expectOne('/api/users')
    .flush({ users: [user({}), user({ id: '2', email: 'staff@example.com', name: '', role: 'viewer' })] });
  await fixture.whenStable();
  return { fixture, http, element: fixture.nativeElement as HTMLElement };
}

const type = (element: HTMLElement, testId: string, value: string) => {
  const input = element.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
};

describe('UsersSettings', () => {
  it('lists the users; one cannot remove or demote oneself', async () => {
    const { element } = await setup();
    const rows = element.querySelectorAll('[data-testid="user-row"]');
    expect(Array.from(rows, (row) => row.getAttribute('data-email'))).toEqual([
      'admin@example.com',
      'staff@example.com',
    ]);
    expect(rows[0]!.querySelector('[data-testid="user-remove"]')).toBeNull();
    expect(rows[0]!.textContent).toContain('you');
    expect(rows[1]!.querySelector('[data-testid="user-remove"]')).not.toBeNull();
  });

  it('invites a user with the role and first password given, and says they can sign in', async () => {
    const { fixture, http, element } = await setup();
    type(element, 'invite-email', 'new@example.com');
    type(element, 'invite-name', ' New Person ');
    type(element, 'invite-password', 'first-password');
    await fixture.whenStable();
    element.querySelector<HTMLFormElement>('[data-testid="invite-form"]')!.dispatchEvent(new Event('submit'));
    const invite = http.expectOne({ method: 'POST', url: '/api/users' });
    expect(invite.request.body).toEqual({
      email: 'new@example.com',
      name: 'New Person',
      role: 'viewer',
      password: 'first-password',
    });
    invite.flush(user({ id: '3', email: 'new@example.com', role: 'viewer' }));
    http.expectOne('/api/users').flush({ users: [user({})] });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="invite-done"]')?.textContent?.trim()).toBe(
      'new@example.com can sign in now.',
    );
  });

  it('says why a change was refused (the last admin) and shows the list as it is', async () => {
    const { fixture, http, element } = await setup();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    element.querySelector<HTMLButtonElement>('[data-testid="user-remove"]')!.click();
    http
      .expectOne({ method: 'DELETE', url: '/api/users/2' })
      .flush({ message: 'the last admin cannot be removed' }, { status: 409, statusText: 'Conflict' });
    http.expectOne('/api/users').flush({ users: [user({})] });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="users-error"]')?.textContent?.trim()).toBe(
      'The API answered 409: the last admin cannot be removed',
    );
  });
});
