import { parseJsonKeepingBigInts, quoteBigIntegers } from './safe-json';

describe('parseJsonKeepingBigInts', () => {
  it('keeps ids beyond 2^53 exact as strings', () => {
    const parsed = parseJsonKeepingBigInts(
      '{"id":820982911946154508,"line_items":[{"id":866550311766439020}],"n":47}',
    ) as {
      id: string;
      line_items: Array<{ id: string }>;
      n: number;
    };
    expect(parsed.id).toBe('820982911946154508');
    expect(parsed.line_items[0]!.id).toBe('866550311766439020');
    expect(parsed.n).toBe(47);
  });

  it('leaves strings, decimals and small numbers alone', () => {
    const text = '{"a":"id 1234567890123456789 in text","b":12345678901234567.5,"c":-1,"d":"\\"9999999999999999\\""}';
    expect(quoteBigIntegers(text)).toBe(text);
    expect(quoteBigIntegers('[-12345678901234567890]')).toBe('["-12345678901234567890"]');
  });
});
