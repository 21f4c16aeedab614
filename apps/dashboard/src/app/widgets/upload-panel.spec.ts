import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { UploadFileResult } from '@mt/contracts';
import { PreferencesService } from '../core/preferences.service';
import { RefreshService } from '../core/refresh.service';
import { UploadPanel, maskQuotedCells, stateOf } from './upload-panel';

const result = (change: Partial<UploadFileResult>): UploadFileResult => ({
  name: 'weekly.csv',
  type: 'spotify-weekly',
  status: 'imported',
  rows: 10,
  inserted: 8,
  updated: 2,
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

  it('uploads each file on its own with its own progress and outcome', async () => {
    const { fixture, panel, http, element } = await setup();
    const refreshes: string[] = [];
    TestBed.inject(RefreshService)
      .on('spotify')
      .subscribe((topic) => refreshes.push(topic));
    panel.uploadFiles([new File(['a'], 'weekly.csv'), new File(['b'], 'broken.csv'), new File(['c'], 'again.csv')]);
    const [weekly, broken, again] = http.match('/api/upload');
    expect(weekly!.request.body).toBeInstanceOf(FormData);
    expect((weekly!.request.body as FormData).getAll('files')).toHaveLength(1);

    weekly!.event({ type: HttpEventType.UploadProgress, loaded: 50, total: 100 });
    await fixture.whenStable();
    expect(panel.rows()[0]).toMatchObject({ state: 'uploading', progress: 0.5 });
    expect(element.querySelector('mat-progress-bar')).not.toBeNull();

    weekly!.flush({ files: [result({})] });
    broken!.flush({
      files: [
        result({
          name: 'broken.csv',
          status: 'rejected',
          type: null,
          inserted: 0,
          updated: 0,
          errors: [{ row: 3, column: 'Total listen minutes', message: 'not a number: "abc"' }],
        }),
      ],
    });
    again!.flush({
      files: [
        result({
          name: 'again.csv',
          duplicate: true,
          inserted: 0,
          updated: 0,
          message: 'already imported on 2026-03-01',
        }),
      ],
    });
    await fixture.whenStable();

    expect(panel.rows().map((row) => row.state)).toEqual(['imported', 'rejected', 'duplicate']);
    const rows = element.querySelectorAll('[data-testid="upload-row"]');
    expect(rows[0]!.querySelector('[data-testid="upload-summary"]')?.textContent).toContain(
      '10 rows, 8 new, 2 changed',
    );
    expect(rows[1]!.querySelector('[data-testid="upload-errors"]')?.textContent?.trim()).toBe(
      'Row 3, Total listen minutes: not a number: "abc"',
    );
    expect(rows[2]!.querySelector('[data-testid="upload-message"]')?.textContent).toContain(
      'already imported on 2026-03-01',
    );
    expect(rows[2]!.querySelector('[data-testid="upload-state"]')?.textContent?.trim()).toBe('Already imported');
    expect(refreshes).toEqual(['spotify', 'spotify']);
  });

  it('masks the cells a row error quotes while presenting: in a revenue column they are amounts', async () => {
    const { fixture, panel, http, element } = await setup();
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

  it('shows why a request failed, per file', async () => {
    const { fixture, panel, http, element } = await setup();
    panel.uploadFiles([new File(['a'], 'huge.csv')]);
    http
      .expectOne('/api/upload')
      .flush({ message: 'File too large: the limit is 50 MB' }, { status: 413, statusText: 'Payload Too Large' });
    await fixture.whenStable();
    expect(panel.rows()[0]!.state).toBe('failed');
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
