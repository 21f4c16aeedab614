import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { App } from './app';
import { PreferencesService } from './core/preferences.service';

describe('App', () => {
  beforeEach(() => localStorage.clear());

  it('shows the product name in the toolbar and no session controls before sign-in', async () => {
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const toolbar = (fixture.nativeElement as HTMLElement).querySelector('header.toolbar')!;
    expect(toolbar.querySelector('.brand')?.textContent?.trim()).toBe('MT Ink Dashboard');
    expect(toolbar.querySelector('[data-testid="logout"]')).toBeNull();
    TestBed.inject(HttpTestingController).verify();
  });

  it('switches to the light theme and remembers it', async () => {
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('[data-testid="theme-toggle"]')!.click();
    await fixture.whenStable();
    expect(TestBed.inject(PreferencesService).theme()).toBe('light');
    expect(document.documentElement.classList.contains('light-theme')).toBe(true);
    expect(localStorage.getItem('mtink.theme')).toBe('light');
  });
});
