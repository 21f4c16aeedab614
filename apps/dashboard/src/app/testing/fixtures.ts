import type { AlertRule } from '@mt/contracts';

/** A day-revenue rule as the API returns it, with `change` laid over it (for specs). */
export const alertRule = (change: Partial<AlertRule>): AlertRule => ({
  id: 1,
  kind: 'day_revenue',
  name: 'First $1,000 day',
  enabled: true,
  threshold: 1000,
  hours: null,
  activeFrom: null,
  activeTo: null,
  sendAt: null,
  createdAt: '2026-11-26T08:00:00.000Z',
  updatedAt: '2026-11-26T08:00:00.000Z',
  ...change,
});
