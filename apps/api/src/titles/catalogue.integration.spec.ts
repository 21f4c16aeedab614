import type {
  CatalogueChangeResponse,
  CatalogueResponse,
  CatalogueTitle,
  TitleDetailResponse,
  TitlesResponse,
} from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { truncate } from '../../test/test-database';
import { ingest, line, order } from './fixtures/title-orders';

/**
 * Admin changes to the catalogue through HTTP: rename, merge, split and identifiers move lines between
 * titles for every past window (read from the folded rollups, which the change rebuilds), a preview
 * changes nothing, and a bad request is refused with its reason and changes nothing.
 */
const NOW = '2026-04-01T12:00:00+02:00';

describe('title catalogue changes (integration)', () => {
  let t: TestApp;
  const byName = new Map<string, CatalogueTitle>();

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await truncate(t.db, 'orders', 'titles', 'editions', 'title_names', 'edition_identifiers');
    await ingest(t, [
      order('1', '2026-03-02T10:00:00Z', '20.00', [
        line('The Ink Road', { variant: 'Paperback', gtin: '9781000000011', lineTotal: '20.00' }),
      ]),
      order('2', '2026-03-03T10:00:00Z', '15.00', [line('Ink Road', { variant: 'eBook', lineTotal: '15.00' })]),
      order('3', '2026-03-04T10:00:00Z', '30.00', [
        line('Paper Harbours', { variant: 'Hardcover', lineTotal: '20.00' }),
        line('Paper Harbours', { variant: 'Audiobook', sku: 'PH-AUDIO', lineTotal: '10.00' }),
      ]),
    ]);
    // Read from folded rollups, so that a change that did not rebuild them would show.
    await t.db.dataSource.query(`SELECT refresh_title_rollups($1)`, [t.config.businessTimezone]);
    byName.clear();
    for (const title of await titles()) byName.set(title.title, title);
  });

  const titles = async (): Promise<CatalogueTitle[]> =>
    ((await t.as('viewer').get('/api/titles/catalogue').expect(200)).body as CatalogueResponse).titles;
  const revenue = async (): Promise<Array<[string, number]>> => {
    const res = await t
      .as('viewer')
      .get('/api/titles')
      .query({ from: '2026-03-01', to: '2026-03-31', now: NOW })
      .expect(200);
    return (res.body as TitlesResponse).titles.map((title) => [title.title, title.revenue]);
  };
  const id = (name: string) => byName.get(name)!.id;
  const edition = (name: string, format: string) => byName.get(name)!.editions.find((e) => e.format === format)!.id;

  it('merges titles: their editions and history move, the merged ones are gone, new lines follow', async () => {
    expect(await revenue()).toEqual([
      ['Paper Harbours', 30],
      ['The Ink Road', 20],
      ['Ink Road', 15],
    ]);
    const preview = await t
      .as('admin')
      .post(`/api/titles/${id('The Ink Road')}/merge`)
      .query({ dryRun: true })
      .send({ titleIds: [id('Ink Road')] })
      .expect(200);
    expect(preview.body).toMatchObject({
      applied: false,
      removedTitleIds: [id('Ink Road')],
      movedLines: 1,
      movedRevenue: 15,
    });
    expect(
      (preview.body as CatalogueChangeResponse).titles.map((title) => [
        title.title,
        title.editions.map((e) => e.format),
      ]),
    ).toEqual([['The Ink Road', ['ebook', 'paperback']]]);
    expect(await revenue()).toEqual([
      ['Paper Harbours', 30],
      ['The Ink Road', 20],
      ['Ink Road', 15],
    ]);

    await t
      .as('admin')
      .post(`/api/titles/${id('The Ink Road')}/merge`)
      .send({ titleIds: [id('Ink Road')] })
      .expect(200);
    expect(await revenue()).toEqual([
      ['The Ink Road', 35],
      ['Paper Harbours', 30],
    ]);
    const detail = (
      await t
        .as('viewer')
        .get(`/api/titles/${id('The Ink Road')}`)
        .query({ from: '2026-03-02', to: '2026-03-04', now: NOW })
        .expect(200)
    ).body as TitleDetailResponse;
    expect(detail.daily).toEqual([
      { date: '2026-03-02', units: 1, revenue: 20 },
      { date: '2026-03-03', units: 1, revenue: 15 },
      { date: '2026-03-04', units: 0, revenue: 0 },
    ]);
    await t
      .as('viewer')
      .get(`/api/titles/${id('Ink Road')}`)
      .query({ from: '2026-03-02', to: '2026-03-04' })
      .expect(404);
    // A later line spelt like the merged title lands on the title it was merged into.
    await ingest(t, [
      order('4', '2026-03-05T10:00:00Z', '15.00', [line('Ink Road', { variant: 'eBook', lineTotal: '15.00' })]),
    ]);
    expect(await revenue()).toEqual([
      ['The Ink Road', 50],
      ['Paper Harbours', 30],
    ]);
  });

  it('splits editions off into a new title with their history, and renames', async () => {
    const res = await t
      .as('admin')
      .post(`/api/titles/${id('Paper Harbours')}/split`)
      .send({ editionIds: [edition('Paper Harbours', 'audiobook')] })
      .expect(200);
    expect((res.body as CatalogueChangeResponse).titles.map((title) => [title.title, title.lines])).toEqual([
      ['Paper Harbours', 1],
      ['Paper Harbours (audiobook)', 1],
    ]);
    expect(await revenue()).toEqual([
      ['Paper Harbours', 20],
      ['The Ink Road', 20],
      ['Ink Road', 15],
      ['Paper Harbours (audiobook)', 10],
    ]);
    await t
      .as('admin')
      .patch(`/api/titles/${id('Ink Road')}`)
      .send({ title: 'Ink Road (ebook only)' })
      .expect(200);
    expect((await revenue()).map(([name]) => name)).toContain('Ink Road (ebook only)');
  });

  it('moves an identifier, and the lines it leads to follow', async () => {
    const res = await t
      .as('admin')
      .post('/api/titles/identifiers/move')
      .send({ kind: 'sku', platform: null, value: 'PH-AUDIO', editionId: edition('The Ink Road', 'paperback') })
      .expect(200);
    expect(res.body).toMatchObject({ applied: true, movedLines: 1, movedRevenue: 10 });
    expect(await revenue()).toEqual([
      ['The Ink Road', 30],
      ['Paper Harbours', 20],
      ['Ink Road', 15],
    ]);
  });

  it('refuses a merge into itself, splitting every edition and an identifier claimed by two editions, changing nothing', async () => {
    const before = await titles();
    const refused = async (request: PromiseLike<{ status: number; body: { message: string[] } }>, status: number) => {
      const res = await request;
      expect(res.status).toBe(status);
      return res.body.message;
    };
    expect(
      await refused(
        t
          .as('admin')
          .post(`/api/titles/${id('Ink Road')}/merge`)
          .send({ titleIds: [id('Ink Road')] }),
        400,
      ),
    ).toEqual([`titleIds must not include ${id('Ink Road')}, the title merged into`]);
    expect(
      await refused(
        t
          .as('admin')
          .post(`/api/titles/${id('Ink Road')}/split`)
          .send({ editionIds: [edition('Ink Road', 'ebook')] }),
        400,
      ),
    ).toEqual([
      `editionIds must leave at least one edition on title ${id('Ink Road')} (it has 1); to change its name, rename it`,
    ]);
    expect(
      await refused(
        t
          .as('admin')
          .post(`/api/titles/${id('Ink Road')}/split`)
          .send({ editionIds: [edition('Paper Harbours', 'audiobook')] }),
        400,
      ),
    ).toEqual([`editionIds: ${edition('Paper Harbours', 'audiobook')} is not an edition of title ${id('Ink Road')}`]);
    expect(
      await refused(
        t
          .as('admin')
          .post(`/api/titles/editions/${edition('Ink Road', 'ebook')}/identifiers`)
          .send({ kind: 'isbn', platform: null, value: '9781000000011' }),
        409,
      ),
    ).toEqual([
      `isbn 9781000000011 already leads to edition ${edition('The Ink Road', 'paperback')} (paperback of "The Ink Road"); an identifier leads to one edition: move it instead`,
    ]);
    expect(
      await refused(
        t
          .as('admin')
          .post(`/api/titles/99999/merge`)
          .send({ titleIds: [id('Ink Road')] }),
        404,
      ),
    ).toEqual(['title 99999 does not exist']);
    expect(
      await refused(
        t
          .as('admin')
          .post(`/api/titles/${id('Ink Road')}/merge`)
          .send({ titleIds: [] }),
        400,
      ),
    ).toEqual(['titleIds must name at least one']);
    expect(
      (
        await t
          .as('viewer')
          .post(`/api/titles/${id('Ink Road')}/merge`)
          .send({ titleIds: [1] })
      ).status,
    ).toBe(403);
    expect(await titles()).toEqual(before);
  });
});
