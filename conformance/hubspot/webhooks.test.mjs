// Conformance: the sandbox's HubSpot app webhooks against HubSpot's official Node client
// (@hubspot/api-client): subscriptions are configured through the client, a CRM change made
// through the client is delivered to a local receiver, and both signatures of the delivery
// (X-HubSpot-Signature v1 and X-HubSpot-Signature-v3) are checked with the client's own
// Signature.isValid. The published signature vectors are checked with it too, so the
// receiver-side algorithm the sandbox is compared against is the one HubSpot ships.
import { test, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Client, Signature } from '@hubspot/api-client';
import { startSandbox, DEFAULT_TOKEN } from './sandbox.mjs';

// The sandbox's default app (see `tajo-sandbox --help`).
const APP_ID = 54321;
const CLIENT_SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';

// The sandbox's default developer API key: the webhooks v3 API authenticates with `?hapikey=`
// (the only method @hubspot/api-client's webhooks APIs use).
const DEVELOPER_API_KEY = 'dev-11111111-2222-4333-8444-666666666666';

let sandbox;
let hubspot;
let developer; // the client as an app developer: webhooks management
let receiver;
let targetUrl;
const deliveries = []; // { method, url, headers, body } per request the receiver got

before(async () => {
  receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${receiver.address().port}/hubspot/webhooks?source=tajo`;
  sandbox = await startSandbox();
  hubspot = new Client({ accessToken: DEFAULT_TOKEN, basePath: sandbox.url, numberOfApiCallRetries: 0 });
  developer = new Client({ developerApiKey: DEVELOPER_API_KEY, basePath: sandbox.url, numberOfApiCallRetries: 0 });
});

after(async () => {
  assert.equal(await sandbox.stop(), 0, 'the sandbox exits 0 on SIGTERM');
  await new Promise((resolve) => receiver.close(resolve));
});

// Waits (bounded) until `pick` finds the events it wants in what the receiver got so far.
async function waitForEvents(pick, what) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = deliveries.flatMap((d) => JSON.parse(d.body));
    const found = pick(events);
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no ${what} delivered in 15 s; got ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('webhooks: settings and subscriptions round-trip through the client\'s webhooks API', async () => {
  const { settingsApi, subscriptionsApi } = developer.webhooks;
  const settings = await settingsApi.configure(APP_ID, {
    targetUrl, throttling: { maxConcurrentRequests: 10, period: 'SECONDLY' },
  });
  assert.equal(settings.targetUrl, targetUrl);
  assert.equal(settings.throttling.maxConcurrentRequests, 10);
  // (`throttling.period`, legacy, is not in the client's ThrottlingSettings model.)
  assert.ok(settings.createdAt instanceof Date && !isNaN(settings.createdAt));
  const read = await settingsApi.getAll(APP_ID);
  assert.equal(read.targetUrl, targetUrl);

  const creation = await subscriptionsApi.create(APP_ID, { eventType: 'contact.creation', active: true });
  assert.equal(creation.eventType, 'contact.creation');
  assert.equal(creation.active, true);
  assert.ok(creation.createdAt instanceof Date && !isNaN(creation.createdAt));
  const change = await subscriptionsApi.create(APP_ID, { eventType: 'contact.propertyChange', propertyName: 'firstname' });
  assert.equal(change.propertyName, 'firstname');
  assert.equal(change.active, false, 'a new subscription starts paused');
  const activated = await subscriptionsApi.update(Number(change.id), APP_ID, { active: true });
  assert.equal(activated.active, true);
  assert.equal((await subscriptionsApi.getById(Number(change.id), APP_ID)).active, true);

  const all = await subscriptionsApi.getAll(APP_ID);
  const ids = all.results.map((s) => String(s.id));
  assert.ok(ids.includes(String(creation.id)) && ids.includes(String(change.id)), `got ${ids}`);

  try {
    await subscriptionsApi.create(APP_ID + 1, { eventType: 'contact.deletion' });
    assert.fail('another app id is refused');
  } catch (e) {
    assert.equal(e.code, 404);
  }
});

test('webhooks: a contact created and renamed through the client is delivered, signed v1 and v3', async () => {
  const email = `webhook.${Date.now()}@example.com`;
  const created = await hubspot.crm.contacts.basicApi.create({ properties: { email, firstname: 'Ada' } });
  await hubspot.crm.contacts.basicApi.update(created.id, { properties: { firstname: 'Grace' } });
  const startedAt = Date.now();

  const objectId = Number(created.id);
  const creation = await waitForEvents(
    (evs) => evs.find((e) => e.subscriptionType === 'contact.creation' && e.objectId === objectId), 'contact.creation');
  const rename = await waitForEvents(
    (evs) => evs.find((e) => e.subscriptionType === 'contact.propertyChange' && e.objectId === objectId
      && e.propertyValue === 'Grace'), 'contact.propertyChange firstname=Grace');

  const subs = (await developer.webhooks.subscriptionsApi.getAll(APP_ID)).results;
  const subId = (type) => Number(subs.find((s) => s.eventType === type).id);
  for (const [e, type] of [[creation, 'contact.creation'], [rename, 'contact.propertyChange']]) {
    assert.equal(typeof e.eventId, 'number');
    assert.equal(e.subscriptionId, subId(type));
    assert.ok(Number.isInteger(e.portalId) && e.portalId > 0, `portalId ${e.portalId}`);
    assert.equal(e.appId, APP_ID);
    assert.ok(Number.isInteger(e.occurredAt) && Math.abs(e.occurredAt - startedAt) < 60_000, `occurredAt ${e.occurredAt}`);
    assert.equal(e.subscriptionType, type);
    assert.equal(e.attemptNumber, 0);
    assert.equal(e.objectId, objectId);
    assert.equal(typeof e.changeSource, 'string');
    assert.ok(e.changeSource.length > 0);
  }
  assert.equal(rename.propertyName, 'firstname');
  assert.equal(rename.propertyValue, 'Grace');
  assert.equal(creation.portalId, rename.portalId);
  assert.notEqual(creation.eventId, rename.eventId);

  assert.ok(deliveries.length > 0);
  for (const d of deliveries) {
    assert.equal(d.method, 'POST');
    assert.equal(d.url, '/hubspot/webhooks?source=tajo');
    assert.match(d.headers['content-type'], /^application\/json/);
    assert.ok(Array.isArray(JSON.parse(d.body)), 'a delivery is a JSON array of events');
    assert.equal(d.headers['x-hubspot-signature-version'], 'v1');
    assert.equal(Signature.isValid({
      signatureVersion: 'v1', clientSecret: CLIENT_SECRET, requestBody: d.body, signature: d.headers['x-hubspot-signature'],
    }), true, 'X-HubSpot-Signature (v1) verifies');
    const timestamp = Number(d.headers['x-hubspot-request-timestamp']);
    assert.ok(Number.isInteger(timestamp) && Math.abs(Date.now() - timestamp) < 60_000, `timestamp ${timestamp} is epoch ms`);
    assert.equal(Signature.isValid({
      signatureVersion: 'v3', clientSecret: CLIENT_SECRET, requestBody: d.body, signature: d.headers['x-hubspot-signature-v3'],
      method: 'POST', url: `http://127.0.0.1:${receiver.address().port}${d.url}`, timestamp,
    }), true, 'X-HubSpot-Signature-v3 verifies');
    // A tampered body or another secret does not verify: the check above is not vacuous.
    assert.equal(Signature.isValid({
      signatureVersion: 'v1', clientSecret: CLIENT_SECRET, requestBody: `${d.body} `, signature: d.headers['x-hubspot-signature'],
    }), false);
    assert.equal(Signature.isValid({
      signatureVersion: 'v3', clientSecret: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', requestBody: d.body,
      signature: d.headers['x-hubspot-signature-v3'], method: 'POST',
      url: `http://127.0.0.1:${receiver.address().port}${d.url}`, timestamp,
    }), false);
  }
});

function sharedDir() {
  if (process.env.TAJO_SHARED_DIR) return process.env.TAJO_SHARED_DIR;
  if (process.env.TAJO_SOURCE_DIR) return path.join(process.env.TAJO_SOURCE_DIR, '..', 'shared');
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');
}

test('signature vectors: every published vector verifies with Signature.isValid', (t) => {
  const file = path.join(sharedDir(), 'reference', 'specs', 'signature_vectors.json');
  const { client_secret: clientSecret, vectors } = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(clientSecret, CLIENT_SECRET);
  assert.ok(vectors.length >= 3);
  for (const v of vectors) {
    const timestamp = v.timestamp === null ? undefined : Number(v.timestamp);
    // v3 refuses timestamps older than 5 minutes: check each vector at its own moment.
    if (v.version === 'v3') mock.method(Date, 'now', () => timestamp + 1000);
    try {
      const options = {
        signatureVersion: v.version, method: v.method, url: v.url ?? undefined,
        clientSecret, requestBody: v.body, timestamp,
      };
      assert.equal(Signature.isValid({ ...options, signature: v.expected }), true, `vector ${v.id}`);
      assert.equal(Signature.isValid({ ...options, signature: v.expected.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }),
        false, `vector ${v.id} with a wrong signature`);
      if (v.version === 'v3') {
        mock.method(Date, 'now', () => timestamp + Signature.MAX_ALLOWED_TIMESTAMP + 1000);
        assert.throws(() => Signature.isValid({ ...options, signature: v.expected }), /Timestamp is invalid/,
          `vector ${v.id} is refused more than 5 minutes later`);
      }
    } finally {
      mock.restoreAll();
    }
  }
  t.diagnostic(`${vectors.length} vectors checked`);
});
