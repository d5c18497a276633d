// Conformance: HubSpot's official Node client (@hubspot/api-client) against tajo-sandbox.
// The client deserialises every answer into its generated models, so a response of the wrong
// shape fails here even when our own tests agree with our own reading of the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { startSandbox, DEFAULT_TOKEN } from './sandbox.mjs';

let sandbox;
let hubspot;

before(async () => {
  sandbox = await startSandbox(['--seed', 'contacts=250,companies=30,deals=60,tickets=10', '--seed-number', '7']);
  hubspot = new Client({ accessToken: DEFAULT_TOKEN, basePath: sandbox.url, numberOfApiCallRetries: 0 });
});

after(async () => {
  assert.equal(await sandbox.stop(), 0, 'the sandbox exits 0 on SIGTERM');
});

async function rejectsWithStatus(promise, status) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.code, status, `expected HTTP ${status}, got ${e.code}: ${e.message}`);
    return typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
  }
  assert.fail(`expected HTTP ${status}, the call succeeded`);
}

test('basic: list pages through every seeded contact with the requested properties', async () => {
  const seen = new Set();
  let after;
  let pages = 0;
  do {
    const page = await hubspot.crm.contacts.basicApi.getPage(100, after, ['email', 'firstname', 'lifecyclestage']);
    pages += 1;
    assert.ok(page.results.length <= 100);
    for (const c of page.results) {
      assert.equal(typeof c.id, 'string');
      assert.ok(c.createdAt instanceof Date && !isNaN(c.createdAt));
      assert.ok(c.updatedAt instanceof Date && !isNaN(c.updatedAt));
      assert.equal(c.archived, false);
      assert.ok(!seen.has(c.id), `contact ${c.id} returned twice`);
      seen.add(c.id);
    }
    after = page.paging?.next?.after;
  } while (after);
  assert.equal(seen.size, 250);
  assert.equal(pages, 3);
});

test('basic: create, get (by id and by email), update, archive, 404 and 409', async () => {
  const email = `conformance.${Date.now()}@example.com`;
  const created = await hubspot.crm.contacts.basicApi.create({ properties: { email, firstname: 'Zoë', lastname: 'Ω' } });
  assert.equal(created.properties.email, email);
  assert.equal(created.properties.firstname, 'Zoë');
  assert.equal(created.properties.hs_object_id, created.id);

  const byId = await hubspot.crm.contacts.basicApi.getById(created.id, ['email', 'lastname']);
  assert.equal(byId.properties.lastname, 'Ω');
  const byEmail = await hubspot.crm.contacts.basicApi.getById(email, ['email'], undefined, undefined, false, 'email');
  assert.equal(byEmail.id, created.id);

  const updated = await hubspot.crm.contacts.basicApi.update(created.id, { properties: { lifecyclestage: 'lead' } });
  assert.equal(updated.properties.lifecyclestage, 'lead');
  assert.ok(updated.updatedAt >= created.updatedAt);

  const dup = await rejectsWithStatus(hubspot.crm.contacts.basicApi.create({ properties: { email } }), 409);
  assert.equal(dup.status, 'error');
  assert.equal(dup.category, 'CONFLICT');
  assert.ok(dup.correlationId);
  assert.match(dup.message, new RegExp(`Existing ID: ${created.id}`));

  await hubspot.crm.contacts.basicApi.archive(created.id);
  const missing = await rejectsWithStatus(hubspot.crm.contacts.basicApi.getById(created.id), 404);
  assert.equal(missing.category, 'OBJECT_NOT_FOUND');
});

test('basic: a write to an unknown property is a 400 naming it', async () => {
  const body = await rejectsWithStatus(
    hubspot.crm.contacts.basicApi.create({ properties: { email: `p.${Date.now()}@example.com`, no_such_prop: 'x' } }), 400);
  assert.equal(body.category, 'VALIDATION_ERROR');
  assert.match(body.message, /no_such_prop/);
});

test('batch: create, read, update and archive in one call each; more than 100 inputs is a 400', async () => {
  const stamp = Date.now();
  const inputs = [0, 1, 2].map((i) => ({ properties: { email: `batch${i}.${stamp}@example.com`, firstname: `B${i}` } }));
  const created = await hubspot.crm.contacts.batchApi.create({ inputs });
  assert.equal(created.status, 'COMPLETE');
  assert.equal(created.results.length, 3);
  const ids = created.results.map((r) => r.id);

  const read = await hubspot.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: ['firstname'], propertiesWithHistory: [] });
  assert.deepEqual(read.results.map((r) => r.properties.firstname).sort(), ['B0', 'B1', 'B2']);

  const updated = await hubspot.crm.contacts.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { lastname: 'Batch' } })) });
  assert.equal(updated.results.length, 3);
  assert.ok(updated.results.every((r) => r.properties.lastname === 'Batch'));

  await hubspot.crm.contacts.batchApi.archive({ inputs: ids.map((id) => ({ id })) });
  await rejectsWithStatus(hubspot.crm.contacts.basicApi.getById(ids[0]), 404);

  const tooMany = Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) }));
  await rejectsWithStatus(hubspot.crm.contacts.batchApi.read({ inputs: tooMany, properties: [], propertiesWithHistory: [] }), 400);
});

test('search: filter, sort by lastmodifieddate ascending, page with after, total', async () => {
  const request = {
    filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }],
    sorts: ['lastmodifieddate'],
    properties: ['email', 'lastmodifieddate'],
    limit: 200,
    after: '0',
  };
  const first = await hubspot.crm.contacts.searchApi.doSearch(request);
  assert.ok(first.total >= 250);
  assert.equal(first.results.length, 200);
  const stamps = first.results.map((r) => Date.parse(r.properties.lastmodifieddate));
  for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i - 1] <= stamps[i], 'ascending by lastmodifieddate');
  assert.ok(first.paging?.next?.after);
  const second = await hubspot.crm.contacts.searchApi.doSearch({ ...request, after: first.paging.next.after });
  assert.equal(first.results.length + second.results.length, first.total);

  const one = first.results.find((r) => r.properties.email);
  const byEmail = await hubspot.crm.contacts.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: one.properties.email }] }],
    properties: ['email'], limit: 10, after: '0', sorts: [],
  });
  assert.ok(byEmail.results.some((r) => r.id === one.id));
});

test('associations v4: default association, listing, removal', async () => {
  const contacts = await hubspot.crm.contacts.basicApi.getPage(1);
  const companies = await hubspot.crm.companies.basicApi.getPage(1, undefined, ['name', 'domain']);
  const contactId = contacts.results[0].id;
  const companyId = companies.results[0].id;
  await hubspot.crm.associations.v4.basicApi.createDefault('contacts', contactId, 'companies', companyId);
  const page = await hubspot.crm.associations.v4.basicApi.getPage('contacts', contactId, 'companies');
  const link = page.results.find((r) => String(r.toObjectId) === companyId);
  assert.ok(link, 'the new association is listed');
  assert.ok(link.associationTypes.some((t) => t.category === 'HUBSPOT_DEFINED' && (t.typeId === 279 || t.typeId === 1)));
  await hubspot.crm.associations.v4.basicApi.archive('contacts', contactId, 'companies', companyId);
  const after = await hubspot.crm.associations.v4.basicApi.getPage('contacts', contactId, 'companies');
  assert.ok(!after.results.some((r) => String(r.toObjectId) === companyId));
});

test('properties, pipelines and owners have the shapes the client expects', async () => {
  const props = await hubspot.crm.properties.coreApi.getAll('contacts');
  const byName = new Map(props.results.map((p) => [p.name, p]));
  for (const name of ['email', 'firstname', 'lastname', 'phone', 'lifecyclestage', 'hs_lead_status', 'hubspot_owner_id']) {
    assert.ok(byName.has(name), `contact property ${name}`);
  }
  assert.equal(byName.get('lifecyclestage').type, 'enumeration');
  assert.ok(byName.get('lifecyclestage').options.some((o) => o.value === 'marketingqualifiedlead'));

  const name = `conformance_${Date.now()}`;
  const made = await hubspot.crm.properties.coreApi.create('contacts', {
    name, label: 'Conformance', type: 'string', fieldType: 'text', groupName: 'contactinformation',
  });
  assert.equal(made.name, name);

  const pipelines = await hubspot.crm.pipelines.pipelinesApi.getAll('deals');
  assert.ok(pipelines.results.length >= 1);
  assert.ok(pipelines.results[0].stages.length >= 2);

  const owners = await hubspot.crm.owners.ownersApi.getPage();
  assert.ok(Array.isArray(owners.results));
});

test('auth: an unknown token is a 401 with HubSpot\'s body; responses carry rate-limit headers', async () => {
  const stranger = new Client({ accessToken: 'pat-na1-00000000-0000-4000-8000-000000000000', basePath: sandbox.url, numberOfApiCallRetries: 0 });
  const body = await rejectsWithStatus(stranger.crm.contacts.basicApi.getPage(1), 401);
  assert.equal(body.status, 'error');
  assert.ok(['INVALID_AUTHENTICATION', 'EXPIRED_AUTHENTICATION'].includes(body.category));

  const info = await hubspot.crm.contacts.basicApi.getPageWithHttpInfo(1);
  assert.equal(info.httpStatusCode, 200);
  for (const h of ['x-hubspot-ratelimit-max', 'x-hubspot-ratelimit-remaining', 'x-hubspot-ratelimit-interval-milliseconds',
    'x-hubspot-ratelimit-daily', 'x-hubspot-ratelimit-daily-remaining']) {
    assert.ok(info.headers[h] !== undefined, `header ${h}`);
  }
});
