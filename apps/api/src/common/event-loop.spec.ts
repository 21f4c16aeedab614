import { performance } from 'node:perf_hooks';
import { WorkSlices } from './event-loop';

describe('WorkSlices', () => {
  afterEach(() => jest.restoreAllMocks());

  /** Which of `items` items end a slice, with the clock at `clock(i)` ms when item i is counted. */
  async function slicesEnded(make: () => WorkSlices, items: number, clock: (i: number) => number): Promise<number[]> {
    let i = 0;
    jest.spyOn(performance, 'now').mockImplementation(() => clock(i));
    const slices = make();
    const ended: number[] = [];
    for (i = 1; i <= items; i++) {
      if (!slices.done()) continue;
      ended.push(i);
      await slices.next();
    }
    return ended;
  }

  it('ends a slice after its count of items when they are quick', async () => {
    expect(
      await slicesEnded(
        () => new WorkSlices(100, 20),
        350,
        () => 0,
      ),
    ).toEqual([100, 200, 300]);
  });

  it('ends a slice after its milliseconds when items are slow, whatever their count', async () => {
    // 7 ms per item: the third item of each slice takes it past 20 ms.
    expect(
      await slicesEnded(
        () => new WorkSlices(100, 20),
        10,
        (i) => 7 * i,
      ),
    ).toEqual([3, 6, 9]);
  });
});
