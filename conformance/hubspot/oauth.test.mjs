// Conformance: the sandbox's OAuth 2.0 endpoints against HubSpot's official Node client
// (@hubspot/api-client): the authorize redirect built by the client's getAuthorizationUrl, the
// authorization_code and refresh_token grants (tokensApi.create), token info
// (accessTokensApi.get, refreshTokensApi.get), refresh-token deletion, the error bodies, and a
// CRM call made with the OAuth access token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@hubspot/api-client';
import { startSandbox } from './sandbox.mjs';

// The sandbox's default app (docs/sandbox-hubspot.md).
const CLIENT_ID = '11111111-aaaa-4bbb-8ccc-222222222222';
const CLIENT_SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const REDIRECT_URI = 'http://127.0.0.1:9/oauth-callback';
const SCOPES = 'crm.objects.contacts.read crm.objects.contacts.write';

let sandbox;
let hubspot;

before(async () => {
  sandbox = await startSandbox(['--seed', 'contacts=20']);
  hubspot = new Client({ basePath: sandbox.url, numberOfApiCallRetries: 0 });
});

after(async () => {
  assert.equal(await sandbox.stop(), 0);
});

// Follows the client-built authorize URL on the sandbox and returns the code it redirects with.
async function authorize(state) {
  const url = new URL(hubspot.oauth.getAuthorizationUrl(CLIENT_ID, REDIRECT_URI, SCOPES, undefined, state));
  const local = new URL(url.pathname + url.search, sandbox.url);
  const res = await fetch(local, { redirect: 'manual' });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location'));
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
  assert.equal(location.searchParams.get('state'), state);
  const code = location.searchParams.get('code');
  assert.ok(code, 'the redirect carries a code');
  return code;
}

async function rejectsWithStatus(promise, status) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.code, status, `expected HTTP ${status}, got ${e.code}: ${e.message}`);
    return typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
  }
  assert.fail(`expected HTTP ${status}, the call succeeded`);
}

test('authorization_code grant, token info, a CRM call with the token, refresh grant', async () => {
  const code = await authorize('xyz-123');
  const tokens = await hubspot.oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, CLIENT_ID, CLIENT_SECRET);
  assert.equal(tokens.tokenType.toLowerCase(), 'bearer');
  assert.ok(tokens.accessToken && tokens.refreshToken);
  assert.ok(tokens.expiresIn > 0);

  const info = await hubspot.oauth.accessTokensApi.get(tokens.accessToken);
  assert.equal(info.token, tokens.accessToken);
  assert.ok(info.scopes.includes('crm.objects.contacts.read'));
  assert.equal(typeof info.hubId, 'number');
  assert.equal(typeof info.appId, 'number');
  assert.ok(info.expiresIn > 0 && info.expiresIn <= tokens.expiresIn);

  const refreshInfo = await hubspot.oauth.refreshTokensApi.get(tokens.refreshToken);
  assert.equal(refreshInfo.token, tokens.refreshToken);
  assert.equal(refreshInfo.clientId, CLIENT_ID);

  const withToken = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url, numberOfApiCallRetries: 0 });
  const page = await withToken.crm.contacts.basicApi.getPage(5);
  assert.equal(page.results.length, 5);
  // The token only has contact scopes.
  const denied = await rejectsWithStatus(withToken.crm.deals.basicApi.getPage(1), 403);
  assert.equal(denied.category, 'MISSING_SCOPES');

  const refreshed = await hubspot.oauth.tokensApi.create('refresh_token', undefined, undefined, CLIENT_ID, CLIENT_SECRET, tokens.refreshToken);
  assert.ok(refreshed.accessToken);
  assert.notEqual(refreshed.accessToken, tokens.accessToken);
});

test('a code works once; bad secrets, codes and refresh tokens get HubSpot\'s 400 bodies', async () => {
  const code = await authorize('once');
  await hubspot.oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, CLIENT_ID, CLIENT_SECRET);
  const reused = await rejectsWithStatus(
    hubspot.oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, CLIENT_ID, CLIENT_SECRET), 400);
  assert.equal(reused.status, 'BAD_AUTH_CODE');

  const another = await authorize('secret');
  const badSecret = await rejectsWithStatus(
    hubspot.oauth.tokensApi.create('authorization_code', another, REDIRECT_URI, CLIENT_ID, 'not-the-secret'), 400);
  assert.equal(badSecret.status, 'BAD_CLIENT_SECRET');

  const badRefresh = await rejectsWithStatus(
    hubspot.oauth.tokensApi.create('refresh_token', undefined, undefined, CLIENT_ID, CLIENT_SECRET, 'no-such-refresh-token'), 400);
  assert.equal(badRefresh.status, 'BAD_REFRESH_TOKEN');
});

test('a deleted refresh token can no longer be used or read', async () => {
  const code = await authorize('revoke');
  const tokens = await hubspot.oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, CLIENT_ID, CLIENT_SECRET);
  await hubspot.oauth.refreshTokensApi.archive(tokens.refreshToken);
  await rejectsWithStatus(hubspot.oauth.refreshTokensApi.get(tokens.refreshToken), 404);
  const body = await rejectsWithStatus(
    hubspot.oauth.tokensApi.create('refresh_token', undefined, undefined, CLIENT_ID, CLIENT_SECRET, tokens.refreshToken), 400);
  assert.equal(body.status, 'BAD_REFRESH_TOKEN');
});
