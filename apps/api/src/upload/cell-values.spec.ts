import { NumberColumn } from '../common/number-grammar';
import { parseCountry, parseDecimal, parseIsbn, parseMonth, parseWeekStart, scaleDecimal } from './cell-values';

describe('report cell parsers', () => {
  // Written numbers are the number grammar's (common/number-grammar.spec.ts); here what XLSX cells add.
  it.each([
    [45.41, '45.41'],
    [-120, '-120'],
    [0.0000001, '0.0000001000'],
    ['18420', '18420'],
  ])('reads the cell %p as %p', (cell, expected) => {
    expect(parseDecimal(cell)).toEqual({ ok: true, value: expected });
  });

  it('reads a text cell through the column it belongs to', () => {
    const column = new NumberColumn(',');
    expect(parseDecimal('1.234', 12, column)).toEqual({ ok: true, value: '1234' });
    expect(parseDecimal('12,5', 12, column)).toEqual({ ok: true, value: '12.5' });
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 1e21])('refuses the cell %p', (cell) => {
    expect(parseDecimal(cell).ok).toBe(false);
  });

  it('refuses numbers too large for the column', () => {
    expect(parseDecimal('1234567890123', 12)).toEqual({ ok: false, message: '"1234567890123" is out of range' });
  });

  it.each([
    ['1.5', 60, '90.0'],
    ['-2', 60, '-120'],
    ['0.25', 60, '15.00'],
    ['7', 1, '7'],
  ])('scales %p by %p exactly', (value, factor, expected) => {
    expect(scaleDecimal(value, factor)).toBe(expected);
  });

  it.each([
    ['GB', 'GB'],
    ['gb', 'GB'],
    ['United Kingdom', 'GB'],
    ['UK', 'GB'],
    ['united states', 'US'],
    ['USA', 'US'],
    ['Germany', 'DE'],
    ['Côte d’Ivoire', 'CI'],
  ])('reads the country %p as %p', (cell, code) => {
    expect(parseCountry(cell)).toEqual({ ok: true, value: code });
  });

  it.each(['Atlantis', 'ZZ', 'EU', 'XX', ''])('refuses %p as a country', (cell) => {
    expect(parseCountry(cell).ok).toBe(false);
  });

  it.each([
    ['2025-04-28', '2025-04-28'],
    ['2025-04-27', '2025-04-28'],
    ['2025-04-26', '2025-04-28'],
    ['2025-05-01', '2025-04-28'],
    ['2025-05-02', '2025-05-05'],
    [45775, '2025-04-28'],
  ])('puts the week starting %p on the nearest Monday, %p', (cell, monday) => {
    expect(parseWeekStart(cell)).toEqual({ ok: true, value: monday });
  });

  it.each([
    ['2025-04', '2025-04-01'],
    ['2025-04-17', '2025-04-01'],
  ])('reads the month %p as %p', (cell, first) => {
    expect(parseMonth(cell)).toEqual({ ok: true, value: first });
  });

  it.each(['2025-13', 'April 2025', '2025-02-30'])('refuses %p as a month', (cell) => {
    expect(parseMonth(cell).ok).toBe(false);
  });

  it.each([
    ['978-1-917000-01-2', '9781917000012'],
    ['080442957X', '080442957X'],
    ['', ''],
  ])('reads the ISBN %p as %p', (cell, isbn) => {
    expect(parseIsbn(cell)).toEqual({ ok: true, value: isbn });
  });
});
