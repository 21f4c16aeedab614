import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  InjectionToken,
  afterRenderEffect,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import type { ChartConfiguration, ChartDataset, TooltipModel } from 'chart.js';
import { MASKED_AMOUNT, formatMoney, formatNumber, numberFormat } from '../core/format';
import { whenIdle } from '../core/idle';
import { PreferencesService } from '../core/preferences.service';
import { drawLines } from './line-drawing';

/** One line or set of bars; a comparison (yesterday, the previous period) is drawn dashed and quieter. */
export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  comparison?: boolean;
  /** Tooltip names by point, where each point is a different day ("Tue 25 Nov 2025"). */
  pointLabels?: string[];
}

export type ChartKind = 'line' | 'bar';

/** What the component keeps of a drawn chart: Chart.js holds the canvas and a resize observer until destroyed. */
export interface DrawnChart {
  destroy(): void;
  /** Shows point `index` of every series as if hovered (keyboard use); without it, keys do nothing. */
  showPoint?(index: number): void;
  hidePoint?(): void;
}

export type ChartFactory = (canvas: HTMLCanvasElement, config: ChartConfiguration<ChartKind>) => DrawnChart;

/** What draws a chart of a kind; tests hand in a fake. */
export const CHART_FACTORY = new InjectionToken<(kind: ChartKind) => Promise<ChartFactory>>('CHART_FACTORY', {
  providedIn: 'root',
  factory: () => chartFactoryFor,
});

/**
 * Lines (sparklines, the hero's hours, a range's days) are drawn on the canvas directly; bars need
 * Chart.js, its own lazy chunk, loaded when the first bar chart is drawn.
 */
export function chartFactoryFor(kind: ChartKind): Promise<ChartFactory> {
  return kind === 'line' ? Promise.resolve(drawLines) : loadChartJs();
}

async function loadChartJs(): Promise<ChartFactory> {
  // The figures first: Chart.js (a large download) is fetched once the page has painted them.
  await whenIdle();
  const chartJs = await import('chart.js');
  const { Chart } = chartJs;
  // Only what these charts draw: lines, bars, their points and fills, two scales and the tooltip.
  Chart.register(
    chartJs.LineController,
    chartJs.LineElement,
    chartJs.PointElement,
    chartJs.BarController,
    chartJs.BarElement,
    chartJs.CategoryScale,
    chartJs.LinearScale,
    chartJs.Filler,
    chartJs.Tooltip,
  );
  return (canvas, config) => {
    const chart = new Chart(canvas, config);
    const datasets = () => chart.data.datasets;
    return {
      destroy: () => chart.destroy(),
      showPoint: (index) => {
        const active = datasets()
          .map((_, datasetIndex) => ({ datasetIndex, index }))
          .filter(({ datasetIndex }) => datasets()[datasetIndex]!.data[index] != null);
        const anchor = active[0] && chart.getDatasetMeta(active[0].datasetIndex).data[index];
        if (!anchor) return;
        chart.setActiveElements(active);
        chart.tooltip?.setActiveElements(active, { x: anchor.x, y: anchor.y });
        chart.update('none');
      },
      hidePoint: () => {
        chart.setActiveElements([]);
        chart.tooltip?.setActiveElements([], { x: 0, y: 0 });
        chart.update('none');
      },
    };
  };
}

/** The tooltip as the component shows it (HTML, so that it is styled by the theme and readable by tests). */
export interface ChartTooltip {
  /** The point shown. */
  index: number;
  title: string;
  rows: Array<{ label: string; value: string; comparison: boolean }>;
  x: number;
  y: number;
}

/** The colours of every chart, read from the Material theme of the moment. */
interface ChartTheme {
  main: string;
  mainFill: string;
  comparison: string;
  text: string;
  grid: string;
  /** The page's font, for the axes' labels. */
  font: string;
}

/**
 * Every chart of the dashboard: lines (today with yesterday dashed, a range with its comparison) and bars
 * (Spotify minutes), full size or as a tile's sparkline, in one theme. Lines are drawn directly; for bars
 * Chart.js is imported on first draw (a lazy chunk). A drawing is destroyed before every redraw and with
 * the component. Hovering (or touching) shows the exact figures of that point for every series.
 */
@Component({
  selector: 'mt-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.drawn]': "kind() === 'line'" },
  template: `
    <div class="chart-box" [style.height.px]="height()">
      <!-- Focusable: the arrow keys (Home, End) walk the points and show their exact figures. -->
      <canvas
        #canvas
        role="img"
        tabindex="0"
        [attr.aria-label]="spokenLabel()"
        (keydown)="walk($event)"
        (blur)="leave()"
      ></canvas>
      @if (tooltip(); as tip) {
        <div
          class="chart-tooltip"
          data-testid="chart-tooltip"
          aria-live="polite"
          [style.left.px]="tip.x"
          [style.top.px]="tip.y"
          [class.flip]="flipTooltip()"
        >
          <div class="tip-title">{{ tip.title }}</div>
          @for (row of tip.rows; track $index) {
            <div class="tip-row" [class.tip-comparison]="row.comparison" data-testid="chart-tooltip-row">
              <span class="tip-swatch" aria-hidden="true"></span>{{ row.label }}
              <strong class="amount">{{ row.value }}</strong>
            </div>
          }
        </div>
      }
      @if (failed()) {
        <p class="muted">The chart could not be drawn.</p>
      }
    </div>
  `,
  styles: `
    :host {
      display: block;
      min-width: 0;
    }
    .chart-box {
      position: relative;
      width: 100%;
    }
    canvas {
      max-width: 100%;
    }
    /* Chart.js sizes its canvas to the box; a line chart, drawn without it, is sized here. */
    :host(.drawn) canvas {
      display: block;
      width: 100%;
      height: 100%;
    }
    .chart-tooltip {
      position: absolute;
      z-index: 5;
      transform: translate(12px, -50%);
      pointer-events: none;
      min-width: 140px;
      padding: 8px 10px;
      border-radius: 8px;
      background: var(--mat-sys-inverse-surface);
      color: var(--mat-sys-inverse-on-surface);
      box-shadow: 0 4px 14px rgb(0 0 0 / 0.3);
      font-size: 0.8rem;
      white-space: nowrap;
    }
    .chart-tooltip.flip {
      transform: translate(calc(-100% - 12px), -50%);
    }
    .tip-title {
      font-weight: 600;
      margin-bottom: 4px;
    }
    .tip-row {
      display: flex;
      align-items: center;
      gap: 6px;
    }
    .tip-row strong {
      margin-left: auto;
      padding-left: 12px;
      font-variant-numeric: tabular-nums;
    }
    .tip-swatch {
      width: 10px;
      height: 3px;
      border-radius: 2px;
      background: var(--mat-sys-inverse-primary);
    }
    .tip-comparison .tip-swatch {
      background: repeating-linear-gradient(90deg, currentColor 0 3px, transparent 3px 5px);
    }
  `,
})
export class Chart {
  readonly kind = input<ChartKind>('line');
  readonly labels = input.required<string[]>();
  /** Tooltip headings by point, where they say more than the axis label ("Until 15:00"). */
  readonly tooltipTitles = input<string[] | null>(null);
  readonly series = input.required<ChartSeries[]>();
  /** Spoken instead of the drawing: what it shows, with its key figure. */
  readonly label = input.required<string>();
  /** Amounts (masked in presenter mode) or counts. */
  readonly unit = input<'money' | 'count'>('count');
  readonly currency = input('USD');
  /** A tile's sparkline: no axes, no grid, small. */
  readonly variant = input<'full' | 'spark'>('full');
  readonly height = input(220);
  protected readonly failed = signal(false);
  /** The label, and on a full chart how to reach its figures. */
  protected readonly spokenLabel = computed(() => {
    const label = this.label().replace(/\.$/, '');
    return this.variant() === 'full' ? `${label}. Arrow keys show the figures of each point.` : label;
  });
  protected readonly tooltip = signal<ChartTooltip | null>(null);
  /** Near the right edge the tooltip opens to the left of the point, so that it never leaves the card. */
  protected readonly flipTooltip = computed(() => {
    const tip = this.tooltip();
    return tip !== null && tip.x > this.canvas().nativeElement.clientWidth / 2;
  });
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly host = inject(ElementRef<HTMLElement>);
  private readonly preferences = inject(PreferencesService);
  private readonly loadFactory = inject(CHART_FACTORY);
  private chart: DrawnChart | null = null;
  /** The point the keyboard is on, or null. */
  private keyboardPoint: number | null = null;
  /** Counts draws and the destruction: a draw that finds it moved on while Chart.js loaded gives up. */
  private generation = 0;

  constructor() {
    afterRenderEffect(() => {
      const config = {
        kind: this.kind(),
        labels: this.labels(),
        series: this.series(),
        format: this.formatter(),
        spark: this.variant() === 'spark',
      };
      this.preferences.theme();
      void this.draw(config);
    });
    // Chart.js keeps the canvas, its listeners and a resize observer alive until told otherwise.
    inject(DestroyRef).onDestroy(() => {
      this.generation++;
      this.discardChart();
    });
  }

  /** Exact figures for the tooltip: cents for money (or the mask while presenting), whole counts. */
  protected readonly formatter = computed<(value: number) => string>(() => {
    const presenting = this.preferences.presenterMode();
    const currency = this.currency();
    if (this.unit() === 'money') return (value) => (presenting ? MASKED_AMOUNT : formatMoney(value, currency));
    return (value) => formatNumber(value);
  });

  private async draw(config: {
    kind: ChartKind;
    labels: string[];
    series: ChartSeries[];
    format: (value: number) => string;
    spark: boolean;
  }): Promise<void> {
    const generation = ++this.generation;
    try {
      const createChart = await this.loadFactory(config.kind);
      // Each chart in a task of its own: seven charts drawn in one go would block a phone's main thread.
      await nextTask();
      if (generation !== this.generation) return;
      const theme = this.readTheme();
      // New figures of the same chart (the minute's refresh, a live order) keep the point someone is
      // reading shown, with its new figures; the first drawing shows the point the keyboard asked for
      // while Chart.js was loading.
      const shown = this.tooltip()?.index ?? (this.chart === null ? this.keyboardPoint : null);
      this.discardChart();
      this.tooltip.set(null);
      this.keyboardPoint = shown;
      this.chart = createChart(this.canvas().nativeElement, this.configuration(config, theme));
      if (shown !== null) this.chart.showPoint?.(shown);
      this.failed.set(false);
    } catch {
      this.failed.set(true);
    }
  }

  private configuration(
    config: {
      kind: ChartKind;
      labels: string[];
      series: ChartSeries[];
      format: (value: number) => string;
      spark: boolean;
    },
    theme: ChartTheme,
  ): ChartConfiguration<ChartKind> {
    const { kind, labels, series, format, spark } = config;
    const datasets = series.map((one, index): ChartDataset<ChartKind, Array<number | null>> => {
      const color = one.comparison ? theme.comparison : theme.main;
      if (kind === 'bar')
        return { type: 'bar', label: one.label, data: one.values, backgroundColor: color, borderRadius: 4 };
      return {
        type: 'line',
        label: one.label,
        data: one.values,
        borderColor: color,
        borderWidth: spark ? 1.5 : 2,
        borderDash: one.comparison ? [5, 4] : [],
        // A range of a day or two is a dot or two: draw them, a line needs more points to be seen.
        pointRadius: labels.length <= 2 ? 3 : 0,
        pointHoverRadius: spark ? 2 : 4,
        pointBackgroundColor: color,
        tension: 0.25,
        // The main series is filled softly down to the axis; the comparison stays a dashed line.
        fill: !one.comparison && index === 0 ? 'origin' : false,
        backgroundColor: theme.mainFill,
        spanGaps: false,
      };
    });
    return {
      type: kind,
      data: { labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        layout: { padding: spark ? 2 : 0 },
        scales: {
          x: {
            display: !spark,
            ticks: { color: theme.text, font: { family: theme.font, size: 12 }, maxRotation: 0, autoSkipPadding: 12 },
            grid: { display: false },
          },
          y: {
            display: !spark,
            // A sparkline shows the shape; a full chart starts at 0, and a refund or two below zero
            // would stretch its axis a whole step under it, so it stays at 0 unless figures go negative.
            beginAtZero: !spark,
            min: !spark && mostlyPositive(series) ? 0 : undefined,
            ticks: {
              color: theme.text,
              font: { family: theme.font, size: 12 },
              maxTicksLimit: 5,
              callback: (value) => this.axisTick(Number(value)),
            },
            grid: { color: theme.grid },
            border: { display: false },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            enabled: false,
            external: ({ tooltip }) => this.showTooltip(tooltip, format),
          },
        },
      },
    };
  }

  /** Axis labels stay short ("$1.2K"); the tooltip has the exact figure. Masked while presenting. */
  private axisTick(value: number): string {
    if (this.unit() !== 'money') return numberFormat({ notation: 'compact' }).format(value);
    if (this.preferences.presenterMode()) return MASKED_AMOUNT;
    return numberFormat({
      style: 'currency',
      currency: this.currency(),
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(value);
  }

  private showTooltip(model: TooltipModel<ChartKind>, format: (value: number) => string): void {
    if (model.opacity === 0 || model.dataPoints.length === 0) {
      this.tooltip.set(null);
      return;
    }
    const series = this.series();
    const index = model.dataPoints[0]!.dataIndex;
    this.tooltip.set({
      index,
      title: this.tooltipTitles()?.[index] ?? model.title.join(' '),
      rows: model.dataPoints
        .filter((point) => point.raw !== null && point.raw !== undefined)
        .map((point) => ({
          label: series[point.datasetIndex]?.pointLabels?.[point.dataIndex] ?? point.dataset.label ?? '',
          value: format(Number(point.raw)),
          comparison: series[point.datasetIndex]?.comparison ?? false,
        })),
      x: model.caretX,
      y: model.caretY,
    });
  }

  /** Arrow keys, Home and End move over the points that have figures; Escape hides the tooltip. */
  protected walk(event: KeyboardEvent): void {
    const points = this.labels().length;
    const main = this.series()[0]?.values ?? [];
    const last = Math.max(
      0,
      main.findLastIndex((value) => value !== null),
    );
    const current = this.keyboardPoint;
    const next: Record<string, () => number | null> = {
      ArrowRight: () => (current === null ? 0 : Math.min(current + 1, last)),
      ArrowLeft: () => (current === null ? last : Math.max(current - 1, 0)),
      Home: () => 0,
      End: () => last,
      Escape: () => null,
    };
    const move = next[event.key];
    if (!move || points === 0) return;
    event.preventDefault();
    this.keyboardPoint = move();
    if (this.keyboardPoint === null) this.leave();
    else this.chart?.showPoint?.(this.keyboardPoint);
  }

  protected leave(): void {
    this.keyboardPoint = null;
    this.chart?.hidePoint?.();
    this.tooltip.set(null);
  }

  private discardChart(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  /** The theme's colours, read once per theme: each read makes the browser work out the page's styles. */
  private readTheme(): ChartTheme {
    const name = this.preferences.theme();
    const known = themes.get(name);
    if (known) return known;
    const main = this.resolveColor('--mat-sys-primary');
    const theme = {
      main,
      mainFill: withAlpha(main, 0.16),
      comparison: this.resolveColor('--mat-sys-outline'),
      text: this.resolveColor('--mat-sys-on-surface-variant'),
      grid: withAlpha(this.resolveColor('--mat-sys-outline-variant'), 0.6),
      font: getComputedStyle(this.host.nativeElement as HTMLElement).fontFamily || 'sans-serif',
    };
    themes.set(name, theme);
    return theme;
  }

  /**
   * Material's system colours are `light-dark(…)` expressions that canvas cannot parse: let the browser
   * resolve one to rgb() on a probe element first.
   */
  private resolveColor(variable: string): string {
    const host = this.host.nativeElement as HTMLElement;
    const probe = host.ownerDocument.createElement('span');
    probe.style.color = `var(${variable}, currentColor)`;
    host.appendChild(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color || 'gray';
  }
}

/** Chart colours by theme, shared by every chart of the page. */
const themes = new Map<string, ChartTheme>();

function mostlyPositive(series: ChartSeries[]): boolean {
  const values = series.flatMap((one) => one.values).filter((value): value is number => value !== null);
  const lowest = Math.min(0, ...values);
  const highest = Math.max(0, ...values);
  return lowest >= -0.05 * highest;
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** "rgb(1, 2, 3)" → "rgba(1, 2, 3, 0.16)"; any other form is returned as it is. */
export function withAlpha(color: string, alpha: number): string {
  const match = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  return match ? `rgba(${match[1]}, ${match[2]}, ${match[3]}, ${alpha})` : color;
}
