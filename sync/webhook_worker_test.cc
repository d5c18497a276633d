// WebhookWorker against both emulators, driven pass by pass (tajo serve's engine thread is not
// involved): retries, the dead-letter queue, and how failed events are isolated.
#include "sync/webhook_worker.h"

#include <gtest/gtest.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "sync/sync_test_env.h"

namespace tajo::sync {
namespace {

using testing::EnvOptions;
using testing::SyncTestEnv;

store::InboxEvent PropertyChange(const std::string& contact_id, int64_t occurred_ms) {
  store::InboxEvent e;
  e.connection = kConnectionName;
  e.source = "hubspot";
  e.dedup_key = "test-" + contact_id + "-" + std::to_string(occurred_ms);
  e.event_type = "contact.propertyChange";
  e.object_type = "contact";
  e.object_id = contact_id;
  e.occurred_ms = occurred_ms;
  e.payload = nlohmann::json{{"subscriptionType", "contact.propertyChange"},
                             {"objectId", std::stoll(contact_id)},
                             {"propertyName", "firstname"},
                             {"occurredAt", occurred_ms}}
                  .dump();
  return e;
}

int64_t WebhookRuns(SyncTestEnv& env) {
  store::RunQuery q;
  q.connection = kConnectionName;
  q.limit = 1000;
  int64_t n = 0;
  for (const auto& r : env.store().ListRuns(q).value()) n += r.type == store::SyncType::kWebhook;
  return n;
}

TEST(WebhookWorker, EventsThatFailedAreRetriedOneObjectAtATimeThenDeadLettered) {
  SyncTestEnv env({.hubspot_seed = "contacts=10"});
  ASSERT_TRUE(env.Full().ok());
  env.config().server.worker.retry_base_ms = 1;
  env.config().server.worker.retry_max_ms = 1;
  env.config().server.worker.max_attempts = 3;
  WebhookWorker worker(env.config(), env.clients(), env.store());
  auto contacts = env.HubSpotContacts({"email"});
  env.UpdateHubSpotContact(contacts[0].id, {{"firstname", "Ada"}});
  env.UpdateHubSpotContact(contacts[1].id, {{"firstname", "Grace"}});
  ASSERT_EQ(env.store().EnqueueInbox({PropertyChange(contacts[0].id, 1), PropertyChange(contacts[1].id, 2)}).value(), 2);

  // Brevo is down: the pass of both fails, both are retried.
  env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 1.0}}}});
  auto first = worker.RunOnce();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->claimed, 2);
  EXPECT_EQ(first->retried, 2);
  const int64_t runs_before = WebhookRuns(env);

  // Back: each object is now applied in a pass of its own.
  env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 0.0}}}});
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto second = worker.RunOnce();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->applied, 2);
  EXPECT_EQ(WebhookRuns(env) - runs_before, 2) << "one pass per object once they have failed";
  auto brevo = env.BrevoContacts();
  EXPECT_EQ(brevo[contacts[0].Get("email").value_or("")].attributes.value("FIRSTNAME", ""), "Ada");
  EXPECT_EQ(brevo[contacts[1].Get("email").value_or("")].attributes.value("FIRSTNAME", ""), "Grace");

  // An outage longer than the attempts: the dead-letter queue, with the reason.
  env.UpdateHubSpotContact(contacts[2].id, {{"firstname", "Hedy"}});  // a change, so Brevo must be written
  ASSERT_EQ(env.store().EnqueueInbox({PropertyChange(contacts[2].id, 3)}).value(), 1);
  env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 1.0}}}});
  int64_t dead = 0;
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto pass = worker.RunOnce();
    ASSERT_TRUE(pass.ok()) << pass.status().ToString();
    dead += pass->dead;
  }
  EXPECT_EQ(dead, 1);
  EXPECT_EQ(env.store().CountInbox(kConnectionName).value().dead, 1);
  store::InboxQuery q;
  q.connection = kConnectionName;
  q.state = store::InboxState::kDead;
  auto letters = env.store().ListInbox(q).value();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].object_id, contacts[2].id);
  EXPECT_EQ(letters[0].attempts, 3);
  EXPECT_NE(letters[0].last_error.find("HTTP 5"), std::string::npos) << letters[0].last_error;
  env.BrevoAdmin("PUT", "/_sandbox/settings", {{"faults", {{"error5xxRate", 0.0}}}});
}

}  // namespace
}  // namespace tajo::sync
