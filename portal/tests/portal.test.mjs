// The patient portal in a real browser (Debian's Chromium, headless, through playwright-core)
// against a real dev node: a patient signs in, sees its trail verified in the page, gives and
// withdraws consents, adds a deny rule, reviews an emergency access, appoints a guardian,
// exports its trail as FHIR (the CLI's file, exactly), sees the page go offline and come back;
// every page passes axe-core with no serious or critical violation, at desktop and phone sizes.
//
// scripts/portal.sh runs it: it builds the portal, starts a dev node and sets
//   MEDCHAIN_PORTAL_NODE   the node (ws://127.0.0.1:PORT)
//   MEDCHAIN_CLI           the `medchain` binary
//   CHROMIUM               the browser (default /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(HERE, '..', 'dist');
const RESULTS = path.join(HERE, '..', 'test-results');
const NODE = process.env.MEDCHAIN_PORTAL_NODE;
const CLI = process.env.MEDCHAIN_CLI;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ONE = 0; // patient //One, enrolled by the hospital (organisation 0)
const DAY = 86_400_000;

let api;
let keys;
let server;
let proxy;
let browser;
let base;
let seeded; // { grantId, record }: the seed's (withdrawn) grant and its record

/** Signs and submits `tx`, resolving once a block includes it; rejects with the pallet's error. */
function send(tx, pair) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(pair, { nonce: -1 }, ({ status, dispatchError, events }) => {
      if (dispatchError) {
        const e = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : dispatchError;
        reject(new Error(`${e.section}.${e.name}`));
      } else if (status.isInBlock) {
        resolve(events);
      }
    }).catch(reject);
  });
}

/** A TCP relay to the node that the tests can cut (the page goes offline) and restore. */
function relay(target) {
  const { hostname, port } = new URL(target.replace('ws://', 'http://'));
  const sockets = new Set();
  let open = true;
  const srv = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('error', end); upstream.on('error', end); client.on('close', end); upstream.on('close', end);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    url: `ws://127.0.0.1:${srv.address().port}`,
    cut() { open = false; for (const s of sockets) s.destroy(); },
    restore() { open = true; },
    close() { open = false; for (const s of sockets) s.destroy(); srv.close(); },
  })));
}

/** Serves the built portal, with config.json pointing it at `node`. */
function serve(node) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ node }));
    }
    const file = path.join(DIST, url.pathname === '/' ? 'index.html' : url.pathname);
    if (!file.startsWith(DIST) || !fs.existsSync(file)) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

async function signedIn(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(base);
  await page.getByRole('button', { name: /One — demo patient/ }).click();
  await page.getByTestId('verified').waitFor({ timeout: 60_000 });
  return { context, page };
}

/** Fills and sends the guardians page's "Appoint a guardian" form; gives the form. */
async function appointFromThePage(page, address, days) {
  await page.getByRole('tab', { name: 'Guardians' }).click();
  const form = page.getByRole('form', { name: 'Appoint a guardian' });
  await form.getByLabel('Their account').fill(address);
  await form.getByLabel(/For \(days/).fill(String(days));
  await form.getByRole('button', { name: 'Appoint' }).click();
  return form;
}

async function axe(page, name) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `axe on ${name}`);
}

before(async () => {
  assert.ok(NODE, 'MEDCHAIN_PORTAL_NODE names the dev node (scripts/portal.sh sets it)');
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), 'the portal is built (npm run build)');
  fs.mkdirSync(RESULTS, { recursive: true });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  keys = Object.fromEntries(['//One', '//Eve', '//Alice', '//Ferdie'].map((u) => [u, keyring.addFromUri(u)]));
  api = await ApiPromise.create({ provider: new WsProvider(NODE), noInitWarn: true });
  // What a patient's trail holds after a few days of care: consents given and one withdrawn,
  // a record anchored and read, a read reported under a withdrawn consent (flagged), an
  // emergency access.
  const now = (await api.query.timestamp.now()).toNumber();
  const terms = (grantee, categories, purposes, actions) => ({ grantee, categories, purposes, actions, validFrom: now, validUntil: now + DAY });
  const LAB = 1 << 5;
  const READ_APPEND = 0b011;
  const grantEvents = await send(api.tx.consent.grant(ONE, terms({ Practitioner: keys['//Eve'].address }, LAB, 1, READ_APPEND), 0), keys['//One']);
  const grantId = grantEvents.find(({ event }) => event.method === 'ConsentGranted').event.data[0].toNumber();
  const anchored = await send(api.tx.records.anchor(ONE, 'LabResults', 'Treatment', '0x' + '11'.repeat(32), '0x' + '22'.repeat(32)), keys['//Eve']);
  const record = anchored.find(({ event }) => event.method === 'RecordAnchored').event.data[0].toNumber();
  await send(api.tx.audit.reportAccess(ONE, 'LabResults', 'Treatment', { Grant: grantId }, record), keys['//Eve']);
  await send(api.tx.consent.revoke(grantId), keys['//One']);
  await send(api.tx.audit.reportAccess(ONE, 'LabResults', 'Treatment', { Grant: grantId }, record), keys['//Eve']);
  await send(api.tx.consent.breakGlass(ONE, 'PatientUnconscious', LAB), keys['//Eve']);
  seeded = { grantId, record };
  proxy = await relay(NODE);
  server = await serve(proxy.url);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  console.log(`# Chromium ${browser.version()}`);
});

after(async () => {
  await browser?.close();
  server?.close();
  proxy?.close();
  await api?.disconnect();
});

test('a patient signs in and reads its trail, verified in the page, denied and emergency entries marked', async () => {
  const { context, page } = await signedIn();
  const verified = await page.getByTestId('verified').textContent();
  assert.match(verified, /Verified in this browser: all \d+ entries/);
  const log = page.getByRole('list', { name: 'Audit trail, newest first' });
  await log.getByText('your data was read').first().waitFor();
  assert.equal(await page.locator('li.entry.denied').count(), 1, 'the read under a withdrawn consent is marked refused');
  assert.equal(await page.locator('li.entry.glass').count(), 1, 'the emergency access is marked');
  await page.screenshot({ path: path.join(RESULTS, 'log-desktop.png'), fullPage: true });
  await axe(page, 'the access log (desktop)');
  await context.close();
});

test('the trail the page exports as FHIR is the one the CLI exports at the same block', async (t) => {
  if (!CLI) return t.skip('MEDCHAIN_CLI is not set');
  const { context, page } = await signedIn();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Download as FHIR/ }).click(),
  ]);
  const file = path.join(RESULTS, 'trail.json');
  await download.saveAs(file);
  const fromPage = JSON.parse(fs.readFileSync(file, 'utf8'));
  const meta = Object.fromEntries(fromPage.meta.extension[0].extension.map((e) => [e.url, e.valueString ?? e.valueUnsignedInt]));
  const { stdout } = await run(CLI, ['--url', NODE, 'audit', 'export', '--patient', String(ONE), '--format', 'fhir', '--at', meta.blockHash]);
  assert.deepEqual(fromPage, JSON.parse(stdout));
  assert.ok(fromPage.total >= 6);
  await context.close();
});

test('a consent given from a preset is on the chain, and withdrawn from the page', async () => {
  const { context, page } = await signedIn();
  await page.getByRole('tab', { name: 'Who may see it' }).click();
  await page.getByRole('button', { name: 'A specialist, for 48 hours' }).click();
  const before = (await api.query.consent.nextGrantId()).toNumber();
  await page.getByRole('button', { name: 'Give consent' }).click();
  const given = page.getByText('Consent given: it is in force now.');
  const refused = page.locator('.card p[role=alert]');
  await Promise.race([given.waitFor({ timeout: 60_000 }), refused.first().waitFor({ timeout: 60_000 })]);
  assert.equal(await refused.count(), 0, `the chain refused: ${await refused.allTextContents()}`);
  const grant = (await api.query.consent.grants(before)).unwrap();
  assert.equal(grant.patient.toNumber(), ONE);
  assert.ok(grant.terms.grantee.isOrganisation);
  assert.equal(grant.terms.purposes.toNumber(), 1, 'Treatment');
  const hours = (grant.terms.validUntil.unwrap().toNumber() - grant.terms.validFrom.toNumber()) / 3_600_000;
  assert.equal(hours, 48);
  // A practitioner of the organisation the consent names, and the chain's decision for it.
  const org = grant.terms.grantee.asOrganisation.toNumber();
  const member = (await api.query.providers.practitioners.entries())
    .find(([, m]) => m.unwrap().organisation.toNumber() === org);
  assert.ok(member, `organisation ${org} has a practitioner`);
  const decide = () => api._rpcCore.provider.send('consent_checkAccess',
    [ONE, member[0].args[0].toString(), 'LabResults', 'Treatment', 'Read']);
  assert.ok((await decide()).Permit, 'the consent permits its organisation to read lab results');
  await page.getByRole('button', { name: `Withdraw consent ${before}` }).click();
  await page.getByText(`Consent #${before} withdrawn.`).waitFor({ timeout: 60_000 });
  assert.ok((await api.query.consent.grants(before)).unwrap().revokedAt.isSome);
  // No longer permitted: Deny, or EmergencyOnly where the practitioner could break the glass
  // (a hospital physician: docs/pallets/consent.md rule 6).
  const after = await decide();
  assert.ok(after === 'EmergencyOnly' || (after && after.Deny !== undefined),
    `withdrawn, the chain no longer permits: ${JSON.stringify(after)}`);
  await page.screenshot({ path: path.join(RESULTS, 'consent-desktop.png'), fullPage: true });
  await axe(page, 'the consents page');
  await context.close();
});

test('a deny rule is added and removed', async () => {
  const { context, page } = await signedIn();
  await page.getByRole('tab', { name: 'Who may see it' }).click();
  const form = page.getByRole('form', { name: 'New deny rule' });
  await form.getByRole('combobox').selectOption({ label: 'Insurer #2' });
  await form.getByRole('checkbox', { name: /billing/ }).check();
  await form.getByRole('button', { name: 'Add rule' }).click();
  await page.getByText(/Rule added/).waitFor({ timeout: 60_000 });
  const rules = (await api.query.consent.denies(ONE)).rules;
  assert.ok(rules.some((r) => r.grantee.isSome && r.grantee.unwrap().asOrganisation.toNumber() === 2));
  await page.getByRole('list', { name: 'Deny rules' }).getByRole('button', { name: 'remove' }).last().click();
  await page.getByText('Rule removed.').waitFor({ timeout: 60_000 });
  await context.close();
});

test('the patient reviews an emergency access as not justified', async () => {
  const { context, page } = await signedIn();
  await page.getByRole('button', { name: 'It was not justified' }).first().click();
  await page.getByText('Recorded: not justified.').waitFor({ timeout: 60_000 });
  const id = (await api.query.consent.nextEmergencyAccessId()).toNumber() - 1;
  const review = (await api.query.consent.emergencyAccesses(id)).unwrap().review.unwrap();
  assert.equal(review.outcome.toString(), 'Unjustified');
  assert.equal(review.by.toString(), 'Patient');
  await context.close();
});

test('a guardian is appointed from the page', async () => {
  const { context, page } = await signedIn();
  await appointFromThePage(page, keys['//Ferdie'].address, 30);
  await page.getByText('Guardian appointed.').waitFor({ timeout: 60_000 });
  assert.ok((await api.query.patients.guardians(ONE, keys['//Ferdie'].address)).isSome);
  await axe(page, 'the guardians page');
  await context.close();
});

test('the page says when it is offline, changes nothing, and comes back by itself', async () => {
  const { context, page } = await signedIn();
  proxy.cut();
  await page.getByTestId('offline').waitFor({ timeout: 30_000 });
  proxy.restore();
  await page.getByTestId('offline').waitFor({ state: 'detached', timeout: 60_000 });
  await page.getByTestId('verified').waitFor();
  await context.close();
});

test('on a phone the pages fit and pass axe', async () => {
  const { context, page } = await signedIn({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: path.join(RESULTS, 'log-phone.png'), fullPage: true });
  await axe(page, 'the access log (phone)');
  await page.getByRole('tab', { name: 'Who may see it' }).click();
  await page.screenshot({ path: path.join(RESULTS, 'consent-phone.png'), fullPage: true });
  await axe(page, 'the consents page (phone)');
  await context.close();
});

test('a read reported while the page is open is in its log within two blocks, without a reload', async () => {
  const { context, page } = await signedIn();
  const entries = page.locator('li.entry');
  const before = await entries.count();
  // Eve's organisation reports a read (under the seed's withdrawn consent: appended, flagged).
  const included = await new Promise((resolve, reject) => {
    api.tx.audit.reportAccess(ONE, 'LabResults', 'Treatment', { Grant: seeded.grantId }, seeded.record)
      .signAndSend(keys['//Eve'], { nonce: -1 }, ({ status, dispatchError }) => {
        if (dispatchError) reject(new Error(dispatchError.toString()));
        else if (status.isInBlock) resolve(status.asInBlock);
      }).catch(reject);
  });
  const at = (await api.rpc.chain.getHeader(included)).number.toNumber();
  await page.waitForFunction((n) => document.querySelectorAll('li.entry').length > n, before, { timeout: 60_000 });
  const shownBy = (await api.rpc.chain.getHeader()).number.toNumber();
  assert.ok(shownBy - at <= 2, `the read of block #${at} was shown only once the chain was at #${shownBy}`);
  assert.equal(await entries.count(), before + 1, 'one entry more, nothing reloaded');
  await context.close();
});

test('a call the chain refuses shows the pallet\'s error, and nothing is shown as done', async () => {
  const { context, page } = await signedIn();
  // The patient's own account as its guardian: the chain refuses (patients.CannotGuardSelf).
  const form = await appointFromThePage(page, keys['//One'].address, 30);
  const alert = form.locator('p[role=alert]');
  await alert.waitFor({ timeout: 60_000 });
  assert.match(await alert.textContent(), /patients\.CannotGuardSelf/);
  assert.equal(await page.getByText('Guardian appointed.').count(), 0);
  assert.ok((await api.query.patients.guardians(ONE, keys['//One'].address)).isNone, 'nothing changed on chain');
  await context.close();
});
