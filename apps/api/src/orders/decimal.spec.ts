import { fromFraction, money, parseMoney, sum, toCents } from './decimal';

describe('decimal money', () => {
  it.each([
    ['86.00', '86.00'],
    ['86', '86.00'],
    ['-12.99', '-12.99'],
    ['$48.00', '48.00'],
    ['US $1,234.50', '1234.50'],
    ['€12,99', '12.99'],
    ['1.234,56', '1234.56'],
    ['(5.00)', '-5.00'],
    ['0.005', '0.01'],
    ['-0.005', '-0.01'],
    ['79.23', '79.23'],
  ])('reads %s as %s', (text, expected) => {
    expect(money(text)).toBe(expected);
  });

  it('rejects what is not an amount', () => {
    expect(() => parseMoney('abc')).toThrow('"abc" is not an amount');
    expect(() => parseMoney('')).toThrow();
  });

  it('adds exactly where floats drift (0.1 + 0.2)', () => {
    expect(toCents(sum([parseMoney('0.1'), parseMoney('0.2')]))).toBe('0.30');
    expect(toCents(sum(Array.from({ length: 1000 }, () => parseMoney('0.01'))))).toBe('10.00');
  });

  it('divides Etsy amount/divisor with the given divisor', () => {
    expect(toCents(fromFraction(4250, 100))).toBe('42.50');
    expect(toCents(fromFraction(1500, 1))).toBe('1500.00');
    expect(toCents(fromFraction(12345, 1000))).toBe('12.35');
  });
});
