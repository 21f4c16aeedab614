// `npm run check:production-install` (and .ci/run): does the built app start from a production-only
// install, as the Docker image runs it? A dependency that the lock marks optional or dev while the app
// needs it at run time (express was once only an optional peer of @nestjs/serve-static) passes every
// test in the dev tree and fails only there. So: install package.json + package-lock.json into a
// temporary directory with the Dockerfile's `npm ci` flags, copy dist/ beside it, start
// `node dist/apps/api/apps/api/src/main.js` against a throw-away embedded PostgreSQL, wait for
// GET /api/health to answer 200, stop it with SIGTERM and expect exit code 0. Any other outcome exits 1.
//
// `--drop=<package>` first turns one dependency of the temporary package.json and lock back into what the
// lock once made of express (not a dependency of ours, in the tree for dev and optional dependants
// only), to show that the check catches it: `--drop=express` must fail.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { API_ENTRY, buildSources, DASHBOARD_ENTRY, stale } from './build-staleness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const INSTALL_FLAGS = ['--omit=dev', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund'];
/** Generous: on a loaded 2-core machine migrations and start-up can take a minute; this only bounds a hang. */
const HEALTHY_WITHIN_MS = 5 * 60_000;
const STOPPED_WITHIN_MS = 60_000;

const drop = process.argv.find((arg) => arg.startsWith('--drop='))?.slice('--drop='.length);
const say = (line) => process.stdout.write(`check-production-install: ${line}\n`);

async function main() {
  buildWhatIsStale();
  const dir = mkdtempSync(join(tmpdir(), 'mtink-production-install-'));
  const pgDir = mkdtempSync(join(tmpdir(), 'mtink-production-install-pg-'));
  let database = null;
  try {
    install(dir);
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    database = await startDatabase(pgDir);
    await startAndStop(dir, database.url);
    say('OK: the production-only install started, answered /api/health with 200 and stopped with exit code 0');
  } finally {
    await database?.server.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
}

function buildWhatIsStale() {
  const sources = buildSources(ROOT);
  const npmRun = (script) => execFileSync('npm', ['run', script], { cwd: ROOT, stdio: 'inherit' });
  if (stale(ROOT, API_ENTRY, sources.api)) npmRun('build:api');
  // The dashboard too: serving it is what needs express at run time.
  if (stale(ROOT, DASHBOARD_ENTRY, sources.dashboard)) npmRun('build:dashboard');
}

function install(dir) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  if (drop) {
    say(`dropping ${drop} from the temporary package.json and lock`);
    delete manifest.dependencies[drop];
    delete lock.packages[''].dependencies[drop];
    // What the lock held when express was only an optional peer: the package stays in the tree, marked
    // as needed by dev or optional dependants only, which the production install leaves out.
    const entry = lock.packages[`node_modules/${drop}`];
    if (entry) lock.packages[`node_modules/${drop}`] = { ...entry, devOptional: true };
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  say(`npm ci ${INSTALL_FLAGS.join(' ')} in ${dir}`);
  execFileSync('npm', ['ci', ...INSTALL_FLAGS], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
  // Module resolution walks up the directories: nothing above the install may supply a package.
  for (const above of [join(dir, '..', 'node_modules'), '/node_modules'])
    if (existsSync(above)) throw new Error(`${above} exists and would hide a missing package: remove it`);
}

/** The embedded server of local runs, from the dev tree's build and binaries (the install has neither). */
async function startDatabase(dataDir) {
  const require = createRequire(join(ROOT, 'package.json'));
  const { EmbeddedServer } = require(join(ROOT, 'dist/apps/api/apps/api/src/database/embedded-postgres.js'));
  const server = new EmbeddedServer({ dataDir, port: await freePort(), ephemeral: true });
  await server.start();
  await server.ensureDatabase('mtink');
  return { server, url: server.url('mtink') };
}

async function startAndStop(dir, databaseUrl) {
  const port = await freePort();
  say(`starting ${API_ENTRY} on port ${port}`);
  const child = spawn(process.execPath, [API_ENTRY], {
    cwd: dir,
    // Only what a container would have: no NODE_PATH, no dev-tree variables.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let exitCode;
  exited.then((code) => (exitCode = code));
  const fail = (reason) => {
    if (exitCode === undefined) child.kill('SIGKILL');
    throw new Error(`${reason}\n--- output of the server ---\n${output.trim()}`);
  };

  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  let status = null;
  while (status !== 200) {
    if (exitCode !== undefined) fail(`the server exited with ${exitCode} before /api/health answered 200`);
    if (Date.now() > deadline)
      fail(`/api/health did not answer 200 within ${HEALTHY_WITHIN_MS / 1000} s (last: ${status})`);
    status = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (res) => res.status,
      () => null,
    );
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  say('/api/health answered 200; sending SIGTERM');
  child.kill('SIGTERM');
  const code = await Promise.race([
    exited,
    new Promise((resolve) => setTimeout(resolve, STOPPED_WITHIN_MS, 'timeout').unref()),
  ]);
  if (code !== 0) fail(`after SIGTERM the server ended with ${code}, not exit code 0`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

main().catch((error) => {
  process.stderr.write(`check-production-install: FAILED: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
