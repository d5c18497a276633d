// BrevoSandbox: the Brevo half of tajo-sandbox — an in-memory Brevo account served over Brevo's
// real paths (under /v3), JSON shapes, status codes and error bodies, plus an admin API under
// /_sandbox/. Written from shared/reference/brevo-api.md and Brevo's OpenAPI file only.
//
// Served (see docs/sandbox-brevo.md for the details and what is not emulated):
//   /v3/contacts[...]                 create, get (id / email / ext_id / SMS / WhatsApp / landline),
//                                     update, delete, list, batch, import, campaignStats
//   /v3/contacts/attributes[...]      list, create, update, delete, delete a multiple-choice option
//   /v3/contacts/lists|folders[...]   CRUD, list members, add / remove contacts (150 a call)
//   /v3/contacts/segments             (empty)
//   /v3/processes[/{id}]              import processes (queued -> in_process -> completed)
//   /v3/events                        POST an event, GET them back
//   /v3/account                       the account and its plan
//   /v3/companies[...], /v3/crm/deals[...], /v3/crm/pipeline/details[...], /v3/crm/attributes[...]
//                                     Sales CRM companies, deals (string ids, links), pipelines
//   /v3/webhooks[/{id}]               webhook management; marketing events are delivered with
//                                     Brevo's payloads and retry policy (see webhooks.h)
//   /_sandbox/seed|mutate|stats|reset|settings|processes/complete   admin (no auth)
// Every API request passes, in order: due processes are advanced, fault/latency injection,
// `api-key` authentication (401 {"code":"unauthorized","message":"Key not found"}), the plan's
// rate limit for the endpoint's bucket (429 + x-sib-ratelimit-*), then the endpoint. Responses
// of admitted requests carry the x-sib-ratelimit-* headers.
//
// Background work (import processes finishing, notifyUrl calls, webhook deliveries and their
// retries) happens in Pump(): at the start of each request (processes only), from the thread
// StartBackground() starts, or when a test calls it.
//
// Typical use (sandbox/main.cc):
//   BrevoSandbox brevo(options, SystemClock());
//   brevo.SeedFromOptions();
//   http::Router router; brevo.RegisterRoutes(router);
//   auto server = http::HttpServer::Start(server_options, router.AsHandler());
//   brevo.StartBackground();
//
// Thread-safe: handlers may run concurrently on the server's workers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "http/client.h"
#include "http/message.h"
#include "http/server.h"
#include "sandbox/brevo/account.h"
#include "sandbox/brevo/api_error.h"
#include "sandbox/brevo/crm.h"
#include "sandbox/brevo/events.h"
#include "sandbox/brevo/options.h"
#include "sandbox/brevo/processes.h"
#include "sandbox/brevo/rate_limiter.h"
#include "sandbox/brevo/seeder.h"
#include "sandbox/brevo/webhooks.h"
#include "sandbox/common/fault_injector.h"
#include "sandbox/common/request_stats.h"
#include "sandbox/common/scaled_clock.h"

namespace tajo::sandbox::brevo {

class BrevoSandbox {
 public:
  // REQUIRES: `clock` outlives the sandbox. `transport` (may be null: a libcurl transport is made
  // on first use) delivers notifyUrl calls and webhooks; it must outlive the sandbox. An unknown plan falls
  // back to "standard" with a logged error.
  BrevoSandbox(const BrevoSandboxOptions& options, Clock& clock, http::Transport* transport = nullptr);
  ~BrevoSandbox();  // stops the background thread
  BrevoSandbox(const BrevoSandbox&) = delete;
  BrevoSandbox& operator=(const BrevoSandbox&) = delete;

  // Seeds options.seed with options.seed_number (no-op for an empty spec). `millis` is wall time.
  struct SeedResult {
    SeedReport report;
    int64_t millis = 0;
  };
  SeedResult SeedFromOptions();
  SeedResult Seed(const SeedSpec& spec, uint64_t seed_number);

  // Adds every API route under /v3 and the /_sandbox/ admin routes, and sets the router's
  // not-found handler to a Brevo-style 404. The sandbox must outlive the router's use.
  void RegisterRoutes(http::Router& router);

  // Advances due processes and delivers pending notifyUrl calls and due webhook deliveries
  // (blocking on the transport).
  void Pump();
  // Starts a thread that calls Pump() every `poll_ms` of real time; StopBackground() joins it.
  void StartBackground(int poll_ms = 100);
  void StopBackground();

  Account& account() { return account_; }
  ProcessRegistry& processes() { return processes_; }
  EventStore& events() { return events_; }
  WebhookService& webhooks() { return webhooks_; }
  CrmStore& crm() { return crm_; }
  RequestStats& stats() { return stats_; }
  const BrevoSandboxOptions& options() const { return options_; }

 private:
  struct KeyInfo {
    std::string name;
  };
  using Endpoint = http::HttpResponse (BrevoSandbox::*)(http::HttpRequest&, const KeyInfo&);

  // The wrapper every API route runs through (processes, faults, auth, limits, stats).
  http::HttpResponse Serve(const std::string& label, Bucket bucket, Endpoint endpoint, http::HttpRequest& request);
  void Api(http::Router& router, const std::string& method, const std::string& pattern, Bucket bucket, Endpoint endpoint);
  void PumpProcesses(bool finish_all);
  void DeliverNotifications();
  http::Transport& transport();

  // Response and request helpers (brevo_sandbox.cc).
  http::HttpResponse Json(int status, const nlohmann::json& body) const;
  http::HttpResponse Error(const ApiError& error) const;
  // Parses a JSON body; on failure fills *error with a 400 and returns false.
  bool ParseBody(const http::HttpRequest& request, nlohmann::json* body, http::HttpResponse* error) const;
  // Reads an integer query parameter in [lo, hi] (default `def`); 400 out_of_range / invalid_parameter.
  bool QueryInt(const http::HttpRequest& request, const char* name, int64_t def, int64_t lo, int64_t hi, int64_t* out,
                http::HttpResponse* error) const;
  bool QuerySort(const http::HttpRequest& request, bool* descending, http::HttpResponse* error) const;
  // Reads the paging query parameters limit (default 10, at most 50), offset (default 0) and sort; on failure
  // fills *error with the first one's 400 and returns false.
  bool QueryPage(const http::HttpRequest& request, size_t* limit, size_t* offset, bool* descending,
                 http::HttpResponse* error) const;
  bool QueryTime(const http::HttpRequest& request, const char* name, std::optional<int64_t>* out,
                 http::HttpResponse* error) const;
  bool PathId(const http::HttpRequest& request, const char* name, int64_t* out, http::HttpResponse* error) const;
  std::string FormatTime(int64_t ms) const;

  // Contacts (brevo_api_contacts.cc).
  http::HttpResponse ListContacts(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse CreateContact(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetContact(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetContactStats(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse UpdateContact(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse DeleteContact(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse BatchUpdate(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ImportContacts(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListSegments(http::HttpRequest& r, const KeyInfo& k);
  // Attributes, lists and folders (brevo_api_lists.cc).
  http::HttpResponse ListAttributes(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse CreateAttribute(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse UpdateAttribute(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse DeleteAttribute(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse DeleteAttributeOption(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListFolders(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse CreateFolder(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetFolder(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse UpdateFolder(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse DeleteFolder(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse FolderLists(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListLists(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse CreateList(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetList(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse UpdateList(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse DeleteList(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListMembers(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse AddToList(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse RemoveFromList(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListMembersBody(http::HttpRequest& r, const KeyInfo& k, bool add);
  // Events, processes, account (brevo_api_misc.cc).
  http::HttpResponse CreateEvent(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListEvents(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetProcess(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListProcesses(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetAccount(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse CreateWebhook(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListWebhooks(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetWebhook(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse UpdateWebhook(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse DeleteWebhook(http::HttpRequest& r, const KeyInfo& k);
  // Sales CRM (brevo_api_crm.cc).
  bool CrmQueryFrom(const http::HttpRequest& r, bool companies, CrmQuery* q, http::HttpResponse* error) const;
  http::HttpResponse ListCompanies(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse CreateCompany(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetCompany(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse UpdateCompany(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse DeleteCompany(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse LinkCompany(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListDeals(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse CreateDeal(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetDeal(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse UpdateDeal(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse DeleteDeal(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse LinkDeal(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetPipelineDeprecated(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse ListPipelines(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse GetPipeline(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse CrmAttributes(http::HttpRequest& r, const KeyInfo& k);
  http::HttpResponse CreateCrmAttribute(http::HttpRequest& r, const KeyInfo& k);
  // Admin (brevo_admin.cc).
  void RegisterAdmin(http::Router& router);
  http::HttpResponse AdminSeed(http::HttpRequest& r);
  http::HttpResponse AdminMutate(http::HttpRequest& r);
  http::HttpResponse AdminStats(http::HttpRequest& r);
  http::HttpResponse AdminReset(http::HttpRequest& r);
  http::HttpResponse AdminGetSettings(http::HttpRequest& r);
  http::HttpResponse AdminPutSettings(http::HttpRequest& r);
  http::HttpResponse AdminCompleteProcesses(http::HttpRequest& r);
  http::HttpResponse AdminPump(http::HttpRequest& r);
  nlohmann::json SettingsJson();

  BrevoSandboxOptions options_;
  Clock& clock_;
  ScaledClock scaled_clock_;
  Account account_;
  ProcessRegistry processes_;
  EventStore events_;
  WebhookService webhooks_;
  CrmStore crm_;
  BrevoRateLimiter limiter_;
  FaultInjector faults_;
  RequestStats stats_;
  std::map<std::string, KeyInfo> keys_;

  http::Transport* transport_;
  std::unique_ptr<http::Transport> owned_transport_;
  std::mutex transport_mu_;
  std::mutex outbox_mu_;
  std::vector<ProcessNotification> outbox_;

  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool bg_stop_ = false;
  std::thread bg_thread_;
};

}  // namespace tajo::sandbox::brevo
