import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { csvRows } from '../upload/row-sources';
import { parseEcbDay, readEcbXml, readRateCsv, recogniseRateFile } from './rate-files';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const csv = (text: string) => readRateCsv(csvRows(Readable.from([text]), ','), 'USD');

describe('rate files', () => {
  it.each([
    ['date,currency,rate\n2025-05-02,ZAR,0.0541', 'fx-rates'],
    ['\uFEFFDate;Currency;Rate\n', 'fx-rates'],
    ['Date,USD,JPY,BGN,\n', 'ecb-rates'],
    ['Date, USD, JPY, GBP, ZAR, \n', 'ecb-rates'],
    [fixture('eurofxref-daily.xml'), 'ecb-rates'],
    ['<?xml version="1.0"?><rss></rss>', null],
    ['Week starting,Title,ISBN,Country,Total listen minutes\n', null],
    ['date,currency,amount\n', null],
  ])('recognises %j as %s', (head, kind) => {
    expect(recogniseRateFile(Buffer.from(head))).toBe(kind);
  });

  it('reads the ECB XML with single and double quotes, a day without ZAR, and a holiday gap', () => {
    const content = readEcbXml(fixture('eurofxref-hist.xml'));
    expect(content.errors).toEqual([]);
    expect(content.rows).toBe(5);
    expect(content.input.kind).toBe('ecb');
    const quotes = content.input.kind === 'ecb' ? content.input.quotes : [];
    expect(quotes.filter((q) => q.currency === 'ZAR').map((q) => [q.day, q.perEur])).toEqual([
      ['2025-04-23', '21.2530'],
      ['2025-04-22', '21.4920'],
      ['2025-04-16', '21.3820'],
      ['2025-04-11', '21.9950'],
    ]);
    expect([...new Set(quotes.map((q) => q.day))]).toEqual([
      '2025-04-23',
      '2025-04-22',
      '2025-04-17',
      '2025-04-16',
      '2025-04-11',
    ]);
  });

  it('refuses an ECB XML cut short, and names the line of a bad rate', () => {
    const full = fixture('eurofxref-hist.xml');
    expect(readEcbXml(full.slice(0, full.indexOf("<Cube time='2025-04-17'>"))).errors).toEqual([
      {
        row: null,
        column: null,
        message: 'the ECB file ends early (no closing </gesmes:Envelope>): nothing was stored',
      },
    ]);
    const bad = full.replace(`<Cube currency="JPY" rate="161.87"/>`, `<Cube currency="JPY" rate="-161.87"/>`);
    expect(readEcbXml(bad).errors).toEqual([
      { row: 10, column: 'rate', message: '-161.87 is not a rate: a rate must be greater than 0' },
    ]);
  });

  it('reads the ECB history CSV (N/A, trailing comma) and the daily CSV (spaces, "24 April 2025")', async () => {
    const history = await csv(fixture('eurofxref-hist-90d.csv'));
    expect(history.errors).toEqual([]);
    expect(history.rows).toBe(4);
    const quotes = history.input.kind === 'ecb' ? history.input.quotes : [];
    expect(quotes.filter((q) => q.day === '2025-04-17').map((q) => q.currency)).toEqual(['USD', 'JPY', 'GBP']);
    expect(quotes.some((q) => q.currency === 'HRK')).toBe(false);
    const daily = await csv(fixture('eurofxref-daily.csv'));
    expect(daily.errors).toEqual([]);
    expect(daily.input).toEqual({
      kind: 'ecb',
      quotes: [
        { day: '2025-04-24', currency: 'USD', perEur: '1.1386' },
        { day: '2025-04-24', currency: 'JPY', perEur: '162.58' },
        { day: '2025-04-24', currency: 'GBP', perEur: '0.85643' },
        { day: '2025-04-24', currency: 'ZAR', perEur: '21.1470' },
      ],
    });
  });

  it('reads date,currency,rate in any column order and reports every bad row with its column', async () => {
    const good = await csv('currency,date,rate\nbdt,2025-05-02,0.0082\nZAR,2025-05-02, 0.0541 \n');
    expect(good).toEqual({
      input: {
        kind: 'base',
        rates: [
          { day: '2025-05-02', currency: 'BDT', rate: '0.0082' },
          { day: '2025-05-02', currency: 'ZAR', rate: '0.0541' },
        ],
      },
      rows: 2,
      errors: [],
    });
    const bad = await csv(
      [
        'date,currency,rate',
        '2025-05-02,ZZZ,0.05',
        '2025-05-02,ZAR,0',
        '2025-05-02,ZAR,-1.5',
        '31/02/2025,ZAR,0.05',
        '2025-05-03,USD,1',
        '2025-05-04,BDT,',
        '2025-05-05,BDT,0.0081',
        '2025-05-05,bdt,0.0082',
      ].join('\n'),
    );
    expect(bad.rows).toBe(8);
    expect(bad.errors).toEqual([
      { row: 2, column: 'currency', message: '"ZZZ" is not a known currency code (ISO 4217, e.g. ZAR)' },
      { row: 3, column: 'rate', message: '0 is not a rate: a rate must be greater than 0' },
      { row: 4, column: 'rate', message: '-1.5 is not a rate: a rate must be greater than 0' },
      { row: 5, column: 'date', message: '"31/02/2025" is not a date like 2025-04-28' },
      { row: 6, column: 'currency', message: 'USD is the base currency: its rate is always 1' },
      { row: 7, column: 'rate', message: 'is empty' },
      { row: 9, column: null, message: 'repeats row 8 (same date 2025-05-05 and currency BDT)' },
    ]);
  });

  it('reads 0,054 as 0.054, decimal commas of a ;-delimited file, and refuses a rate a thousand times off', async () => {
    const semicolons = await readRateCsv(
      csvRows(Readable.from(['date;currency;rate\n2025-05-02;ZAR;0,054\n2025-05-02;JPY;1,234\n']), ';'),
      'USD',
      ',',
    );
    expect(semicolons).toMatchObject({
      input: {
        rates: [
          { day: '2025-05-02', currency: 'ZAR', rate: '0.054' },
          { day: '2025-05-02', currency: 'JPY', rate: '1.234' },
        ],
      },
      errors: [],
    });
    const zeroComma = await csv('date,currency,rate\n2025-05-02,ZAR,"0,054"\n');
    expect(zeroComma.input).toEqual({ kind: 'base', rates: [{ day: '2025-05-02', currency: 'ZAR', rate: '0.054' }] });
    const commas = await csv('date,currency,rate\n2025-05-02,ZAR,0.054\n2025-05-02,JPY,"1,234"\n');
    expect(commas.input).toEqual({ kind: 'base', rates: [{ day: '2025-05-02', currency: 'ZAR', rate: '0.054' }] });
    expect(commas.errors).toEqual([
      {
        row: 3,
        column: 'rate',
        message: '"1,234" could be 1234 or 1.234: write it without a thousands separator, or with more decimals',
      },
    ]);
  });

  it.each([
    ['2024-06-28', '2024-06-28'],
    ['28 June 2024', '2024-06-28'],
    ['4 January 1999', '1999-01-04'],
    ['31 February 2024', null],
    ['1998-12-31', null],
    ['28/06/2024', null],
  ])('reads the ECB day %j as %s', (text, day) => {
    expect(parseEcbDay(text)).toBe(day);
  });
});
