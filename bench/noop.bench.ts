import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent } from 'node:http';
import { BenchContext, BenchRow, percentile, round, startServer, timedGet } from './bench-kit';

const WARMUP = 300;
const REQUESTS = 3000;

/** The same JSON as `/api/auth/me` answers, from Node's own `http` and nothing else. */
const BARE_SERVER = `
const body = JSON.stringify({ user: { id: '1', email: 'bench1@local', name: 'bench', role: 'admin' }, via: 'token' });
const server = require('node:http').createServer((req, res) => {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

/**
 * SPEC §9: an authenticated request that does nothing (`GET /api/auth/me` with an API token) costs at
 * most 3× what a bare Node `http` server answering the same JSON costs, measured in the same run,
 * each server in a process of its own, one request at a time over keep-alive. Also measured: the
 * same request with the production request log on (LOG_LEVEL=info, JSON lines to /dev/null).
 */
export default async function noopBench(ctx: BenchContext): Promise<BenchRow[]> {
  const { url } = await ctx.createDatabase('bench_noop');
  const bare = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const barePort = await firstLine(bare);
  const silent = await startServer(url, 1, { LOG_LEVEL: 'silent' });
  const logging = await startServer(url, 1, { LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, { discardStdout: true });
  try {
    // Interleaved rounds, so that the machine's load moves all three alike.
    const samples = { bare: [] as number[], silent: [] as number[], logging: [] as number[] };
    const targets = [
      ['bare', barePort, '', '/'],
      ['silent', silent.port, silent.tokens[0]!, '/api/auth/me'],
      ['logging', logging.port, logging.tokens[0]!, '/api/auth/me'],
    ] as const;
    for (let round = 0; round < 10; round++) {
      for (const [name, port, token, path] of targets) {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        for (let i = 0; i < WARMUP / 10; i++) await timedGet(agent, port, token, path);
        for (let i = 0; i < REQUESTS / 10; i++) samples[name].push(await timedGet(agent, port, token, path));
        agent.destroy();
      }
    }
    const p50 = (name: keyof typeof samples) => percentile(samples[name], 50);
    const ratio = p50('silent') / p50('bare');
    const logged = p50('logging') - p50('silent');
    ctx.log(
      `no-op: bare p50 ${round(p50('bare'), 3)} ms, API ${round(p50('silent'), 3)} ms, with request log ${round(p50('logging'), 3)} ms`,
    );
    return [
      {
        metric: 'authenticated no-op / bare Node http, p50 ratio',
        value: round(ratio),
        unit: '×',
        target: '≤ 3',
        ok: ratio <= 3,
        note: `GET /api/auth/me with a token p50 ${round(p50('silent'), 3)} ms (p95 ${round(percentile(samples.silent, 95), 3)}), bare http p50 ${round(p50('bare'), 3)} ms; ${REQUESTS} each, interleaved`,
      },
      {
        metric: 'request log (LOG_LEVEL=info) cost per request, p50',
        value: round(logged, 3),
        unit: 'ms',
        target: 'measured',
        ok: true,
        note: `p50 ${round(p50('logging'), 3)} ms with the JSON request log vs ${round(p50('silent'), 3)} ms without`,
      },
    ];
  } finally {
    await silent.stop();
    await logging.stop();
    bare.kill();
  }
}

async function firstLine(child: ChildProcess): Promise<number> {
  let text = '';
  while (!text.includes('\n')) {
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    text += chunk.toString('utf8');
  }
  return Number(text.trim());
}
