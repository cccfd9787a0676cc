// Describes every colour theme of Material Design Lite (code.getmdl.io's
// material.<primary>-<accent>.min.css) as the five colours it fills into the
// package's dist/material.min.css.template, so that a program carrying the
// libraries inside (go build -tags synclab_embed) answers all 288 themes from
// the template (140 KB) instead of the theme files (40 MB). A theme is listed
// only when filling the template gives its file byte for byte.
//
// Runs after `npm ci` (postinstall). Output:
//   node_modules/.synclab-mirror/material-design-lite@<version>/themes.json
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', 'node_modules');
const mdl = join(modules, 'material-design-lite');
const { version } = JSON.parse(readFileSync(join(mdl, 'package.json'), 'utf8'));
const template = readFileSync(join(mdl, 'dist', 'material.min.css.template'), 'utf8');

// The template split at its placeholders: text, name, text, name, …, text.
const parts = template.split(/\$(color-primary-contrast|color-primary-dark|color-primary|color-accent-contrast|color-accent)/);

// colours reads the colours out of css, or returns null when css is not the
// template filled in.
function colours(css) {
  const found = {};
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i % 2 === 0) {
      if (!css.startsWith(part, at)) return null;
      at += part.length;
      continue;
    }
    const rgb = /[0-9]{1,3},[0-9]{1,3},[0-9]{1,3}/y;
    rgb.lastIndex = at;
    const value = rgb.exec(css)?.[0];
    if (value === undefined) return null;
    if (part in found && found[part] !== value) return null;
    found[part] = value;
    at += value.length;
  }
  return at === css.length ? found : null;
}

function fill(values) {
  return parts.map((p, i) => (i % 2 === 0 ? p : values[p])).join('');
}

const themes = {};
for (const name of readdirSync(join(mdl, 'dist')).sort()) {
  const m = /^material\.([a-z_]+-[a-z_]+)\.min\.css$/.exec(name);
  if (!m) continue;
  const css = readFileSync(join(mdl, 'dist', name), 'utf8');
  const values = colours(css);
  if (values && fill(values) === css) themes[m[1]] = values;
}

const outfile = join(modules, '.synclab-mirror', `material-design-lite@${version}`, 'themes.json');
mkdirSync(dirname(outfile), { recursive: true });
writeFileSync(outfile, JSON.stringify({ template: 'dist/material.min.css.template', themes }, null, 1) + '\n');
console.log(`mirror: described ${Object.keys(themes).length} MDL colour themes in ${relative(join(here, '..'), outfile)}`);
