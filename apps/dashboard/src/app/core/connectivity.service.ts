import { DOCUMENT, DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';
import { readStored, store } from './preferences.service';
import { SocketService } from './socket.service';

const FIGURES_AS_OF_KEY = 'mtink.figuresAsOf';

/**
 * Whether the dashboard is cut off: the browser has no network, or the live connection it had is gone
 * (the server is down or unreachable). The page then shows one bar with the time of its figures instead
 * of an error on every card, and tries again as soon as the browser is back online.
 */
@Injectable({ providedIn: 'root' })
export class Connectivity {
  private readonly socket = inject(SocketService);
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly browserOnline = signal(this.window?.navigator.onLine ?? true);
  /**
   * When the figures last shown were computed (the hero's `asOf`), remembered across starts: the
   * installed app opened without a network says how old the figures it last had are.
   */
  readonly figuresAsOf = signal<string | null>(readStored(FIGURES_AS_OF_KEY));
  readonly offline = computed(() => !this.browserOnline() || this.socket.status() === 'reconnecting');

  constructor() {
    const online = () => {
      this.browserOnline.set(true);
      this.socket.reconnectNow();
    };
    const offline = () => this.browserOnline.set(false);
    effect(() => {
      const asOf = this.figuresAsOf();
      if (asOf) store(FIGURES_AS_OF_KEY, asOf);
    });
    this.window?.addEventListener('online', online);
    this.window?.addEventListener('offline', offline);
    inject(DestroyRef).onDestroy(() => {
      this.window?.removeEventListener('online', online);
      this.window?.removeEventListener('offline', offline);
    });
  }
}
