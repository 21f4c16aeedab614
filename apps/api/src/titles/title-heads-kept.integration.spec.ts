import type { TitleDetailResponse, TitlesResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { truncate } from '../../test/test-database';
import { ingest, line, order } from './fixtures/title-orders';

/**
 * The titles endpoints keep the heads they read (names, editions, identifiers) until the catalogue's
 * version moves. Every change below is made where this instance cannot hear of it (SQL of its own, as
 * another instance or a trigger would write), so only the version can tell the API that its heads are old.
 */
describe('titles heads kept per catalogue version (integration)', () => {
  let t: TestApp;
  const RANGE = { from: '2026-03-02', to: '2026-03-08', now: '2026-04-01T12:00:00+02:00' };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await truncate(t.db, 'orders', 'refunds', 'order_lines', 'titles', 'editions', 'title_names');
    await ingest(t, [
      order('1001', '2026-03-02T10:00:00Z', '12.00', [line('The Ink Road', { variant: 'Paperback', sku: 'INK-PB' })]),
    ]);
  });

  const top = async (): Promise<Array<[string, string[]]>> => {
    const res = await t.as('viewer').get('/api/titles').query(RANGE).expect(200);
    return (res.body as TitlesResponse).titles.map((title) => [title.title, title.formats]);
  };
  const page = async (): Promise<TitleDetailResponse> => {
    const [{ id }]: Array<{ id: string }> = await t.db.dataSource.query(`SELECT id::text AS id FROM titles`);
    return (await t.as('viewer').get(`/api/titles/${id}`).query(RANGE).expect(200)).body as TitleDetailResponse;
  };
  const version = async (): Promise<string> =>
    ((await t.db.dataSource.query(`SELECT version::text AS v FROM catalogue_version`)) as Array<{ v: string }>)[0]!.v;

  it('shows a title renamed, and an edition added, by a write the API did not make', async () => {
    expect(await top()).toEqual([['The Ink Road', ['paperback']]]);
    expect((await page()).title).toBe('The Ink Road');

    await t.db.dataSource.query(`UPDATE titles SET name = 'The Ink Road, Revised'`);
    expect(await top()).toEqual([['The Ink Road, Revised', ['paperback']]]);
    expect((await page()).title).toBe('The Ink Road, Revised');

    await t.db.dataSource.query(`INSERT INTO editions (title_id, format) SELECT id, 'audiobook' FROM titles`);
    expect(await top()).toEqual([['The Ink Road, Revised', ['audiobook', 'paperback']]]);
  });

  it('shows an identifier and a Spotify key given to an edition, and one taken away', async () => {
    const identifiers = async () =>
      (await page()).editions.map((edition) => edition.identifiers.map((i) => `${i.kind}@${i.platform}=${i.value}`));
    expect(await identifiers()).toEqual([['sku@null=INK-PB']]);

    await t.db.dataSource.query(
      `INSERT INTO spotify_title_editions (title_key, edition_id) SELECT '9781917000012', id FROM editions`,
    );
    expect(await identifiers()).toEqual([['isbn@spotify=9781917000012', 'sku@null=INK-PB']]);

    await t.db.dataSource.query(`DELETE FROM edition_identifiers`);
    expect(await identifiers()).toEqual([['isbn@spotify=9781917000012']]);
  });

  it('moves the version only when a statement changed a row: another order of a known edition leaves it', async () => {
    const before = await version();
    await ingest(t, [
      order('1002', '2026-03-03T10:00:00Z', '12.00', [line('The Ink Road', { variant: 'Paperback', sku: 'INK-PB' })]),
    ]);
    await t.db.dataSource.query(`UPDATE titles SET name = name WHERE false`);
    expect(await version()).toBe(before);

    await t.db.dataSource.query(`UPDATE titles SET name = name`);
    expect(BigInt(await version())).toBe(BigInt(before) + 1n);
  });
});
