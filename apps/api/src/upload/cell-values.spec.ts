import { parseCountry, parseDecimal, parseIsbn, parseMonth, parseWeekStart, scaleDecimal } from './cell-values';

describe('report cell parsers', () => {
  it.each([
    ['18420', '18420'],
    ['1,234.50', '1234.50'],
    ['1 234', '1234'],
    ["1'234.5", '1234.5'],
    ['(120)', '-120'],
    ['-0.11', '-0.11'],
    ['007', '7'],
    [45.41, '45.41'],
  ])('reads the number %p as %p', (cell, expected) => {
    expect(parseDecimal(cell)).toEqual({ ok: true, value: expected });
  });

  it.each(['12,34', '1.234,5', '12;5', 'abc', '', '1e5'])('refuses %p as a number', (cell) => {
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
