/** The parts of `unzipper` (exceljs' own zip reader, which ships no types) that reading a workbook uses. */
declare module 'unzipper' {
  import type { Readable } from 'node:stream';
  export interface CentralDirectoryFile {
    path: string;
    stream(): Readable;
  }
  export interface CentralDirectory {
    files: CentralDirectoryFile[];
  }
  export const Open: {
    file(path: string): Promise<CentralDirectory>;
    buffer(buffer: Buffer): Promise<CentralDirectory>;
  };
}

/** exceljs' stream helper, with which its worksheet reader takes a part's bytes. */
declare module 'exceljs/lib/utils/iterate-stream' {
  import type { Readable } from 'node:stream';
  export default function iterateStream(stream: Readable): AsyncIterable<unknown>;
}
