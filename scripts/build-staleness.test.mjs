// `node --test scripts/`: which build `npm start` redoes, on a throw-away tree with set modification times.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { API_ENTRY, buildSources, DASHBOARD_ENTRY, stale } from './build-staleness.mjs';

const BUILT = new Date('2026-06-01T12:00:00Z');
const BEFORE = new Date('2026-06-01T11:00:00Z');
const AFTER = new Date('2026-06-01T13:00:00Z');
const FILES = [
  'apps/api/src/main.ts',
  'apps/api/tsconfig.app.json',
  'apps/dashboard/src/main.ts',
  'apps/dashboard/tsconfig.app.json',
  'libs/periods/src/index.ts',
  'libs/periods/tsconfig.lib.json',
  'migrations/index.ts',
  'nest-cli.json',
  'angular.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.spec.json',
  'apps/dashboard/node_modules/x/index.js',
  'apps/api/src/.cache/x',
  'README.md',
];

describe('build staleness of npm start', () => {
  const root = mkdtempSync(join(tmpdir(), 'mtink-staleness-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  const touch = (path, time) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), time, time);
  };
  const staleBuilds = () => {
    const sources = buildSources(root);
    return {
      api: stale(root, API_ENTRY, sources.api),
      dashboard: stale(root, DASHBOARD_ENTRY, sources.dashboard),
    };
  };

  beforeEach(() => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root);
    for (const file of FILES) touch(file, BEFORE);
    touch(API_ENTRY, BUILT);
    touch(DASHBOARD_ENTRY, BUILT);
  });

  it('rebuilds nothing when every source is older than its build', () => {
    assert.deepEqual(staleBuilds(), { api: false, dashboard: false });
  });

  it('builds what was never built', () => {
    rmSync(join(root, DASHBOARD_ENTRY));
    assert.deepEqual(staleBuilds(), { api: false, dashboard: true });
  });

  const cases = [
    ['apps/api/src/main.ts', { api: true, dashboard: false }],
    ['migrations/index.ts', { api: true, dashboard: false }],
    ['apps/dashboard/src/main.ts', { api: false, dashboard: true }],
    ['libs/periods/src/index.ts', { api: true, dashboard: true }],
    ['package-lock.json', { api: true, dashboard: true }],
    ['nest-cli.json', { api: true, dashboard: false }],
    ['angular.json', { api: false, dashboard: true }],
    ['tsconfig.json', { api: true, dashboard: true }],
    ['tsconfig.spec.json', { api: true, dashboard: true }],
    ['apps/api/tsconfig.app.json', { api: true, dashboard: false }],
    ['apps/dashboard/tsconfig.app.json', { api: false, dashboard: true }],
    ['libs/periods/tsconfig.lib.json', { api: true, dashboard: true }],
    ['apps/dashboard/node_modules/x/index.js', { api: false, dashboard: false }],
    ['apps/api/src/.cache/x', { api: false, dashboard: false }],
    ['README.md', { api: false, dashboard: false }],
  ];
  for (const [file, expected] of cases) {
    it(`after a change to ${file} rebuilds ${JSON.stringify(expected)}`, () => {
      touch(file, AFTER);
      assert.deepEqual(staleBuilds(), expected);
    });
  }

  it('counts a root tsconfig that did not exist before', () => {
    touch('tsconfig.base.json', AFTER);
    assert.deepEqual(staleBuilds(), { api: true, dashboard: true });
  });
});
