import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

const RANGE = { from: '2026-11-02', to: '2026-11-03' };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The cells of every sheet (workbooks carry their creation time, so their bytes differ between two downloads). */
async function sheets(body: Buffer): Promise<Record<string, unknown[]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  return Object.fromEntries(workbook.worksheets.map((sheet) => [sheet.name, sheet.getSheetValues()]));
}

/** SPEC §3 names the exports by file name (`/api/export/daily.csv`); the `?format=` form stays. */
describe('export paths with a file suffix', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await t.db.dataSource.query(
      `INSERT INTO orders (platform, store, external_id, created_at, currency, total, base_total, country, status)
       VALUES ('shopify', 'mt-ink.myshopify.com', '1001', '2026-11-02T10:15:00+01:00', 'USD', 25.00, 25.00, 'GB', 'paid'),
              ('etsy', '', 'E-7', '2026-11-03T09:00:00+01:00', 'EUR', 20.00, 21.50, 'DE', 'paid')`,
    );
  });
  afterAll(() => t?.close());

  describe.each(['orders', 'daily'])('/api/export/%s.csv and .xlsx', (kind) => {
    it('requires authentication', async () => {
      await t.anonymous().get(`/api/export/${kind}.csv`).query(RANGE).expect(401);
      await t.anonymous().get(`/api/export/${kind}.xlsx`).query(RANGE).expect(401);
    });

    it(`answers /api/export/${kind}.csv with the same CSV as ?format=csv`, async () => {
      const suffixed = await t.as('viewer').get(`/api/export/${kind}.csv`).query(RANGE).expect(200);
      const queried = await t
        .as('viewer')
        .get(`/api/export/${kind}`)
        .query({ ...RANGE, format: 'csv' })
        .expect(200);
      expect(suffixed.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(suffixed.headers['content-disposition']).toBe(
        `attachment; filename="${kind}-2026-11-02-to-2026-11-03.csv"`,
      );
      expect(suffixed.text.split('\r\n')).toHaveLength(4); // header, two days or two orders, final line break
      expect(suffixed.text).toBe(queried.text);
    });

    it(`answers /api/export/${kind}.xlsx with the same workbook as ?format=xlsx`, async () => {
      const download = (path: string, query: Record<string, string>) =>
        t.as('viewer').get(path).query(query).buffer(true).parse(binary).expect(200);
      const suffixed = await download(`/api/export/${kind}.xlsx`, RANGE);
      const queried = await download(`/api/export/${kind}`, { ...RANGE, format: 'xlsx' });
      expect(suffixed.headers['content-type']).toBe(XLSX_TYPE);
      expect(suffixed.headers['content-disposition']).toBe(
        `attachment; filename="${kind}-2026-11-02-to-2026-11-03.xlsx"`,
      );
      const cells = await sheets(suffixed.body as Buffer);
      expect(Object.keys(cells)).toEqual([kind]);
      expect(cells[kind]!.filter(Boolean)).toHaveLength(3);
      expect(cells).toEqual(await sheets(queried.body as Buffer));
    });

    it('answers 400 naming the problem for another suffix or a format beside the suffix', async () => {
      const pdf = await t.as('viewer').get(`/api/export/${kind}.pdf`).query(RANGE).expect(400);
      expect(pdf.body.message).toEqual(['format must be csv or xlsx']);
      const both = await t
        .as('viewer')
        .get(`/api/export/${kind}.csv`)
        .query({ ...RANGE, format: 'xlsx' })
        .expect(400);
      expect(both.body.message).toEqual(['property format should not exist']);
      const range = await t.as('viewer').get(`/api/export/${kind}.csv`).query({ to: RANGE.to }).expect(400);
      expect(range.body.message).toEqual(['from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset']);
    });
  });
});
