// `npm start`: build the API and the dashboard when a source file is newer than the build, then run
// the API (which serves the dashboard) in this process so that Ctrl-C and SIGTERM reach it directly.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const API_ENTRY = 'dist/apps/api/apps/api/src/main.js';
const DASHBOARD_ENTRY = 'dist/apps/dashboard/browser/index.html';

function newestMtime(path) {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((source) => existsSync(source) && newestMtime(source) > built);
}

const shared = ['libs', 'package-lock.json', 'tsconfig.json'];
const run = (args) => execFileSync('npm', ['run', ...args], { stdio: 'inherit' });
if (stale(API_ENTRY, ['apps/api/src', 'migrations', ...shared])) run(['build:api']);
if (stale(DASHBOARD_ENTRY, ['apps/dashboard', ...shared])) run(['build:dashboard']);

await import(join(process.cwd(), API_ENTRY));
