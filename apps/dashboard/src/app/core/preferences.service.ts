import { DOCUMENT, Injectable, effect, inject, signal } from '@angular/core';

export type ThemeName = 'dark' | 'light';

const THEME_KEY = 'mtink.theme';
const PRESENTER_KEY = 'mtink.presenter';
/** The browser's toolbar and the installed app's title bar, per theme (the manifest's is the dark one). */
export const THEME_COLORS: Record<ThemeName, string> = { dark: '#18194c', light: '#f2efff' };

/** Theme and presenter mode, remembered in localStorage so that a reload keeps what the owner chose. */
@Injectable({ providedIn: 'root' })
export class PreferencesService {
  private readonly document = inject(DOCUMENT);
  readonly theme = signal<ThemeName>(readStored(THEME_KEY) === 'light' ? 'light' : 'dark');
  /** While the screen is shared: every money amount is masked. */
  readonly presenterMode = signal(readStored(PRESENTER_KEY) === 'true');

  constructor() {
    effect(() => {
      const theme = this.theme();
      this.document.documentElement.classList.toggle('light-theme', theme === 'light');
      this.document.querySelector('meta[name="theme-color"]')?.setAttribute('content', THEME_COLORS[theme]);
      store(THEME_KEY, theme);
    });
    effect(() => {
      const presenter = this.presenterMode();
      this.document.documentElement.classList.toggle('presenter-mode', presenter);
      store(PRESENTER_KEY, String(presenter));
    });
  }

  toggleTheme(): void {
    this.theme.update((theme) => (theme === 'dark' ? 'light' : 'dark'));
  }

  togglePresenterMode(): void {
    this.presenterMode.update((on) => !on);
  }
}

// Storage can throw (private mode, disabled cookies): preferences then last for the tab only.
export function readStored(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function store(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    /* not remembered */
  }
}
