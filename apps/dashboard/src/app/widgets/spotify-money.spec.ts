import { describeSource } from './spotify-money';

describe('describeSource', () => {
  it.each([
    [null, 'estimate: minutes × the current rate, no statement yet'],
    [{ kind: 'demo', label: 'demo', at: null, by: null }, 'demo data'],
    [
      { kind: 'statement', label: 'june.xlsx', at: '2025-07-02T08:00:00.000Z', by: 'owner@example.com' },
      'statement june.xlsx, uploaded on 2025-07-02 by owner@example.com',
    ],
    [{ kind: 'revenue-report', label: 'q2.csv', at: null, by: null }, 'revenue report q2.csv, uploaded'],
  ] as const)('names where a month came from: %j', (source, text) => {
    expect(describeSource(source)).toBe(text);
  });
});
