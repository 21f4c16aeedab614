import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { formatChange, trendOf } from '../core/format';

/** Grey bars where numbers will appear: the card keeps its shape while loading. */
@Component({
  selector: 'mt-skeleton',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="skeleton" role="status" aria-live="polite" [attr.aria-label]="'Loading ' + label()">
      @for (line of lineList(); track $index) {
        <span class="skeleton-line" [style.width.%]="line"></span>
      }
    </div>
  `,
})
export class Skeleton {
  readonly lines = input(3);
  readonly label = input('');
  protected readonly lineList = computed(() => Array.from({ length: this.lines() }, (_, i) => 90 - ((i * 23) % 40)));
}

/** Why a card has no fresh numbers; stale numbers stay visible below it. */
@Component({
  selector: 'mt-error-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="error-banner" role="alert">
      <span>{{ message() }}</span>
      <button type="button" class="link-button" (click)="retry.emit()">Retry</button>
    </div>
  `,
})
export class ErrorBanner {
  readonly message = input.required<string>();
  readonly retry = output<void>();
}

/** "↑ +12.5%" in green, "↓ −3%" in red; `invert` for figures where down is good. */
@Component({
  selector: 'mt-delta',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class]': '"delta delta-" + trend()', '[attr.aria-label]': 'spoken()' },
  template: `<span aria-hidden="true">{{ arrow() }}</span> {{ text() }}`,
})
export class Delta {
  readonly change = input<number | null | undefined>(null);
  protected readonly trend = computed(() => trendOf(this.change()));
  protected readonly arrow = computed(() => ({ up: '↑', down: '↓', flat: '→', none: '' })[this.trend()]);
  protected readonly text = computed(() => formatChange(this.change()));
  protected readonly spoken = computed(() => {
    const change = this.change();
    if (change === null || change === undefined) return 'no comparison';
    if (change === 0) return 'unchanged';
    return `${change >= 0 ? 'up' : 'down'} ${formatChange(Math.abs(change))}`;
  });
}

/** In place of a form whose fields hold amounts, while the screen is shared. */
@Component({
  selector: 'mt-presenter-notice',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p class="muted" data-testid="presenter-notice">
    Hidden while presenting: {{ subject() }}. Switch presenter mode off to edit.
  </p>`,
})
export class PresenterNotice {
  /** What is hidden: "the monthly goal". */
  readonly subject = input.required<string>();
}
