// tajo serve end to end, in-process: both emulators on loopback, the HubSpot one delivering real
// signed webhooks to a server::Service, which verifies them, saves them in the inbox and applies
// them to Brevo through the engine. Also the signature checks at the HTTP level, the control API
// and the dead-letter queue.
#include "server/service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "core/log.h"
#include "http/client.h"
#include "server/hubspot_signature.h"
#include "sandbox/hubspot/options.h"
#include "sync/sync_test_env.h"

namespace tajo::server {
namespace {

namespace hsb = ::tajo::sandbox::hubspot;
using sync::testing::EnvOptions;
using sync::testing::SyncTestEnv;
using nlohmann::json;

constexpr const char* kApiKey = "test-control-api-key-0123456789";

std::string TempStore(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("tajo-serve-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / (name + ".db");
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  return path.string();
}

// Polls `done` every 20 ms for up to `seconds`.
bool WaitUntil(const std::function<bool()>& done, double seconds = 30) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

// The config `tajo serve` gets in these tests: env's, listening on a free port.
Config ServeConfig(SyncTestEnv& env) {
  Config c = env.config();
  c.server.host = "127.0.0.1";
  c.server.port = 0;
  c.server.listen = "127.0.0.1:0";
  c.server.api_key = kApiKey;
  c.connectors.hubspot.client_secret = hsb::kDefaultClientSecret;
  c.server.webhooks.hubspot_signature_versions = {SignatureVersion::kV3, SignatureVersion::kV1};
  c.server.worker.window_ms = 50;
  c.server.worker.max_attempts = 3;
  c.server.worker.retry_base_ms = 20;
  c.server.worker.retry_max_ms = 100;
  return c;
}

ServiceOptions FastOptions() {
  ServiceOptions o;
  o.poll_ms = 50;
  o.clients.max_attempts = 2;
  o.clients.base_delay_micros = 1000;
  return o;
}

// Points the sandbox app's webhooks at `service` with the subscriptions tajo needs.
void Subscribe(SyncTestEnv& env, Service& service) {
  auto& hooks = env.hubspot_sandbox().webhooks();
  ASSERT_TRUE(hooks.PutSettings(service.base_url() + "/webhooks/hubspot", 10, "SECONDLY").ok());
  for (const char* t : {"contact.creation", "contact.deletion", "contact.merge", "contact.restore",
                        "contact.privacyDeletion"}) {
    ASSERT_TRUE(hooks.CreateSubscription(t, "", true).ok()) << t;
  }
  for (const char* p : {"email", "firstname", "lastname", "phone", "company", "lifecyclestage", "hs_lead_status"}) {
    ASSERT_TRUE(hooks.CreateSubscription("contact.propertyChange", p, true).ok()) << p;
  }
}

int64_t Pending(store::StateStore& store) {
  auto c = store.CountInbox(sync::kConnectionName);
  return c.ok() ? c->pending : -1;
}

http::HttpResponse Send(const std::string& method, const std::string& url, const std::string& body,
                          const http::Headers& headers = {}) {
  static auto transport = http::NewCurlTransport();
  http::ClientRequest r;
  r.method = method;
  r.url = url;
  r.body = body;
  r.headers = headers;
  if (!body.empty() && !r.headers.Has("Content-Type")) r.headers.Set("Content-Type", "application/json");
  auto resp = transport->Send(r);
  EXPECT_TRUE(resp.ok()) << resp.status().ToString();
  return resp.ok() ? *resp : http::HttpResponse{};
}

TEST(Serve, HubSpotEditsReachBrevoThroughSignedWebhooks) {
  SyncTestEnv env({.hubspot_seed = "contacts=60,companies=5,deals=10", .store = TempStore("edits"),
                   .deliver_webhooks = true});
  ASSERT_TRUE(env.Full().ok());
  auto service = Service::Start(ServeConfig(env), FastOptions());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  Subscribe(env, **service);

  auto contacts = env.HubSpotContacts({"email", "firstname"});
  ASSERT_GE(contacts.size(), 20u);
  for (int i = 0; i < 10; ++i) env.UpdateHubSpotContact(contacts[i].id, {{"firstname", "Edited " + std::to_string(i)}});
  const std::string created = env.CreateHubSpotContact({{"email", "new.person@example.org"}, {"firstname", "New"}});
  // Several edits of one contact in a row: coalesced, the last one wins.
  for (int i = 0; i < 5; ++i) env.UpdateHubSpotContact(contacts[10].id, {{"lastname", "Take " + std::to_string(i)}});
  const std::string gone_email = contacts[11].Get("email").value_or("");
  env.ArchiveHubSpotContact(contacts[11].id);

  ASSERT_TRUE(WaitUntil([&] {
    auto brevo = env.BrevoContacts();
    return brevo.count("new.person@example.org") && brevo.count(gone_email) == 0 &&
           brevo[contacts[0].Get("email").value_or("")].attributes.value("FIRSTNAME", "") == "Edited 0" &&
           brevo[contacts[9].Get("email").value_or("")].attributes.value("FIRSTNAME", "") == "Edited 9" &&
           brevo[contacts[10].Get("email").value_or("")].attributes.value("LASTNAME", "") == "Take 4" &&
           Pending(env.store()) == 0;
  })) << "the edits did not reach Brevo";
  sync::testing::ExpectMirrored(env);
  auto link = env.store().GetLinkByHubSpotId(sync::kConnectionName, created);
  ASSERT_TRUE(link.ok() && *link);
  EXPECT_TRUE((*link)->brevo_id.has_value()) << "created directly: the Brevo id is known at once";
  const EngineStats stats = (*service)->engine().stats();
  EXPECT_GE(stats.events_applied, 17);
  EXPECT_EQ(stats.events_dead, 0);
  // Each pass is recorded as a webhook run.
  store::RunQuery q;
  q.connection = sync::kConnectionName;
  auto runs = env.store().ListRuns(q);
  ASSERT_TRUE(runs.ok() && !runs->empty());
  EXPECT_EQ(runs->front().type, store::SyncType::kWebhook);
  EXPECT_EQ(runs->front().state, store::RunState::kSucceeded);
}

TEST(Serve, MergesAndPrivacyDeletionsApply) {
  SyncTestEnv env({.hubspot_seed = "contacts=30", .store = TempStore("merge"), .deliver_webhooks = true});
  ASSERT_TRUE(env.Full().ok());
  auto service = Service::Start(ServeConfig(env), FastOptions());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  Subscribe(env, **service);
  auto contacts = env.HubSpotContacts({"email"});
  ASSERT_GE(contacts.size(), 6u);
  const std::string primary = contacts[0].id, merged = contacts[1].id;
  const std::string merged_email = contacts[1].Get("email").value_or("");
  const std::string erased_email = contacts[2].Get("email").value_or("");
  auto m = env.HubSpotAdmin("POST", "/_sandbox/mutate",
                            {{"actions", {{{"op", "merge"}, {"objectType", "contacts"}, {"primaryObjectId", primary},
                                           {"objectIdToMerge", merged}}}}});
  ASSERT_TRUE(m.contains("results")) << m.dump();
  http::Headers token;
  token.Set("Authorization", std::string("Bearer ") + hsb::kDefaultToken);
  auto g = Send("POST", env.hubspot_url() + "/crm/v3/objects/contacts/gdpr-delete",
                json{{"objectId", contacts[2].id}}.dump(), token);
  ASSERT_EQ(g.status, 204) << g.body;
  ASSERT_TRUE(WaitUntil([&] {
    auto brevo = env.BrevoContacts();
    return brevo.count(erased_email) == 0 && Pending(env.store()) == 0 &&
           (*service)->engine().stats().events_applied >= 2;
  }));
  auto brevo = env.BrevoContacts();
  EXPECT_EQ(brevo.count(erased_email), 0u) << "a privacy deletion erases the Brevo contact";
  auto away = env.store().GetLinkByHubSpotId(sync::kConnectionName, merged);
  ASSERT_TRUE(away.ok());
  EXPECT_FALSE(away->has_value()) << "the merged-away contact has no link any more";
  sync::testing::ExpectMirrored(env);
}

TEST(Serve, SignaturesAreVerifiedAndBadRequestsRefused) {
  SyncTestEnv env({.hubspot_seed = "contacts=5", .store = TempStore("sig")});
  Config config = ServeConfig(env);
  config.server.max_body_bytes = 64 * 1024;
  auto service = Service::Start(config, FastOptions());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  const std::string url = (*service)->base_url() + "/webhooks/hubspot";
  const std::string body = json::array({{{"eventId", 1}, {"subscriptionId", 2}, {"portalId", 62515},
                                         {"occurredAt", 1700000000000}, {"subscriptionType", "contact.creation"},
                                         {"attemptNumber", 0}, {"objectId", 424242}, {"changeSource", "CRM"}}})
                               .dump();
  auto signed_headers = [&](const std::string& secret, const std::string& signed_url, const std::string& signed_body,
                            int64_t ts_ms) {
    http::Headers h;
    const std::string ts = std::to_string(ts_ms);
    h.Set("X-HubSpot-Signature-v3", HubSpotSignatureV3(secret, "POST", signed_url, signed_body, ts));
    h.Set("X-HubSpot-Request-Timestamp", ts);
    return h;
  };
  const int64_t now = SystemClock().NowMicros() / 1000;
  const std::string secret = hsb::kDefaultClientSecret;
  EXPECT_EQ(Send("POST", url, body, signed_headers(secret, url, body, now)).status, 200);
  // The same event again (a redelivery, attemptNumber 1): accepted, nothing new.
  std::string again = body;
  again.replace(again.find("\"attemptNumber\":0"), 17, "\"attemptNumber\":1");
  auto dup = Send("POST", url, again, signed_headers(secret, url, again, now));
  EXPECT_EQ(dup.status, 200);
  EXPECT_EQ(json::parse(dup.body).value("new", -1), 0) << dup.body;
  EXPECT_EQ(Send("POST", url, body, signed_headers("wrong-secret", url, body, now)).status, 401);
  EXPECT_EQ(Send("POST", url, body + " ", signed_headers(secret, url, body, now)).status, 401);  // tampered body
  EXPECT_EQ(Send("POST", url, body, signed_headers(secret, url + "?x=1", body, now)).status, 401);  // tampered URI
  EXPECT_EQ(Send("POST", url, body, signed_headers(secret, url, body, now - 6 * 60 * 1000)).status, 401);
  EXPECT_EQ(Send("POST", url, body).status, 401);  // no signature at all
  http::Headers v1;
  v1.Set("X-HubSpot-Signature", HubSpotSignatureV1(secret, body));
  v1.Set("X-HubSpot-Signature-Version", "v1");
  EXPECT_EQ(Send("POST", url, body, v1).status, 200);
  const std::string bad = "[{\"objectId\": \"x\"}]";
  auto malformed = Send("POST", url, bad, signed_headers(secret, url, bad, now));
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(malformed.body.find("subscriptionType"), std::string::npos) << malformed.body;
  const std::string huge(70 * 1024, ' ');
  EXPECT_EQ(Send("POST", url, huge, signed_headers(secret, url, huge, now)).status, 413);
  const WebhookCounters c = (*service)->webhooks().counters();
  EXPECT_EQ(c.unauthorized, 5);
  EXPECT_EQ(c.new_events, 1);
  // Brevo: the registered token, as Bearer or as Basic password.
  const std::string brevo_url = (*service)->base_url() + "/webhooks/brevo";
  const std::string brevo_body = R"({"event":"unsubscribed","email":"a@example.org","id":1,"ts_event":1700000000})";
  EXPECT_EQ(Send("POST", brevo_url, brevo_body).status, 401) << "no token configured: refused";
}

TEST(Serve, LogWebhooksLogsEachEventMaskedAndEveryRefusalWithItsReason) {
  SyncTestEnv env({.hubspot_seed = "contacts=5", .store = TempStore("log")});
  Config config = ServeConfig(env);
  config.server.webhooks.log_webhooks = true;
  std::mutex mu;
  std::vector<std::string> lines;
  Log().SetSink([&](std::string_view line) {
    std::lock_guard lock(mu);
    lines.emplace_back(line);
  });
  {
    auto service = Service::Start(config, FastOptions());
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    const std::string url = (*service)->base_url() + "/webhooks/hubspot";
    const std::string body =
        json::array({{{"eventId", 7}, {"portalId", 62515}, {"occurredAt", 1700000000000},
                      {"subscriptionType", "contact.propertyChange"}, {"objectId", 77}, {"propertyName", "email"},
                      {"propertyValue", "private.person@example.org"}, {"attemptNumber", 0}}})
            .dump();
    const std::string ts = std::to_string(SystemClock().NowMicros() / 1000);
    http::Headers good;
    good.Set("X-HubSpot-Signature-v3", HubSpotSignatureV3(hsb::kDefaultClientSecret, "POST", url, body, ts));
    good.Set("X-HubSpot-Request-Timestamp", ts);
    EXPECT_EQ(Send("POST", url, body, good).status, 200);
    http::Headers bad = good;
    bad.Set("X-HubSpot-Signature-v3", HubSpotSignatureV3("not-the-secret", "POST", url, body, ts));
    EXPECT_EQ(Send("POST", url, body, bad).status, 401);
  }
  Log().SetSink(nullptr);
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  EXPECT_NE(all.find("received hubspot contact.propertyChange"), std::string::npos) << all;
  EXPECT_NE(all.find("HubSpot webhook refused"), std::string::npos) << all;
  EXPECT_EQ(all.find("private.person@example.org"), std::string::npos) << "no property value in the logs";
  EXPECT_EQ(all.find(hsb::kDefaultClientSecret), std::string::npos) << "no secret in the logs";
}

TEST(Serve, BrevoWebhooksNeedTheToken) {
  SyncTestEnv env({.hubspot_seed = "contacts=5", .store = TempStore("brevo")});
  Config config = ServeConfig(env);
  config.server.webhooks.brevo_token = "brevo-hook-token-123456";
  auto service = Service::Start(config, FastOptions());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  const std::string url = (*service)->base_url() + "/webhooks/brevo";
  const std::string body = R"({"event":"unsubscribed","email":"A@Example.org","id":1,"ts_event":1700000000})";
  http::Headers good;
  good.Set("Authorization", "Bearer brevo-hook-token-123456");
  http::Headers wrong;
  wrong.Set("Authorization", "Bearer nope");
  http::Headers basic;
  basic.Set("Authorization", "Basic " + Base64Encode("tajo:brevo-hook-token-123456"));
  EXPECT_EQ(Send("POST", url, body, wrong).status, 401);
  EXPECT_EQ(Send("POST", url, body).status, 401);
  EXPECT_EQ(Send("POST", url, body, good).status, 200);
  EXPECT_EQ(Send("POST", url, body, basic).status, 200);
  EXPECT_EQ((*service)->webhooks().counters().new_events, 1);
  // Brevo -> HubSpot is not synced by this version: the event is recorded and marked done.
  EXPECT_TRUE(WaitUntil([&] { return (*service)->engine().stats().events_ignored >= 1; }));
}

TEST(Serve, ControlApiNeedsTheKeyAndRunsSyncs) {
  SyncTestEnv env({.hubspot_seed = "contacts=40", .store = TempStore("api")});
  auto service = Service::Start(ServeConfig(env), FastOptions());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  const std::string base = (*service)->base_url();
  http::Headers auth;
  auth.Set("Authorization", std::string("Bearer ") + kApiKey);
  http::Headers wrong;
  wrong.Set("Authorization", "Bearer not-the-key");
  EXPECT_EQ(Send("GET", base + "/healthz", "").status, 200);
  EXPECT_EQ(Send("GET", base + "/readyz", "").status, 200);
  EXPECT_EQ(Send("GET", base + "/v1/connectors/hubspot/status", "").status, 401);
  auto refused = Send("GET", base + "/v1/connectors/hubspot/status", "", wrong);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.body.find(kApiKey), std::string::npos);
  EXPECT_EQ(Send("POST", base + "/v1/connectors/hubspot/sync", R"({"type":"sometimes"})", auth).status, 400);
  auto started = Send("POST", base + "/v1/connectors/hubspot/sync", "", auth);
  ASSERT_EQ(started.status, 202) << started.body;
  const int64_t id = json::parse(started.body).value("id", int64_t{0});
  ASSERT_GT(id, 0);
  std::string state;
  ASSERT_TRUE(WaitUntil([&] {
    auto r = Send("GET", base + "/v1/runs/" + std::to_string(id), "", auth);
    if (r.status != 200) return false;
    state = json::parse(r.body).value("state", "");
    return state != "running";
  }));
  EXPECT_EQ(state, "succeeded");
  auto run = json::parse(Send("GET", base + "/v1/runs/" + std::to_string(id), "", auth).body);
  EXPECT_EQ(run.value("type", ""), "full") << "the first sync is full";
  EXPECT_GT(run["counts"].value("created", 0), 30);
  EXPECT_EQ(run["counts"].value("created", 0) + run["counts"].value("skipped", 0), 40) << run.dump();
  EXPECT_EQ(Send("GET", base + "/v1/runs/99999", "", auth).status, 404);
  EXPECT_EQ(Send("GET", base + "/v1/runs/abc", "", auth).status, 400);
  auto status = Send("GET", base + "/v1/connectors/hubspot/status", "", auth);
  ASSERT_EQ(status.status, 200);
  auto doc = json::parse(status.body);
  EXPECT_TRUE(doc.value("connected", false));
  EXPECT_GT(doc.value("contactsSynced", 0), 30);
  EXPECT_TRUE(doc.contains("inbox"));
}

TEST(Serve, AnEventThatKeepsFailingGoesToTheDeadLetterQueueAndReplays) {
  SyncTestEnv env({.hubspot_seed = "contacts=20", .store = TempStore("dlq"), .deliver_webhooks = true});
  ASSERT_TRUE(env.Full().ok());
  auto service = Service::Start(ServeConfig(env), FastOptions());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  Subscribe(env, **service);
  auto contacts = env.HubSpotContacts({"email"});
  const std::string email = contacts[0].Get("email").value_or("");
  // Brevo is down for longer than the retries last.
  env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 1.0}}}});
  env.UpdateHubSpotContact(contacts[0].id, {{"firstname", "Poisoned"}});
  ASSERT_TRUE(WaitUntil([&] {
    auto c = env.store().CountInbox(sync::kConnectionName);
    return c.ok() && c->dead >= 1;
  })) << "the event did not reach the dead-letter queue";
  store::InboxQuery q;
  q.connection = sync::kConnectionName;
  q.state = store::InboxState::kDead;
  auto dead = env.store().ListInbox(q);
  ASSERT_TRUE(dead.ok() && !dead->empty());
  EXPECT_EQ(dead->front().attempts, 3);
  EXPECT_NE(dead->front().last_error.find("HTTP 5"), std::string::npos) << dead->front().last_error;
  // Fixed: replayed, applied.
  env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 0.0}}}});
  ASSERT_TRUE(env.store().ReplayAllDead(sync::kConnectionName).ok());
  ASSERT_TRUE(WaitUntil([&] {
    return env.BrevoContacts()[email].attributes.value("FIRSTNAME", "") == "Poisoned";
  }));
  auto counts = env.store().CountInbox(sync::kConnectionName);
  EXPECT_EQ(counts->dead, 0);
}

TEST(Serve, StoppedServiceMissesNothingThanksToHubSpotRetries) {
  // time_scale 2000: HubSpot's 1-minute first retry comes after 30 ms.
  SyncTestEnv env({.hubspot_seed = "contacts=20", .store = TempStore("retry"), .deliver_webhooks = true,
                   .time_scale = 2000});
  ASSERT_TRUE(env.Full().ok());
  Config config = ServeConfig(env);
  auto first = Service::Start(config, FastOptions());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const uint16_t port = (*first)->port();
  Subscribe(env, **first);
  (*first)->Shutdown();
  first->reset();
  auto contacts = env.HubSpotContacts({"email"});
  env.UpdateHubSpotContact(contacts[3].id, {{"firstname", "While down"}});
  // Deliveries fail while nothing listens, and are retried.
  ASSERT_TRUE(WaitUntil([&] { return env.hubspot_sandbox().webhooks().stats().requests_failed >= 1; }));
  config.server.port = port;
  config.server.listen = "127.0.0.1:" + std::to_string(port);
  auto second = Service::Start(config, FastOptions());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  const std::string email = contacts[3].Get("email").value_or("");
  ASSERT_TRUE(WaitUntil([&] { return env.BrevoContacts()[email].attributes.value("FIRSTNAME", "") == "While down"; }));
}

TEST(Serve, StoppingCancelsARunningSyncWhichTheNextRunContinues) {
  SyncTestEnv env({.hubspot_seed = "contacts=2000", .store = TempStore("cancel")});
  env.HubSpotAdmin("PUT", "/_sandbox/settings", {{"latencyMs", 20}});  // 20 list pages: ~0.5 s at least
  auto service = Service::Start(ServeConfig(env), FastOptions());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  sync::SyncRequest full;
  auto id = (*service)->engine().StartSync(full);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // A second one while it runs is refused.
  auto second = (*service)->engine().StartSync(full);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("already running"), std::string::npos) << second.status().message();
  (*service)->Shutdown();
  auto run = env.store().GetRun(*id);
  ASSERT_TRUE(run.ok() && run->has_value());
  EXPECT_EQ((*run)->state, store::RunState::kCancelled) << (*run)->error;
  env.HubSpotAdmin("PUT", "/_sandbox/settings", {{"latencyMs", 0}});
  auto next = env.Full();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_TRUE(next->resumed) << "the next full run continues the cancelled one";
  sync::testing::ExpectMirrored(env);
}

TEST(Serve, TheScheduledIncrementalSyncCatchesWhatNoWebhookSaid) {
  SyncTestEnv env({.hubspot_seed = "contacts=20", .store = TempStore("schedule")});  // no webhooks at all
  ASSERT_TRUE(env.Full().ok());
  Config config = ServeConfig(env);
  config.connectors.hubspot.schedule.interval = std::chrono::seconds(1);
  auto contacts = env.HubSpotContacts({"email"});
  env.UpdateHubSpotContact(contacts[0].id, {{"firstname", "Scheduled"}});
  auto service = Service::Start(config, FastOptions());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  const std::string email = contacts[0].Get("email").value_or("");
  ASSERT_TRUE(WaitUntil([&] { return env.BrevoContacts()[email].attributes.value("FIRSTNAME", "") == "Scheduled"; }));
  EXPECT_GE((*service)->engine().stats().scheduled_runs, 1);
  store::RunQuery q;
  q.connection = sync::kConnectionName;
  auto runs = env.store().ListRuns(q);
  ASSERT_TRUE(runs.ok());
  bool incremental = false;
  for (const auto& r : *runs) incremental = incremental || r.type == store::SyncType::kIncremental;
  EXPECT_TRUE(incremental);
}

TEST(Serve, OneServicePerStore) {
  SyncTestEnv env({.hubspot_seed = "contacts=5", .store = TempStore("lease")});
  auto first = Service::Start(ServeConfig(env), FastOptions());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = Service::Start(ServeConfig(env), FastOptions());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("another tajo serve"), std::string::npos);
  (*first)->Shutdown();
  auto third = Service::Start(ServeConfig(env), FastOptions());
  EXPECT_TRUE(third.ok()) << "the lease is released at shutdown";
}

TEST(Serve, LosingTheStoreLeaseStopsTheEngineAndReadinessSaysWhy) {
  SyncTestEnv env({.hubspot_seed = "contacts=5", .store = TempStore("lost")});
  ServiceOptions o = FastOptions();
  o.lease_ttl = std::chrono::milliseconds(300);  // renewed every 100 ms
  auto service = Service::Start(ServeConfig(env), o);
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  const std::string base = (*service)->base_url();
  EXPECT_EQ(Send("GET", base + "/readyz", "").status, 200);
  // Someone else takes the store (as after a long pause of this process).
  auto lease = env.store().GetLease(kServeLeaseName).value();
  ASSERT_TRUE(lease.has_value());
  ASSERT_TRUE(env.store().ReleaseLease(kServeLeaseName, lease->owner).value());
  ASSERT_TRUE(env.store().AcquireLease(kServeLeaseName, "other-host:1:1", SystemClock().NowMicros() + 60'000'000).value());
  ASSERT_TRUE(WaitUntil([&] { return !(*service)->engine().stats().running; }, 5));
  auto ready = Send("GET", base + "/readyz", "");
  EXPECT_EQ(ready.status, 503);
  EXPECT_NE(ready.body.find("another process took the store lease"), std::string::npos) << ready.body;
}

TEST(Serve, RefusesAConfigurationItCannotServe) {
  SyncTestEnv env({.hubspot_seed = "", .store = TempStore("refuse")});
  Config config = ServeConfig(env);
  config.connectors.hubspot.client_secret.clear();
  auto s = Service::Start(config, FastOptions());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("client_secret"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace tajo::server
