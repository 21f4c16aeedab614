import type { TooltipModel } from 'chart.js';
import type { ChartFactory, ChartKind } from './chart';

/** What the drawing reads of a line dataset (the Chart.js options the chart component sets). */
interface LineOptions {
  data: unknown[];
  borderColor?: string;
  backgroundColor?: string;
  borderWidth?: number;
  borderDash?: number[];
  pointRadius?: number;
  pointHoverRadius?: number;
  fill?: unknown;
}

/** What it reads of an axis. */
interface AxisOptions {
  display?: boolean;
  beginAtZero?: boolean;
  min?: number;
  ticks?: {
    color?: string;
    maxTicksLimit?: number;
    autoSkipPadding?: number;
    font?: { family?: string; size?: number };
    callback?: (value: number | string, index: number, ticks: never[]) => unknown;
  };
  grid?: { display?: boolean; color?: string };
}

/** The chart area and the scales of one paint, kept for the pointer. */
interface Layout {
  left: number;
  right: number;
  top: number;
  bottom: number;
  low: number;
  high: number;
  /** The canvas's size it was worked out for. */
  width: number;
  height: number;
}

/** Chart.js's gap between a tick label and the chart area, with its tick mark (3 + 8 px). */
const TICK_GAP = 11;
const LINE_HEIGHT = 1.2;

/**
 * Line charts (a tile's sparkline, the hero's hours, a range's days) drawn on their canvas directly, from
 * the same configuration Chart.js takes, with the same tooltip (Chart.js's `external` handler, given the
 * same model): Chart.js is a large download whose evaluation and layout cost a phone's first screen more
 * than everything else on it. What it draws is what Chart.js draws for these options: round-number ticks
 * (its `niceNum`) up to `maxTicksLimit` with their grid lines, category labels skipped to fit, curves of
 * tension 0.25 kept inside the area, a gap (null) breaking a line, the comparison dashed, the main series
 * filled to zero; the tooltip shows every series at the point nearest the pointer across (`index` mode).
 * Without axes (`display: false`) it is a sparkline. Redrawn when the canvas changes size.
 */
export const drawLines: ChartFactory = (canvas, config) => {
  const labels = (config.data.labels ?? []).map(String);
  const datasets = config.data.datasets as unknown as LineOptions[];
  const lines = datasets.map((dataset) => ({
    dataset,
    values: dataset.data.map((value) => (typeof value === 'number' ? value : null)),
  }));
  const count = Math.max(labels.length, ...lines.map((line) => line.values.length));
  const scales = (config.options?.scales ?? {}) as Record<string, AxisOptions | undefined>;
  const xAxis = scales['x'] ?? {};
  const yAxis = scales['y'] ?? {};
  const withAxes = yAxis.display !== false;
  const padding = typeof config.options?.layout?.padding === 'number' ? config.options.layout.padding : 0;
  const fontSize = yAxis.ticks?.font?.size ?? 12;
  const font = `${fontSize}px ${yAxis.ticks?.font?.family ?? 'sans-serif'}`;
  const figures = lines.flatMap((line) => line.values).filter((value): value is number => value !== null);
  let layout: Layout | null = null;
  let active: number | null = null;

  /** The canvas's CSS size as the resize observer last reported it (without one: as laid out now). */
  let observed: { width: number; height: number } | null = null;
  const size = () => observed ?? { width: canvas.clientWidth, height: canvas.clientHeight };
  const x = (index: number) => {
    const { left, right } = layout!;
    return count > 1 ? left + (index * (right - left)) / (count - 1) : (left + right) / 2;
  };
  const y = (value: number) => {
    const { top, bottom, low, high } = layout!;
    return bottom - ((value - low) * (bottom - top)) / (high - low);
  };

  const paint = () => {
    const { width, height } = size();
    const ratio = globalThis.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext('2d');
    context?.scale(ratio, ratio);
    if (context) context.font = font;
    const measure = (label: string) => context?.measureText(label).width ?? 0;
    const lineHeight = fontSize * LINE_HEIGHT;
    // The axes take their labels' room first: the ticks' widest label on the left, a line of labels below.
    const area = { left: padding, right: width - padding, top: padding, bottom: height - padding };
    const scale = withAxes
      ? linearTicks(figures, yAxis, Math.max(2, Math.floor((area.bottom - area.top - lineHeight) / lineHeight)))
      : linearTicks(figures, { beginAtZero: false }, 3);
    const tickLabels = scale.ticks.map((tick, index) => String(yAxis.ticks?.callback?.(tick, index, []) ?? tick));
    const xLabels = withAxes && xAxis.display !== false ? labels : [];
    if (withAxes) {
      const widest = Math.max(0, ...tickLabels.map(measure));
      const edge = (label: string | undefined) => (label ? measure(label) / 2 : 0);
      area.left += Math.max(widest + TICK_GAP, edge(xLabels[0]));
      area.right -= edge(xLabels.at(-1));
      area.top += lineHeight / 2;
      if (xLabels.length) area.bottom -= lineHeight + TICK_GAP;
    }
    layout = { ...area, low: scale.low, high: scale.high, width, height };
    if (!context || !width || !height) return;
    if (withAxes) {
      drawYAxis(context, scale.ticks, tickLabels, yAxis);
      drawXAxis(context, xLabels, xAxis);
    }
    // Filled down to zero, or to the area's edge nearest zero when the axis does not reach it.
    const base = y(Math.min(Math.max(0, scale.low), scale.high));
    // Like Chart.js, the lines stay in the area (a refund below a zero axis is cut off, not drawn over labels).
    context.save();
    context.beginPath();
    context.rect(area.left - 2, area.top - 2, area.right - area.left + 4, area.bottom - area.top + 4);
    context.clip();
    for (const line of lines) drawLine(context, line, base);
    context.restore();
  };

  const drawYAxis = (context: CanvasRenderingContext2D, ticks: number[], tickLabels: string[], axis: AxisOptions) => {
    const { left, right } = layout!;
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    ticks.forEach((tick, index) => {
      const at = Math.round(y(tick)) + 0.5;
      if (axis.grid?.display !== false) {
        context.strokeStyle = axis.grid?.color ?? 'rgba(0, 0, 0, 0.1)';
        context.lineWidth = 1;
        context.beginPath();
        context.moveTo(left, at);
        context.lineTo(right, at);
        context.stroke();
      }
      context.fillStyle = axis.ticks?.color ?? 'gray';
      context.fillText(tickLabels[index]!, left - TICK_GAP, at);
    });
  };

  /** Category labels centred under their points, every nth when they would not fit (Chart.js's auto-skip). */
  const drawXAxis = (context: CanvasRenderingContext2D, xLabels: string[], axis: AxisOptions) => {
    if (!xLabels.length) return;
    const { left, right, bottom } = layout!;
    const widest = Math.max(...xLabels.map((label) => context.measureText(label).width));
    const spacing = count > 1 ? (right - left) / (count - 1) : right - left;
    const every = Math.max(1, Math.ceil((widest + (axis.ticks?.autoSkipPadding ?? 3)) / spacing));
    context.textAlign = 'center';
    context.textBaseline = 'top';
    context.fillStyle = axis.ticks?.color ?? 'gray';
    xLabels.forEach((label, index) => {
      if (index % every === 0) context.fillText(label, x(index), bottom + TICK_GAP);
    });
  };

  const drawLine = (
    context: CanvasRenderingContext2D,
    { dataset, values }: { dataset: LineOptions; values: Array<number | null> },
    base: number,
  ) => {
    const { top, bottom } = layout!;
    const color = dataset.borderColor ?? 'gray';
    context.lineJoin = 'round';
    context.lineWidth = dataset.borderWidth ?? 2;
    // One path per run of figures: the fill down to zero, then the line over it.
    for (let start = 0; start < values.length; start++) {
      if (values[start] === null) continue;
      let end = start;
      while (end + 1 < values.length && values[end + 1] !== null) end++;
      const points = values.slice(start, end + 1).map((value, offset) => ({ x: x(start + offset), y: y(value!) }));
      const trace = () => {
        context.moveTo(points[0]!.x, points[0]!.y);
        for (let index = 1; index < points.length; index++) {
          const from = controls(points, index - 1, top, bottom).next;
          const to = controls(points, index, top, bottom).previous;
          context.bezierCurveTo(from.x, from.y, to.x, to.y, points[index]!.x, points[index]!.y);
        }
      };
      if (dataset.fill) {
        context.beginPath();
        trace();
        context.lineTo(x(end), base);
        context.lineTo(x(start), base);
        context.closePath();
        context.fillStyle = dataset.backgroundColor ?? 'transparent';
        context.fill();
      }
      context.beginPath();
      context.setLineDash(dataset.borderDash ?? []);
      trace();
      context.strokeStyle = color;
      context.stroke();
      context.setLineDash([]);
      // A figure alone between gaps would be no line at all: a dot.
      if (start === end) dot(context, start, values[start]!, Math.max(2, dataset.pointRadius ?? 0), color);
      else if (dataset.pointRadius)
        points.forEach((point, offset) =>
          dot(context, start + offset, values[start + offset]!, dataset.pointRadius!, color),
        );
      start = end;
    }
    if (active !== null && values[active] !== null && values[active] !== undefined)
      dot(context, active, values[active]!, dataset.pointHoverRadius ?? 4, color);
  };

  const dot = (context: CanvasRenderingContext2D, index: number, value: number, radius: number, color: string) => {
    context.beginPath();
    context.arc(x(index), y(value), radius, 0, 2 * Math.PI);
    context.fillStyle = color;
    context.fill();
  };

  const external = config.options?.plugins?.tooltip?.external;
  const show = (index: number | null) => {
    const shown =
      index === null || !layout
        ? []
        : lines
            .map((line, datasetIndex) => ({
              dataset: line.dataset,
              datasetIndex,
              dataIndex: index,
              raw: line.values[index],
            }))
            .filter((point): point is typeof point & { raw: number } => point.raw !== null && point.raw !== undefined);
    active = shown.length ? index : null;
    paint();
    const average = (of: (point: (typeof shown)[number]) => number) =>
      shown.reduce((sum, point) => sum + of(point), 0) / shown.length;
    const model = shown.length
      ? {
          opacity: 1,
          title: [labels[index!] ?? ''],
          caretX: average(() => x(index!)),
          caretY: average((point) => y(point.raw)),
          dataPoints: shown,
        }
      : { opacity: 0, dataPoints: [] };
    external?.call(null as never, { chart: null as never, tooltip: model as unknown as TooltipModel<ChartKind> });
  };
  /** The point nearest the pointer across (Chart.js's `index` mode, not needing to touch the line). */
  const onPointer = (event: PointerEvent) => {
    if (!count) return;
    // Without a report of the observer, the canvas may have been resized since the last paint.
    if (!layout || (!observed && (layout.width !== canvas.clientWidth || layout.height !== canvas.clientHeight)))
      paint();
    if (!layout) return;
    const offset = event.clientX - canvas.getBoundingClientRect().left - layout.left;
    const spacing = count > 1 ? (layout.right - layout.left) / (count - 1) : 1;
    show(Math.min(count - 1, Math.max(0, Math.round(offset / spacing))));
  };
  const onLeave = () => show(null);
  canvas.addEventListener('pointermove', onPointer);
  canvas.addEventListener('pointerdown', onPointer);
  canvas.addEventListener('pointerleave', onLeave);
  // The first paint waits for the observer's first report, which comes with the page's next layout:
  // reading the canvas's size now would make the browser lay out the whole page at once, for each chart.
  const resizes =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver(([entry]) => {
          if (!entry) return;
          observed = { width: entry.contentRect.width, height: entry.contentRect.height };
          paint();
        })
      : null;
  if (resizes) resizes.observe(canvas);
  else paint();
  return {
    destroy: () => {
      resizes?.disconnect();
      canvas.removeEventListener('pointermove', onPointer);
      canvas.removeEventListener('pointerdown', onPointer);
      canvas.removeEventListener('pointerleave', onLeave);
      canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
    },
    showPoint: (index) => show(index),
    hidePoint: () => show(null),
  };
};

/**
 * A linear axis as Chart.js works it out: from zero when asked (or from `min`), widened to round steps
 * of 1, 2 or 5 times a power of ten, with at most `maxTicks` ticks.
 */
export function linearTicks(
  figures: number[],
  axis: Pick<AxisOptions, 'beginAtZero' | 'min' | 'ticks'>,
  fitting: number,
): { low: number; high: number; ticks: number[] } {
  let low = figures.length ? Math.min(...figures) : 0;
  let high = figures.length ? Math.max(...figures) : 0;
  if (axis.beginAtZero) [low, high] = [Math.min(0, low), Math.max(0, high)];
  if (axis.min !== undefined) low = Math.min(axis.min, high);
  if (low === high) {
    const offset = high === 0 ? 1 : Math.abs(high * 0.05);
    high += offset;
    if (!axis.beginAtZero && axis.min === undefined) low -= offset;
  }
  const maxSpaces = Math.max(1, Math.min(axis.ticks?.maxTicksLimit ?? 11, fitting) - 1);
  // Whole numbers of steps, forgiving the float error of a division such as 0.25 / 0.05.
  const up = (value: number) => Math.ceil(value - 1e-9);
  const down = (value: number) => Math.floor(value + 1e-9);
  let spacing = niceNum((high - low) / maxSpaces);
  const spaces = up(high / spacing) - down(low / spacing);
  if (spaces > maxSpaces) spacing = niceNum((spaces * spacing) / maxSpaces);
  const first = down(low / spacing);
  const steps = up(high / spacing) - first;
  // Rounded to the step's own decimals, so that 3 × 0.1 is the tick 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(spacing)));
  const ticks = Array.from({ length: steps + 1 }, (_, step) => Number(((first + step) * spacing).toFixed(decimals)));
  if (axis.min !== undefined) ticks[0] = low;
  return { low: ticks[0]!, high: ticks.at(-1)!, ticks };
}

/** 1, 2, 5 or 10 times a power of ten, at least `range` (Chart.js's `niceNum`). */
function niceNum(range: number): number {
  if (!(range > 0)) return 1;
  const rounded = Math.round(range);
  const value = Math.abs(range - rounded) <= range / 1000 ? rounded : range;
  const power = 10 ** Math.floor(Math.log10(value));
  const fraction = value / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/**
 * The Bézier control points around point `index` for a line of tension 0.25 (Chart.js's `splineCurve`),
 * kept inside the chart area so that a curve never overshoots it.
 */
function controls(points: Array<{ x: number; y: number }>, index: number, top: number, bottom: number) {
  const tension = 0.25;
  const current = points[index]!;
  const previous = points[index - 1] ?? current;
  const next = points[index + 1] ?? current;
  const before = Math.hypot(current.x - previous.x, current.y - previous.y);
  const after = Math.hypot(next.x - current.x, next.y - current.y);
  const total = before + after;
  const [back, ahead] = total ? [(tension * before) / total, (tension * after) / total] : [0, 0];
  const clamp = (y: number) => Math.min(bottom, Math.max(top, y));
  return {
    previous: { x: current.x - back * (next.x - previous.x), y: clamp(current.y - back * (next.y - previous.y)) },
    next: { x: current.x + ahead * (next.x - previous.x), y: clamp(current.y + ahead * (next.y - previous.y)) },
  };
}
