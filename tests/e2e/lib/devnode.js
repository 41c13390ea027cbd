// Starts `medchain-node --dev --tmp` on free ports for a test, and always stops it.
//
//   const node = await startDevNode(t);   // t: the node:test context; stopped in t.after
//   const api = await node.api();          // a connected polkadot.js ApiPromise
//
// The binary is $MEDCHAIN_NODE, else $CARGO_TARGET_DIR/debug/medchain-node, else
// ~/.cache/medchain/target/debug/medchain-node (what scripts/build.sh builds).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';

export function nodeBinary() {
  const candidates = [
    process.env.MEDCHAIN_NODE,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'debug', 'medchain-node'),
    join(homedir(), '.cache', 'medchain', 'target', 'debug', 'medchain-node'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `medchain-node is not built (looked at ${candidates.join(', ')}): run scripts/build.sh first`,
    );
  }
  return found;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(what, fn, timeoutMs, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
}

const running = new Set();
// A test process that dies (uncaught error, Ctrl-C) takes its nodes with it.
for (const sig of ['exit', 'SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const child of running) child.kill('SIGKILL');
    if (sig !== 'exit') process.exit(130);
  });
}

export async function startDevNode(t, extraArgs = []) {
  const [rpcPort, p2pPort, promPort] = [await freePort(), await freePort(), await freePort()];
  const args = [
    '--dev', '--tmp', '--no-telemetry', '--no-mdns',
    '--rpc-port', String(rpcPort), '--port', String(p2pPort), '--prometheus-port', String(promPort),
    ...extraArgs,
  ];
  const child = spawn(nodeBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let log = '';
  child.stderr.on('data', (d) => {
    log = (log + d.toString()).slice(-20000);
  });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    running.delete(child);
  });

  let api = null;
  const node = {
    rpcPort,
    wsUrl: `ws://127.0.0.1:${rpcPort}`,
    httpUrl: `http://127.0.0.1:${rpcPort}`,
    log: () => log,
    async api() {
      if (api) return api;
      await waitFor('the node to answer RPC', async () => {
        if (exited) throw new Error(`medchain-node exited early (${JSON.stringify(exited)}):\n${log}`);
        const res = await fetch(node.httpUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
        });
        return res.ok;
      }, 180_000);
      api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
      return api;
    },
    async stop() {
      if (api) await api.disconnect().catch(() => {});
      if (!exited) {
        child.kill('SIGTERM');
        await waitFor('the node to stop', () => exited, 20_000, 200).catch(() => child.kill('SIGKILL'));
      }
    },
  };
  t.after(() => node.stop());
  return node;
}
