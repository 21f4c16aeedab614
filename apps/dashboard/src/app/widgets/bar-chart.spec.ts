import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ChartConfiguration } from 'chart.js';
import { BAR_CHART_FACTORY, BarChart, BarChartFactory } from './bar-chart';

/** A chart the fake factory drew: which figures, and whether the component destroyed it. */
interface FakeChart {
  labels: string[];
  values: number[];
  canvas: HTMLCanvasElement;
  destroyed: number;
}

@Component({
  imports: [BarChart],
  template: `@if (shown()) {
    <mt-bar-chart [labels]="labels()" [values]="values()" label="Minutes" />
  }`,
})
class Host {
  readonly shown = signal(true);
  readonly labels = signal(['1 Jun', '8 Jun']);
  readonly values = signal([100, 250]);
}

/** Lets the dynamic import (here a promise the test resolves) and the draw after it run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function setup(load?: () => Promise<BarChartFactory>) {
  localStorage.clear();
  const charts: FakeChart[] = [];
  const factory: BarChartFactory = (canvas, config: ChartConfiguration<'bar'>) => {
    const chart: FakeChart = {
      labels: config.data.labels as string[],
      values: config.data.datasets[0]!.data as number[],
      canvas,
      destroyed: 0,
    };
    charts.push(chart);
    return { destroy: () => chart.destroyed++ };
  };
  TestBed.configureTestingModule({
    imports: [Host],
    providers: [{ provide: BAR_CHART_FACTORY, useValue: load ?? (() => Promise.resolve(factory)) }],
  });
  const fixture = TestBed.createComponent(Host);
  await fixture.whenStable();
  await settle();
  return { fixture, host: fixture.componentInstance, charts, factory };
}

describe('BarChart', () => {
  it('draws its figures on its own canvas', async () => {
    const { fixture, charts } = await setup();
    expect(charts).toHaveLength(1);
    expect(charts[0]).toMatchObject({ labels: ['1 Jun', '8 Jun'], values: [100, 250], destroyed: 0 });
    expect(charts[0]!.canvas).toBe((fixture.nativeElement as HTMLElement).querySelector('mt-bar-chart canvas'));
  });

  it('destroys the Chart.js instance before it draws a new one for new figures', async () => {
    const { fixture, host, charts } = await setup();
    host.values.set([300, 50]);
    await fixture.whenStable();
    await settle();
    expect(charts).toHaveLength(2);
    expect(charts[0]!.destroyed).toBe(1);
    expect(charts[1]).toMatchObject({ values: [300, 50], destroyed: 0 });
  });

  it('destroys the Chart.js instance when the component is destroyed', async () => {
    const { fixture, host, charts } = await setup();
    host.shown.set(false);
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelector('mt-bar-chart')).toBeNull();
    expect(charts).toHaveLength(1);
    expect(charts[0]!.destroyed).toBe(1);
    fixture.destroy();
    expect(charts[0]!.destroyed).toBe(1);
  });

  it('draws nothing when it is destroyed while Chart.js is still loading', async () => {
    let finishLoading!: (factory: BarChartFactory) => void;
    const loading = new Promise<BarChartFactory>((resolve) => (finishLoading = resolve));
    const { fixture, host, charts, factory } = await setup(() => loading);
    host.shown.set(false);
    await fixture.whenStable();
    finishLoading(factory);
    await settle();
    expect(charts).toHaveLength(0);
  });

  it('draws only the latest figures when they change while Chart.js is still loading', async () => {
    let finishLoading!: (factory: BarChartFactory) => void;
    const loading = new Promise<BarChartFactory>((resolve) => (finishLoading = resolve));
    const { fixture, host, charts, factory } = await setup(() => loading);
    host.values.set([1, 2]);
    await fixture.whenStable();
    finishLoading(factory);
    await settle();
    expect(charts).toHaveLength(1);
    expect(charts[0]).toMatchObject({ values: [1, 2], destroyed: 0 });
  });
});
