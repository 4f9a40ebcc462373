// Maven's generate-resources step: bundles the explorer into <out-dir> unless it is there already for
// these sources (a stamp of package-lock.json, index.jsx and build.mjs), installing the pinned
// packages with `npm ci` first when they are missing or changed. `node prepare.mjs <out-dir>`
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2]);
const sources = ['package-lock.json', 'index.jsx', 'build.mjs'];
const digest = crypto.createHash('sha256');
sources.forEach((f) => digest.update(fs.readFileSync(path.join(here, f))));
const stamp = digest.digest('hex');
const stampFile = path.join(out, '.stamp');
if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
  process.exit(0);
}
const lock = fs.readFileSync(path.join(here, 'package-lock.json'));
const installed = path.join(here, 'node_modules', '.package-lock.json');
const lockStamp = path.join(here, 'node_modules', '.modelgate-lock');
const lockHash = crypto.createHash('sha256').update(lock).digest('hex');
if (!fs.existsSync(installed) || !fs.existsSync(lockStamp) || fs.readFileSync(lockStamp, 'utf8') !== lockHash) {
  console.log('installing the explorer\'s packages (npm ci, pinned by src/main/graphiql/package-lock.json)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit', shell: process.platform === 'win32' });
  fs.writeFileSync(lockStamp, lockHash);
}
execFileSync(process.execPath, [path.join(here, 'build.mjs'), out], { cwd: here, stdio: 'inherit' });
fs.writeFileSync(stampFile, stamp);
