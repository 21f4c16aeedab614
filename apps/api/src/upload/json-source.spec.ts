import { FileRejected } from './file-guard';
import { InvalidJson, JsonListPlaces, JsonPiece, jsonPieces, MAX_JSON_VALUE_BYTES } from './json-source';

const PLACES: JsonListPlaces = { keys: ['orders', 'results'], nested: { payload: ['Orders'] } };

/** The document cut into chunks of `size` bytes, as a file read from disk would come. */
async function* chunks(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function pieces(text: string | Buffer, size = 1 << 16): Promise<JsonPiece[]> {
  const out: JsonPiece[] = [];
  for await (const piece of jsonPieces(chunks(text, size), PLACES)) out.push(piece);
  return out;
}

async function failure(text: string, size = 1 << 16): Promise<unknown> {
  try {
    await pieces(text, size);
  } catch (error) {
    return error;
  }
  throw new Error('no failure');
}

const CHUNK_SIZES = [1, 2, 3, 7, 64, 1 << 16];

describe('jsonPieces: a JSON document streamed element by element', () => {
  it.each(CHUNK_SIZES)(
    'hands on the values around the list, then each element as its text (chunks of %p bytes)',
    async (size) => {
      const doc =
        '{ "count": 2,\n  "results": [ {"id": 1, "note": "a \\"quoted\\" ] } [ {"}, {"id": 2} ],\n  "type": "x" }';
      expect(await pieces(doc, size)).toEqual([
        { kind: 'object', path: [] },
        { kind: 'member', path: ['count'], text: '2', offset: 11 },
        { kind: 'list', path: ['results'] },
        { kind: 'element', index: 0, text: '{"id": 1, "note": "a \\"quoted\\" ] } [ {"}', offset: 29 },
        { kind: 'element', index: 1, text: '{"id": 2}', offset: 72 },
        { kind: 'member', path: ['type'], text: '"x"', offset: 95 },
      ]);
    },
  );

  it.each(CHUNK_SIZES)(
    'reads a top-level list, a nested one, and a document without a list (chunks of %p bytes)',
    async (size) => {
      expect(await pieces('\ufeff[1, "two", [3], {"four": 4}, null]', size)).toEqual([
        { kind: 'list', path: [] },
        { kind: 'element', index: 0, text: '1', offset: 4 },
        { kind: 'element', index: 1, text: '"two"', offset: 7 },
        { kind: 'element', index: 2, text: '[3]', offset: 14 },
        { kind: 'element', index: 3, text: '{"four": 4}', offset: 19 },
        { kind: 'element', index: 4, text: 'null', offset: 32 },
      ]);
      expect(await pieces('{"payload": {"NextToken": "t", "Orders": [{"a": 1}]}}', size)).toEqual([
        { kind: 'object', path: [] },
        { kind: 'object', path: ['payload'] },
        { kind: 'member', path: ['payload', 'NextToken'], text: '"t"', offset: 26 },
        { kind: 'list', path: ['payload', 'Orders'] },
        { kind: 'element', index: 0, text: '{"a": 1}', offset: 42 },
      ]);
      // Only the first list is streamed; a list under another key is a value like any other.
      expect(await pieces('{"order": {"id": 7}, "lines": [1], "orders": [], "results": [2]}', size)).toEqual([
        { kind: 'object', path: [] },
        { kind: 'member', path: ['order'], text: '{"id": 7}', offset: 10 },
        { kind: 'member', path: ['lines'], text: '[1]', offset: 30 },
        { kind: 'list', path: ['orders'] },
        { kind: 'member', path: ['results'], text: '[2]', offset: 60 },
      ]);
      expect(await pieces(' 42 ', size)).toEqual([{ kind: 'member', path: [], text: '42', offset: 1 }]);
      expect(await pieces('"text"', size)).toEqual([{ kind: 'member', path: [], text: '"text"', offset: 0 }]);
      expect(await pieces('{}', size)).toEqual([{ kind: 'object', path: [] }]);
    },
  );

  it.each([
    ['[{"a": 1} {"b": 2}]', 10],
    ['{"orders": [1], "x" 2}', 20],
    ['{"orders": [1]]', 14],
    ['{orders: []}', 1],
    ['[1,]', 3],
    ['[1] [2]', 4],
    ['{"a": }', 6],
  ])('says at which byte %p breaks', async (doc, offset) => {
    for (const size of CHUNK_SIZES) expect(await failure(doc, size)).toEqual(new InvalidJson({ offset }));
  });

  it.each(['{"orders": [{"id": 1,\n  "created_at": ', '[1, 2', '{"a": "b', '{"a"', '', '[{"a": [1, 2]'])(
    'says that %p ends too early',
    async (doc) => {
      for (const size of CHUNK_SIZES) expect(await failure(doc, size)).toEqual(new InvalidJson({ truncated: true }));
    },
  );

  it('refuses an element larger than one order can be, holding no more than that of it', async () => {
    const big = `[{"a": 1}, {"note": "${'x'.repeat(MAX_JSON_VALUE_BYTES)}"}]`;
    const error = await failure(big);
    expect(error).toBeInstanceOf(FileRejected);
    expect((error as Error).message).toBe(
      'element 2 of its list is larger than 4 MB, more than any platform answers with for one order',
    );
  });
});

describe('jsonPieces: memory', () => {
  it('holds one element at a time: each is handed on from the chunk that completes it, before the next is read', async () => {
    const elements = Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: i, note: 'x'.repeat(i * 10) }));
    let read = 0;
    async function* oneElementPerChunk(): AsyncGenerator<Buffer> {
      for (const [i, element] of elements.entries()) {
        read++;
        yield Buffer.from(`${i === 0 ? '{"orders": [' : ','}${element}`);
      }
      read++;
      yield Buffer.from(']}');
    }
    const readWhenHandedOn: number[] = [];
    for await (const piece of jsonPieces(oneElementPerChunk(), PLACES))
      if (piece.kind === 'element') readWhenHandedOn.push(read);
    expect(readWhenHandedOn).toEqual(elements.map((_, i) => i + 1));
  });
});
