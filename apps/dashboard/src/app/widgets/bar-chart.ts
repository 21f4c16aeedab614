import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import type { Chart } from 'chart.js';
import { PreferencesService } from '../core/preferences.service';

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
  protected readonly failed = signal(false);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly host = inject(ElementRef<HTMLElement>);
  private readonly preferences = inject(PreferencesService);
  private chart: Chart | null = null;

  constructor() {
    afterRenderEffect(() => {
      const labels = this.labels();
      const values = this.values();
      this.preferences.theme();
      void this.draw(labels, values);
    });
  }

  private async draw(labels: string[], values: number[]): Promise<void> {
    try {
      const { Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip } = await import('chart.js');
      Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
      const primary = this.resolveColor('--mat-sys-primary', '#8c7ae6');
      const text = this.resolveColor('--mat-sys-on-surface-variant', '#999');
      const grid = this.resolveColor('--mat-sys-outline-variant', 'rgba(128,128,128,0.3)');
      this.chart?.destroy();
      const context = this.canvas().nativeElement.getContext('2d');
      if (!context) throw new Error('no 2d context');
      this.chart = new Chart(context, {
        type: 'bar',
        data: { labels, datasets: [{ label: this.label(), data: values, backgroundColor: primary, borderRadius: 4 }] },
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
