// Which build of `npm start` is out of date: a build is stale when its output is missing or any of its
// sources (a file, or any file under a folder) was modified after it. Build configuration counts as a
// source: a changed nest-cli.json, angular.json or tsconfig changes what the build produces.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const API_ENTRY = 'dist/apps/api/apps/api/src/main.js';
export const DASHBOARD_ENTRY = 'dist/apps/dashboard/browser/index.html';

/** The sources of each build, relative to the repository root. */
export function buildSources(root) {
  const rootTsconfigs = readdirSync(root).filter((name) => /^tsconfig.*\.json$/.test(name));
  const shared = ['libs', 'package-lock.json', ...rootTsconfigs];
  return {
    api: ['apps/api/src', 'apps/api/tsconfig.app.json', 'migrations', 'nest-cli.json', ...shared],
    dashboard: ['apps/dashboard', 'angular.json', ...shared],
  };
}

export function stale(root, output, sources) {
  const built = join(root, output);
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((source) => existsSync(join(root, source)) && newestMtime(join(root, source)) > builtAt);
}

function newestMtime(path) {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}
