import { parseJsonKeepingBigInts } from '../orders/safe-json';
import { FileRejected } from './file-guard';

/**
 * Where a document keeps its list: the keys of the top-level object whose array is the list, and the
 * top-level objects to look into for one (Amazon's `payload.Orders`). Only the first list met is streamed.
 */
export interface JsonListPlaces {
  keys: readonly string[];
  nested: Readonly<Record<string, readonly string[]>>;
}

/**
 * What the scanner hands on, in document order: the values around the list (`member`: its key path, `[]`
 * for a document that is one scalar), the list's place, then each element. Values come as their JSON text
 * with the byte offset where they start, so that a caller parses only what it needs and can say where a
 * value that does not parse breaks.
 */
export type JsonPiece =
  | { kind: 'object'; path: readonly string[] }
  | { kind: 'member'; path: readonly string[]; text: string; offset: number }
  | { kind: 'list'; path: readonly string[] }
  | { kind: 'element'; index: number; text: string; offset: number };

/**
 * A document that is not JSON: the byte offset where it breaks (`value`: somewhere in the value that
 * starts there, when JSON.parse does not say where), or that it ends too early.
 */
export class InvalidJson extends Error {
  constructor(readonly at: { offset: number; value?: true } | { truncated: true }) {
    super('offset' in at ? `invalid JSON at byte ${at.offset}` : 'the JSON ends before its last value is complete');
  }
}

/**
 * No element of the list is larger than this (an order with hundreds of lines is a few hundred kB), nor
 * are the values around it together: memory holds those and one element, never the file.
 */
export const MAX_JSON_VALUE_BYTES = 4 * 1024 * 1024;
const MB = MAX_JSON_VALUE_BYTES / 1048576;

const BOM = [0xef, 0xbb, 0xbf];
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
/** Bytes a number, `true`, `false` or `null` is made of; JSON.parse of the value checks the rest. */
const isScalarByte = (byte: number) =>
  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2d || byte === 0x2b || byte === 0x2e;

type Frame = {
  type: 'object' | 'list';
  path: readonly string[];
  /** object: key → colon → value → comma-or-close (→ key); list: value → comma-or-close (→ value). */
  expect: 'key-or-close' | 'key' | 'colon' | 'value' | 'value-or-close' | 'comma-or-close';
  key: string;
};

/** A value being read: its bytes so far and where its brackets and strings stand. */
interface Capture {
  role: 'member' | 'element' | 'key';
  path: readonly string[];
  offset: number;
  parts: Buffer[];
  bytes: number;
  depth: number;
  scalar: boolean;
  inString: boolean;
  escaped: boolean;
}

/**
 * Streams a JSON document's list of elements from its bytes (a file on disk, in chunks), checking the
 * structure around the list as it goes; each element's own syntax is left to the JSON.parse of its text.
 * Structural bytes are ASCII and never occur inside a UTF-8 sequence, so the bytes are scanned as they
 * come and decoded one value at a time.
 */
export async function* jsonPieces(input: AsyncIterable<Buffer>, places: JsonListPlaces): AsyncGenerator<JsonPiece> {
  const frames: Frame[] = [];
  let capture: Capture | null = null;
  let document = 'value' as 'value' | 'end';
  let listFound = false;
  let index = 0;
  let base = 0;
  let bom = 0;
  /** Bytes of keys and values outside the list, which a caller may keep. */
  let aroundBytes = 0;

  const frame = () => frames[frames.length - 1];
  const afterValue = () => {
    const parent = frame();
    if (parent) parent.expect = 'comma-or-close';
    else document = 'end';
  };
  /** Begins reading a value at `chunk[i]`; a string's opening quote is taken at once (in `bytes`). */
  const begin = (role: Capture['role'], path: readonly string[], chunk: Buffer, i: number): Capture => {
    const byte = chunk[i]!;
    const string = byte === QUOTE;
    return {
      role,
      path,
      offset: base + i,
      parts: string ? [chunk.subarray(i, i + 1)] : [],
      bytes: string ? 1 : 0,
      depth: 0,
      scalar: !string && byte !== 0x7b && byte !== 0x5b,
      inString: string,
      escaped: false,
    };
  };
  /** The piece a finished capture makes (keys name the member that follows instead). */
  const finish = (done: Capture): JsonPiece | null => {
    const text = Buffer.concat(done.parts, done.bytes).toString('utf8');
    if (done.role === 'key') {
      const parent = frame()!;
      try {
        parent.key = JSON.parse(text) as string;
      } catch {
        throw new InvalidJson({ offset: done.offset });
      }
      parent.expect = 'colon';
      return null;
    }
    afterValue();
    if (done.role === 'element') return { kind: 'element', index: index++, text, offset: done.offset };
    return { kind: 'member', path: done.path, text, offset: done.offset };
  };

  for await (const chunk of input) {
    let i = 0;
    // A byte-order mark (Excel and Notepad write one) is not part of the document.
    while (bom < 3 && i < chunk.length) {
      if (chunk[i] === BOM[bom]) {
        bom++;
        i++;
      } else if (bom === 0) bom = 3;
      else throw new InvalidJson({ offset: 0 });
    }
    while (i < chunk.length) {
      if (capture) {
        const from = i;
        let ended = false;
        for (; i < chunk.length; i++) {
          const byte = chunk[i]!;
          if (capture.inString) {
            if (capture.escaped) capture.escaped = false;
            else if (byte === BACKSLASH) capture.escaped = true;
            else if (byte === QUOTE) {
              capture.inString = false;
              if (capture.depth === 0) {
                i++;
                ended = true;
                break;
              }
            }
          } else if (capture.scalar) {
            if (!isScalarByte(byte)) {
              ended = true;
              break;
            }
          } else if (byte === QUOTE) capture.inString = true;
          else if (byte === 0x7b || byte === 0x5b) capture.depth++;
          else if (byte === 0x7d || byte === 0x5d) {
            if (--capture.depth === 0) {
              i++;
              ended = true;
              break;
            }
          }
        }
        capture.parts.push(chunk.subarray(from, i));
        capture.bytes += i - from;
        if (capture.role !== 'element') aroundBytes += i - from;
        if (capture.bytes > MAX_JSON_VALUE_BYTES)
          throw new FileRejected(
            `element ${index + 1} of its list is larger than ${MB} MB, more than any platform answers with for one order`,
          );
        if (aroundBytes > MAX_JSON_VALUE_BYTES)
          throw new FileRejected(
            `it holds more than ${MB} MB outside its list of orders, more than any platform answers with`,
          );
        if (!ended) break;
        const done = capture;
        capture = null;
        const piece = finish(done);
        if (piece) yield piece;
        continue;
      }

      const byte = chunk[i]!;
      const offset = base + i;
      if (isSpace(byte)) {
        i++;
        continue;
      }
      const current = frame();
      if (!current) {
        if (document === 'end') throw new InvalidJson({ offset });
        if (byte === 0x5b) {
          listFound = true;
          frames.push({ type: 'list', path: [], expect: 'value-or-close', key: '' });
          yield { kind: 'list', path: [] };
          i++;
        } else if (byte === 0x7b) {
          frames.push({ type: 'object', path: [], expect: 'key-or-close', key: '' });
          yield { kind: 'object', path: [] };
          i++;
        } else {
          capture = begin('member', [], chunk, i);
          i += capture.bytes;
        }
        continue;
      }
      switch (current.expect) {
        case 'key-or-close':
        case 'key':
          if (byte === 0x7d && current.expect === 'key-or-close') {
            frames.pop();
            afterValue();
            i++;
          } else if (byte === QUOTE) {
            capture = begin('key', current.path, chunk, i);
            i += capture.bytes;
          } else throw new InvalidJson({ offset });
          continue;
        case 'colon':
          if (byte !== 0x3a) throw new InvalidJson({ offset });
          current.expect = 'value';
          i++;
          continue;
        case 'comma-or-close':
          if (byte === 0x2c) {
            current.expect = current.type === 'object' ? 'key' : 'value';
            i++;
          } else if ((byte === 0x7d && current.type === 'object') || (byte === 0x5d && current.type === 'list')) {
            frames.pop();
            afterValue();
            i++;
          } else throw new InvalidJson({ offset });
          continue;
        case 'value-or-close':
          if (byte === 0x5d) {
            frames.pop();
            afterValue();
            i++;
            continue;
          }
          break;
        case 'value':
          break;
      }
      // A value: the list, an object to look into for it, or a value to hand on whole.
      const path = current.type === 'object' ? [...current.path, current.key] : current.path;
      const listKeys =
        current.path.length === 0
          ? places.keys
          : Object.hasOwn(places.nested, current.path[0]!)
            ? places.nested[current.path[0]!]!
            : [];
      if (
        current.type === 'object' &&
        !listFound &&
        byte === 0x5b &&
        current.path.length < 2 &&
        listKeys.includes(current.key)
      ) {
        listFound = true;
        frames.push({ type: 'list', path, expect: 'value-or-close', key: '' });
        yield { kind: 'list', path };
        i++;
        continue;
      }
      if (
        current.type === 'object' &&
        current.path.length === 0 &&
        byte === 0x7b &&
        Object.hasOwn(places.nested, current.key)
      ) {
        frames.push({ type: 'object', path, expect: 'key-or-close', key: '' });
        yield { kind: 'object', path };
        i++;
        continue;
      }
      if (byte === 0x7d || byte === 0x5d || byte === 0x2c || byte === 0x3a) throw new InvalidJson({ offset });
      capture = begin(current.type === 'list' ? 'element' : 'member', path, chunk, i);
      i += capture.bytes;
    }
    base += chunk.length;
  }
  if (capture?.scalar && frames.length === 0) {
    const done = capture;
    capture = null;
    const piece = finish(done);
    if (piece) yield piece;
  }
  if (capture || frames.length || document !== 'end') throw new InvalidJson({ truncated: true });
}

/** A piece of a document with its value parsed (integers beyond 2^53 kept exact, see safe-json). */
export type JsonValue =
  | { kind: 'object'; path: readonly string[] }
  | { kind: 'member'; path: readonly string[]; value: unknown }
  | { kind: 'list'; path: readonly string[] }
  /** `bytes`: the element's size in the file. */
  | { kind: 'element'; index: number; value: unknown; bytes: number };

/** `jsonPieces` with each value parsed; a value that does not parse is an InvalidJson at its byte. */
export async function* jsonValues(input: AsyncIterable<Buffer>, places: JsonListPlaces): AsyncGenerator<JsonValue> {
  for await (const piece of jsonPieces(input, places)) {
    if (piece.kind === 'object' || piece.kind === 'list') yield piece;
    else if (piece.kind === 'member')
      yield { kind: 'member', path: piece.path, value: parsed(piece.text, piece.offset) };
    else
      yield {
        kind: 'element',
        index: piece.index,
        value: parsed(piece.text, piece.offset),
        bytes: Buffer.byteLength(piece.text),
      };
  }
}

function parsed(text: string, offset: number): unknown {
  try {
    return parseJsonKeepingBigInts(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // The position in the text as written (the big-integer quoting above moves it).
    let message = error.message;
    try {
      JSON.parse(text);
    } catch (plain) {
      if (plain instanceof SyntaxError) message = plain.message;
    }
    const position = /position (\d+)/.exec(message)?.[1];
    if (position === undefined) throw new InvalidJson({ offset, value: true });
    throw new InvalidJson({ offset: offset + Buffer.byteLength(text.slice(0, Number(position))) });
  }
}

/** Values of the document put back together, its list holding the elements added. */
export class JsonSkeleton {
  private root: unknown = undefined;
  private list: unknown[] | null = null;

  add(value: JsonValue): void {
    if (value.kind === 'element') this.list?.push(value.value);
    else if (value.kind === 'object') this.set(value.path, {});
    else if (value.kind === 'list') this.set(value.path, (this.list = []));
    else this.set(value.path, value.value);
  }

  get document(): unknown {
    return this.root;
  }

  private set(path: readonly string[], value: unknown): void {
    if (path.length === 0) {
      this.root = value;
      return;
    }
    let parent = this.root as Record<string, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    parent[path[path.length - 1]!] = value;
  }
}

/** Elements of a list read to recognise a document: the first object among them decides. */
const SAMPLE_ELEMENTS = 20;

/** The start of a document: what is around its list up to there, and its list up to its first object. */
export async function jsonSample(input: AsyncIterable<Buffer>, places: JsonListPlaces): Promise<unknown> {
  const skeleton = new JsonSkeleton();
  for await (const value of jsonValues(input, places)) {
    skeleton.add(value);
    if (value.kind !== 'element') continue;
    const isObject = value.value !== null && typeof value.value === 'object' && !Array.isArray(value.value);
    if (isObject || value.index + 1 >= SAMPLE_ELEMENTS) break;
  }
  return skeleton.document;
}

/** Line and column (in characters, from 1) of a byte offset of a text, read from its bytes up to there. */
export async function textPosition(
  input: AsyncIterable<Buffer>,
  offset: number,
): Promise<{ line: number; column: number }> {
  let line = 1;
  let column = 1;
  let at = 0;
  for await (const chunk of input) {
    const end = Math.min(chunk.length, offset - at);
    for (let i = 0; i < end; i++) {
      const byte = chunk[i]!;
      if (byte === 0x0a) {
        line++;
        column = 1;
        // UTF-8 continuation bytes and a byte-order mark are no characters of their own.
      } else if ((byte & 0xc0) !== 0x80 && !(at + i === 0 && byte === 0xef)) column++;
    }
    at += chunk.length;
    if (at >= offset) break;
  }
  return { line, column };
}
