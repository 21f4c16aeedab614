import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  InjectionToken,
  afterRenderEffect,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import type { ChartConfiguration } from 'chart.js';
import { PreferencesService } from '../core/preferences.service';

/** What the component keeps of a drawn chart: Chart.js holds the canvas and a resize observer until destroyed. */
export interface DrawnChart {
  destroy(): void;
}

export type BarChartFactory = (canvas: HTMLCanvasElement, config: ChartConfiguration<'bar'>) => DrawnChart;

/** Loads Chart.js (its own lazy chunk) once it is first needed; tests hand in a fake. */
export const BAR_CHART_FACTORY = new InjectionToken<() => Promise<BarChartFactory>>('BAR_CHART_FACTORY', {
  providedIn: 'root',
  factory: () => loadChartJs,
});

async function loadChartJs(): Promise<BarChartFactory> {
  const { Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip } = await import('chart.js');
  Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
  return (canvas, config) => new Chart(canvas, config);
}

/**
 * A bar chart drawn by Chart.js, which is imported on first render (its own lazy chunk, ~60 KB
 * gzipped) so that it never weighs on the initial bundle. The table beside each chart carries the
 * same numbers for screen readers and keyboard users, so the canvas is decorative.
 */
@Component({
  selector: 'mt-bar-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="chart-box">
      <canvas #canvas role="img" [attr.aria-label]="label()"></canvas>
      @if (failed()) {
        <p class="muted">The chart could not be drawn; the table below has the same figures.</p>
      }
    </div>
  `,
  styles: `
    .chart-box {
      position: relative;
      height: 220px;
      width: 100%;
    }
    canvas {
      max-width: 100%;
    }
  `,
})
export class BarChart {
  readonly labels = input.required<string[]>();
  readonly values = input.required<number[]>();
  readonly label = input('');
  /** A second series drawn beside the first, paler (e.g. the previous period), with its own label. */
  readonly comparison = input<number[] | null>(null);
  readonly comparisonLabel = input('');
  protected readonly failed = signal(false);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly host = inject(ElementRef<HTMLElement>);
  private readonly preferences = inject(PreferencesService);
  private readonly loadFactory = inject(BAR_CHART_FACTORY);
  private chart: DrawnChart | null = null;
  /** Counts draws and the destruction: a draw that finds it moved on while Chart.js loaded gives up. */
  private generation = 0;

  constructor() {
    afterRenderEffect(() => {
      const labels = this.labels();
      const values = this.values();
      const comparison = this.comparison();
      this.preferences.theme();
      void this.draw(labels, values, comparison);
    });
    // Chart.js keeps the canvas, its listeners and a resize observer alive until told otherwise.
    inject(DestroyRef).onDestroy(() => {
      this.generation++;
      this.discardChart();
    });
  }

  private async draw(labels: string[], values: number[], comparison: number[] | null): Promise<void> {
    const generation = ++this.generation;
    try {
      const createChart = await this.loadFactory();
      if (generation !== this.generation) return;
      const primary = this.resolveColor('--mat-sys-primary', '#8c7ae6');
      const text = this.resolveColor('--mat-sys-on-surface-variant', '#999');
      const grid = this.resolveColor('--mat-sys-outline-variant', 'rgba(128,128,128,0.3)');
      const datasets = [{ label: this.label(), data: values, backgroundColor: primary, borderRadius: 4 }];
      if (comparison)
        datasets.unshift({ label: this.comparisonLabel(), data: comparison, backgroundColor: grid, borderRadius: 4 });
      this.discardChart();
      this.chart = createChart(this.canvas().nativeElement, {
        type: 'bar',
        data: { labels, datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: {
            x: { ticks: { color: text }, grid: { display: false } },
            y: { beginAtZero: true, ticks: { color: text }, grid: { color: grid } },
          },
          plugins: { tooltip: { enabled: true } },
        },
      });
      this.failed.set(false);
    } catch {
      this.failed.set(true);
    }
  }

  private discardChart(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  /**
   * Material's system colours are `light-dark(…)` expressions that canvas cannot parse: let the browser
   * resolve one to rgb() on a probe element first.
   */
  private resolveColor(variable: string, fallback: string): string {
    const host = this.host.nativeElement as HTMLElement;
    const probe = host.ownerDocument.createElement('span');
    probe.style.color = `var(${variable}, ${fallback})`;
    host.appendChild(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color || fallback;
  }
}
