import type { Platform, RateFileType, UploadReportType } from '@mt/contracts';
import { recogniseRateFile } from '../fx/rate-files';
import { looksLikeStatement, STATEMENT_LABEL } from '../spotify/statement-reader';
import { detectFormat, OrderExportFormat } from '../orders/import/order-export-formats';
import { OrderJsonKind, recogniseOrderJson } from '../orders/import/order-json';
import { Cell, cellText, isBlank } from './cell-values';
import { AliasLookup, detectReportType, mapHeaderRow } from './header-aliases';
import { SourceRow } from './row-sources';

/**
 * The registry of the one intake (SPEC §4 "One way in for files"): each kind of file has a recogniser
 * here and a mapper in the module that owns its rows (orders: OrderImportService, Spotify reports:
 * UploadRepository's staged merge, rates: FxService). A new kind adds an entry, not a pipeline.
 */

/** What the intake can see of a file before reading it: its format and first rows, or its JSON. */
export interface FileSample {
  format: 'csv' | 'xlsx' | 'json' | 'xml';
  /** The first rows of each sheet (CSV: one sheet, named ''); empty for JSON and XML. */
  rows: SourceRow[];
  /** The first bytes as text (BOM removed). */
  head: string;
  json?: unknown;
  aliases: AliasLookup;
}

export type Recognition =
  | { kind: 'orders'; label: string; platform: Platform; export: OrderExportFormat }
  | { kind: 'orders'; label: string; platform: Platform; json: OrderJsonKind }
  | { kind: 'spotify'; label: string; reportType: UploadReportType }
  /** A royalty statement (FORMATS.md §6.1): a Spotify file in the import history, mapped by StatementsService. */
  | { kind: 'statement'; label: string }
  | { kind: 'rates'; label: string; rateType: RateFileType };

interface FileKind {
  kind: Recognition['kind'];
  recognise(sample: FileSample): Recognition | null;
}

/** Rows searched for a header (revenue reports have title rows above theirs). */
export const SAMPLE_ROWS_PER_SHEET = 30;

export const SPOTIFY_LABELS: Record<UploadReportType, string> = {
  'spotify-weekly': 'Spotify weekly stats',
  'spotify-monthly': 'Spotify monthly stats',
  'spotify-revenue': 'Spotify revenue report',
};

export const RATE_LABELS: Record<RateFileType, string> = {
  'fx-rates': 'exchange-rate file (date, currency, rate)',
  'ecb-rates': 'ECB euro reference rates',
};

const firstRow = (sample: FileSample) => sample.rows.find((row) => !row.cells.every(isBlank));
const texts = (cells: Cell[]) => cells.map(cellText);

/** Tried in order; the first that recognises the file decides. */
const FILE_KINDS: readonly FileKind[] = [
  {
    kind: 'rates',
    recognise(sample) {
      if (sample.format === 'json') return null;
      const header = firstRow(sample);
      const head = sample.format === 'xlsx' ? (header ? texts(header.cells).join(',') : '') : sample.head;
      const rateType = recogniseRateFile(Buffer.from(head));
      return rateType ? { kind: 'rates', label: RATE_LABELS[rateType], rateType } : null;
    },
  },
  {
    kind: 'orders',
    recognise(sample) {
      if (sample.format === 'json') {
        const json = recogniseOrderJson(sample.json);
        return json ? { kind: 'orders', label: json.label, platform: json.platform, json } : null;
      }
      const header = firstRow(sample);
      const detected = header ? detectFormat(texts(header.cells)) : null;
      return detected
        ? {
            kind: 'orders',
            label: detected.format.label,
            platform: detected.format.platform,
            export: detected.format,
          }
        : null;
    },
  },
  {
    // Before the reports: a channel sheet's header has a title, a model and a royalty, but no period.
    kind: 'statement',
    recognise(sample) {
      if (sample.format !== 'xlsx' || !looksLikeStatement(sample.rows, sample.aliases)) return null;
      return { kind: 'statement', label: STATEMENT_LABEL };
    },
  },
  {
    kind: 'spotify',
    recognise(sample) {
      for (const row of sample.rows) {
        const reportType = detectReportType(mapHeaderRow(texts(row.cells), sample.aliases));
        if (reportType) return { kind: 'spotify', label: SPOTIFY_LABELS[reportType], reportType };
      }
      return null;
    },
  },
];

export function recogniseFile(sample: FileSample): Recognition | null {
  for (const kind of FILE_KINDS) {
    const recognised = kind.recognise(sample);
    if (recognised) return recognised;
  }
  return null;
}

const EXPECTED =
  'expected an order export of Shopify, WooCommerce, Etsy, Amazon or eBay, a Spotify report, or an exchange-rate file';

/** The sentence for a file that no kind recognises, quoting what it starts with. */
export function unrecognised(sample: FileSample): string {
  if (sample.format === 'json') {
    return `We could not tell what this file is: ${EXPECTED}. It is JSON, but ${describeJson(sample.json)}.`;
  }
  const first = firstRow(sample);
  const line = first
    ? texts(first.cells)
        .filter((cell) => cell !== '')
        .join(', ')
    : '';
  if (!line) return `We could not tell what this file is: ${EXPECTED}. It has no text in its first rows.`;
  return `We could not tell what this file is: ${EXPECTED}. Its first line was: ${shorten(line, 200)}`;
}

function describeJson(document: unknown): string {
  if (Array.isArray(document)) {
    const first = document.find((element) => element !== null && typeof element === 'object');
    return first && !Array.isArray(first)
      ? `its list holds objects with ${keyList(first as Record<string, unknown>)}, not orders we know`
      : 'its list holds no orders';
  }
  if (document !== null && typeof document === 'object')
    return `its top level has ${keyList(document as Record<string, unknown>)}, none of which holds orders we know`;
  return 'it holds a single value, not orders';
}

function keyList(object: Record<string, unknown>): string {
  const keys = Object.keys(object);
  if (!keys.length) return 'no keys';
  return `the keys ${keys
    .slice(0, 8)
    .map((key) => `"${key}"`)
    .join(', ')}${keys.length > 8 ? ', …' : ''}`;
}

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
