import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { UploadFileResult } from '@mt/contracts';
import { PreferencesService } from '../core/preferences.service';
import { RefreshService } from '../core/refresh.service';
import { fileProgress } from '../core/upload-api.service';
import { UploadPanel, maskQuotedCells, stateOf } from './upload-panel';

const result = (change: Partial<UploadFileResult>): UploadFileResult => ({
  name: 'weekly.csv',
  kind: 'spotify',
  type: 'spotify-weekly',
  platform: null,
  recognised: 'Spotify weekly stats, 10 rows',
  status: 'imported',
  rows: 10,
  inserted: 8,
  updated: 2,
  skipped: 0,
  errors: [],
  duplicate: false,
  sheets: [],
  ...change,
});

describe('UploadPanel', () => {
  async function setup() {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [UploadPanel],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const fixture = TestBed.createComponent(UploadPanel);
    await fixture.whenStable();
    return {
      fixture,
      panel: fixture.componentInstance,
      http: TestBed.inject(HttpTestingController),
      element: fixture.nativeElement as HTMLElement,
    };
  }

  /** The panel's own request for the import history, answered empty. */
  const answerHistory = (http: HttpTestingController) =>
    http.match((request) => request.url === '/api/imports').forEach((request) => request.flush({ imports: [] }));

  it('sends the files dropped together in one request, each with its own progress, recognition and outcome', async () => {
    const { fixture, panel, http, element } = await setup();
    answerHistory(http);
    const refreshes: string[] = [];
    const refresh = TestBed.inject(RefreshService);
    for (const topic of ['sales', 'spotify', 'sources'] as const)
      refresh.on(topic).subscribe(() => refreshes.push(topic));
    panel.uploadFiles([
      new File(['a'.repeat(100)], 'orders_export_1.csv'),
      new File(['b'.repeat(100)], 'broken.csv'),
      new File(['c'.repeat(200)], 'weekly.csv'),
    ]);
    const upload = http.expectOne('/api/upload');
    expect(upload.request.body).toBeInstanceOf(FormData);
    expect((upload.request.body as FormData).getAll('files').map((file) => (file as File).name)).toEqual([
      'orders_export_1.csv',
      'broken.csv',
      'weekly.csv',
    ]);

    upload.event({ type: HttpEventType.UploadProgress, loaded: 150, total: 400 });
    await fixture.whenStable();
    expect(panel.rows().map((row) => [row.state, row.progress])).toEqual([
      ['importing', 1],
      ['uploading', 0.5],
      ['uploading', 0],
    ]);
    expect(element.querySelectorAll('mat-progress-bar')).toHaveLength(3);

    upload.flush({
      files: [
        result({
          name: 'orders_export_1.csv',
          kind: 'orders',
          type: null,
          platform: 'shopify',
          recognised: 'Shopify orders export, 50 orders',
          rows: 61,
          inserted: 48,
          updated: 1,
          skipped: 1,
        }),
        result({
          name: 'broken.csv',
          kind: null,
          type: null,
          recognised: null,
          status: 'rejected',
          inserted: 0,
          updated: 0,
          errors: [{ row: null, column: null, message: 'We could not tell what this file is: …' }],
        }),
        result({ name: 'weekly.csv', duplicate: true, inserted: 0, updated: 0, message: 'already imported' }),
      ],
    });
    await fixture.whenStable();

    expect(panel.rows().map((row) => row.state)).toEqual(['imported', 'rejected', 'duplicate']);
    const rows = element.querySelectorAll('[data-testid="upload-row"]');
    const text = (row: Element, id: string) => row.querySelector(`[data-testid="${id}"]`)?.textContent?.trim();
    expect(text(rows[0]!, 'upload-recognised')).toBe('Shopify orders export, 50 orders');
    expect(text(rows[0]!, 'upload-summary')).toBe('61 rows read: 48 new, 1 changed, 1 unchanged');
    expect(text(rows[1]!, 'upload-recognised')).toBeUndefined();
    expect(text(rows[1]!, 'upload-errors')).toBe('We could not tell what this file is: …');
    expect(text(rows[2]!, 'upload-message')).toBe('already imported');
    expect(text(rows[2]!, 'upload-state')).toBe('Already imported');
    expect(element.querySelector('mat-progress-bar')).toBeNull();
    // Orders change the sales figures; the duplicate Spotify report changed nothing; the history reloads.
    expect(refreshes).toEqual(['sales', 'sources']);
    http.expectOne('/api/imports?limit=20').flush({ imports: [] });
  });

  it.each([
    [[100, 100, 200], 0, 400, [0, 0, 0]],
    [[100, 100, 200], 400, 400, [1, 1, 1]],
    // The multipart body is larger than the files: the overhead is spread over them.
    [[100, 300], 220, 440, [1, 1 / 3]],
    [[0, 10], 1, 20, [1, 0.05]],
    [[10], 5, 0, [0]],
  ])('shares the bytes sent %j (%i of %i) out as each file’s progress', (sizes, loaded, total, expected) => {
    expect(fileProgress(sizes, loaded, total)).toEqual(expected);
  });

  it('masks the cells a row error quotes while presenting: in a revenue column they are amounts', async () => {
    const { fixture, panel, http, element } = await setup();
    answerHistory(http);
    panel.uploadFiles([new File(['a'], 'revenue.csv')]);
    http.expectOne('/api/upload').flush({
      files: [
        result({
          name: 'revenue.csv',
          status: 'rejected',
          errors: [{ row: 4, column: 'Revenue', message: '"$1,2O0.50" is not a number' }],
        }),
      ],
    });
    TestBed.inject(PreferencesService).presenterMode.set(true);
    await fixture.whenStable();
    const errors = () => element.querySelector('[data-testid="upload-errors"]')?.textContent?.trim();
    expect(errors()).toBe('Row 4, Revenue: "•••" is not a number');
    TestBed.inject(PreferencesService).presenterMode.set(false);
    await fixture.whenStable();
    expect(errors()).toBe('Row 4, Revenue: "$1,2O0.50" is not a number');
  });

  it('masks every quoted cell of a message', () => {
    expect(maskQuotedCells('"12.5" is not a date like 2025-04-28; "x" neither')).toBe(
      '"•••" is not a date like 2025-04-28; "•••" neither',
    );
    expect(maskQuotedCells('country is missing')).toBe('country is missing');
  });

  it('shows each file’s result when the API refused them all (422)', async () => {
    const { fixture, panel, http, element } = await setup();
    answerHistory(http);
    panel.uploadFiles([new File(['a'], 'orders.csv'), new File(['b'], 'weekly.csv')]);
    http.expectOne('/api/upload').flush(
      {
        files: [
          result({
            name: 'orders.csv',
            kind: 'orders',
            status: 'rejected',
            errors: [{ row: 2, column: 'Total', message: 'Total "ten" is not an amount' }],
          }),
          result({
            name: 'weekly.csv',
            status: 'rejected',
            errors: [{ row: 3, column: 'Country', message: '"Atlantis" is not a country code or name' }],
          }),
        ],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await fixture.whenStable();
    expect(panel.rows().map((row) => row.state)).toEqual(['rejected', 'rejected']);
    expect(element.querySelector('[role="alert"]')).toBeNull();
    expect(
      Array.from(element.querySelectorAll('[data-testid="upload-errors"]')).map((list) => list.textContent?.trim()),
    ).toEqual([
      'Row 2, Total: Total "ten" is not an amount',
      'Row 3, Country: "Atlantis" is not a country code or name',
    ]);
  });

  it('shows why a request failed, per file', async () => {
    const { fixture, panel, http, element } = await setup();
    answerHistory(http);
    panel.uploadFiles([new File(['a'], 'huge.csv'), new File(['b'], 'small.csv')]);
    http
      .expectOne('/api/upload')
      .flush({ message: 'File too large: the limit is 50 MB' }, { status: 413, statusText: 'Payload Too Large' });
    await fixture.whenStable();
    expect(panel.rows().map((row) => row.state)).toEqual(['failed', 'failed']);
    expect(element.querySelector('[role="alert"]')?.textContent).toContain(
      'The API answered 413: File too large: the limit is 50 MB',
    );
  });

  it.each([
    [undefined, 'failed'],
    [result({ duplicate: true }), 'duplicate'],
    [result({ status: 'rejected' }), 'rejected'],
    [result({}), 'imported'],
  ] as const)('maps %o to %s', (answer, state) => {
    expect(stateOf(answer)).toBe(state);
  });
});
