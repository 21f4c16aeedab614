import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { UploadFileResult } from '@mt/contracts';
import { Subscription } from 'rxjs';
import { describeError } from '../core/live-data';
import { MASKED_AMOUNT, NumberPipe, UnlessPresentingPipe } from '../core/format';
import { RefreshService } from '../core/refresh.service';
import { UploadApi, fileProgress } from '../core/upload-api.service';
import { ImportHistory, changeCounts } from './import-history';

/** `uploading`: bytes on their way; `importing`: all sent, the API is reading it. */
export type UploadState = 'uploading' | 'importing' | 'imported' | 'duplicate' | 'rejected' | 'failed';

export interface UploadRow {
  id: number;
  name: string;
  size: number;
  /** 0–1 of the bytes sent. */
  progress: number;
  state: UploadState;
  result: UploadFileResult | null;
  /** Why the request itself failed (network, 413, 403). */
  failure: string | null;
}

/** The state a finished file is shown in. */
export function stateOf(result: UploadFileResult | undefined): UploadState {
  if (!result) return 'failed';
  if (result.duplicate) return 'duplicate';
  return result.status === 'imported' ? 'imported' : 'rejected';
}

/**
 * A row error as presenter mode shows it: the API quotes the cell it could not read (`"$1,2O0" is not a
 * number`), and in a revenue column that cell is an amount.
 */
export function maskQuotedCells(message: string): string {
  return message.replace(/"[^"]*"/g, `"${MASKED_AMOUNT}"`);
}

/**
 * The one drop zone (SPEC §4 "One way in for files"): any mix of order exports, API answers saved as
 * JSON, Spotify reports and exchange-rate files. The files dropped together go up together; each shows
 * its progress, what the API recognised it as, its result and its row errors. The import history below.
 */
@Component({
  selector: 'mt-upload-panel',
  imports: [MatCardModule, MatButtonModule, MatProgressBarModule, NumberPipe, UnlessPresentingPipe, ImportHistory],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="upload-panel">
      <mat-card-header><mat-card-title>Upload files</mat-card-title></mat-card-header>
      <mat-card-content>
        <div
          class="drop-zone"
          [class.drag-over]="dragOver()"
          (dragover)="$event.preventDefault(); dragOver.set(true)"
          (dragleave)="dragOver.set(false)"
          (drop)="dropFiles($event)"
          data-testid="drop-zone"
        >
          <p>
            Drop order exports (Shopify, WooCommerce, Etsy, Amazon, eBay — CSV, XLSX or their API's JSON), Spotify
            reports or exchange-rate files here, several at once
          </p>
          <button mat-flat-button type="button" (click)="picker.click()">Choose files</button>
          <input
            #picker
            type="file"
            multiple
            accept=".csv,.tsv,.txt,.xlsx,.json,.xml,text/csv,text/tab-separated-values,application/json,application/xml,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            hidden
            (change)="pickFiles(picker)"
            data-testid="upload-input"
          />
        </div>
        @if (rows().length) {
          <ul class="upload-list" aria-live="polite">
            @for (row of rows(); track row.id) {
              <li [attr.data-state]="row.state" data-testid="upload-row">
                <div class="upload-head">
                  <span class="file-name">{{ row.name }}</span>
                  <span
                    class="chip"
                    [class.chip-active]="row.state === 'imported'"
                    [class.chip-error]="row.state === 'rejected' || row.state === 'failed'"
                    data-testid="upload-state"
                    >{{ label(row) }}</span
                  >
                </div>
                @if (row.state === 'uploading') {
                  <mat-progress-bar
                    mode="determinate"
                    [value]="row.progress * 100"
                    [attr.aria-label]="'Uploading ' + row.name"
                  />
                } @else if (row.state === 'importing') {
                  <mat-progress-bar mode="indeterminate" [attr.aria-label]="'Importing ' + row.name" />
                }
                @if (row.result; as r) {
                  @if (r.recognised) {
                    <p class="recognised" data-testid="upload-recognised">{{ r.recognised }}</p>
                  }
                  @if (r.duplicate) {
                    <p class="muted" data-testid="upload-message">
                      {{ r.message ?? 'Already imported: nothing changed.' }}
                    </p>
                  } @else if (r.status === 'imported') {
                    <p class="muted" data-testid="upload-summary">{{ r.rows | num }} rows read: {{ counts(r) }}</p>
                  }
                  @if (r.errors.length) {
                    <ul class="row-errors" data-testid="upload-errors">
                      @for (error of r.errors.slice(0, 20); track $index) {
                        <li>
                          {{ where(error) }}{{ error.message | unlessPresenting: maskQuotedCells(error.message) }}
                        </li>
                      }
                      @if (r.errors.length > 20) {
                        <li>… and {{ r.errors.length - 20 }} more</li>
                      }
                    </ul>
                  }
                }
                @if (row.failure) {
                  <p class="source-error" role="alert">{{ row.failure }}</p>
                }
              </li>
            }
          </ul>
          <button mat-button type="button" (click)="clearFinished()">Clear finished</button>
        }
        <mt-import-history />
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .drop-zone {
      border: 2px dashed var(--mat-sys-outline);
      border-radius: 12px;
      padding: 16px;
      text-align: center;
    }
    .drop-zone.drag-over {
      border-color: var(--mat-sys-primary);
      background: var(--mat-sys-primary-container);
    }
    .upload-list {
      list-style: none;
      padding: 0;
      margin: 12px 0 0;
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .upload-head {
      display: flex;
      justify-content: space-between;
      gap: 8px;
      align-items: center;
    }
    .file-name {
      overflow-wrap: anywhere;
      font-weight: 500;
    }
    .row-errors {
      margin: 4px 0 0;
      padding-left: 20px;
      color: var(--mat-sys-error);
      font-size: 0.85rem;
      overflow-wrap: anywhere;
    }
    .source-error {
      color: var(--mat-sys-error);
    }
    .recognised {
      margin: 4px 0 0;
    }
  `,
})
export class UploadPanel {
  private readonly api = inject(UploadApi);
  private readonly refresh = inject(RefreshService);
  readonly rows = signal<UploadRow[]>([]);
  protected readonly dragOver = signal(false);
  private readonly running = new Subscription();
  private nextId = 1;
  protected readonly maskQuotedCells = maskQuotedCells;
  protected readonly counts = changeCounts;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.running.unsubscribe());
  }

  protected dropFiles(event: DragEvent): void {
    event.preventDefault();
    this.dragOver.set(false);
    this.uploadFiles(Array.from(event.dataTransfer?.files ?? []));
  }

  protected pickFiles(input: HTMLInputElement): void {
    this.uploadFiles(Array.from(input.files ?? []));
    input.value = '';
  }

  /** One request for the files dropped together; each row follows its own bytes, then its own result. */
  uploadFiles(files: File[]): void {
    if (!files.length) return;
    const ids = files.map(() => this.nextId++);
    this.rows.update((rows) => [
      ...rows,
      ...files.map((file, i) => ({
        id: ids[i]!,
        name: file.name,
        size: file.size,
        progress: 0,
        state: 'uploading' as const,
        result: null,
        failure: null,
      })),
    ]);
    const sizes = files.map((file) => file.size);
    this.running.add(
      this.api.uploadFiles(files).subscribe({
        next: (event) => {
          if (event.kind === 'progress') {
            const fractions = fileProgress(sizes, event.loaded, event.total);
            ids.forEach((id, i) =>
              this.patch(id, { progress: fractions[i]!, state: fractions[i]! >= 1 ? 'importing' : 'uploading' }),
            );
            return;
          }
          ids.forEach((id, i) => {
            const result = event.results[i];
            this.patch(id, { progress: 1, state: stateOf(result), result: result ?? null });
          });
          const imported = event.results.filter((result) => result.status === 'imported' && !result.duplicate);
          if (imported.some((result) => result.kind === 'orders')) this.refresh.request('sales');
          if (imported.some((result) => result.kind === 'spotify')) this.refresh.request('spotify');
          if (imported.some((result) => result.kind === 'rates')) this.refresh.request('sales');
          this.refresh.request('sources');
        },
        error: (failure: unknown) =>
          ids.forEach((id) => this.patch(id, { state: 'failed', failure: describeError(failure) })),
      }),
    );
  }

  protected clearFinished(): void {
    this.rows.update((rows) => rows.filter((row) => row.state === 'uploading' || row.state === 'importing'));
  }

  protected label(row: UploadRow): string {
    return {
      uploading: `${Math.round(row.progress * 100)} %`,
      importing: 'Importing…',
      imported: 'Imported',
      duplicate: 'Already imported',
      rejected: 'Rejected',
      failed: 'Failed',
    }[row.state];
  }

  /** "Row 12, Minutes: " — where in the file the problem is. */
  protected where(error: { row: number | null; column: string | null; sheet?: string }): string {
    const parts = [
      error.sheet ? `Sheet ${error.sheet}` : null,
      error.row ? `Row ${error.row}` : null,
      error.column,
    ].filter(Boolean);
    return parts.length ? `${parts.join(', ')}: ` : '';
  }

  private patch(id: number, change: Partial<UploadRow>): void {
    this.rows.update((rows) => rows.map((row) => (row.id === id ? { ...row, ...change } : row)));
  }
}
