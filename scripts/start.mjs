// `npm start`: build the API and the dashboard when a source file is newer than the build, then run
// the API (which serves the dashboard) in this process so that Ctrl-C and SIGTERM reach it directly.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { API_ENTRY, buildSources, DASHBOARD_ENTRY, stale } from './build-staleness.mjs';

const root = process.cwd();
const sources = buildSources(root);
const run = (args) => execFileSync('npm', ['run', ...args], { stdio: 'inherit' });
if (stale(root, API_ENTRY, sources.api)) run(['build:api']);
if (stale(root, DASHBOARD_ENTRY, sources.dashboard)) run(['build:dashboard']);

await import(join(root, API_ENTRY));
