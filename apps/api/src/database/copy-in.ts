import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';

/**
 * One `COPY … FROM STDIN` on a transaction's connection, kept open while a file is read: rows go to
 * PostgreSQL as text as they are parsed, with the stream's backpressure, so that memory holds what is
 * on its way, never the rows. No other statement may run on the connection until `end`.
 */
export class CopyIn {
  private copy: CopyStreamQuery | null = null;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly runner: QueryRunner,
    private readonly statement: string,
  ) {}

  /** Appends lines of COPY text (see `copyText`); opens the COPY with the first. */
  async write(text: string): Promise<void> {
    if (!text) return;
    if (!this.copy) {
      const client = (await this.runner.connect()) as PoolClient;
      this.copy = client.query(copyFrom(this.statement));
      this.done = finished(this.copy);
      // Handled where awaited (`end`); this keeps an early failure from being "unhandled".
      this.done.catch(() => undefined);
    }
    if (!this.copy.write(text)) await Promise.race([once(this.copy, 'drain'), this.done]);
  }

  /** Ends the COPY (nothing when none was opened); must come before any other statement on the connection. */
  async end(): Promise<void> {
    if (!this.copy) return;
    const copy = this.copy;
    this.copy = null;
    copy.end();
    await this.done;
  }
}

/** A value in COPY text format: `\N` for NULL, backslash escapes for the separators. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
