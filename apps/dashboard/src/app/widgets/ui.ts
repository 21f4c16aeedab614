import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { formatChange, formatNumber, trendOf } from '../core/format';

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

/**
 * "↑ +12.5% vs last week" in the rise colour, "↓ −3%" in the fall colour (theme tokens, readable on
 * every container); read aloud as "up 12.5% vs last week".
 */
@Component({
  selector: 'mt-delta',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class]': '"delta delta-" + trend()', role: 'img', '[attr.aria-label]': 'spoken()' },
  // The change never breaks; "vs yesterday" goes under it when a narrow column has no room for both.
  template: `<span aria-hidden="true"
    ><span class="delta-change">{{ arrow() }} {{ text() }}</span>
    @if (basis()) {
      &ngsp;<span class="delta-basis">{{ basis() }}</span>
    }
  </span>`,
})
export class Delta {
  readonly change = input<number | null | undefined>(null);
  /** What the change is against: "vs last week". */
  readonly basis = input('');
  protected readonly trend = computed(() => trendOf(this.change()));
  protected readonly arrow = computed(() => ({ up: '↑', down: '↓', flat: '→', none: '' })[this.trend()]);
  protected readonly text = computed(() => formatChange(this.change()));
  protected readonly spoken = computed(() => spokenChange(this.change(), this.basis()));
}

/** "up 12.5% vs last week", "down 3%", "unchanged", "no comparison": the sign is in the word, not the number. */
export function spokenChange(change: number | null | undefined, basis = ''): string {
  const tail = basis ? ` ${basis}` : '';
  if (change === null || change === undefined) return `no comparison${tail}`;
  if (change === 0) return `unchanged${tail}`;
  return `${change > 0 ? 'up' : 'down'} ${formatNumber(Math.abs(change), 1)}%${tail}`;
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
