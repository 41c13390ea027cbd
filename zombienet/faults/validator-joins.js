// Test 3: governance adds a fifth validator (eve) at run time. Governance (sudo on the local
// chain) adds eve to the validator set; eve's node makes its session keys
// (author_rotateKeysWithOwner) and eve registers them (Session.set_keys: only members of the
// set may, C-1); after the session change eve authors blocks.
// Governance removes eve; after the session change it authors no more. Returns 1 on success.
const f = require('./lib.js');

/** The authors of blocks from..to (Aura: the slot's validator in the session's set). */
async function authors(api, from, to) {
  const out = [];
  for (let n = from; n <= to; n++) {
    const header = await api.derive.chain.getHeader(await api.rpc.chain.getBlockHash(n));
    out.push(header.author ? header.author.toString() : null);
  }
  return out;
}

function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, { nonce: -1 }, ({ status, dispatchError }) => {
      if (dispatchError) reject(new Error(dispatchError.toString()));
      else if (status.isInBlock) resolve();
    }).catch(reject);
  });
}

async function run(_nodeName, networkInfo) {
  const keyring = new zombie.Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const eve = keyring.addFromUri('//Eve');
  const api = await f.connect(networkInfo, 'alice');
  const eveApi = await f.connect(networkInfo, 'eve');

  // Eve's node generates its keys and the proof that eve's account owns them.
  // (A raw request: the polkadot.js bundled with zombienet predates this RPC method.)
  const owner = '0x' + Buffer.from(eve.addressRaw).toString('hex');
  const { keys, proof } = await eveApi._rpcCore.provider.send('author_rotateKeysWithOwner', [owner]);
  if (!proof) throw new Error('the node made no ownership proof');
  // Before governance adds it, eve may not register keys (only members of the set may).
  let refused = false;
  await submit(api, api.tx.session.setKeys(keys, proof), eve).catch(() => { refused = true; });
  if (!refused) throw new Error('a non-validator registered session keys');
  await submit(api, api.tx.sudo.sudo(api.tx.validatorSet.addValidator(eve.address)), alice);
  await submit(api, api.tx.session.setKeys(keys, proof), eve);
  const addedAt = (await f.best(api));
  f.log(`eve registered keys and was added at #${addedAt}`);

  const joined = await f.waitFor('eve to be in the session validators',
    async () => (await api.query.session.validators()).map(String).includes(eve.address), 300);
  const from = await f.best(api);
  f.log(`eve is a session validator from #${from}: ${joined}`);
  await f.waitFor('a block authored by eve', async () => {
    const to = await f.best(api);
    return (await authors(api, from, to)).includes(eve.address);
  }, 180);
  f.log('eve authored a block');

  await submit(api, api.tx.sudo.sudo(api.tx.validatorSet.removeValidator(eve.address)), alice);
  await f.waitFor('eve to leave the session validators',
    async () => !(await api.query.session.validators()).map(String).includes(eve.address), 300);
  const left = await f.best(api);
  // Ten more blocks, none by eve.
  await f.waitFor('ten blocks after eve left', async () => (await f.best(api)) >= left + 10, 180);
  const after = await authors(api, left + 1, left + 10);
  if (after.includes(eve.address)) throw new Error(`eve authored after leaving: ${after}`);
  f.log(`eve left at #${left}; blocks #${left + 1}–#${left + 10} by ${[...new Set(after)].length} other validators`);
  await eveApi.disconnect();
  await api.disconnect();
  return 1;
}

module.exports = { run };
