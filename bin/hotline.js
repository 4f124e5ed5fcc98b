#!/usr/bin/env node
// Launcher for the `hotline` command. The project runs its TypeScript directly on Node >= 22.12
// (type stripping). Machines whose system Node is older (Node 20 here) get the Node 24 binary that the
// `node` devDependency installs, so `npx hotline …` works in a fresh clone either way.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'src', 'cli.ts');
const [major, minor] = process.versions.node.split('.').map(Number);

if (major > 22 || (major === 22 && minor >= 12)) {
  await import(pathToFileURL(cli).href);
} else {
  const node24 = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node24)) {
    console.error(`hotline needs Node >= 22.12 (this is ${process.versions.node}). Run \`npm ci\` first, or install Node 24.`);
    process.exit(1);
  }
  const run = spawnSync(node24, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
