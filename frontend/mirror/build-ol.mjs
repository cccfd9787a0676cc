// Builds OpenLayers' classic one-file build (a global `ol` namespace, as the
// course's starting app loads it from a CDN) out of the ES modules of each
// `ol` package that npm installed — `ol` itself and every alias of it such as
// "ol-6.14.1": "npm:ol@6.14.1" in package.json — so the CDN mirror can answer
// .../en/v<version>/build/ol.js with exactly the version asked for.
//
// Runs after `npm ci` (postinstall). Output, one per installed version:
//   node_modules/.synclab-mirror/ol@<version>/build/ol.js
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', 'node_modules');

// The folders of node_modules that hold the package "ol" (under any name).
const installed = readdirSync(modules).filter((name) => {
  const manifest = join(modules, name, 'package.json');
  if (name.startsWith('.') || name.startsWith('@') || !existsSync(manifest)) return false;
  return JSON.parse(readFileSync(manifest, 'utf8')).name === 'ol';
});
if (installed.length === 0) throw new Error('mirror: no OpenLayers package (ol) in node_modules');
for (const folder of installed) await buildOne(folder);

async function buildOne(folder) {
  const olDir = join(modules, folder);
  const { version } = JSON.parse(readFileSync(join(olDir, 'package.json'), 'utf8'));

  // Every module of the package except its sources, bundles and workers, and
  // the two that pull in large optional libraries (GeoTIFF decoding, Mapbox
  // styles), which the starting app does not use.
  const skip = new Set(['src', 'dist', 'worker', 'node_modules']);
  const skipFiles = new Set(['source/GeoTIFF.js', 'layer/MapboxVector.js']);
  const files = [];
  (function walk(dir) {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (dir === olDir && skip.has(name)) continue;
        walk(full);
      } else if (name.endsWith('.js')) {
        const rel = relative(olDir, full).split(sep).join('/');
        if (!skipFiles.has(rel)) files.push(rel);
      }
    }
  })(olDir);

  // ol/layer/Tile.js -> ol.layer.Tile (its default export); the named exports
  // of a module (ol/proj.js: fromLonLat, …) go onto the same path.
  const lines = [];
  files.forEach((f, i) => lines.push(`import * as m${i} from '${folder}/${f}';`));
  lines.push(`const ol = {};
  function place(path, mod) {
    let parent = ol;
    for (const key of path.slice(0, -1)) parent = parent[key] = parent[key] || {};
    const last = path[path.length - 1];
    const existing = parent[last];
    let target = existing;
    if ('default' in mod && mod.default !== undefined) {
      target = mod.default;
      if (existing && typeof existing === 'object') {
        for (const k of Object.keys(existing)) if (!(k in target)) target[k] = existing[k];
      }
    }
    if (!target) target = {};
    for (const k of Object.keys(mod)) {
      if (k === 'default') continue;
      try { if (!(k in target)) target[k] = mod[k]; } catch (e) { /* frozen */ }
    }
    parent[last] = target;
  }`);
  files.forEach((f, i) => lines.push(`place(${JSON.stringify(f.replace(/\.js$/, '').split('/'))}, m${i});`));
  lines.push('globalThis.ol = ol;');

  const outfile = join(modules, '.synclab-mirror', `ol@${version}`, 'build', 'ol.js');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    stdin: { contents: lines.join('\n'), resolveDir: join(here, '..'), sourcefile: 'ol-full-build.js' },
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2018',
    outfile,
    logLevel: 'error',
    legalComments: 'none',
  });
  console.log(`mirror: built OpenLayers ${version} as ${relative(join(here, '..'), outfile)}`);
}
