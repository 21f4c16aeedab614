import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { SwPush } from '@angular/service-worker';
import { DEFAULT_PUSH_PREFERENCES, type PushSubscriptionResponse } from '@mt/contracts';
import { BehaviorSubject } from 'rxjs';
import { PushSettings } from './push-settings';

const ENDPOINT = 'https://push.example/device-1';
const DEVICE: PushSubscriptionResponse = {
  id: '12',
  endpoint: ENDPOINT,
  createdAt: '2026-11-26T10:00:00Z',
  preferences: DEFAULT_PUSH_PREFERENCES,
};

/** The browser's side of Web Push, as the Angular service worker's SwPush gives it. */
function fakeSwPush() {
  const subscription = new BehaviorSubject<PushSubscription | null>(null);
  const browserSubscription = {
    endpoint: ENDPOINT,
    toJSON: () => ({ endpoint: ENDPOINT, expirationTime: null, keys: { p256dh: 'BPkey', auth: 'authkey' } }),
  } as unknown as PushSubscription;
  return {
    isEnabled: true,
    subscription,
    requestSubscription: vi.fn(async ({ serverPublicKey }: { serverPublicKey: string }) => {
      expect(serverPublicKey).toBe('BServerKey');
      subscription.next(browserSubscription);
      return browserSubscription;
    }),
    unsubscribe: vi.fn(async () => subscription.next(null)),
  };
}

async function setup() {
  const swPush = fakeSwPush();
  TestBed.configureTestingModule({
    imports: [PushSettings],
    providers: [provideHttpClient(), provideHttpClientTesting(), { provide: SwPush, useValue: swPush }],
  });
  const fixture = TestBed.createComponent(PushSettings);
  const http = TestBed.inject(HttpTestingController);
  http.expectOne('/api/push/public-key').flush({ enabled: true, publicKey: 'BServerKey' });
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  /** Lets the component's awaits after an answer run, then renders. */
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const click = async (testId: string) => {
    (element.querySelector(`[data-testid="${testId}"]`) as HTMLButtonElement).click();
    await settle();
  };
  return { fixture, http, element, swPush, click, settle };
}

describe('PushSettings', () => {
  it('turns this device on with the server’s key and hands its subscription to the API', async () => {
    const { http, element, click, settle } = await setup();
    await click('push-on');
    const request = http.expectOne('/api/push/subscriptions');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ endpoint: ENDPOINT, keys: { p256dh: 'BPkey', auth: 'authkey' } });
    request.flush(DEVICE);
    await settle();
    expect(element.querySelector('[data-testid="push-form"]')).not.toBeNull();
  });

  it('saves what rings, with quiet hours on this browser’s clock, and turns the device off', async () => {
    const { fixture, http, element, swPush, click, settle } = await setup();
    await click('push-on');
    http.expectOne('/api/push/subscriptions').flush(DEVICE);
    await settle();
    fixture.componentInstance.form.patchValue({ everyOrder: false, ordersOver: 100, hideAmounts: true, quiet: true });
    (element.querySelector('[data-testid="push-form"]') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await settle();
    const patch = http.expectOne('/api/push/subscriptions/12');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({
      everyOrder: false,
      ordersOver: 100,
      alerts: true,
      dailyDigest: false,
      hideAmounts: true,
      quietHours: { from: '22:00', to: '07:00', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
    });
    patch.flush({ ...DEVICE, preferences: patch.request.body });
    await settle();
    expect(element.querySelector('[data-testid="push-saved"]')?.textContent?.trim()).toBe('Saved for this device.');
    await click('push-off');
    const removal = http.expectOne('/api/push/subscriptions/12');
    expect(removal.request.method).toBe('DELETE');
    removal.flush(null);
    await settle();
    expect(swPush.unsubscribe).toHaveBeenCalledTimes(1);
    expect(element.querySelector('[data-testid="push-on"]')).not.toBeNull();
  });
});
