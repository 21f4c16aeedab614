// `node --test scripts/`: the built index.html carries its stylesheet, and the service worker still trusts it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inlineStyles, inlineStylesheet } from './inline-styles.mjs';

const CSS = 'body{margin:0}.boot-bar{height:64px}';
const INDEX =
  '<!doctype html><html><head><title>MT Ink</title>' +
  '<link rel="stylesheet" href="styles-3Q7HPBT5.css"></head>' +
  '<body><mt-root></mt-root><script src="main-SJXZXHZ7.js" type="module"></script></body></html>';

describe('inline-styles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtink-inline-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the stylesheet link with the sheet and gives the worker the new hash of index.html', () => {
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'styles-3Q7HPBT5.css'), CSS);
    const manifest = { hashTable: { '/index.html': 'old', '/styles-3Q7HPBT5.css': 'kept' } };
    writeFileSync(join(dir, 'ngsw.json'), JSON.stringify(manifest));

    assert.equal(inlineStyles(dir), true);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    assert.equal(html, INDEX.replace('<link rel="stylesheet" href="styles-3Q7HPBT5.css">', `<style>${CSS}</style>`));
    const written = JSON.parse(readFileSync(join(dir, 'ngsw.json'), 'utf8'));
    assert.deepEqual(written.hashTable, {
      '/index.html': createHash('sha1').update(html).digest('hex'),
      '/styles-3Q7HPBT5.css': 'kept',
    });
  });

  it('leaves an index.html without a stylesheet link as it is (a second run changes nothing)', () => {
    assert.equal(inlineStyles(dir), false);
    assert.equal(inlineStylesheet('<head></head>', () => assert.fail('no sheet to read')), '<head></head>');
  });

  it('keeps a sheet that contains "</style" from closing the element, and "$&" as written', () => {
    const html = inlineStylesheet(INDEX, () => '.a::after{content:"</style>$&"}');
    assert.match(html, /<style>\.a::after\{content:"<\\\/style>\$&"\}<\/style><\/head>/);
  });
});
