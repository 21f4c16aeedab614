import { assumedDecimalMark, DecimalMark, NumberColumn, parseNumber } from './number-grammar';

const REFUSED = null;
/** How the context reads an ambiguous `1,234`: '.' = decimal point, ',' = decimal comma, null = refuse; `rate x`: a rate in a file whose decimal mark is x. */
type Context = DecimalMark | null | 'rate .' | 'rate ,';

describe('the number grammar', () => {
  // [written, context, value or REFUSED]: the one table of the grammar.
  it.each<[string, Context, string | null]>([
    ['1234.56', '.', '1234.56'],
    ['1234.56', ',', '1234.56'],
    ['1,234.56', '.', '1234.56'],
    ['1,234.56', ',', '1234.56'],
    ['1.234,56', '.', '1234.56'],
    ['1.234,56', null, '1234.56'],
    ['12,99', '.', '12.99'],
    ['12,99', null, '12.99'],
    ['1 234,56', '.', '1234.56'],
    ['1\u00a0234,56', '.', '1234.56'],
    ['1\u202f234.5', '.', '1234.5'],
    ["1'234.50", '.', '1234.50'],
    ['1 234', null, '1234'],
    ['1,234,567', null, '1234567'],
    ['1.234.567', null, '1234567'],
    ['1.234.567,89', null, '1234567.89'],
    ['(12.00)', '.', '-12.00'],
    ['-12', '.', '-12'],
    ['+12', '.', '12'],
    ['12.00-', '.', '-12.00'],
    ['−5,5', '.', '-5.5'],
    ['007', '.', '7'],
    ['-0.00', '.', '0.00'],
    ['.5', '.', '0.5'],
    ['$48.00', '.', '48.00'],
    ['-$12.50', '.', '-12.50'],
    ['$-12.50', '.', '-12.50'],
    ['($5.00)', '.', '-5.00'],
    ['US $1,234.50', '.', '1234.50'],
    ['AU $20.00', '.', '20.00'],
    ['C$ 7', '.', '7'],
    ['£12.99', '.', '12.99'],
    ['€12,99', '.', '12.99'],
    ['12,99 €', '.', '12.99'],
    ['EUR 1.234,56', '.', '1234.56'],
    ['12.99 USD', '.', '12.99'],
    ['1.234,56 kr', '.', '1234.56'],
    // A leading zero or four digits before the mark is never a thousands group.
    ['0,054', null, '0.054'],
    ['0,054', '.', '0.054'],
    ['0.054', ',', '0.054'],
    ['1234,567', '.', '1234.567'],
    ['12,5', '.', '12.5'],
    ['0,0541', null, '0.0541'],
    // Ambiguous: the context decides, or it is refused.
    ['1,234', '.', '1234'],
    ['1,234', ',', '1.234'],
    ['1,234', null, REFUSED],
    ['1.234', '.', '1.234'],
    ['1.234', ',', '1234'],
    ['1.234', null, REFUSED],
    ['-999,000', ',', '-999.000'],
    // Rates: an ambiguous value is a decimal in the file's decimal mark, never thousands.
    ['1.234', 'rate .', '1.234'],
    ['1,234', 'rate .', REFUSED],
    ['1,234', 'rate ,', '1.234'],
    ['1.234', 'rate ,', REFUSED],
    ['0,054', 'rate .', '0.054'],
    ['1,234.5', 'rate .', '1234.5'],
    // Not numbers.
    ['abc', '.', REFUSED],
    ['', '.', REFUSED],
    ['1e5', '.', REFUSED],
    ['12;5', '.', REFUSED],
    ['1,23,456', '.', REFUSED],
    ['1.234.56', '.', REFUSED],
    ['1,234.567.8', '.', REFUSED],
    ['12 99', '.', REFUSED],
    ['1 234 5', '.', REFUSED],
    ['--5', '.', REFUSED],
    ['12.5.', '.', REFUSED],
  ])('reads %p (context %p) as %p', (text, context, expected) => {
    const [assumed, options] = context?.startsWith('rate')
      ? [context.slice(-1) as DecimalMark, { thousands: false }]
      : [context as DecimalMark | null, {}];
    const parsed = parseNumber(text, assumed, options);
    expect(parsed).toEqual(
      expected === null ? { ok: false, message: expect.any(String) } : { ok: true, value: expected },
    );
    // A column with no other values reads a value exactly as the value alone.
    expect(new NumberColumn(assumed, options).read(text)).toEqual(parsed);
  });

  it('says in words why an ambiguous number is refused', () => {
    expect(parseNumber('1,234', null)).toEqual({
      ok: false,
      message: '"1,234" could be 1234 or 1.234: write it without a thousands separator, or with more decimals',
    });
    expect(parseNumber('twelve')).toEqual({ ok: false, message: '"twelve" is not a number' });
  });

  it('reads an ambiguous value by the decimal mark the column shows elsewhere, even further down', () => {
    const column = new NumberColumn('.');
    for (const text of ['1,234', '12,50', '3']) column.learn(text);
    expect(['1,234', '12,50', '3'].map((text) => column.read(text))).toEqual([
      { ok: true, value: '1.234' },
      { ok: true, value: '12.50' },
      { ok: true, value: '3' },
    ]);
  });

  it('reads a column that mixes decimal points and commas as written, and refuses its ambiguous values', () => {
    const column = new NumberColumn('.');
    for (const text of ['18.00', '20,00', '1,234']) column.learn(text);
    expect(['18.00', '20,00', '1,234'].map((text) => column.read(text))).toEqual([
      { ok: true, value: '18.00' },
      { ok: true, value: '20.00' },
      {
        ok: false,
        message:
          '"1,234" could be 1234 or 1.234: its column has decimal points ("18.00") and decimal commas ("20,00"); write it without a thousands separator',
      },
    ]);
  });

  it('refuses a later decimal comma when an earlier ambiguous value was read by the file’s assumption', () => {
    const column = new NumberColumn('.');
    expect(column.read('1,234')).toEqual({ ok: true, value: '1234' });
    expect(column.read('7.5')).toEqual({ ok: true, value: '7.5' });
    expect(column.read('7,25')).toEqual({
      ok: false,
      message:
        '"7,25" has a decimal comma, so "1,234" above it in the same column was read wrongly with a decimal point: write that number without a thousands separator',
    });
  });

  it('assumes decimal commas in ;-delimited files and decimal points otherwise', () => {
    expect([';', ',', '\t', null].map(assumedDecimalMark)).toEqual([',', '.', '.', '.']);
  });
});
