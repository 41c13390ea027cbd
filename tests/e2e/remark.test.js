// A dev node authors and finalises blocks, and a remark signed by //Alice with polkadot.js
// ends up in a finalised block.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Keyring } from '@polkadot/api';
import { startDevNode, waitFor } from './lib/devnode.js';

test('a dev node finalises blocks and includes a remark signed by //Alice', { timeout: 300_000 }, async (t) => {
  const node = await startDevNode(t);
  const api = await node.api();

  assert.equal(api.runtimeVersion.specName.toString(), 'medchain');

  // Blocks are authored (6 s slots) and GRANDPA finalises them.
  await waitFor('best block #2 and a finalised block', async () => {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    return best >= 2 && finalized >= 1;
  }, 120_000);

  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const payload = `medchain e2e ${Date.now()}`;

  const finalizedIn = await new Promise((resolve, reject) => {
    let unsub = null;
    api.tx.system
      .remark(payload)
      .signAndSend(alice, ({ status, dispatchError }) => {
        if (dispatchError) reject(new Error(`remark failed: ${dispatchError.toString()}`));
        if (status.isInvalid || status.isDropped || status.isUsurped) reject(new Error(`remark ${status.type}`));
        if (status.isFinalized) {
          if (unsub) unsub();
          resolve(status.asFinalized);
        }
      })
      .then((u) => { unsub = u; })
      .catch(reject);
  });

  // The finalised block holds our extrinsic, and it succeeded.
  const block = await api.rpc.chain.getBlock(finalizedIn);
  const index = block.block.extrinsics.findIndex(
    (x) => x.method.section === 'system' && x.method.method === 'remark'
      && Buffer.from(x.method.args[0].toU8a(true)).toString() === payload,
  );
  assert.notEqual(index, -1, 'the remark is in the block it was reported finalised in');
  assert.equal(block.block.extrinsics[index].signer.toString(), alice.address);

  const events = await (await api.at(finalizedIn)).query.system.events();
  const ofOurs = events.filter((e) => e.phase.isApplyExtrinsic && e.phase.asApplyExtrinsic.eq(index));
  assert.ok(ofOurs.some((e) => api.events.system.ExtrinsicSuccess.is(e.event)), 'extrinsic succeeded');

  // And that block is final: at or below the finalised head.
  const finalizedHead = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
  assert.ok(block.block.header.number.toNumber() <= finalizedHead.number.toNumber());
});
