// SyncTestEnv (tests only): both emulators in-process on loopback, a configuration pointing at
// them, the engine's clients, a store, and helpers to drive the sandboxes through their admin
// APIs (mutations, settings) and to read back the whole Brevo account.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/config.h"
#include "http/client.h"
#include "http/server.h"
#include "sandbox/brevo/brevo_sandbox.h"
#include "sandbox/hubspot/hubspot_sandbox.h"
#include "store/state_store.h"
#include "sync/connector_clients.h"
#include "sync/contact_sync.h"

namespace tajo::sync::testing {

struct EnvOptions {
  std::string hubspot_seed{"contacts=300,companies=20,deals=40"};
  std::string brevo_seed{};  // e.g. "contacts=200,overlap=0.5,hubspot_contacts=300"
  std::string extra_yaml{};  // lines under connectors.hubspot (4-space indent)
  std::string store{":memory:"};
  bool deliver_webhooks = false;  // HubSpot sandbox: deliver webhooks from a background thread
  double time_scale = 1.0;        // HubSpot sandbox: > 1 makes webhook retry delays pass faster
};

class SyncTestEnv {
 public:
  explicit SyncTestEnv(const EnvOptions& options);
  ~SyncTestEnv();

  // A fresh engine over the current config/store (as a new process would build it).
  Result<SyncSummary> Sync(const SyncRequest& request, int64_t flush_contacts = 5000, const ProgressFn& progress = {});
  Result<SyncSummary> Full(int64_t flush_contacts = 5000) {
    return Sync(SyncRequest{store::SyncType::kFull, {kContacts}, SyncDirection::kHubSpotToBrevo, {}, false},
                flush_contacts);
  }
  Result<SyncSummary> Incremental(int64_t flush_contacts = 5000) {
    return Sync(SyncRequest{store::SyncType::kIncremental, {kContacts}, SyncDirection::kHubSpotToBrevo, {}, false},
                flush_contacts);
  }

  // POSTs to an admin endpoint ("/_sandbox/mutate", ...) of HubSpot or Brevo; returns the JSON.
  nlohmann::json HubSpotAdmin(const std::string& method, const std::string& path, const nlohmann::json& body);
  nlohmann::json BrevoAdmin(const std::string& method, const std::string& path, const nlohmann::json& body);
  // Creates a HubSpot contact (as a person in the UI would); returns its id.
  std::string CreateHubSpotContact(const nlohmann::json& properties);
  void UpdateHubSpotContact(const std::string& id, const nlohmann::json& properties);
  void ArchiveHubSpotContact(const std::string& id);

  // Every Brevo contact by email (lower case).
  std::map<std::string, brevo::Contact> BrevoContacts();
  // Every live HubSpot contact with `properties`.
  std::vector<hubspot::CrmObject> HubSpotContacts(const std::vector<std::string>& properties);

  Config& config() { return config_; }
  store::StateStore& store() { return *store_; }
  ConnectorClients& clients() { return *clients_; }
  sandbox::brevo::BrevoSandbox& brevo_sandbox() { return *brevo_; }
  sandbox::hubspot::HubSpotSandbox& hubspot_sandbox() { return *hubspot_; }
  std::string hubspot_url() const { return hubspot_server_->base_url(); }
  std::string brevo_url() const { return brevo_server_->base_url(); }

 private:
  nlohmann::json Admin(const std::string& base, const std::string& method, const std::string& path,
                       const nlohmann::json& body);

  std::unique_ptr<sandbox::hubspot::HubSpotSandbox> hubspot_;
  std::unique_ptr<sandbox::brevo::BrevoSandbox> brevo_;
  http::Router hubspot_router_;
  http::Router brevo_router_;
  std::unique_ptr<http::HttpServer> hubspot_server_;
  std::unique_ptr<http::HttpServer> brevo_server_;
  std::unique_ptr<http::Transport> admin_transport_;
  Config config_;
  std::unique_ptr<store::StateStore> store_;
  std::unique_ptr<ConnectorClients> clients_;
};

// Brevo holds, for every HubSpot contact with an email, the mapped attributes and exactly the
// managed lists its properties put it in (contacts without an email have a missing_email error;
// of two contacts with one email, the first is checked). Reads both accounts through env's clients.
void ExpectMirrored(SyncTestEnv& env);

// Every per-record error of the connection, by record id.
std::map<std::string, store::RecordError> RecordErrors(SyncTestEnv& env);

}  // namespace tajo::sync::testing
