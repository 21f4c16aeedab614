import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { timeAgo } from '../core/format';
import { liveData } from '../core/live-data';
import { SourcesApi } from '../core/sources-api.service';
import { PLATFORM_NAMES } from './platforms-card';
import { ErrorBanner, Skeleton } from './ui';

/** Every way orders come in, with when it last synced and its last error. */
@Component({
  selector: 'mt-sources-card',
  imports: [MatCardModule, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="sources">
      <mat-card-header><mat-card-title>Data sources</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          <ul class="source-list">
            @for (source of d.sources; track source.name) {
              <li [attr.data-source]="source.name">
                <span class="source-name"
                  >{{ names[source.platform] }} <span class="muted">{{ source.kind }}</span></span
                >
                @if (!source.enabled) {
                  <span class="muted">not configured</span>
                } @else {
                  <span [attr.title]="source.lastSuccessAt ?? ''">last sync {{ ago(source.lastSuccessAt) }}</span>
                }
                @if (source.lastError) {
                  <span class="source-error">{{ source.lastError }}</span>
                }
              </li>
            } @empty {
              <li class="empty-state">No sources configured.</li>
            }
          </ul>
        } @else if (data.loading()) {
          <mt-skeleton [lines]="4" label="sources" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .source-list {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .source-list li {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 4px 12px;
      padding: 6px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .source-list li:last-child {
      border-bottom: 0;
    }
    .source-name {
      font-weight: 500;
    }
    .source-error {
      flex-basis: 100%;
      color: var(--mat-sys-error);
      font-size: 0.85rem;
      overflow-wrap: anywhere;
    }
  `,
})
export class SourcesCard {
  private readonly api = inject(SourcesApi);
  readonly data = liveData('sources', () => this.api.list());
  protected readonly names = PLATFORM_NAMES;
  protected readonly ago = (iso: string | null) => timeAgo(iso);
}
