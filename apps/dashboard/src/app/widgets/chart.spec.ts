import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ChartConfiguration, TooltipModel } from 'chart.js';
import { PreferencesService } from '../core/preferences.service';
import { CHART_FACTORY, Chart, ChartFactory, ChartKind, ChartSeries, chartFactoryFor, withAlpha } from './chart';
import { drawLines } from './line-drawing';

/** A chart the fake factory drew: its configuration, and whether the component destroyed it. */
interface FakeChart {
  config: ChartConfiguration<ChartKind>;
  canvas: HTMLCanvasElement;
  destroyed: number;
  /** The points the keyboard asked to show, in order; null for "hide". */
  shown: Array<number | null>;
}

@Component({
  imports: [Chart],
  template: `@if (shown()) {
    <mt-chart
      [kind]="kind()"
      [labels]="labels()"
      [series]="series()"
      [tooltipTitles]="titles()"
      label="Revenue by hour"
      unit="money"
      currency="USD"
    />
  }`,
})
class Host {
  readonly shown = signal(true);
  readonly kind = signal<ChartKind>('line');
  readonly labels = signal(['01:00', '02:00', '03:00']);
  readonly titles = signal<string[] | null>(['Until 01:00', 'Until 02:00', 'Until 03:00']);
  readonly series = signal<ChartSeries[]>([
    { label: 'Today', values: [10, 25.5, null] },
    { label: 'Yesterday', values: [5, 20, 1234.5], comparison: true },
  ]);
}

@Component({
  imports: [Chart],
  template: `<mt-chart
    variant="spark"
    [height]="40"
    [labels]="['Week of 3 Nov', 'Week of 10 Nov', 'Week of 17 Nov', 'Week of 24 Nov']"
    [series]="series()"
    label="Revenue per week"
    unit="money"
    currency="USD"
  />`,
})
class SparkHost {
  readonly series = signal<ChartSeries[]>([{ label: 'Week sales', values: [120.5, null, 80, 1234.56] }]);
}

/** Lets the dynamic import (here a promise the test resolves) and the draw after it run. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
};

async function setup(load?: () => Promise<ChartFactory>) {
  localStorage.clear();
  const charts: FakeChart[] = [];
  const factory: ChartFactory = (canvas, config) => {
    const chart: FakeChart = { config, canvas, destroyed: 0, shown: [] };
    charts.push(chart);
    return {
      destroy: () => chart.destroyed++,
      showPoint: (index) => chart.shown.push(index),
      hidePoint: () => chart.shown.push(null),
    };
  };
  TestBed.configureTestingModule({
    imports: [Host],
    providers: [{ provide: CHART_FACTORY, useValue: load ?? (() => Promise.resolve(factory)) }],
  });
  const fixture = TestBed.createComponent(Host);
  await fixture.whenStable();
  await settle();
  const element = fixture.nativeElement as HTMLElement;
  return { fixture, host: fixture.componentInstance, charts, factory, element };
}

const values = (chart: FakeChart, index: number) => chart.config.data.datasets[index]!.data;

/** What Chart.js hands the external tooltip handler when the pointer is over point `index`. */
function hover(chart: FakeChart, index: number): void {
  const datasets = chart.config.data.datasets;
  const model = {
    opacity: 1,
    title: [String(chart.config.data.labels![index])],
    caretX: 40,
    caretY: 20,
    dataPoints: datasets.map((dataset, datasetIndex) => ({
      dataset,
      datasetIndex,
      dataIndex: index,
      raw: dataset.data[index],
    })),
  } as unknown as TooltipModel<ChartKind>;
  const external = chart.config.options!.plugins!.tooltip!.external!;
  external.call(null as never, { chart: null as never, tooltip: model });
}

describe('Chart', () => {
  it('draws every series on its own canvas, the comparison dashed', async () => {
    const { charts, element } = await setup();
    expect(charts).toHaveLength(1);
    const [today, yesterday] = charts[0]!.config.data.datasets as Array<{ borderDash: number[]; label: string }>;
    expect(charts[0]!.config.type).toBe('line');
    expect(values(charts[0]!, 0)).toEqual([10, 25.5, null]);
    expect(today).toMatchObject({ label: 'Today', borderDash: [] });
    expect(yesterday).toMatchObject({ label: 'Yesterday', borderDash: [5, 4] });
    expect(charts[0]!.canvas).toBe(element.querySelector('mt-chart canvas'));
    expect(element.querySelector('canvas')?.getAttribute('aria-label')).toBe(
      'Revenue by hour. Arrow keys show the figures of each point.',
    );
  });

  it('shows the exact figures of the point under the pointer, with its heading, and hides them after', async () => {
    const { fixture, charts, element } = await setup();
    hover(charts[0]!, 1);
    await fixture.whenStable();
    const tooltip = element.querySelector('[data-testid="chart-tooltip"]')!;
    expect(tooltip.querySelector('.tip-title')?.textContent?.trim()).toBe('Until 02:00');
    const rows = Array.from(tooltip.querySelectorAll('[data-testid="chart-tooltip-row"]')).map((row) =>
      row.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(rows).toEqual(['Today $25.50', 'Yesterday $20.00']);

    // Where today has no figure yet, only yesterday's shows.
    hover(charts[0]!, 2);
    await fixture.whenStable();
    expect(element.querySelectorAll('[data-testid="chart-tooltip-row"]')).toHaveLength(1);
    expect(element.querySelector('[data-testid="chart-tooltip-row"]')?.textContent).toContain('$1,234.50');

    const leave = { opacity: 0, dataPoints: [] } as unknown as TooltipModel<ChartKind>;
    charts[0]!.config.options!.plugins!.tooltip!.external!.call(null as never, {
      chart: null as never,
      tooltip: leave,
    });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="chart-tooltip"]')).toBeNull();
  });

  it('keeps the point someone is reading shown, with its new figures, when the figures change', async () => {
    const { fixture, host, charts, element } = await setup();
    hover(charts[0]!, 1);
    await fixture.whenStable();
    host.series.set([
      { label: 'Today', values: [10, 30, null] },
      { label: 'Yesterday', values: [5, 20, 1234.5], comparison: true },
    ]);
    await fixture.whenStable();
    await settle();
    expect(charts).toHaveLength(2);
    expect(charts[1]!.shown).toEqual([1]);
    // The new chart shows it as Chart.js would: through the tooltip handler, with the new figure.
    hover(charts[1]!, 1);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="chart-tooltip-row"]')?.textContent).toContain('$30.00');
  });

  it('draws new figures without a tooltip when none was shown', async () => {
    const { fixture, host, charts } = await setup();
    host.series.set([{ label: 'Today', values: [300, 50, 1] }]);
    await fixture.whenStable();
    await settle();
    expect(charts[1]!.shown).toEqual([]);
  });

  it('names each point of a series when it is told to (a comparison day is another date)', async () => {
    const { fixture, host, charts, element } = await setup();
    host.series.set([
      { label: 'This range', values: [1, 2, 3], pointLabels: ['Mon 2 Nov 2026', 'Tue 3 Nov 2026', 'Wed 4 Nov 2026'] },
      { label: 'Comparison', values: [4, 5, 6], comparison: true, pointLabels: ['Mon 3 Nov 2025', 'b', 'c'] },
    ]);
    await fixture.whenStable();
    await settle();
    hover(charts[1]!, 0);
    await fixture.whenStable();
    const rows = Array.from(element.querySelectorAll('[data-testid="chart-tooltip-row"]')).map((row) =>
      row.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(rows).toEqual(['Mon 2 Nov 2026 $1.00', 'Mon 3 Nov 2025 $4.00']);
  });

  it('masks the amounts of the tooltip and the axis while presenting', async () => {
    const { fixture, charts, element } = await setup();
    TestBed.inject(PreferencesService).presenterMode.set(true);
    await fixture.whenStable();
    await settle();
    const chart = charts.at(-1)!;
    hover(chart, 1);
    await fixture.whenStable();
    const amounts = Array.from(element.querySelectorAll('[data-testid="chart-tooltip"] .amount'), (a) => a.textContent);
    expect(amounts).toEqual(['•••', '•••']);
    const tick = (chart.config.options!.scales!['y']!.ticks as { callback: (value: number) => string }).callback;
    expect(tick(1000)).toBe('•••');
  });

  it('walks the points with the keyboard, up to the last one with a figure, and hides the tooltip on Escape', async () => {
    const { charts, element } = await setup();
    const canvas = element.querySelector('canvas')!;
    const press = (key: string) => canvas.dispatchEvent(new KeyboardEvent('keydown', { key, cancelable: true }));
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'Home', 'End', 'ArrowLeft', 'Escape']) press(key);
    // "Today" has figures for the first two hours only.
    expect(charts[0]!.shown).toEqual([0, 1, 1, 0, 1, 0, null]);
    expect(canvas.getAttribute('tabindex')).toBe('0');
  });

  it('shows the point the keyboard asked for while Chart.js was still loading once it is drawn', async () => {
    let finishLoading!: (factory: ChartFactory) => void;
    const loading = new Promise<ChartFactory>((resolve) => (finishLoading = resolve));
    const { charts, factory, element } = await setup(() => loading);
    const canvas = element.querySelector('canvas')!;
    canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', cancelable: true }));
    finishLoading(factory);
    await settle();
    expect(charts).toHaveLength(1);
    expect(charts[0]!.shown).toEqual([1]);
  });

  it('draws bars for a bar chart', async () => {
    const { fixture, host, charts } = await setup();
    host.kind.set('bar');
    await fixture.whenStable();
    await settle();
    expect(charts.at(-1)!.config.type).toBe('bar');
    expect(charts.at(-1)!.config.data.datasets[0]!.type).toBe('bar');
  });

  it('destroys the Chart.js instance before it draws a new one for new figures', async () => {
    const { fixture, host, charts } = await setup();
    host.series.set([{ label: 'Today', values: [300, 50, 1] }]);
    await fixture.whenStable();
    await settle();
    expect(charts).toHaveLength(2);
    expect(charts[0]!.destroyed).toBe(1);
    expect(values(charts[1]!, 0)).toEqual([300, 50, 1]);
    expect(charts[1]!.destroyed).toBe(0);
  });

  it('destroys the Chart.js instance when the component is destroyed', async () => {
    const { fixture, host, charts } = await setup();
    host.shown.set(false);
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelector('mt-chart')).toBeNull();
    expect(charts).toHaveLength(1);
    expect(charts[0]!.destroyed).toBe(1);
    fixture.destroy();
    expect(charts[0]!.destroyed).toBe(1);
  });

  it('draws nothing when it is destroyed while Chart.js is still loading', async () => {
    let finishLoading!: (factory: ChartFactory) => void;
    const loading = new Promise<ChartFactory>((resolve) => (finishLoading = resolve));
    const { fixture, host, charts, factory } = await setup(() => loading);
    host.shown.set(false);
    await fixture.whenStable();
    finishLoading(factory);
    await settle();
    expect(charts).toHaveLength(0);
  });

  it('draws only the latest figures when they change while Chart.js is still loading', async () => {
    let finishLoading!: (factory: ChartFactory) => void;
    const loading = new Promise<ChartFactory>((resolve) => (finishLoading = resolve));
    const { fixture, host, charts, factory } = await setup(() => loading);
    host.series.set([{ label: 'Today', values: [1, 2, 3] }]);
    await fixture.whenStable();
    finishLoading(factory);
    await settle();
    expect(charts).toHaveLength(1);
    expect(values(charts[0]!, 0)).toEqual([1, 2, 3]);
  });

  it('draws lines without Chart.js and loads Chart.js for bars only', async () => {
    expect(await chartFactoryFor('line')).toBe(drawLines);
    const bars = chartFactoryFor('bar');
    expect(await bars).not.toBe(drawLines);
  });

  it('turns a resolved colour into a translucent one for the fill', () => {
    expect(withAlpha('rgb(12, 34, 56)', 0.16)).toBe('rgba(12, 34, 56, 0.16)');
    expect(withAlpha('color(srgb 1 0 0)', 0.5)).toBe('color(srgb 1 0 0)');
  });

  describe('as a sparkline', () => {
    async function sparkSetup() {
      localStorage.clear();
      // The real drawing, as on the page.
      TestBed.configureTestingModule({ imports: [SparkHost] });
      const fixture = TestBed.createComponent(SparkHost);
      await fixture.whenStable();
      await settle();
      const element = fixture.nativeElement as HTMLElement;
      const canvas = element.querySelector('canvas')!;
      Object.defineProperty(canvas, 'clientWidth', { value: 304 });
      Object.defineProperty(canvas, 'clientHeight', { value: 40 });
      const tooltip = async () => {
        await fixture.whenStable();
        const shown = element.querySelector('[data-testid="chart-tooltip"]');
        if (!shown) return null;
        const rows = Array.from(shown.querySelectorAll('[data-testid="chart-tooltip-row"]'), (row) =>
          row.textContent!.replace(/\s+/g, ' ').trim(),
        );
        return { title: shown.querySelector('.tip-title')!.textContent!.trim(), rows };
      };
      return { fixture, element, canvas, tooltip };
    }

    it('is drawn, and its keyboard tooltip gives the exact figure of the point', async () => {
      const { canvas, tooltip, element } = await sparkSetup();
      expect(element.querySelector('p.muted')).toBeNull();
      const press = (key: string) => canvas.dispatchEvent(new KeyboardEvent('keydown', { key, cancelable: true }));
      press('End');
      expect(await tooltip()).toEqual({ title: 'Week of 24 Nov', rows: ['Week sales $1,234.56'] });
      press('Home');
      expect(await tooltip()).toEqual({ title: 'Week of 3 Nov', rows: ['Week sales $120.50'] });
      press('Escape');
      expect(await tooltip()).toBeNull();
    });

    it('shows the point nearest the pointer across, nothing over a gap, and hides when the pointer leaves', async () => {
      const { canvas, tooltip } = await sparkSetup();
      // 304 px wide with 2 px padding: the four points are 100 px apart, at 2, 102, 202 and 302.
      const pointer = (type: string, clientX: number) => canvas.dispatchEvent(new MouseEvent(type, { clientX }));
      pointer('pointermove', 190);
      expect(await tooltip()).toEqual({ title: 'Week of 17 Nov', rows: ['Week sales $80.00'] });
      pointer('pointermove', 110);
      expect(await tooltip()).toBeNull();
      pointer('pointerdown', 5);
      expect((await tooltip())?.rows).toEqual(['Week sales $120.50']);
      pointer('pointerleave', 5);
      expect(await tooltip()).toBeNull();
    });
  });
});
