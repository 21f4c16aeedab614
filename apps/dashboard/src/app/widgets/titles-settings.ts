import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { CatalogueChangeResponse, CatalogueTitle } from '@mt/contracts';
import { Observable } from 'rxjs';
import { MoneyPipe, NumberPipe } from '../core/format';
import { describeError, liveDataFor } from '../core/live-data';
import { RefreshService } from '../core/refresh.service';
import { TitlesApi } from '../core/titles-api.service';
import { ErrorBanner, Skeleton } from './ui';

/** A change waiting for its preview to be confirmed. */
interface PendingChange {
  description: string;
  run: (dryRun: boolean) => Observable<CatalogueChangeResponse>;
  preview: CatalogueChangeResponse | null;
}

/**
 * Settings → Titles: search the catalogue, rename a title, merge titles into one, split editions off.
 * A merge or split is previewed first (the API's dry run: what the titles would look like and how many
 * lines and how much revenue move), then applied; past figures follow.
 */
@Component({
  selector: 'mt-titles-settings',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MoneyPipe,
    NumberPipe,
    ErrorBanner,
    Skeleton,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" class="settings-card" data-testid="titles-settings">
      <mat-card-header
        ><mat-card-title><h2>Titles</h2></mat-card-title></mat-card-header
      >
      <mat-card-content>
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="search">
          <mat-label>Search titles, spellings, ISBNs, SKUs</mat-label>
          <input
            matInput
            [value]="query()"
            (input)="query.set($any($event.target).value)"
            data-testid="titles-search"
          />
        </mat-form-field>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (failure(); as message) {
          <p class="error-banner" role="alert" data-testid="titles-error">{{ message }}</p>
        }
        @if (pending(); as change) {
          <div class="preview" role="status" data-testid="titles-preview">
            <p>
              <strong>{{ change.description }}</strong>
            </p>
            @if (change.preview; as p) {
              <p data-testid="titles-preview-effect">
                {{ p.movedLines | num }} order lines ({{ p.movedRevenue | money: 'USD' }}) change title. Afterwards:
                @for (t of p.titles; track t.id) {
                  “{{ t.title }}” with {{ formats(t) }};
                }
              </p>
              <button mat-flat-button type="button" (click)="apply(change)" data-testid="titles-apply">Apply</button>
            }
            <button mat-button type="button" (click)="pending.set(null)">Cancel</button>
          </div>
        }
        <div class="actions">
          <button
            mat-stroked-button
            type="button"
            [disabled]="mergeable().length < 2"
            (click)="previewMerge()"
            data-testid="titles-merge"
          >
            Merge {{ mergeable().length || '' }} selected into the first
          </button>
          <button
            mat-stroked-button
            type="button"
            [disabled]="!splittable()"
            (click)="previewSplit()"
            data-testid="titles-split"
          >
            Split selected editions off
          </button>
        </div>
        @if (data.value(); as d) {
          <ul class="titles">
            @for (title of d.titles; track title.id) {
              <li [attr.data-title]="title.title">
                <mat-checkbox
                  [checked]="selected().includes(title.id)"
                  (change)="toggleTitle(title.id)"
                  data-testid="title-select"
                >
                  {{ title.title }}
                </mat-checkbox>
                <span class="muted">{{ title.lines | num }} lines</span>
                @if (renaming() === title.id) {
                  <input [value]="title.title" #name aria-label="New name" data-testid="title-new-name" />
                  <button mat-button type="button" (click)="rename(title, name.value)" data-testid="title-rename-save">
                    Save
                  </button>
                } @else {
                  <button mat-button type="button" (click)="renaming.set(title.id)" data-testid="title-rename">
                    Rename
                  </button>
                }
                <ul class="editions">
                  @for (edition of title.editions; track edition.id) {
                    <li>
                      <mat-checkbox
                        [checked]="editions().includes(edition.id)"
                        (change)="toggleEdition(title.id, edition.id)"
                        data-testid="edition-select"
                      >
                        {{ edition.format }} ({{ edition.lines | num }} lines)
                      </mat-checkbox>
                      <span class="muted identifiers">
                        @for (i of edition.identifiers; track i.kind + i.platform + i.value) {
                          {{ i.kind }}{{ i.platform ? ' on ' + i.platform : '' }} {{ i.value }};
                        }
                      </span>
                    </li>
                  }
                </ul>
              </li>
            } @empty {
              <li class="empty-state">No title matches.</li>
            }
          </ul>
        } @else if (data.loading()) {
          <mt-skeleton [lines]="6" label="titles" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .search {
      width: min(100%, 420px);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin: 12px 0;
    }
    .titles,
    .editions {
      list-style: none;
      padding-left: 0;
    }
    .editions {
      padding-left: 32px;
    }
    .identifiers {
      font-size: 0.8rem;
      overflow-wrap: anywhere;
    }
    .preview {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px 12px;
      margin: 8px 0;
    }
  `,
})
export class TitlesSettings {
  private readonly api = inject(TitlesApi);
  private readonly refresh = inject(RefreshService);
  protected readonly query = signal('');
  readonly data = liveDataFor(
    'sales',
    () => this.query(),
    (query) => this.api.catalogue(query),
  );
  /** Titles ticked for a merge, in the order ticked: the first is the one kept. */
  protected readonly selected = signal<number[]>([]);
  /** Editions ticked for a split, all of one title. */
  protected readonly editions = signal<number[]>([]);
  private readonly editionsOf = signal<number | null>(null);
  protected readonly renaming = signal<number | null>(null);
  protected readonly pending = signal<PendingChange | null>(null);
  protected readonly failure = signal<string | null>(null);
  protected readonly mergeable = computed(() => this.selected());
  protected readonly splittable = computed(() => this.editions().length > 0);

  protected toggleTitle(id: number): void {
    this.selected.update((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  }

  protected toggleEdition(titleId: number, editionId: number): void {
    if (this.editionsOf() !== titleId) {
      this.editionsOf.set(titleId);
      this.editions.set([]);
    }
    this.editions.update((ids) => (ids.includes(editionId) ? ids.filter((x) => x !== editionId) : [...ids, editionId]));
  }

  protected formats(title: CatalogueTitle): string {
    return title.editions.map((e) => e.format).join(', ') || 'no editions';
  }

  protected previewMerge(): void {
    const [target, ...others] = this.selected();
    const names = this.names();
    this.propose({
      description: `Merge ${others.map((id) => `“${names.get(id)}”`).join(', ')} into “${names.get(target!)}”`,
      run: (dryRun) => this.api.merge(target!, others, dryRun),
    });
  }

  protected previewSplit(): void {
    const titleId = this.editionsOf()!;
    const editions = this.editions();
    this.propose({
      description: `Split ${editions.length} edition${editions.length === 1 ? '' : 's'} off “${this.names().get(titleId)}”`,
      run: (dryRun) => this.api.split(titleId, editions, dryRun),
    });
  }

  protected rename(title: CatalogueTitle, name: string): void {
    this.failure.set(null);
    this.api.rename(title.id, name).subscribe({
      next: () => this.done(),
      error: (error: unknown) => this.failure.set(describeError(error)),
    });
  }

  protected apply(change: PendingChange): void {
    this.failure.set(null);
    change.run(false).subscribe({
      next: () => this.done(),
      error: (error: unknown) => this.failure.set(describeError(error)),
    });
  }

  private propose(change: Omit<PendingChange, 'preview'>): void {
    this.failure.set(null);
    this.pending.set({ ...change, preview: null });
    change.run(true).subscribe({
      next: (preview) => this.pending.set({ ...change, preview }),
      error: (error: unknown) => {
        this.pending.set(null);
        this.failure.set(describeError(error));
      },
    });
  }

  private done(): void {
    this.pending.set(null);
    this.renaming.set(null);
    this.selected.set([]);
    this.editions.set([]);
    // The catalogue and every card's titles figures changed (this list refetches with them).
    this.refresh.request('sales');
  }

  private names(): Map<number, string> {
    return new Map((this.data.value()?.titles ?? []).map((t) => [t.id, t.title]));
  }
}
