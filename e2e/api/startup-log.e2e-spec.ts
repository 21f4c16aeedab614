import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { freePort } from '../../apps/api/test/global-setup';
import { EntryPoint, startEntryPoint } from '../../apps/api/test/entry-point';
import { testAdminUrl, withDatabase } from '../../apps/api/test/test-server';

const READY = 'MT Ink Dashboard on';
const SIGN_IN = (port: number) =>
  new RegExp(
    `Open http://localhost:${port} and sign in as admin@mtink\\.local with password [A-Za-z0-9_-]{16} \\(shown once`,
  );

interface LogLine {
  level: string;
  msg: string;
  context?: string;
}

/**
 * What a newcomer sees on the first `npm start`: the real entry point on an empty database with demo
 * data, so that it migrates, seeds and creates the first admin. A handful of lines, no warning, and
 * the sign-in line with the address to open.
 */
describe('start-up log', () => {
  const databases: string[] = [];
  let server: EntryPoint | null = null;

  afterEach(() => server?.kill());
  afterAll(async () => {
    for (const name of databases) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  /** The lines up to the ready line, and all of them through the shutdown. */
  async function firstStart(options: { tty: boolean }): Promise<{ port: number; lines: string[]; all: string[] }> {
    const name = `mtink_startup_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`); // empty: no template, so the migrations run as on a first start
    databases.push(name);
    const port = await freePort();
    server = startEntryPoint(
      {
        NODE_ENV: 'development',
        DATABASE_URL: withDatabase(testAdminUrl(), name),
        DEMO_DATA: 'true',
        PORT: String(port),
      },
      options,
    );
    await server.line((line) => line.includes(READY));
    expect(await server.stop()).toBe(0);
    expect(server.stderr()).toBe('');
    const all = server.lines;
    return { port, lines: all.slice(0, all.findIndex((line) => line.includes(READY)) + 1), all };
  }

  it('is a few JSON lines at info without a warning, the sign-in line naming the URL, when stdout is not a terminal', async () => {
    const { port, lines, all } = await firstStart({ tty: false });
    const everything = all.map((line) => JSON.parse(line) as LogLine); // every line is JSON
    expect(everything.filter((log) => !['info', 'debug', 'trace'].includes(log.level))).toEqual([]);
    expect(all.join('\n')).not.toContain('LegacyRouteConverter');
    const logs = lines.map((line) => JSON.parse(line) as LogLine);
    expect(logs.length).toBeLessThan(15);
    expect(logs.map((log) => log.msg)).toContainEqual(expect.stringMatching(SIGN_IN(port)));
    expect(logs.map((log) => log.context)).not.toContain('RouterExplorer');
    expect(logs.at(-1)).toMatchObject({
      level: 'info',
      msg: `${READY} http://localhost:${port} (API docs: /api/docs)`,
    });
  }, 300_000);

  it('is a few readable lines in a terminal, the sign-in line among them', async () => {
    const { port, lines, all } = await firstStart({ tty: true });
    for (const line of all) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] (INFO|DEBUG|TRACE): /);
    expect(lines.length).toBeLessThan(15);
    expect(lines).toContainEqual(expect.stringMatching(SIGN_IN(port)));
    expect(lines.at(-1)).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: Main: MT Ink Dashboard on http:\/\/localhost:\d+ /);
  }, 300_000);
});

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: testAdminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
