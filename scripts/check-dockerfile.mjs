#!/usr/bin/env node
// Checks the Dockerfile and compose.yaml against the project, for machines where no container engine runs
// (CI here): every npm script the image runs exists, what it starts is what the build makes, it has what the
// README promises (non-root user, /data volume, health check, 0.0.0.0), and every KEYMINT_* variable compose
// sets is one Keymint reads. `node scripts/check-dockerfile.mjs [Dockerfile] [package.json] [compose.yaml]`.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const [dockerfile = resolve(root, 'Dockerfile'), packageJson = resolve(root, 'package.json'), composeFile = resolve(root, 'compose.yaml')] = process.argv.slice(2);
const text = readFileSync(dockerfile, 'utf8').replace(/\\\n/g, ' ');
const scripts = JSON.parse(readFileSync(packageJson, 'utf8')).scripts ?? {};
const problems = [];
const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const instructions = lines.map((l) => ({ op: l.split(/\s+/)[0].toUpperCase(), rest: l.slice(l.split(/\s+/)[0].length).trim() }));
const all = (op) => instructions.filter((i) => i.op === op).map((i) => i.rest);
/** A JSON-array (exec form) or shell-form command as words. */
const words = (rest) => (rest.startsWith('[') ? JSON.parse(rest) : rest.split(/\s+/));

// npm commands in RUN lines: `npm run X` and `npm start|test` need the script; `npm ci` needs the lock file.
for (const run of all('RUN')) {
  for (const cmd of run.split(/&&|;|\|\|/).map((c) => c.trim().split(/\s+/))) {
    if (cmd[0] !== 'npm') continue;
    if (cmd[1] === 'run' && !(cmd[2] in scripts)) problems.push(`RUN npm run ${cmd[2]}: package.json has no "${cmd[2]}" script`);
    if (['start', 'test'].includes(cmd[1]) && !(cmd[1] in scripts)) problems.push(`RUN npm ${cmd[1]}: package.json has no "${cmd[1]}" script`);
    if (cmd[1] === 'ci' && !existsSync(resolve(packageJson, '..', 'package-lock.json'))) problems.push('RUN npm ci: there is no package-lock.json');
  }
}
const runs = all('RUN').join(' && ');
if (!/\bnpm ci\b/.test(runs)) problems.push('no `npm ci`: dependencies must be installed exactly as locked');
if (!/\bnpm run build\b/.test(runs)) problems.push('no `npm run build`: the image must run the compiled dist/');
if (!/\bnpm prune --omit=dev\b/.test(runs)) problems.push('no `npm prune --omit=dev`: dev dependencies would ship');

// The build script must compile to dist/, and the command must run a file the build makes.
if (!/tsc|build\.mjs/.test(scripts.build ?? '')) problems.push('package.json "build" does not run tsc');
const cmd = all('CMD').at(-1);
if (!cmd) problems.push('no CMD');
else {
  const [bin, file, ...args] = words(cmd);
  if (bin !== 'node') problems.push(`CMD runs ${bin}, not node (no TypeScript at run time)`);
  const source = file?.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
  if (!file?.startsWith('dist/') || !existsSync(resolve(root, source))) problems.push(`CMD runs ${file}, which the build does not make (no ${source})`);
  if (args[0] !== 'serve') problems.push(`CMD should start \`serve\`, not ${args.join(' ')}`);
  const start = scripts.start ?? '';
  if (start !== `node ${file} ${args.join(' ')}`) problems.push(`CMD (node ${file} ${args.join(' ')}) and package.json "start" (${start}) differ`);
}
const froms = all('FROM');
if (froms.length < 2) problems.push('one stage: build in one, run from another');
if (!/^(node:22-slim|gcr\.io\/distroless\/nodejs22)/.test(froms.at(-1) ?? '')) problems.push(`the final image is ${froms.at(-1)}, not node:22-slim or distroless`);
const user = all('USER').at(-1);
if (!user || user === 'root' || user === '0') problems.push('the final stage runs as root: add USER node');
if (!all('VOLUME').some((v) => /\/data\b/.test(v))) problems.push('no VOLUME /data');
if (!all('HEALTHCHECK').some((h) => h.includes('/healthz'))) problems.push('no HEALTHCHECK on /healthz');
if (!all('ENV').some((e) => /KEYMINT_HOST=0\.0\.0\.0/.test(e))) problems.push('no ENV KEYMINT_HOST=0.0.0.0 (the server would listen on the container loopback only)');
for (const copy of all('COPY').filter((c) => c.startsWith('--from=build'))) {
  const src = copy.split(/\s+/)[1].replace(/^\/app\/?/, '');
  if (!['dist', 'node_modules'].includes(src) && !existsSync(resolve(root, src))) problems.push(`COPY ${src}: no such file in the project`);
}

// Variables: every KEYMINT_* compose sets is read by src/config.ts and documented in the README.
if (existsSync(composeFile)) {
  const config = readFileSync(resolve(root, 'src/config.ts'), 'utf8');
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  for (const name of new Set(readFileSync(composeFile, 'utf8').match(/\bKEYMINT_[A-Z_]+(?=:)/g) ?? [])) {
    if (!config.includes(name)) problems.push(`compose.yaml sets ${name}, which src/config.ts does not read`);
    if (!readme.includes(`\`${name}\``)) problems.push(`compose.yaml sets ${name}, which README.md does not document`);
  }
}

if (problems.length) {
  process.stderr.write(`${dockerfile}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`${dockerfile}: matches package.json, the build and the documented variables\n`);
