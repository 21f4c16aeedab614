import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import type { CompareWith } from '@mt/contracts';
import { COMPARE_LABELS, DateRange, PRESETS, PresetKey, RangeView, describeDays, viewLabel } from '../core/range';
import { RangePicker } from './range-picker';

/**
 * Which range the page shows (a preset or picked days), what it is compared with, and its exports.
 * Plain controls, so that the first screen needs none of Material's form code: the calendar is loaded
 * when someone asks for other days.
 */
@Component({
  selector: 'mt-range-bar',
  imports: [RangePicker],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="range-bar">
      <!-- On a phone the controls fold under one line that says what is shown, so the hero stays on the first screen. -->
      <button
        type="button"
        class="range-summary"
        (click)="open.set(!open())"
        [attr.aria-expanded]="open()"
        aria-controls="range-controls"
        data-testid="range-menu"
      >
        <span class="range-name">{{ label() }}</span>
        <span class="muted">vs {{ compareLabel() }}</span>
        <span class="caret" aria-hidden="true">{{ open() ? '▴' : '▾' }}</span>
      </button>
      <div id="range-controls" class="range-controls" [class.open]="open()" role="group" aria-label="Range shown">
        <label class="field">
          <span class="field-label">Range</span>
          <select class="control" (change)="choosePreset($any($event.target).value)" data-testid="range-preset">
            @for (preset of presets; track preset.key) {
              <option [value]="preset.key" [selected]="view().preset === preset.key">{{ preset.label }}</option>
            }
            <option value="custom" [selected]="view().preset === 'custom'">Custom days…</option>
          </select>
        </label>
        @defer (on interaction; when pickerWanted()) {
          <mt-range-picker [days]="days()" (picked)="chooseDays($event)" />
        } @placeholder {
          <button type="button" class="control days-button" data-testid="range-days">
            <span class="field-label">Days</span>
            <span>{{ daysText() }}</span>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path fill="currentColor" d="M7 2h2v2h6V2h2v2h3v18H4V4h3zm-1 8v10h12V10zm0-4v2h12V6z" />
            </svg>
          </button>
        }
        <div class="segmented" role="group" aria-label="Compare with" data-testid="range-compare">
          @for (option of compareOptions; track option.value) {
            <button
              type="button"
              [attr.aria-pressed]="view().compare === option.value"
              (click)="chooseCompare(option.value)"
              [attr.data-testid]="'compare-' + option.value"
            >
              {{ option.label }}
            </button>
          }
        </div>
        <span class="exports">
          <span class="muted">Export</span>
          @for (link of exportLinks(); track link.key) {
            <a [href]="link.href" download [attr.data-testid]="'export-' + link.key">{{ link.label }}</a>
          }
        </span>
      </div>
    </div>
  `,
  styles: `
    .range-controls {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 12px;
      align-items: center;
    }
    .field {
      position: relative;
      display: inline-flex;
    }
    .field-label {
      position: absolute;
      top: -8px;
      left: 10px;
      padding: 0 4px;
      font-size: 0.72rem;
      color: var(--mat-sys-on-surface-variant);
      background: var(--mt-page);
    }
    .control {
      position: relative;
      height: 48px;
      padding: 0 14px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 8px;
      background: transparent;
      color: var(--mat-sys-on-surface);
      font: inherit;
    }
    select.control {
      min-width: 170px;
      padding-right: 32px;
      appearance: none;
      background-image:
        linear-gradient(45deg, transparent 50%, currentColor 50%),
        linear-gradient(135deg, currentColor 50%, transparent 50%);
      background-position:
        calc(100% - 18px) 50%,
        calc(100% - 13px) 50%;
      background-size: 5px 5px;
      background-repeat: no-repeat;
    }
    select.control option {
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
    }
    .days-button {
      display: inline-flex;
      align-items: center;
      gap: 12px;
      min-width: 250px;
      cursor: pointer;
      text-align: left;
    }
    .days-button svg {
      margin-left: auto;
      color: var(--mat-sys-on-surface-variant);
    }
    .control:hover {
      border-color: var(--mat-sys-on-surface);
    }
    .segmented {
      display: inline-flex;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 999px;
      overflow: hidden;
    }
    .segmented button {
      height: 40px;
      padding: 0 16px;
      border: 0;
      background: transparent;
      color: var(--mat-sys-on-surface);
      font: inherit;
      font-size: 0.9rem;
      cursor: pointer;
    }
    .segmented button + button {
      border-left: 1px solid var(--mat-sys-outline);
    }
    .segmented button[aria-pressed='true'] {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font-weight: 600;
    }
    .exports {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
    }
    .exports a {
      color: var(--mat-sys-primary);
      font-weight: 500;
      text-decoration: none;
      padding: 6px 2px;
    }
    .exports a:hover {
      text-decoration: underline;
    }
    .range-summary {
      display: none;
    }
    @media (max-width: 599.98px) {
      .range-summary {
        display: flex;
        width: 100%;
        align-items: baseline;
        gap: 8px;
        padding: 10px 14px;
        border: 1px solid var(--mat-sys-outline-variant);
        border-radius: 12px;
        background: var(--mt-card);
        color: inherit;
        font: inherit;
        text-align: left;
        cursor: pointer;
      }
      .range-name {
        font-weight: 600;
      }
      .caret {
        margin-left: auto;
      }
      .range-controls {
        display: none;
      }
      .range-controls.open {
        display: flex;
        flex-direction: column;
        align-items: stretch;
        padding: 16px 0 4px;
      }
      .field,
      select.control,
      .days-button {
        width: 100%;
      }
      .segmented button {
        flex: 1;
      }
    }
  `,
})
export class RangeBar {
  readonly view = input.required<RangeView>();
  /** The days the view stands for today (null until the business zone is known). */
  readonly days = input<DateRange | null>(null);
  readonly viewChange = output<RangeView>();
  protected readonly presets = PRESETS;
  protected readonly compareOptions: Array<{ value: CompareWith; label: string }> = [
    { value: 'previous', label: 'Previous period' },
    { value: 'yoy', label: 'Year over year' },
  ];
  protected readonly open = signal(false);
  /** "Custom days…" was chosen: load the calendar (and open it). */
  protected readonly pickerWanted = signal(false);
  protected readonly label = computed(() => viewLabel(this.view()));
  protected readonly compareLabel = computed(() => COMPARE_LABELS[this.view().compare]);
  protected readonly daysText = computed(() => {
    const days = this.days();
    return days ? describeDays(days.from, days.to) : '…';
  });
  protected readonly exportLinks = computed(() => {
    const days = this.days();
    const query = days ? `&from=${days.from}&to=${days.to}` : '';
    return [
      { key: 'orders-csv', label: 'Orders CSV', href: `/api/export/orders?format=csv${query}` },
      { key: 'orders-xlsx', label: 'Orders XLSX', href: `/api/export/orders?format=xlsx${query}` },
      { key: 'daily-csv', label: 'Daily CSV', href: `/api/export/daily?format=csv${query}` },
      { key: 'daily-xlsx', label: 'Daily XLSX', href: `/api/export/daily?format=xlsx${query}` },
    ];
  });

  /** A preset is shown at once; "Custom days…" opens the calendar and waits for the days. */
  protected choosePreset(preset: PresetKey | 'custom'): void {
    if (preset === 'custom') {
      this.pickerWanted.set(true);
      return;
    }
    this.viewChange.emit({ preset, compare: this.view().compare });
    this.open.set(false);
  }

  protected chooseCompare(compare: CompareWith): void {
    if (compare !== this.view().compare) this.viewChange.emit({ ...this.view(), compare });
  }

  protected chooseDays(custom: DateRange): void {
    this.viewChange.emit({ preset: 'custom', custom, compare: this.view().compare });
    this.open.set(false);
  }
}
