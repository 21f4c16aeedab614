import { TestBed } from '@angular/core/testing';
import {
  MASKED_AMOUNT,
  MoneyPipe,
  UnlessPresentingPipe,
  clockTime,
  countryName,
  dateFormat,
  dayWithWeekday,
  formatNumber,
  monthYear,
  numberFormat,
  shortDate,
  formatChange,
  formatMoney,
  timeAgo,
  trendOf,
} from './format';
import { PreferencesService } from './preferences.service';

describe('formatting', () => {
  it.each([
    [12.345, '+12.3%'],
    [-3, '−3%'],
    [0, '±0%'],
    [null, '—'],
  ])('formats a change of %s as %s', (change, text) => {
    expect(formatChange(change)).toBe(text);
  });

  it.each([
    [5, 'up'],
    [-0.01, 'down'],
    [0, 'flat'],
    [null, 'none'],
  ] as const)('calls a change of %s %s', (change, trend) => {
    expect(trendOf(change)).toBe(trend);
  });

  it('formats money in the given currency', () => {
    expect(formatMoney(1234.5, 'USD')).toMatch(/1,234\.50/);
    expect(formatMoney(1234.5, 'USD')).toContain('$');
    expect(formatMoney(0.00841, 'USD', 5)).toMatch(/0\.00841/);
  });

  it('names countries, and says Unknown for orders without one', () => {
    expect(countryName(null)).toBe('Unknown');
    expect(countryName('DE')).toMatch(/Germany|Deutschland/);
    expect(countryName('ZZZ')).toBe('ZZZ');
  });

  it('builds each Intl formatter once per locale and options (building one costs far more than using it)', () => {
    expect(numberFormat({ maximumFractionDigits: 1 })).toBe(numberFormat({ maximumFractionDigits: 1 }));
    expect(numberFormat({ maximumFractionDigits: 1 })).not.toBe(numberFormat({ maximumFractionDigits: 2 }));
    expect(dateFormat({ month: 'short', timeZone: 'UTC' })).toBe(dateFormat({ month: 'short', timeZone: 'UTC' }));
    expect(formatNumber(1234.56, 1)).toBe(
      new Intl.NumberFormat(navigator.language, { maximumFractionDigits: 1 }).format(1234.56),
    );
  });

  it('writes calendar days and months without a zone shift', () => {
    expect(shortDate('2026-03-29')).toMatch(/29/);
    expect(shortDate('2026-03-29')).toMatch(/Mar/);
    expect(monthYear('2026-01')).toMatch(/Jan.*2026/);
    expect(dayWithWeekday('2026-03-29', true)).toMatch(/Sun.*29.*2026/);
  });

  it('shows the clock time in the business zone, not the browser zone', () => {
    expect(clockTime('2026-03-29T12:30:00Z', 'Europe/Berlin')).toBe('14:30');
    expect(clockTime('2026-03-29T12:30:00Z', 'America/New_York')).toBe('08:30');
  });

  it('says how long ago a sync was', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(timeAgo(null, now)).toBe('never');
    expect(timeAgo('2026-01-10T11:55:00Z', now)).toBe('5 min ago');
    expect(timeAgo('2026-01-10T09:00:00Z', now)).toBe('3 h ago');
    expect(timeAgo('2026-01-07T12:00:00Z', now)).toBe('3 d ago');
  });
});

describe('MoneyPipe', () => {
  beforeEach(() => localStorage.clear());

  it('masks every amount in presenter mode and shows it again afterwards', () => {
    TestBed.configureTestingModule({ providers: [MoneyPipe] });
    const pipe = TestBed.inject(MoneyPipe);
    const preferences = TestBed.inject(PreferencesService);
    expect(pipe.transform(10, 'USD')).toContain('10.00');
    preferences.togglePresenterMode();
    expect(pipe.transform(10, 'USD')).toBe(MASKED_AMOUNT);
    expect(pipe.transform(null, 'USD')).toBe(MASKED_AMOUNT);
    preferences.togglePresenterMode();
    expect(pipe.transform(null, 'USD')).toBe('—');
  });

  it('remembers presenter mode across reloads', () => {
    localStorage.setItem('mtink.presenter', 'true');
    TestBed.configureTestingModule({});
    expect(TestBed.inject(PreferencesService).presenterMode()).toBe(true);
  });
});

describe('UnlessPresentingPipe', () => {
  beforeEach(() => localStorage.clear());

  it('gives free text that may hold amounts way to its replacement while presenting', () => {
    TestBed.configureTestingModule({ providers: [UnlessPresentingPipe] });
    const pipe = TestBed.inject(UnlessPresentingPipe);
    const preferences = TestBed.inject(PreferencesService);
    expect(pipe.transform('First $1,000 day', 'Day revenue milestone')).toBe('First $1,000 day');
    preferences.togglePresenterMode();
    expect(pipe.transform('First $1,000 day', 'Day revenue milestone')).toBe('Day revenue milestone');
    expect(pipe.transform('First $1,000 day', null)).toBeNull();
    preferences.togglePresenterMode();
    expect(pipe.transform('First $1,000 day', null)).toBe('First $1,000 day');
  });
});
