import { CountryRow, sortCountries } from './top-countries';

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
});
