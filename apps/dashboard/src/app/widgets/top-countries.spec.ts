import { CountryRow, countryName, sortCountries } from './top-countries';
import { monthToDate, toIsoDay } from './range-bar';

const rows: CountryRow[] = [
  { country: 'US', name: 'United States', orders: 10, revenue: 100 },
  { country: 'GB', name: 'United Kingdom', orders: 7, revenue: 300 },
  { country: 'DE', name: 'Germany', orders: 7, revenue: 200 },
];

describe('top countries', () => {
  it('keeps the API order until a column is chosen', () => {
    expect(sortCountries(rows, { active: '', direction: '' }).map((r) => r.country)).toEqual(['US', 'GB', 'DE']);
  });

  it.each([
    ['revenue', 'desc', ['GB', 'DE', 'US']],
    ['revenue', 'asc', ['US', 'DE', 'GB']],
    ['name', 'asc', ['DE', 'GB', 'US']],
    ['orders', 'asc', ['GB', 'DE', 'US']],
  ] as const)('sorts by %s %s', (active, direction, order) => {
    expect(sortCountries(rows, { active, direction }).map((r) => r.country)).toEqual(order);
  });

  it('names countries, and says Unknown for orders without one', () => {
    expect(countryName(null)).toBe('Unknown');
    expect(countryName('DE')).toMatch(/Germany|Deutschland/);
  });
});

describe('range bar dates', () => {
  it('sends the picked calendar day, whatever the browser zone', () => {
    expect(toIsoDay(new Date(2026, 2, 29, 23, 30))).toBe('2026-03-29');
    expect(monthToDate(new Date(2026, 1, 14))).toEqual({ from: '2026-02-01', to: '2026-02-14' });
  });
});
