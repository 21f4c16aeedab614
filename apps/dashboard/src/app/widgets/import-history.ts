import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import type { ImportHistoryEntry } from '@mt/contracts';
import { NumberPipe, timeAgo } from '../core/format';
import { liveData } from '../core/live-data';
import { UploadApi } from '../core/upload-api.service';

/** "Shopify orders export, 4 orders" — or, for files from before the intake said so, their kind. */
export function importTitle(entry: ImportHistoryEntry): string {
  if (entry.recognised) return entry.recognised;
  if (entry.kind === 'orders') return `${entry.platform ?? 'order'} orders`;
  if (entry.kind === 'spotify') return 'Spotify report';
  if (entry.kind === 'rates') return 'exchange rates';
  return 'not recognised';
}

/** What an imported file changed: "4 new, 1 changed, 12 unchanged" (orders are the ones left as they were). */
export function changeCounts(counts: Pick<ImportHistoryEntry, 'kind' | 'inserted' | 'updated' | 'skipped'>): string {
  const parts = [`${counts.inserted.toLocaleString('en-US')} new`, `${counts.updated.toLocaleString('en-US')} changed`];
  if (counts.kind === 'orders') parts.push(`${counts.skipped.toLocaleString('en-US')} unchanged`);
  return parts.join(', ');
}

/** What a file did, or why it was not imported. */
export function importOutcome(entry: ImportHistoryEntry): string {
  if (entry.status === 'duplicate') return 'already imported: nothing changed';
  if (entry.status === 'rejected')
    return `rejected (${entry.errorCount} ${entry.errorCount === 1 ? 'problem' : 'problems'})`;
  return changeCounts(entry);
}

/** The import history (`GET /api/imports`): every file uploaded, orders, Spotify reports and rates alike. */
@Component({
  selector: 'mt-import-history',
  imports: [NumberPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section aria-labelledby="import-history-title" data-testid="import-history">
      <h3 id="import-history-title" class="history-title">Import history</h3>
      @if (history.error(); as error) {
        <p class="source-error" role="alert">{{ error }}</p>
      }
      @if (history.value(); as answer) {
        @if (answer.imports.length) {
          <ul class="history-list">
            @for (entry of answer.imports; track entry.id) {
              <li [attr.data-status]="entry.status" data-testid="import-entry">
                <span class="file-name">{{ entry.file }}</span>
                <span class="muted">{{ title(entry) }}: {{ outcome(entry) }}</span>
                <span class="muted small"
                  >{{ ago(entry.at) }}{{ entry.by ? ' by ' + entry.by : '' }} · {{ entry.rows | num }} rows</span
                >
              </li>
            }
          </ul>
        } @else {
          <p class="muted">No file has been imported yet.</p>
        }
      }
    </section>
  `,
  styles: `
    .history-title {
      font: var(--mat-sys-title-small);
      margin: 16px 0 8px;
    }
    .history-list {
      list-style: none;
      padding: 0;
      margin: 0;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .history-list li {
      display: flex;
      flex-direction: column;
    }
    .history-list li[data-status='rejected'] .muted:first-of-type {
      color: var(--mat-sys-error);
    }
    .file-name {
      overflow-wrap: anywhere;
      font-weight: 500;
    }
    .small {
      font-size: 0.8rem;
    }
    .source-error {
      color: var(--mat-sys-error);
    }
  `,
})
export class ImportHistory {
  private readonly api = inject(UploadApi);
  readonly history = liveData('sources', () => this.api.imports(20));
  protected readonly title = importTitle;
  protected readonly outcome = importOutcome;
  protected readonly ago = (iso: string) => timeAgo(iso);
}
