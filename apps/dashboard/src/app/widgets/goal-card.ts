import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { AuthService } from '../core/auth.service';
import { MoneyPipe, NumberPipe } from '../core/format';
import { GoalsApi } from '../core/goals-api.service';
import { liveData } from '../core/live-data';
import { ErrorBanner, Skeleton } from './ui';

/** "On track for $X, goal $Y": this month's revenue against the monthly goal, at the pace so far. */
@Component({
  selector: 'mt-goal-card',
  imports: [MatCardModule, MatProgressBarModule, RouterLink, MoneyPipe, NumberPipe, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="goal-card">
      <mat-card-header><mat-card-title>Monthly goal</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as g) {
          @if (g.goal === null) {
            <p class="empty-state">
              No goal set for {{ g.month }}.
              @if (auth.isAdmin()) {
                <a routerLink="/settings">Set one</a>
              }
            </p>
          } @else {
            <p class="goal-line">
              <span class="amount" data-testid="goal-revenue">{{ g.revenue | money: g.currency }}</span> of
              <span class="amount" data-testid="goal-target">{{ g.goal | money: g.currency }}</span>
              <span class="muted">&nbsp;({{ g.percentOfGoal | num: 1 }}%)</span>
            </p>
            <mat-progress-bar mode="determinate" [value]="progress()" aria-label="Share of the monthly goal reached" />
            <p [class]="g.pace === 'on_track' ? 'delta delta-up' : 'delta delta-down'" data-testid="goal-pace">
              {{ g.pace === 'on_track' ? 'On track' : 'Behind the goal' }}
              @if (g.projected !== null) {
                · on pace for <span class="amount">{{ g.projected | money: g.currency }}</span>
              }
            </p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="3" label="monthly goal" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .goal-line {
      font-size: 1.1rem;
      margin: 0 0 8px;
    }
    .goal-line .amount:first-child {
      font-weight: 600;
    }
    [data-testid='goal-pace'] {
      margin: 8px 0 0;
      display: block;
    }
  `,
})
export class GoalCard {
  private readonly api = inject(GoalsApi);
  protected readonly auth = inject(AuthService);
  readonly data = liveData('sales', () => this.api.current());
  protected readonly progress = computed(() => Math.min(100, this.data.value()?.percentOfGoal ?? 0));
}
