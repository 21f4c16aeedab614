import type { ChartConfiguration, TooltipModel } from 'chart.js';
import type { ChartKind } from './chart';
import { drawLines, linearTicks } from './line-drawing';

/** Every text a label is drawn with is 6 px per character here. */
const CHARACTER = 6;

/** A 2D context that records what is drawn: text, and each stroke or fill with its style and dash. */
class RecordingContext {
  font = '';
  fillStyle = '';
  strokeStyle = '';
  lineWidth = 1;
  lineJoin = '';
  textAlign = '';
  textBaseline = '';
  readonly texts: Array<{ text: string; x: number; y: number }> = [];
  readonly strokes: Array<{ color: string; dash: number[]; points: Array<{ x: number; y: number }> }> = [];
  readonly fills: Array<{ color: string }> = [];
  readonly dots: Array<{ x: number; y: number; radius: number }> = [];
  private dash: number[] = [];
  private path: Array<{ x: number; y: number }> = [];
  scale(): void {}
  clearRect(): void {}
  save(): void {}
  restore(): void {}
  rect(): void {}
  clip(): void {}
  measureText(text: string) {
    return { width: text.length * CHARACTER };
  }
  fillText(text: string, x: number, y: number): void {
    this.texts.push({ text, x, y });
  }
  setLineDash(dash: number[]): void {
    this.dash = dash;
  }
  beginPath(): void {
    this.path = [];
  }
  closePath(): void {}
  moveTo(x: number, y: number): void {
    this.path.push({ x, y });
  }
  lineTo(x: number, y: number): void {
    this.path.push({ x, y });
  }
  bezierCurveTo(_c1x: number, _c1y: number, _c2x: number, _c2y: number, x: number, y: number): void {
    this.path.push({ x, y });
  }
  arc(x: number, y: number, radius: number): void {
    this.dots.push({ x, y, radius });
  }
  stroke(): void {
    this.strokes.push({ color: this.strokeStyle, dash: this.dash, points: this.path });
  }
  fill(): void {
    this.fills.push({ color: this.fillStyle });
  }
}

/** A canvas of the given size that draws into a recording context. */
function fakeCanvas(width: number, height: number) {
  const context = new RecordingContext();
  const events = new EventTarget();
  const canvas = Object.assign(events, {
    clientWidth: width,
    clientHeight: height,
    width: 0,
    height: 0,
    getContext: () => context,
    getBoundingClientRect: () => ({ left: 0, top: 0 }),
  });
  return { canvas: canvas as unknown as HTMLCanvasElement, context };
}

/** What the chart component configures for the hero: today, and yesterday dashed; the tooltip handed on. */
function heroConfig(
  values: { today: Array<number | null>; yesterday: Array<number | null> },
  labels: string[],
  tooltips: TooltipModel<ChartKind>[],
  axes = true,
): ChartConfiguration<ChartKind> {
  const line = (label: string, data: Array<number | null>, comparison: boolean) => ({
    type: 'line' as const,
    label,
    data,
    borderColor: comparison ? 'grey' : 'indigo',
    borderDash: comparison ? [5, 4] : [],
    pointRadius: 0,
    pointHoverRadius: 4,
    fill: comparison ? false : ('origin' as const),
    backgroundColor: 'lavender',
  });
  return {
    type: 'line',
    data: {
      labels,
      datasets: [line('Today', values.today, false), line('Yesterday', values.yesterday, true)],
    },
    options: {
      layout: { padding: axes ? 0 : 2 },
      scales: {
        x: { display: axes, ticks: { color: 'silver', autoSkipPadding: 12 }, grid: { display: false } },
        y: {
          display: axes,
          beginAtZero: axes,
          min: axes ? 0 : undefined,
          ticks: { color: 'silver', maxTicksLimit: 5, callback: (value) => `$${value}` },
          grid: { color: 'gainsboro' },
        },
      },
      plugins: { tooltip: { enabled: false, external: ({ tooltip }) => void tooltips.push(tooltip) } },
    },
  };
}

const pointer = (canvas: HTMLCanvasElement, type: string, clientX: number) =>
  canvas.dispatchEvent(Object.assign(new Event(type), { clientX }));

describe('drawLines', () => {
  it('draws the y axis as Chart.js does: round steps from zero, at most five ticks, each with its grid line', () => {
    const { canvas, context } = fakeCanvas(400, 180);
    drawLines(canvas, heroConfig({ today: [10, 25.5, null], yesterday: [5, 20, 1234.5] }, ['a', 'b', 'c'], []));
    const ticks = context.texts.filter((text) => text.text.startsWith('$'));
    expect(ticks.map((tick) => tick.text)).toEqual(['$0', '$500', '$1000', '$1500']);
    // Higher figures higher up, evenly spaced.
    const ys = ticks.map((tick) => tick.y);
    // (Each on a whole pixel, so that a grid line is sharp.)
    expect(Math.abs(ys[0]! - ys[1]! - (ys[1]! - ys[2]!))).toBeLessThanOrEqual(1);
    expect(ys[0]!).toBeGreaterThan(ys[3]!);
    expect(context.strokes.filter((stroke) => stroke.color === 'gainsboro')).toHaveLength(4);
  });

  it('draws today solid and filled, yesterday dashed, each breaking where it has no figure', () => {
    const { canvas, context } = fakeCanvas(400, 180);
    drawLines(canvas, heroConfig({ today: [10, 25.5, null], yesterday: [5, 20, 1234.5] }, ['a', 'b', 'c'], []));
    const today = context.strokes.filter((stroke) => stroke.color === 'indigo');
    const yesterday = context.strokes.filter((stroke) => stroke.color === 'grey');
    expect(today.map((stroke) => [stroke.dash, stroke.points.length])).toEqual([[[], 2]]);
    expect(yesterday.map((stroke) => [stroke.dash, stroke.points.length])).toEqual([[[5, 4], 3]]);
    expect(context.fills).toEqual([{ color: 'lavender' }]);
    // Today's last point is above its first, and both are inside the canvas.
    const [first, last] = [today[0]!.points[0]!, today[0]!.points.at(-1)!];
    expect(last.y).toBeLessThan(first.y);
    expect(first.x).toBeGreaterThan(0);
    expect(today[0]!.points.every((point) => point.y >= 0 && point.y <= 180)).toBe(true);
  });

  it('draws a figure alone between gaps as a dot', () => {
    const { canvas, context } = fakeCanvas(300, 40);
    drawLines(canvas, heroConfig({ today: [1, null, 3, 4], yesterday: [] }, ['a', 'b', 'c', 'd'], [], false));
    expect(context.dots).toHaveLength(1);
    expect(context.strokes.filter((stroke) => stroke.color === 'indigo').map((s) => s.points.length)).toEqual([1, 2]);
  });

  it('skips hour labels so that the ones it draws never overlap, starting with the first', () => {
    const { canvas, context } = fakeCanvas(360, 180);
    const hours = Array.from({ length: 24 }, (_, hour) => `${String(hour + 1).padStart(2, '0')}:00`);
    drawLines(canvas, heroConfig({ today: hours.map((_, i) => i * 10), yesterday: [] }, hours, []));
    const drawn = context.texts.filter((text) => text.text.endsWith(':00'));
    expect(drawn[0]!.text).toBe('01:00');
    expect(drawn.length).toBeGreaterThan(2);
    expect(drawn.length).toBeLessThan(24);
    for (let i = 1; i < drawn.length; i++) expect(drawn[i]!.x - drawn[i - 1]!.x).toBeGreaterThanOrEqual(5 * CHARACTER);
  });

  it('shows every series that has a figure at the point nearest the pointer across, and hides on leaving', () => {
    const tooltips: TooltipModel<ChartKind>[] = [];
    const { canvas } = fakeCanvas(300, 40);
    // Without axes, 2 px padding: the three points are at 2, 150 and 298.
    drawLines(
      canvas,
      heroConfig({ today: [10, 25.5, null], yesterday: [5, 20, 1234.5] }, ['a', 'b', 'c'], tooltips, false),
    );
    pointer(canvas, 'pointermove', 140);
    expect(tooltips.at(-1)).toMatchObject({ opacity: 1, title: ['b'], caretX: 150 });
    expect(tooltips.at(-1)!.dataPoints.map((point) => [point.datasetIndex, point.raw])).toEqual([
      [0, 25.5],
      [1, 20],
    ]);
    pointer(canvas, 'pointerdown', 290);
    expect(tooltips.at(-1)!.dataPoints.map((point) => [point.datasetIndex, point.raw])).toEqual([[1, 1234.5]]);
    pointer(canvas, 'pointerleave', 290);
    expect(tooltips.at(-1)).toMatchObject({ opacity: 0, dataPoints: [] });
  });

  it('draws the point shown by the keyboard on every series that has a figure there', () => {
    const { canvas, context } = fakeCanvas(300, 40);
    const drawn = drawLines(
      canvas,
      heroConfig({ today: [10, 25.5, null], yesterday: [5, 20, 1234.5] }, ['a', 'b', 'c'], [], false),
    );
    drawn.showPoint!(1);
    expect(context.dots.map((dot) => dot.radius)).toEqual([4, 4]);
  });
});

describe('drawLines with a resize observer', () => {
  const original = globalThis.ResizeObserver;
  afterEach(() => (globalThis.ResizeObserver = original));

  it("paints when the observer reports the canvas's size, never reading the layout itself", () => {
    let report!: ResizeObserverCallback;
    globalThis.ResizeObserver = class {
      constructor(callback: ResizeObserverCallback) {
        report = callback;
      }
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    } as unknown as typeof ResizeObserver;
    const { canvas, context } = fakeCanvas(0, 0);
    let layoutReads = 0;
    Object.defineProperty(canvas, 'clientWidth', { get: () => ++layoutReads });
    const tooltips: TooltipModel<ChartKind>[] = [];
    drawLines(
      canvas,
      heroConfig({ today: [10, 25.5, null], yesterday: [5, 20, 1234.5] }, ['a', 'b', 'c'], tooltips, false),
    );
    expect(context.strokes).toHaveLength(0);

    report([{ contentRect: { width: 300, height: 40 } } as ResizeObserverEntry], null as never);
    expect(context.strokes.length).toBeGreaterThan(0);
    expect(canvas.width).toBe(300 * (globalThis.devicePixelRatio || 1));
    // The pointer finds its point on the reported size: 2, 150 and 298 px.
    pointer(canvas, 'pointermove', 140);
    expect(tooltips.at(-1)).toMatchObject({ title: ['b'], caretX: 150 });
    expect(layoutReads).toBe(0);
  });
});

describe('linearTicks', () => {
  it.each([
    { figures: [0, 0], zero: true, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] },
    { figures: [12, 87], zero: true, ticks: [0, 20, 40, 60, 80, 100] },
    { figures: [0.1, 0.25], zero: true, ticks: [0, 0.05, 0.1, 0.15, 0.2, 0.25] },
    { figures: [120, 80, 1234.56], zero: false, ticks: [0, 500, 1000, 1500] },
  ])('$figures from zero $zero: $ticks', ({ figures, zero, ticks }) => {
    expect(linearTicks(figures, { beginAtZero: zero, ticks: { maxTicksLimit: 6 } }, 11).ticks).toEqual(ticks);
  });
});
