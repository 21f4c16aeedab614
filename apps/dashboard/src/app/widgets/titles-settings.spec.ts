import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { CatalogueChangeResponse, CatalogueResponse } from '@mt/contracts';
import { TitlesSettings } from './titles-settings';

const CATALOGUE: CatalogueResponse = {
  titles: [
    {
      id: 1,
      title: 'The Ink Road',
      lines: 5,
      editions: [
        { id: 11, format: 'paperback', lines: 5, identifiers: [{ kind: 'sku', platform: null, value: 'IR-PB' }] },
      ],
    },
    {
      id: 2,
      title: 'Ink Road',
      lines: 2,
      editions: [
        { id: 21, format: 'ebook', lines: 1, identifiers: [] },
        { id: 22, format: 'audiobook', lines: 1, identifiers: [] },
      ],
    },
  ],
};

const MERGED: CatalogueChangeResponse = {
  applied: false,
  titles: [
    {
      id: 1,
      title: 'The Ink Road',
      lines: 7,
      editions: [
        { id: 11, format: 'paperback', lines: 5, identifiers: [] },
        { id: 21, format: 'ebook', lines: 1, identifiers: [] },
        { id: 22, format: 'audiobook', lines: 1, identifiers: [] },
      ],
    },
  ],
  removedTitleIds: [2],
  movedLines: 2,
  movedRevenue: 31.5,
};

async function setup() {
  TestBed.configureTestingModule({
    imports: [TitlesSettings],
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  const fixture = TestBed.createComponent(TitlesSettings);
  const http = TestBed.inject(HttpTestingController);
  await fixture.whenStable();
  http.expectOne('/api/titles/catalogue').flush(CATALOGUE);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const click = async (selector: string) => {
    element.querySelector<HTMLElement>(selector)!.click();
    await fixture.whenStable();
  };
  const text = (selector: string) => element.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  return { fixture, http, element, click, text };
}

describe('TitlesSettings', () => {
  it('previews a merge of the ticked titles into the first one, then applies it and refetches', async () => {
    const { fixture, http, click, text } = await setup();
    await click('[data-title="The Ink Road"] [data-testid="title-select"] input');
    await click('[data-title="Ink Road"] [data-testid="title-select"] input');
    await click('[data-testid="titles-merge"]');
    const preview = http.expectOne((r) => r.url === '/api/titles/1/merge' && r.params.get('dryRun') === 'true');
    expect(preview.request.body).toEqual({ titleIds: [2] });
    preview.flush(MERGED);
    await fixture.whenStable();
    expect(text('[data-testid="titles-preview"] strong')).toBe('Merge “Ink Road” into “The Ink Road”');
    expect(text('[data-testid="titles-preview-effect"]')).toBe(
      '2 order lines ($31.50) change title. Afterwards: “The Ink Road” with paperback, ebook, audiobook;',
    );
    await click('[data-testid="titles-apply"]');
    const applied = http.expectOne((r) => r.url === '/api/titles/1/merge' && r.params.get('dryRun') === 'false');
    applied.flush({ ...MERGED, applied: true });
    await fixture.whenStable();
    http.expectOne('/api/titles/catalogue').flush({ titles: MERGED.titles });
    expect(text('[data-testid="titles-preview"]')).toBeNull();
  });

  it('previews a split of ticked editions and shows why the API refused one', async () => {
    const { fixture, http, click, text } = await setup();
    await click('[data-title="Ink Road"] [data-testid="edition-select"] input');
    await click('[data-testid="titles-split"]');
    http
      .expectOne((r) => r.url === '/api/titles/2/split' && r.params.get('dryRun') === 'true')
      .flush(
        { statusCode: 400, message: ['editionIds must leave at least one edition on title 2 (it has 1)'] },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    expect(text('[data-testid="titles-error"]')).toContain('editionIds must leave at least one edition on title 2');
    expect(text('[data-testid="titles-preview"]')).toBeNull();
  });
});
