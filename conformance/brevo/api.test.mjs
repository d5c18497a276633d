// Conformance: Brevo's official Node SDK (@getbrevo/brevo) against tajo-sandbox's Brevo emulator.
// The SDK builds every request (paths, query strings, bodies, the api-key header) and maps
// statuses to its error classes, so a route, status or body of the wrong shape fails here even
// when our own tests agree with our own reading of the API.
import { test, before, after } from 'node:test';
import http from 'node:http';
import assert from 'node:assert/strict';
import { BrevoClient, BrevoError } from '@getbrevo/brevo';
import { startSandbox, DEFAULT_API_KEY } from './sandbox.mjs';

let sandbox;
let brevo;

before(async () => {
  // --time-scale 50: an import's 1 s queued + 2 s processing take 60 ms of real time.
  sandbox = await startSandbox(['--brevo-seed', 'contacts=120,lists=2', '--seed-number', '3', '--time-scale', '50']);
  brevo = new BrevoClient({ apiKey: DEFAULT_API_KEY, baseUrl: sandbox.url, maxRetries: 0, timeoutInSeconds: 10 });
  // The standard plan allows 10 contact calls a second: this suite makes them faster than that.
  // The rate-limit test turns enforcement back on for itself.
  await sandbox.admin('settings', { enforceRateLimits: false }, 'PUT');
});

after(async () => {
  assert.equal(await sandbox.stop(), 0, 'the sandbox exits 0 on SIGTERM');
});

let serial = 0;
function uniqueEmail(tag) {
  serial += 1;
  return `conf.${tag}.${serial}.${process.pid}@example.org`;
}

// Awaits a call that must fail with HTTP `status` and returns the error body the SDK parsed.
async function rejectsWithStatus(promise, status) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof BrevoError, `expected a BrevoError, got ${e}`);
    assert.equal(e.statusCode, status, `expected HTTP ${status}, got ${e.statusCode}: ${JSON.stringify(e.body)}`);
    return e.body;
  }
  assert.fail(`expected HTTP ${status}, the call succeeded`);
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

test('contacts: create (201 id), duplicate 400, updateEnabled, get by email and id, update, delete, 404', async () => {
  const email = uniqueEmail('crud');
  const created = await brevo.contacts.createContact({ email, attributes: { FIRSTNAME: 'Zoë', LASTNAME: 'Ω' } })
    .withRawResponse();
  assert.equal(created.rawResponse.status, 201);
  assert.equal(typeof created.data.id, 'number');
  const id = created.data.id;

  const dup = await rejectsWithStatus(brevo.contacts.createContact({ email }), 400);
  assert.equal(dup.code, 'duplicate_parameter');
  assert.equal(dup.message, 'Contact already exist');

  const upsert = await brevo.contacts.createContact({ email, updateEnabled: true, attributes: { LASTNAME: 'Omega' } })
    .withRawResponse();
  assert.equal(upsert.rawResponse.status, 204);
  assert.equal(upsert.data, undefined);

  const byEmail = await brevo.contacts.getContactInfo({ identifier: email.toUpperCase() });
  assert.equal(byEmail.id, id);
  assert.equal(byEmail.email, email);
  assert.equal(byEmail.attributes.FIRSTNAME, 'Zoë');
  assert.equal(byEmail.attributes.LASTNAME, 'Omega');
  assert.equal(byEmail.emailBlacklisted, false);
  assert.equal(byEmail.smsBlacklisted, false);
  assert.deepEqual(byEmail.listIds, []);
  assert.ok(!isNaN(Date.parse(byEmail.createdAt)));
  assert.ok(!isNaN(Date.parse(byEmail.modifiedAt)));
  assert.equal(typeof byEmail.statistics, 'object');

  const byId = await brevo.contacts.getContactInfo({ identifier: id, identifierType: 'contact_id' });
  assert.equal(byId.email, email);

  const lists = await brevo.contacts.getLists({ limit: 10 });
  const listId = lists.lists[0].id;
  const updated = await brevo.contacts.updateContact({ identifier: id, attributes: { FIRSTNAME: 'Zoe' }, listIds: [listId] })
    .withRawResponse();
  assert.equal(updated.rawResponse.status, 204);
  const after = await brevo.contacts.getContactInfo({ identifier: email, identifierType: 'email_id' });
  assert.equal(after.attributes.FIRSTNAME, 'Zoe');
  assert.deepEqual(after.listIds, [listId]);
  assert.ok(Date.parse(after.modifiedAt) >= Date.parse(byEmail.modifiedAt));

  const deleted = await brevo.contacts.deleteContact({ identifier: id }).withRawResponse();
  assert.equal(deleted.rawResponse.status, 204);
  const missing = await rejectsWithStatus(brevo.contacts.getContactInfo({ identifier: email }), 404);
  assert.equal(missing.code, 'document_not_found');
  assert.equal(missing.message, 'Contact does not exist');
  const missingPut = await rejectsWithStatus(brevo.contacts.updateContact({ identifier: id, attributes: { FIRSTNAME: 'x' } }), 404);
  assert.equal(missingPut.code, 'document_not_found');
  await rejectsWithStatus(brevo.contacts.deleteContact({ identifier: id }), 404);
});

test('contacts: list pages with limit/offset cover every contact once; count is the total', async () => {
  const first = await brevo.contacts.getContacts({ limit: 1 });
  const total = first.count;
  assert.ok(total >= 120, `count ${total}`);
  const seen = new Set();
  let pages = 0;
  for (let offset = 0; offset < total; offset += 50) {
    const page = await brevo.contacts.getContacts({ limit: 50, offset });
    pages += 1;
    assert.equal(page.count, total);
    assert.equal(page.contacts.length, Math.min(50, total - offset));
    for (const c of page.contacts) {
      assert.equal(typeof c.id, 'number');
      assert.ok(!seen.has(c.id), `contact ${c.id} returned twice`);
      seen.add(c.id);
      assert.equal(typeof c.emailBlacklisted, 'boolean');
      assert.ok(Array.isArray(c.listIds));
    }
  }
  assert.equal(seen.size, total);
  assert.equal(pages, Math.ceil(total / 50));

  const beyond = await brevo.contacts.getContacts({ limit: 50, offset: total + 10 });
  assert.deepEqual(beyond.contacts ?? [], []);

  const tooMany = await rejectsWithStatus(brevo.contacts.getContacts({ limit: 1001 }), 400);
  assert.equal(typeof tooMany.code, 'string');
});

test('contacts: modifiedSince returns only contacts changed after the given time', async () => {
  const a = await brevo.contacts.createContact({ email: uniqueEmail('ms-a') });
  const aInfo = await brevo.contacts.getContactInfo({ identifier: a.id });
  await pause(5); // the next writes get a later millisecond than a's modifiedAt
  const b = await brevo.contacts.createContact({ email: uniqueEmail('ms-b') });
  const c = await brevo.contacts.createContact({ email: uniqueEmail('ms-c') });
  const since = new Date(Date.parse(aInfo.modifiedAt)).toISOString();
  const page = await brevo.contacts.getContacts({ modifiedSince: since, limit: 1000 });
  const ids = page.contacts.map((x) => x.id);
  assert.ok(ids.includes(b.id) && ids.includes(c.id), `got ${ids}`);
  assert.equal(page.count, page.contacts.length);
  assert.ok(page.count < 120, 'the seeded contacts, modified earlier, are left out');
  for (const x of page.contacts) assert.ok(Date.parse(x.modifiedAt) >= Date.parse(since));
});

test('contacts: batch update succeeds, and is all or nothing with a 404 naming the missing indexes', async () => {
  const e1 = uniqueEmail('batch1');
  const e2 = uniqueEmail('batch2');
  const c1 = await brevo.contacts.createContact({ email: e1 });
  await brevo.contacts.createContact({ email: e2 });

  const ok = await brevo.contacts.updateBatchContacts({
    contacts: [
      { email: e1, attributes: { FIRSTNAME: 'One' } },
      { id: (await brevo.contacts.getContactInfo({ identifier: e2 })).id, attributes: { FIRSTNAME: 'Two' } },
    ],
  }).withRawResponse();
  assert.equal(ok.rawResponse.status, 204);
  assert.equal((await brevo.contacts.getContactInfo({ identifier: c1.id })).attributes.FIRSTNAME, 'One');
  assert.equal((await brevo.contacts.getContactInfo({ identifier: e2 })).attributes.FIRSTNAME, 'Two');

  const err = await rejectsWithStatus(brevo.contacts.updateBatchContacts({
    contacts: [
      { email: e1, attributes: { FIRSTNAME: 'Changed' } },
      { email: uniqueEmail('nobody'), attributes: { FIRSTNAME: 'X' } },
      { id: 999999999, attributes: { FIRSTNAME: 'Y' } },
    ],
  }), 404);
  assert.equal(err.code, 'document_not_found');
  assert.match(err.message, /No contact found for indexes 1,2/);
  assert.equal((await brevo.contacts.getContactInfo({ identifier: e1 })).attributes.FIRSTNAME, 'One',
    'nothing of a refused batch is applied');
});

test('import: jsonBody answers 202 processId; polling GET /processes/{id} sees it complete and the rows applied', async () => {
  const list = await brevo.contacts.createList({ name: `import-${process.pid}`, folderId: 1 });
  const rows = [
    { email: uniqueEmail('imp1'), attributes: { FIRSTNAME: 'Imp', LASTNAME: 'One', NOT_AN_ATTRIBUTE: 'ignored' } },
    { email: uniqueEmail('imp2'), attributes: { FIRSTNAME: 'Imp', LASTNAME: 'Two' } },
  ];
  const started = await brevo.contacts.importContacts({ jsonBody: rows, listIds: [list.id], updateExistingContacts: true })
    .withRawResponse();
  assert.equal(started.rawResponse.status, 202);
  const processId = started.data.processId;
  assert.equal(typeof processId, 'number');

  let proc;
  const statuses = new Set();
  for (let i = 0; i < 200; i += 1) { // bounded: at most ~10 s of real time
    proc = await brevo.process.getProcess({ processId });
    statuses.add(proc.status);
    if (proc.status === 'completed' || proc.status === 'failed') break;
    await pause(50);
  }
  assert.equal(proc.status, 'completed', `statuses seen: ${[...statuses]}`);
  assert.equal(proc.id, processId);
  assert.equal(proc.name, 'IMPORTUSER');
  for (const s of statuses) assert.ok(['queued', 'in_process', 'completed'].includes(s), s);

  const all = await brevo.process.getProcesses({ limit: 50 });
  assert.ok(all.processes.some((p) => p.id === processId));

  for (const row of rows) {
    const c = await brevo.contacts.getContactInfo({ identifier: row.email });
    assert.equal(c.attributes.LASTNAME, row.attributes.LASTNAME);
    assert.equal(c.attributes.NOT_AN_ATTRIBUTE, undefined);
    assert.deepEqual(c.listIds, [list.id]);
  }

  const unknown = await rejectsWithStatus(brevo.process.getProcess({ processId: 987654 }), 404);
  assert.equal(unknown.message, 'Process ID not found');
});

test('attributes: the defaults are listed; a new text attribute stores text and ignores a wrong type', async () => {
  const before = await brevo.contacts.getAttributes();
  const names = before.attributes.map((a) => a.name);
  for (const n of ['EMAIL', 'FIRSTNAME', 'LASTNAME', 'SMS', 'EXT_ID']) assert.ok(names.includes(n), `${n} in ${names}`);
  for (const a of before.attributes) {
    assert.equal(typeof a.category, 'string');
    assert.equal(typeof a.name, 'string');
  }

  const created = await brevo.contacts.createAttribute({ attributeCategory: 'normal', attributeName: 'TAJO_NOTE', type: 'text' })
    .withRawResponse();
  assert.equal(created.rawResponse.status, 201);
  await brevo.contacts.createAttribute({ attributeCategory: 'normal', attributeName: 'TAJO_SCORE', type: 'float' });
  const listed = (await brevo.contacts.getAttributes()).attributes;
  assert.deepEqual(listed.find((a) => a.name === 'TAJO_NOTE'), { category: 'normal', name: 'TAJO_NOTE', type: 'text' });
  assert.equal(listed.find((a) => a.name === 'TAJO_SCORE').type, 'float');

  const email = uniqueEmail('attr');
  await brevo.contacts.createContact({ email, attributes: { TAJO_NOTE: 'hello', TAJO_SCORE: 'not a number' } });
  const c = await brevo.contacts.getContactInfo({ identifier: email });
  assert.equal(c.attributes.TAJO_NOTE, 'hello');
  assert.equal(c.attributes.TAJO_SCORE, undefined, 'a value of the wrong type is ignored, not stored');

  const dup = await rejectsWithStatus(
    brevo.contacts.createAttribute({ attributeCategory: 'normal', attributeName: 'TAJO_NOTE', type: 'text' }), 400);
  assert.equal(typeof dup.message, 'string');
});

test('lists: create, add contacts (up to 150), read members, remove', async () => {
  const list = await brevo.contacts.createList({ name: `members-${process.pid}`, folderId: 1 }).withRawResponse();
  assert.equal(list.rawResponse.status, 201);
  const listId = list.data.id;
  const info = await brevo.contacts.getList({ listId });
  assert.equal(info.id, listId);
  assert.equal(info.name, `members-${process.pid}`);
  assert.equal(info.folderId, 1);

  const some = (await brevo.contacts.getContacts({ limit: 150 })).contacts.filter((c) => c.email);
  const emails = some.slice(0, 148).map((c) => c.email);
  const unknown = uniqueEmail('not-a-contact');
  const added = await brevo.contacts.addContactToList({ listId, body: { emails: [...emails, unknown] } }).withRawResponse();
  assert.equal(added.rawResponse.status, 201);
  assert.equal(added.data.contacts.success.length, emails.length);
  assert.deepEqual(added.data.contacts.failure, [unknown]);

  const members = await brevo.contacts.getContactsFromList({ listId, limit: 500 });
  assert.equal(members.count, emails.length);
  assert.deepEqual(new Set(members.contacts.map((c) => c.email)), new Set(emails));

  const tooMany = Array.from({ length: 151 }, (_, i) => `x${i}@example.org`);
  await rejectsWithStatus(brevo.contacts.addContactToList({ listId, body: { emails: tooMany } }), 400);

  const removed = await brevo.contacts.removeContactFromList({ listId, body: { emails: emails.slice(0, 10) } });
  assert.deepEqual(new Set(removed.contacts.success), new Set(emails.slice(0, 10)));
  assert.equal((await brevo.contacts.getContactsFromList({ listId, limit: 1 })).count, emails.length - 10);

  // Removing `all` answers with a process. DISAGREEMENT (reported): the sandbox names that process
  // REMOVE_LIST_CONTACTS, which is not in the SDK's GetProcessResponse.Name enumeration
  // (IMPORTUSER, SEARCH_EXPORT_USERS, TRANS-CALC, TRANS-GLOBAL-CALC, CAMPAIGN_PROCESSING,
  // LIST_EXPORT, CONTACT_EXPORT); the assertion on its name is left out.
  const all = await brevo.contacts.removeContactFromList({ listId, body: { all: true } });
  assert.equal(all.contacts.total, emails.length - 10);
  assert.equal(typeof all.contacts.processId, 'number');
  const removal = await brevo.process.getProcess({ processId: all.contacts.processId });
  assert.equal(removal.status, 'completed');
  assert.equal((await brevo.contacts.getContactsFromList({ listId, limit: 1 })).count, 0);

  await brevo.contacts.deleteList({ listId });
  const gone = await rejectsWithStatus(brevo.contacts.getList({ listId }), 404);
  assert.equal(gone.message, 'List ID not found');
});

test('events: a created event is read back with its properties', async () => {
  const email = uniqueEmail('event');
  const contact = await brevo.contacts.createContact({ email });
  const created = await brevo.event.createEvent({
    event_name: 'order_placed',
    identifiers: { email_id: email },
    event_properties: { amount: 42.5, currency: 'EUR' },
    contact_properties: { FIRSTNAME: 'Evt' },
  }).withRawResponse();
  assert.equal(created.rawResponse.status, 204);

  const read = await brevo.event.getEvents({ contact_id: contact.id, event_name: 'order_placed' });
  assert.equal(read.count, 1);
  const [ev] = read.events;
  assert.equal(ev.event_name, 'order_placed');
  assert.equal(ev.contact_id, contact.id);
  assert.deepEqual(ev.event_properties, { amount: 42.5, currency: 'EUR' });
  assert.ok(!isNaN(Date.parse(ev.event_date)));

  await rejectsWithStatus(brevo.event.createEvent({ identifiers: { email_id: email } }), 400);
});

test('webhooks: create a marketing webhook, list, get, update, delete', async () => {
  const created = await brevo.webhooks.createWebhook({
    url: 'http://127.0.0.1:9/brevo-hook',
    description: 'conformance',
    type: 'marketing',
    events: ['contactUpdated', 'listAddition', 'unsubscribed'],
  }).withRawResponse();
  assert.equal(created.rawResponse.status, 201);
  const webhookId = created.data.id;
  assert.equal(typeof webhookId, 'number');

  const marketing = await brevo.webhooks.getWebhooks({ type: 'marketing' });
  const listed = marketing.webhooks.find((w) => w.id === webhookId);
  assert.ok(listed, 'the new webhook is listed under type=marketing');
  assert.equal(listed.url, 'http://127.0.0.1:9/brevo-hook');
  const transactional = await brevo.webhooks.getWebhooks();
  assert.ok(!transactional.webhooks.some((w) => w.id === webhookId), 'GET /webhooks lists transactional ones by default');

  const one = await brevo.webhooks.getWebhook({ webhookId });
  assert.equal(one.id, webhookId);
  assert.equal(one.type, 'marketing');
  assert.equal(one.description, 'conformance');
  assert.deepEqual(new Set(one.events), new Set(['contactUpdated', 'listAddition', 'unsubscribed']));
  assert.ok(!isNaN(Date.parse(one.createdAt)));
  assert.ok(!isNaN(Date.parse(one.modifiedAt)));

  const upd = await brevo.webhooks.updateWebhook({ webhookId, events: ['contactDeleted'], description: 'changed' })
    .withRawResponse();
  assert.equal(upd.rawResponse.status, 204);
  const changed = await brevo.webhooks.getWebhook({ webhookId });
  assert.deepEqual(changed.events, ['contactDeleted']);
  assert.equal(changed.description, 'changed');

  await brevo.webhooks.deleteWebhook({ webhookId });
  const gone = await rejectsWithStatus(brevo.webhooks.getWebhook({ webhookId }), 404);
  assert.equal(gone.message, 'Webhook not found');
  await rejectsWithStatus(brevo.webhooks.createWebhook({ url: 'ftp://127.0.0.1/x', type: 'marketing', events: ['opened'] }), 400);
});

test('webhooks: a contact update made through the SDK is delivered to a marketing webhook', async () => {
  const received = [];
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const email = uniqueEmail('hook');
    await brevo.contacts.createContact({ email, attributes: { FIRSTNAME: 'Before' } });
    const hook = await brevo.webhooks.createWebhook({
      url: `http://127.0.0.1:${receiver.address().port}/brevo`,
      type: 'marketing',
      events: ['contactUpdated'],
      headers: [{ key: 'X-Tajo-Test', value: 'conformance' }],
    });
    await brevo.contacts.updateContact({ identifier: email, attributes: { FIRSTNAME: 'After' } });

    let event;
    const deadline = Date.now() + 15_000;
    while (!event) {
      await sandbox.admin('pump');
      event = received.map((r) => JSON.parse(r.body)).flat().find((e) => e.email === email);
      if (!event) {
        assert.ok(Date.now() < deadline, `no contact_updated for ${email} in 15 s: ${JSON.stringify(received)}`);
        await pause(25);
      }
    }
    const request = received.find((r) => r.body.includes(email));
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/brevo');
    assert.equal(request.headers['x-tajo-test'], 'conformance');
    assert.match(request.headers['content-type'], /^application\/json/);
    assert.equal(event.event, 'contact_updated');
    assert.equal(event.id, hook.id);
    assert.deepEqual(event.content, [{ FIRSTNAME: 'After' }]);
    assert.equal(event.api_key_name, 'tajo-sandbox');
    assert.ok(Number.isInteger(event.ts), `ts ${event.ts}`);
    await brevo.webhooks.deleteWebhook({ webhookId: hook.id });
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});

test('auth: a wrong api key is 401 unauthorized "Key not found"', async () => {
  const wrong = new BrevoClient({ apiKey: 'xkeysib-not-a-key', baseUrl: sandbox.url, maxRetries: 0 });
  const body = await rejectsWithStatus(wrong.contacts.getContacts({ limit: 1 }), 401);
  assert.deepEqual(body, { code: 'unauthorized', message: 'Key not found' });
  const body2 = await rejectsWithStatus(wrong.webhooks.getWebhooks(), 401);
  assert.equal(body2.code, 'unauthorized');
});

test('rate limits: admitted responses carry x-sib-ratelimit-limit/-remaining/-reset', async () => {
  await sandbox.admin('settings', { enforceRateLimits: true }, 'PUT');
  try {
    const { rawResponse } = await brevo.contacts.getContacts({ limit: 1 }).withRawResponse();
    const limit = Number(rawResponse.headers.get('x-sib-ratelimit-limit'));
    const remaining = Number(rawResponse.headers.get('x-sib-ratelimit-remaining'));
    const reset = Number(rawResponse.headers.get('x-sib-ratelimit-reset'));
    assert.ok(Number.isInteger(limit) && limit > 0, `limit ${limit}`);
    assert.ok(Number.isInteger(remaining) && remaining >= 0 && remaining < limit, `remaining ${remaining} of ${limit}`);
    assert.ok(Number.isFinite(reset) && reset >= 0, `reset ${reset}`);
  } finally {
    await sandbox.admin('settings', { enforceRateLimits: false }, 'PUT');
  }
});
