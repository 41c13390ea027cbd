// Runs the polkadot.js examples of the public API docs (docs/pallets/*.md) against a dev node,
// so that the documentation cannot drift from the chain.
//
// In each document, the ```js blocks are joined in order into one async function, with
// `api` (a connected ApiPromise), `Keyring`, `util` (@polkadot/util-crypto), `assert` and
// `rpcUrl` (the node's HTTP JSON-RPC address) in scope. A ```sh block runs in bash at its
// place in that order, with $RPC set to the node's address; it must succeed, and what it
// printed is in `shellOutput` for the js blocks after it. A document's examples fail the test
// if anything throws, a command fails, or an assertion fails.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/api';
import * as util from '@polkadot/util-crypto';
import { startDevNode, waitFor } from './lib/devnode.js';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'pallets');
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

/** The ```js and ```sh blocks of a markdown document, in order: [{ lang, code }]. */
export function codeBlocks(markdown) {
  return [...markdown.matchAll(/^```(js|sh)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

/** One async function body: js blocks as they are, sh blocks as calls of `shell`. */
function program(markdown) {
  return ['let shellOutput = \'\';']
    .concat(codeBlocks(markdown).map(({ lang, code }) =>
      lang === 'js' ? code : `shellOutput = await shell(${JSON.stringify(code)});`))
    .join('\n');
}

// MEDCHAIN_DOCS=audit.md,records.md runs only those documents (while writing them).
const only = process.env.MEDCHAIN_DOCS?.split(',');
const docs = readdirSync(docsDir)
  .filter((f) => f.endsWith('.md') && (!only || only.includes(f)))
  .sort();

test('the docs have polkadot.js examples to run', () => {
  assert.ok(docs.length > 0, `no documents in ${docsDir}`);
  for (const doc of docs) {
    const blocks = codeBlocks(readFileSync(join(docsDir, doc), 'utf8'));
    assert.ok(blocks.some((b) => b.lang === 'js'), `${doc} has no js example`);
  }
});

// Each document on its own dev node, three at a time: the examples mostly wait for blocks, so
// running documents side by side takes a third of the time of one node in turn.
test('the examples of docs/pallets/*.md run against a dev node', { timeout: 600_000, concurrency: 3 }, async (t) => {
  await util.cryptoWaitReady();
  await Promise.all(docs.map((doc) => t.test(doc, async (st) => {
    const node = await startDevNode(st);
    const api = await node.api();
    await waitFor('the first block', async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 1, 60_000);
    const code = program(readFileSync(join(docsDir, doc), 'utf8'));
    const shell = async (script) =>
      execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
        env: { ...process.env, RPC: node.httpUrl },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const run = new AsyncFunction('api', 'Keyring', 'util', 'assert', 'rpcUrl', 'shell', code);
    await run(api, Keyring, util, assert, node.httpUrl, shell);
  })));
});
