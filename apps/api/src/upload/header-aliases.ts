import type { UploadField, UploadReportType } from '@mt/contracts';

/**
 * How report headers are recognised (SPEC §4). The alias table lives in the database
 * (`upload_header_aliases`, editable through `PUT /api/upload/aliases`); this file holds the matching rules.
 */

/** Case-, spacing- and punctuation-insensitive key of a header: `Total  Listen-Minutes` → `total listen minutes`. */
export function headerKey(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface AliasEntry {
  field: UploadField;
  /** Multiplier from the file's unit to ours (`Hours` → 60). */
  factor: number;
}

/** headerKey → field; built from the alias rows. */
export type AliasLookup = ReadonlyMap<string, AliasEntry>;

export interface MappedColumn {
  index: number;
  /** The header as written in the file, for error messages. */
  header: string;
  factor: number;
}

export type HeaderMapping = Partial<Record<UploadField, MappedColumn>>;

const REQUIRED: Record<UploadReportType, Array<UploadField | UploadField[]>> = {
  'spotify-weekly': ['week', 'title', 'country', 'minutes'],
  'spotify-monthly': [['month', 'period'], 'title', 'country', 'minutes'],
  'spotify-revenue': [['period', 'month'], 'title', 'revenueModel', 'netRoyalty'],
};

/** Human names of fields, for "required column missing" messages. */
export const FIELD_LABELS: Record<UploadField, string> = {
  week: 'Week starting',
  month: 'Month',
  period: 'Reporting period',
  title: 'Title',
  isbn: 'ISBN',
  country: 'Country',
  minutes: 'Total listen minutes',
  completes: 'Completed listen equivalents',
  revenueModel: 'Revenue model',
  units: 'Units',
  currency: 'Currency',
  netRoyalty: 'Net royalty',
  royaltyRate: 'Royalty Rate',
  displayNumber: 'Display #',
  publisher: 'Publisher',
  partner: 'Partner',
  promotion: 'Promotion',
  listPrice: 'DLP',
  priceType: 'Price Type',
  grossRevenue: 'Revenue',
  royaltyEarned: 'Royalty Earned',
  distributionFee: 'Less Distribution Fee',
  exchangeRate: 'Exchange Rate',
  payableCurrency: 'Royalty Payable Currency',
};

/** Maps a row's cells to fields; the first column that claims a field keeps it. */
export function mapHeaderRow(cells: readonly string[], aliases: AliasLookup): HeaderMapping {
  const mapping: HeaderMapping = {};
  cells.forEach((cell, index) => {
    const entry = cell ? aliases.get(headerKey(cell)) : undefined;
    if (entry && !mapping[entry.field]) mapping[entry.field] = { index, header: cell.trim(), factor: entry.factor };
  });
  return mapping;
}

/**
 * The report type a header row describes, or null when the row is not a header (title rows, data). Money
 * columns make it a revenue report; otherwise the period column decides weekly or monthly.
 */
export function detectReportType(mapping: HeaderMapping): UploadReportType | null {
  const fields = Object.keys(mapping).length;
  if (fields < 3 || !mapping.title) return null;
  if (mapping.netRoyalty || mapping.revenueModel) return mapping.period || mapping.month ? 'spotify-revenue' : null;
  if (mapping.week) return 'spotify-weekly';
  if (mapping.month || mapping.period) return 'spotify-monthly';
  return null;
}

/** Labels of required fields the mapping lacks for that type. */
export function missingColumns(type: UploadReportType, mapping: HeaderMapping): string[] {
  return REQUIRED[type]
    .filter((need) => (Array.isArray(need) ? need.every((field) => !mapping[field]) : !mapping[need]))
    .map((need) => FIELD_LABELS[Array.isArray(need) ? need[0]! : need]);
}

/** The column holding the period of that report type (monthly reports may say `Reporting period`). */
export function periodColumn(type: UploadReportType, mapping: HeaderMapping): MappedColumn | undefined {
  if (type === 'spotify-weekly') return mapping.week;
  if (type === 'spotify-monthly') return mapping.month ?? mapping.period;
  return mapping.period ?? mapping.month;
}
