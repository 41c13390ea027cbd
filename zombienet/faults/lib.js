// Fault injection for medchain's zombienet tests: kill a validator's process and start it
// again with exactly the command, working directory and environment zombienet gave it (the
// native provider has no restart step). Loaded by the js-script steps of the .zndsl files,
// which run inside zombienet with the `zombie` global (ApiPromise, Keyring, WsProvider, util).
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const log = (...args) => console.log(`    [fault] ${new Date().toISOString().slice(11, 19)}`, ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The pid of the medchain-node process zombienet started as `name`. */
function pidOf(name) {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-f', '--', `--name ${name}( |$)`]).toString();
  } catch (e) {
    throw new Error(`no process of node ${name}`);
  }
  const pids = out.split('\n').filter(Boolean).map(Number).filter((pid) => {
    try {
      const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
      return path.basename(argv0) === 'medchain-node';
    } catch (e) {
      return false;
    }
  });
  if (pids.length !== 1) throw new Error(`expected one medchain-node process named ${name}, found ${pids.length}`);
  return pids[0];
}

/** Kills node `name` with SIGKILL; returns what it takes to start it again. */
async function kill(name) {
  const pid = pidOf(name);
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s.length);
  const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
  const env = Object.fromEntries(
    fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && fs.existsSync(`/proc/${pid}`); i++) await sleep(100);
  log(`killed ${name} (pid ${pid})`);
  return { name, argv, cwd, env };
}

/** Starts a killed node again, detached, logging to $TMPDIR/medchain-zombienet-<name>.log. */
function restart(saved) {
  const logFile = path.join(os.tmpdir(), `medchain-zombienet-${saved.name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(saved.argv[0], saved.argv.slice(1), {
    cwd: saved.cwd, env: saved.env, stdio: ['ignore', out, out], detached: true,
  });
  child.unref();
  log(`restarted ${saved.name} (pid ${child.pid}, log ${logFile})`);
  return child.pid;
}

/** Polls `check` every 2 s until it returns a truthy value; fails after `seconds`. */
async function waitFor(what, check, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      const value = await within(60000, check(), what);
      if (value) return value;
    } catch (e) {
      // a node that is starting does not answer yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(2000);
  }
}

/** `promise`, or a rejection after `ms`. */
function within(ms, promise, what) {
  return Promise.race([promise, sleep(ms).then(() => { throw new Error(`${what}: no answer in ${ms} ms`); })]);
}

/** An API connection to node `name`, retried while the node starts. */
async function connect(networkInfo, name, seconds = 180) {
  const uri = networkInfo.nodesByName[name].wsUri;
  return waitFor(`${name}'s RPC`, async () => {
    const provider = new zombie.WsProvider(uri, false);
    try {
      await within(10000, provider.connect(), `${name} connect`);
      await within(10000, provider.isReady, `${name} ready`);
      return await within(30000, zombie.ApiPromise.create({ provider, noInitWarn: true }), `${name} api`);
    } catch (e) {
      provider.disconnect().catch(() => {});
      throw e;
    }
  }, seconds);
}

async function finalized(api) {
  const hash = await api.rpc.chain.getFinalizedHead();
  return { number: (await api.rpc.chain.getHeader(hash)).number.toNumber(), hash: hash.toHex() };
}

async function best(api) {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

/** Submits a remark signed by //Alice; resolves with its block hash once it is finalized. */
function remarkFinalized(api, text) {
  const alice = new zombie.Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  return new Promise((resolve, reject) => {
    api.tx.system.remark(text).signAndSend(alice, { nonce: -1 }, ({ status, dispatchError }) => {
      if (dispatchError) reject(new Error(`remark ${text}: ${dispatchError.toString()}`));
      else if (status.isFinalized) resolve(status.asFinalized.toHex());
      else if (status.isDropped || status.isInvalid || status.isUsurped) reject(new Error(`remark ${text}: ${status.type}`));
    }).catch(reject);
  });
}

module.exports = { log, sleep, kill, restart, waitFor, connect, finalized, best, remarkFinalized };
