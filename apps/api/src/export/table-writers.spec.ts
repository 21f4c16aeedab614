import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CrlfLineEnds } from './table-writers';

/** `chunks` through CrlfLineEnds, as PostgreSQL's COPY hands them over: cut anywhere. */
async function throughCrlf(chunks: string[]): Promise<string> {
  return text(Readable.from(chunks.map((chunk) => Buffer.from(chunk))).pipe(new CrlfLineEnds()));
}

describe('CrlfLineEnds', () => {
  it.each([
    [['a,b\n', 'c,d\n'], 'a,b\r\nc,d\r\n'],
    [['a,"line\nbreak"\nc\n'], 'a,"line\nbreak"\r\nc\r\n'],
    // A quoted field cut between chunks, between the two quotes of a doubled one.
    [['a,"x"', '"y\nz"\nb\n'], 'a,"x""y\nz"\r\nb\r\n'],
    [['"a"', '"', '"\n', '\n'], '"a"""\r\n\r\n'],
    [['', 'no line end'], 'no line end'],
  ])('%j → %j', async (chunks, expected) => {
    expect(await throughCrlf(chunks)).toBe(expected);
  });
});
