import { IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lets the event loop run what is waiting (other requests, timers, socket reads) before going on: long
 * loops over a file's rows call it every so many rows, so that no slice of work blocks for long.
 */
export function yieldToEventLoop(): Promise<void> {
  return nextTurn();
}

/**
 * The slices a long loop over a file's items is cut into: a slice ends after `items` items or `ms`
 * milliseconds, whichever comes first, so that no slice holds other requests up for long on a fast
 * machine or a slow one. `if (slices.done()) await slices.next();` once per item.
 */
export class WorkSlices {
  private count = 0;
  private started = performance.now();

  constructor(
    private readonly items = 1000,
    private readonly ms = 20,
  ) {}

  /** Counts one item; whether the slice is over. */
  done(): boolean {
    return ++this.count >= this.items || performance.now() - this.started >= this.ms;
  }

  /** Gives the event loop its turn and starts the next slice. */
  async next(): Promise<void> {
    await yieldToEventLoop();
    this.count = 0;
    this.started = performance.now();
  }
}

/** How late the event loop ran, in milliseconds, over the window since the last reset. */
export interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Samples the event loop's delay every 10 ms (perf_hooks); read by health and by the bench. */
export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.histogram.enable();
  }

  /**
   * The delays since the last reset (or start); `reset` starts a new window. Node drops the first sample
   * after a reset, so a block that starts before the monitor's next 10 ms tick after a read is not counted.
   */
  read(options: { reset?: boolean } = {}): EventLoopDelay {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const delay = {
      p50Ms: ms(this.histogram.percentile(50)),
      p99Ms: ms(this.histogram.percentile(99)),
      maxMs: ms(this.histogram.max),
    };
    if (options.reset) this.histogram.reset();
    return delay;
  }

  stop(): void {
    this.histogram.disable();
  }
}
