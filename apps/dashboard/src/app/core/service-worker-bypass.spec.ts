import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { apiPastServiceWorker } from './service-worker-bypass';

describe('apiPastServiceWorker', () => {
  it('sends API requests past the service worker, and nothing else', () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([apiPastServiceWorker])), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpClient);
    const backend = TestBed.inject(HttpTestingController);
    http.get('/api/comparison/today-vs-yesterday').subscribe();
    http.get('/manifest.webmanifest').subscribe();
    expect(backend.expectOne('/api/comparison/today-vs-yesterday').request.headers.get('ngsw-bypass')).toBe('true');
    expect(backend.expectOne('/manifest.webmanifest').request.headers.has('ngsw-bypass')).toBe(false);
    backend.verify();
  });
});
