#include "sync/sync_test_env.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sync/contact_diff.h"
#include "sync/contact_mapper.h"
#include "sync/field_mapping.h"
#include "sync/list_membership.h"

namespace tajo::sync::testing {

namespace hsb = ::tajo::sandbox::hubspot;
namespace bsb = ::tajo::sandbox::brevo;

std::map<std::string, store::RecordError> RecordErrors(SyncTestEnv& env) {
  store::RecordErrorQuery q;
  q.connection = kConnectionName;
  q.limit = 10000;
  std::map<std::string, store::RecordError> out;
  for (auto& e : env.store().ListRecordErrors(q).value()) out[e.record_id] = e;
  return out;
}

SyncTestEnv::SyncTestEnv(const EnvOptions& options) {
  hsb::HubSpotSandboxOptions ho;
  ho.enforce_rate_limits = false;
  ho.time_scale = options.time_scale;
  hubspot_ = std::make_unique<hsb::HubSpotSandbox>(ho, SystemClock());
  if (!options.hubspot_seed.empty()) hubspot_->Seed(hsb::ParseSeedSpec(options.hubspot_seed).value(), 7);
  hubspot_->RegisterRoutes(hubspot_router_);
  bsb::BrevoSandboxOptions bo;
  bo.plan = "advanced";
  bo.behaviour.enforce_rate_limits = false;
  bo.behaviour.import_queued_ms = 0;
  bo.behaviour.import_processing_ms = 0;
  brevo_ = std::make_unique<bsb::BrevoSandbox>(bo, SystemClock());
  if (!options.brevo_seed.empty()) brevo_->Seed(bsb::ParseSeedSpec(options.brevo_seed).value(), 7);
  brevo_->RegisterRoutes(brevo_router_);
  auto hs = http::HttpServer::Start(http::ServerOptions{}, hubspot_router_.AsHandler());
  auto bs = http::HttpServer::Start(http::ServerOptions{}, brevo_router_.AsHandler());
  EXPECT_TRUE(hs.ok() && bs.ok());
  hubspot_server_ = std::move(*hs);
  brevo_server_ = std::move(*bs);
  if (options.deliver_webhooks) hubspot_->StartWebhookDelivery();
  admin_transport_ = http::NewCurlTransport();

  const std::string yaml = fmt::format(
      "connectors:\n"
      "  hubspot:\n"
      "    access_token: {}\n"
      "    base_url: {}\n"
      "    direction: hubspot_to_brevo\n"
      "    plan: enterprise\n"
      "    rate_limits: {{per_10s: 10000, search_per_second: 1000}}\n"
      "{}"
      "brevo:\n"
      "  api_key: {}\n"
      "  base_url: {}/v3\n"
      "  plan: advanced\n"
      "store: \"{}\"\n",
      hsb::kDefaultToken, hubspot_server_->base_url(), options.extra_yaml, bsb::kDefaultApiKey,
      brevo_server_->base_url(), options.store);
  ConfigLoadOptions lo;
  lo.env = MapEnvironment({});
  auto config = LoadConfigString(yaml, "test.yaml", lo);
  EXPECT_TRUE(config.ok()) << config.status().ToString() << "\n" << yaml;
  if (config.ok()) config_ = std::move(*config);
  auto store = store::OpenStore(options.store);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  store_ = std::move(*store);
  ConnectorClientsOptions co;
  co.base_delay_micros = 1000;
  co.max_attempts = 8;
  auto clients = ConnectorClients::Create(config_, co);
  EXPECT_TRUE(clients.ok()) << clients.status().ToString();
  clients_ = std::move(*clients);
}

SyncTestEnv::~SyncTestEnv() {
  hubspot_server_->Shutdown();
  brevo_server_->Shutdown();
}

Result<SyncSummary> SyncTestEnv::Sync(const SyncRequest& request, int64_t flush_contacts, const ProgressFn& progress) {
  ContactSyncOptions o;
  o.flush_contacts = flush_contacts;
  o.import_wait_micros = 30'000'000;
  ContactSync engine(config_, *clients_, *store_, o);
  return engine.Run(request, progress);
}

nlohmann::json SyncTestEnv::Admin(const std::string& base, const std::string& method, const std::string& path,
                                  const nlohmann::json& body) {
  http::ClientRequest r;
  r.method = method;
  r.url = base + path;
  if (!body.is_null()) {
    r.body = body.dump();
    r.headers.Set("Content-Type", "application/json");
  }
  auto resp = admin_transport_->Send(r);
  EXPECT_TRUE(resp.ok()) << resp.status().ToString();
  if (!resp.ok()) return nullptr;
  EXPECT_LT(resp->status, 300) << path << ": " << resp->body;
  return nlohmann::json::parse(resp->body, nullptr, false);
}

nlohmann::json SyncTestEnv::HubSpotAdmin(const std::string& method, const std::string& path,
                                         const nlohmann::json& body) {
  return Admin(hubspot_server_->base_url(), method, path, body);
}
nlohmann::json SyncTestEnv::BrevoAdmin(const std::string& method, const std::string& path, const nlohmann::json& body) {
  return Admin(brevo_server_->base_url(), method, path, body);
}

std::string SyncTestEnv::CreateHubSpotContact(const nlohmann::json& properties) {
  auto r = HubSpotAdmin("POST", "/_sandbox/mutate",
                        {{"actions", {{{"op", "create"}, {"objectType", "contacts"}, {"properties", properties}}}}});
  EXPECT_TRUE(r.contains("results")) << r.dump();
  const auto& first = r["results"][0];
  EXPECT_TRUE(first.contains("id")) << r.dump();
  return first.value("id", std::string());
}

void SyncTestEnv::UpdateHubSpotContact(const std::string& id, const nlohmann::json& properties) {
  auto r = HubSpotAdmin(
      "POST", "/_sandbox/mutate",
      {{"actions", {{{"op", "update"}, {"objectType", "contacts"}, {"id", id}, {"properties", properties}}}}});
  EXPECT_FALSE(r["results"][0].contains("error")) << r.dump();
}

void SyncTestEnv::ArchiveHubSpotContact(const std::string& id) {
  HubSpotAdmin("POST", "/_sandbox/mutate", {{"actions", {{{"op", "archive"}, {"objectType", "contacts"}, {"id", id}}}}});
}

std::map<std::string, brevo::Contact> SyncTestEnv::BrevoContacts() {
  std::map<std::string, brevo::Contact> out;
  brevo::ContactListOptions o;
  while (true) {
    auto page = clients_->brevo().ListContacts(o);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    for (brevo::Contact& c : page->contacts) {
      if (!c.email.empty()) out[c.email] = std::move(c);
    }
    if (page->contacts.size() < static_cast<size_t>(o.limit)) break;
    o.offset += o.limit;
  }
  return out;
}

std::vector<hubspot::CrmObject> SyncTestEnv::HubSpotContacts(const std::vector<std::string>& properties) {
  std::vector<hubspot::CrmObject> out;
  hubspot::ListOptions o;
  o.properties = properties;
  while (true) {
    auto page = clients_->hubspot().ListPage("contacts", o);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    for (auto& c : page->results) out.push_back(std::move(c));
    if (page->after.empty()) break;
    o.after = page->after;
  }
  return out;
}

void ExpectMirrored(SyncTestEnv& env) {
  const HubSpotConfig& hs = env.config().connectors.hubspot;
  auto props = env.clients().hubspot().ListProperties("contacts");
  auto attrs = env.clients().brevo().ListAttributes();
  ASSERT_TRUE(props.ok() && attrs.ok());
  auto plan = PlanFieldMapping(hs, *props, *attrs, ListRuleProperties(hs.lists));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto lists = ResolveLists(hs.lists, env.clients().brevo(), /*dry_run=*/true);
  ASSERT_TRUE(lists.ok()) << lists.status().ToString();
  ListMembership membership(*lists);
  const std::vector<int64_t> managed = membership.ManagedIds();
  ContactMapper mapper(*plan, hs);
  const auto errors = RecordErrors(env);
  auto brevo = env.BrevoContacts();
  std::set<std::string> emails;
  int checked = 0;
  for (const hubspot::CrmObject& c : env.HubSpotContacts(plan->hubspot_properties)) {
    MappedContact m = mapper.Map(c);
    if (m.email.empty()) {
      ASSERT_TRUE(errors.contains(c.id)) << "contact " << c.id << " without email has no recorded error";
      EXPECT_EQ(errors.at(c.id).reason, "missing_email");
      continue;
    }
    if (!emails.insert(m.email).second) continue;  // a duplicate: the first one is synced
    auto it = brevo.find(m.email);
    ASSERT_NE(it, brevo.end()) << m.email << " (HubSpot " << c.id << ") is not in Brevo"
                               << (errors.contains(c.id) ? "; its error: " + errors.at(c.id).reason + ": " +
                                                               errors.at(c.id).message
                                                         : std::string("; no error recorded"));
    const bool has_issue = errors.contains(c.id) && !errors.at(c.id).resolved();
    for (auto a = m.attributes.begin(); a != m.attributes.end(); ++a) {
      if (a.key() == "SMS" && has_issue) continue;  // left out, and reported
      auto got = it->second.attributes.find(a.key());
      ASSERT_NE(got, it->second.attributes.end()) << m.email << " lacks " << a.key();
      EXPECT_TRUE(SameAttributeValue(*got, a.value()))
          << m.email << " " << a.key() << ": Brevo has " << got->dump() << ", HubSpot maps to " << a.value().dump();
    }
    std::vector<int64_t> in_managed;
    for (int64_t id : it->second.list_ids) {
      if (std::binary_search(managed.begin(), managed.end(), id)) in_managed.push_back(id);
    }
    std::sort(in_managed.begin(), in_managed.end());
    EXPECT_EQ(in_managed, membership.ListsFor(c)) << m.email;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

}  // namespace tajo::sync::testing
