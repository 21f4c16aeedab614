// `node --test scripts/`: the built index.html carries its stylesheet, every chunk its compile hint, and the
// service worker still trusts them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { COMPILE_HINT, finishDashboardBuild, inlineStylesheet, withCompileHint } from './finish-dashboard-build.mjs';

const CSS = 'body{margin:0}.boot-bar{height:64px}';
const INDEX =
  '<!doctype html><html><head><title>MT Ink</title>' +
  '<link rel="stylesheet" href="styles-3Q7HPBT5.css"></head>' +
  '<body><mt-root></mt-root><script src="main-SJXZXHZ7.js" type="module"></script></body></html>';
const MAIN = 'import"./chunk-y6D0hzgM.js";console.log(1);';
const CHUNK = 'export const a=1;';
const WORKER = 'self.addEventListener("fetch",()=>{});';
const sha1 = (text) => createHash('sha1').update(text).digest('hex');

describe('finish-dashboard-build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtink-finish-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const read = (name) => readFileSync(join(dir, name), 'utf8');

  it('inlines the stylesheet, puts the compile hint on each chunk, and gives the worker their new hashes', () => {
    const files = {
      'index.html': INDEX,
      'styles-3Q7HPBT5.css': CSS,
      'main-SJXZXHZ7.js': MAIN,
      'chunk-y6D0hzgM.js': CHUNK,
      'chunk-y6D0hzgM.js.map': JSON.stringify({ version: 3, mappings: 'AAAA' }),
      'ngsw-worker.js': WORKER,
      'prefetch.js': 'fetch("/api/auth/me");',
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const manifest = {
      hashTable: {
        '/index.html': 'old',
        '/styles-3Q7HPBT5.css': 'kept',
        '/main-SJXZXHZ7.js': 'old',
        '/chunk-y6D0hzgM.js': 'old',
      },
    };
    writeFileSync(join(dir, 'ngsw.json'), JSON.stringify(manifest));

    assert.deepEqual(finishDashboardBuild(dir).sort(), ['chunk-y6D0hzgM.js', 'index.html', 'main-SJXZXHZ7.js']);
    assert.equal(
      read('index.html'),
      INDEX.replace('<link rel="stylesheet" href="styles-3Q7HPBT5.css">', `<style>${CSS}</style>`),
    );
    assert.equal(read('main-SJXZXHZ7.js'), `${COMPILE_HINT}${MAIN}`);
    assert.equal(read('chunk-y6D0hzgM.js'), `${COMPILE_HINT}${CHUNK}`);
    assert.equal(JSON.parse(read('chunk-y6D0hzgM.js.map')).mappings, ';AAAA');
    // The worker's own scripts and the plain ones are left as they are.
    assert.equal(read('ngsw-worker.js'), WORKER);
    assert.equal(read('prefetch.js'), files['prefetch.js']);
    assert.deepEqual(JSON.parse(read('ngsw.json')).hashTable, {
      '/index.html': sha1(read('index.html')),
      '/styles-3Q7HPBT5.css': 'kept',
      '/main-SJXZXHZ7.js': sha1(read('main-SJXZXHZ7.js')),
      '/chunk-y6D0hzgM.js': sha1(read('chunk-y6D0hzgM.js')),
    });
  });

  it('changes nothing the second time', () => {
    const manifest = read('ngsw.json');
    assert.deepEqual(finishDashboardBuild(dir), []);
    assert.equal(read('main-SJXZXHZ7.js'), `${COMPILE_HINT}${MAIN}`);
    assert.equal(JSON.parse(read('chunk-y6D0hzgM.js.map')).mappings, ';AAAA');
    assert.equal(read('ngsw.json'), manifest);
    assert.equal(
      inlineStylesheet('<head></head>', () => assert.fail('no sheet to read')),
      '<head></head>',
    );
    assert.deepEqual(withCompileHint(`${COMPILE_HINT}x`, null), { script: `${COMPILE_HINT}x`, sourceMap: null });
  });

  it('keeps a sheet that contains "</style" from closing the element, and "$&" as written', () => {
    const html = inlineStylesheet(INDEX, () => '.a::after{content:"</style>$&"}');
    assert.match(html, /<style>\.a::after\{content:"<\\\/style>\$&"\}<\/style><\/head>/);
  });
});
