import { createTestApp, TestApp } from '../../test/test-app';
import { UploadService } from './upload.service';
import { turnsDuring } from '../../test/event-loop-turns';

const ROWS = 20_000;
const HEADER = 'Week starting,Title,ISBN,Country,Total listen minutes,Completed listen equivalents\n';
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'SE', 'NO', 'DK', 'ES', 'IT'];

/** `ROWS` distinct weekly rows; `bad` makes every row's minutes unreadable (the file is rejected). */
function weeklyCsv(bad = false): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < ROWS; i++) {
    const week = new Date(Date.UTC(2020, 0, 6 + 7 * Math.floor(i / 200))).toISOString().slice(0, 10);
    const title = `Title ${Math.floor(i / 10) % 20}`;
    lines.push(`${week},${title},,${COUNTRIES[i % 10]},${bad ? 'many' : 100 + (i % 50)},1.5\n`);
  }
  return Buffer.from(lines.join(''));
}

/** SPEC §9: a large upload never blocks the event loop for long; it parses and stages in slices. */
describe('large uploads in slices (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['imported', false],
    ['rejected', true],
  ])('gives the event loop a turn at least every 1,000 rows of a file that is %s', async (status, bad) => {
    const file = { name: 'weekly.csv', size: 0, buffer: weeklyCsv(bad) };
    let answer: Awaited<ReturnType<UploadService['importFiles']>> | null = null;
    const turns = await turnsDuring(async () => {
      answer = await t.app.get(UploadService).importFiles([{ ...file, size: file.buffer.length }]);
    });
    expect(answer!.files[0]!.status).toBe(status);
    expect(turns).toBeGreaterThanOrEqual(ROWS / 1000);
  });
});
