// Bundles the explorer (index.jsx, its CSS and Monaco's workers) into one folder of the jar's
// resources, with the licences of everything bundled. Run by Maven (generate-resources) through
// build-if-stale.mjs: `node build.mjs <out-dir>`.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const out = path.resolve(process.argv[2] || 'dist');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const common = {
  bundle: true, minify: true, legalComments: 'none', target: 'es2020', logLevel: 'warning', metafile: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
};
const app = await esbuild.build({
  ...common, entryPoints: { graphiql: 'index.jsx' }, outdir: out, format: 'iife', jsx: 'automatic', assetNames: '[name]',
});
const workers = await esbuild.build({
  ...common, outdir: out, format: 'iife',
  entryPoints: {
    'editor.worker': 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'node_modules/monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'node_modules/monaco-graphql/esm/graphql.worker.js',
  },
});

// every package an input came from, with its licence text
const packages = new Map();
for (const meta of [app.metafile, workers.metafile]) {
  for (const input of Object.keys(meta.inputs)) {
    const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
    if (!m) continue;
    const dir = input.slice(0, input.lastIndexOf(m[m.length - 1]) + m[m.length - 1].length);
    packages.set(dir, true);
  }
}
const lines = ['Third-party software bundled in the explorer (graphiql.js, graphiql.css, *.worker.js), with their licences.', ''];
for (const dir of [...packages.keys()].sort()) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const licence = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  lines.push('='.repeat(72), `${pkg.name} ${pkg.version} — ${pkg.license || 'see below'}`, '='.repeat(72));
  lines.push(licence ? fs.readFileSync(path.join(dir, licence), 'utf8').trim() : `(no licence file in the package; package.json says: ${pkg.license})`, '');
}
fs.writeFileSync(path.join(out, 'THIRD-PARTY-LICENSES.txt'), lines.join('\n'));
console.log(`explorer bundled into ${out}: ${fs.readdirSync(out).join(', ')} (${packages.size} packages)`);
