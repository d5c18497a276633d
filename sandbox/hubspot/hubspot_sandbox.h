// HubSpotSandbox: the HubSpot half of tajo-sandbox — an in-memory HubSpot account served over
// HubSpot's real paths, JSON shapes, status codes and error bodies, plus an admin API under
// /_sandbox/. Written from shared/reference/hubspot-api.md and the official OpenAPI files only.
//
// Served (see docs/sandbox.md for the details and what is not emulated yet):
//   /crm/v3/objects/{objectType}[...]           list, get, create, update, archive, batch
//                                               read/create/update/upsert/archive, search,
//                                               merge, gdpr-delete
//   /crm/v4/objects/.../associations/...        list, create default / labelled, delete
//   /crm/v4/associations/{from}/{to}/...        batch read/create/archive, associate default, labels
//   /crm/v3/properties/{objectType}[/{name}]    list, get, create, archive
//   /crm/v3/pipelines/{objectType}[...]         deals and tickets
//   /crm/v3/owners[/{ownerId}]
//   /crm-object-schemas/v3/schemas              custom objects (list, get, create)
//   /webhooks/v3/{appId}/settings|subscriptions  app webhooks; changes are delivered, signed
//   /oauth/authorize, /oauth/v1/token, /oauth/v1/access-tokens/{t}, /oauth/v1/refresh-tokens/{t}
//   /_sandbox/seed|mutate|stats|reset|settings  admin (no auth)
// Every API request passes, in order: fault/latency injection, Bearer authentication (401),
// the plan's rate limits (429; search has its own 5/s window and no headers), the endpoint's
// scopes (403), then the endpoint. Non-search responses carry X-HubSpot-RateLimit-* headers.
//
// Typical use (sandbox/main.cc):
//   HubSpotSandbox hubspot(options, SystemClock());
//   hubspot.SeedFromOptions();                 // optional: the --seed spec
//   http::Router router; hubspot.RegisterRoutes(router);
//   auto server = http::HttpServer::Start(server_options, router.AsHandler());
//   hubspot.StartWebhookDelivery();            // background thread sending webhooks
//
// Thread-safe: handlers may run concurrently on the server's workers.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/status.h"
#include "http/message.h"
#include "http/server.h"
#include "sandbox/common/fault_injector.h"
#include "sandbox/common/request_stats.h"
#include "sandbox/common/scaled_clock.h"
#include "sandbox/hubspot/access.h"
#include "sandbox/hubspot/oauth.h"
#include "sandbox/hubspot/options.h"
#include "sandbox/hubspot/portal.h"
#include "sandbox/hubspot/seeder.h"
#include "sandbox/hubspot/webhooks.h"

namespace tajo::sandbox::hubspot {

class HubSpotSandbox {
 public:
  // REQUIRES: options valid (plan known; use LimitsForPlan/ParseTokenSpec first). `clock` must
  // outlive the sandbox. An unknown plan falls back to "professional" with a logged error.
  HubSpotSandbox(const HubSpotSandboxOptions& options, Clock& clock);
  // Same, with the transport webhooks are sent through (nullptr: libcurl).
  HubSpotSandbox(const HubSpotSandboxOptions& options, Clock& clock, std::unique_ptr<http::Transport> webhook_transport);
  ~HubSpotSandbox();
  HubSpotSandbox(const HubSpotSandbox&) = delete;
  HubSpotSandbox& operator=(const HubSpotSandbox&) = delete;

  // Seeds options.seed with options.seed_number (no-op for an empty spec). Returns what was made
  // and how long it took (wall milliseconds on `clock`).
  struct SeedResult {
    SeedReport report;
    int64_t millis = 0;
  };
  SeedResult SeedFromOptions();
  SeedResult Seed(const SeedSpec& spec, uint64_t seed_number);

  // Adds every API route and the /_sandbox/ admin routes, and sets the router's not-found
  // handler to HubSpot's 404 body. The sandbox must outlive the router's use.
  void RegisterRoutes(http::Router& router);

  // Starts the background thread that delivers webhooks (stopped by the destructor). Without
  // it, webhooks().Pump() delivers on the caller's thread (tests).
  void StartWebhookDelivery();

  Portal& portal() { return *portal_; }
  WebhookEngine& webhooks() { return *webhooks_; }
  RequestStats& stats() { return stats_; }
  const HubSpotSandboxOptions& options() const { return options_; }

 private:
  enum class Access {
    kNone,         // no token needed (OAuth endpoints)
    kObjectRead,   // path param objectType
    kObjectWrite,
    kSchemaRead,   // properties API
    kSchemaWrite,
    kAssocRead,    // path params fromObjectType / objectType
    kAssocWrite,
    kOwners,
    kCustomSchemaRead,
    kCustomSchemaWrite,
    kWebhooksRead,
    kWebhooksWrite,
  };
  using Endpoint = http::HttpResponse (HubSpotSandbox::*)(http::HttpRequest&, const TokenInfo&);

  // The wrapper every API route runs through (faults, auth, limits, scopes, stats).
  http::HttpResponse Serve(const std::string& label, Access access, bool search, Endpoint endpoint,
                           http::HttpRequest& request);
  void Api(http::Router& router, const std::string& method, const std::string& pattern, Access access,
           Endpoint endpoint, bool search = false);

  // Response helpers.
  std::string NewCorrelationId();
  http::HttpResponse Error(const ApiError& error);
  http::HttpResponse JsonResponse(int status, const nlohmann::json& body);
  http::HttpResponse RateLimited(const RateCheck& check);
  // Parses a JSON body; on failure fills *error with HubSpot's 400 and returns false.
  bool ParseBody(const http::HttpRequest& request, nlohmann::json* body, http::HttpResponse* error);
  const ObjectType* TypeParam(const http::HttpRequest& request, const std::string& param, http::HttpResponse* error);
  // The object types named by path params `from_param` and "toObjectType". On success both are non-null; on
  // failure both are null and *error holds the first one's 400.
  std::pair<const ObjectType*, const ObjectType*> FromToTypes(const http::HttpRequest& request,
                                                              const std::string& from_param, http::HttpResponse* error);
  WriteSource SourceFor(const TokenInfo& token) const;

  // CRM v3 objects (hubspot_api_objects.cc).
  http::HttpResponse ListObjects(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse GetObject(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse CreateObject(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse UpdateObject(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse ArchiveObject(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchRead(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchCreate(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchUpdate(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchUpsert(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchArchive(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse SearchObjects(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse MergeObjects(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse GdprDelete(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchWrite(http::HttpRequest& r, const TokenInfo& t, int mode);
  // Associations (hubspot_api_associations.cc).
  http::HttpResponse ListAssociationsV4(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse AssociateDefaultV4(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse AssociateLabelledV4(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse DeleteAssociationsV4(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse AssociateV3Path(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse DisassociateV3Path(http::HttpRequest& r, const TokenInfo& t);
  // One input of an association batch: appends its result to *results or its failure to *errors.
  using AssociationBatchStep = std::function<void(const nlohmann::json& input, const ObjectType& from,
                                                  const ObjectType& to, nlohmann::json* results,
                                                  std::vector<BatchError>* errors)>;
  // Runs a v4 association batch: the {fromObjectType}/{toObjectType} path types, body.inputs (at most 1,000),
  // `step` on each input, then the batch envelope (ok_status when no input failed, else 207).
  http::HttpResponse AssociationBatch(http::HttpRequest& r, int ok_status, const AssociationBatchStep& step);
  http::HttpResponse BatchReadAssociations(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchCreateAssociations(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchAssociateDefault(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchArchiveAssociations(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchArchiveLabels(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse ListLabels(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse CreateLabel(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse DeleteLabel(http::HttpRequest& r, const TokenInfo& t);
  // Properties, pipelines, owners, schemas (hubspot_api_schema.cc).
  http::HttpResponse ListProperties(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse GetProperty(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse CreateProperty(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse ArchiveProperty(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse ListPipelines(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse GetPipeline(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse ListStages(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse GetStage(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse ListOwners(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse GetOwner(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse ListSchemas(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse GetSchema(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse CreateSchema(http::HttpRequest& r, const TokenInfo& t);
  // Webhooks management (hubspot_api_webhooks.cc).
  bool AppIdMatches(const http::HttpRequest& r, http::HttpResponse* error);
  http::HttpResponse GetWebhookSettings(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse PutWebhookSettings(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse DeleteWebhookSettings(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse ListSubscriptions(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse CreateSubscription(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse GetSubscription(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse PatchSubscription(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse DeleteSubscription(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse BatchUpdateSubscriptions(http::HttpRequest& r, const TokenInfo& t);
  // OAuth (hubspot_oauth.cc).
  http::HttpResponse OAuthAuthorize(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse OAuthToken(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse OAuthAccessTokenInfo(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse OAuthRefreshTokenInfo(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse OAuthDeleteRefreshToken(http::HttpRequest& r, const TokenInfo& t);
  http::HttpResponse OAuthError(const OAuthError& error);
  // Admin (hubspot_admin.cc).
  void RegisterAdmin(http::Router& router);
  http::HttpResponse AdminSeed(http::HttpRequest& r);
  http::HttpResponse AdminMutate(http::HttpRequest& r);
  http::HttpResponse AdminStats(http::HttpRequest& r);
  http::HttpResponse AdminReset(http::HttpRequest& r);
  http::HttpResponse AdminGetSettings(http::HttpRequest& r);
  http::HttpResponse AdminPutSettings(http::HttpRequest& r);
  nlohmann::json SettingsJson();

  // Settings that /_sandbox/settings may change at run time.
  struct Runtime {
    bool enforce_rate_limits = true;
    int list_max_limit = 100;
    bool list_over_max_is_error = false;
    int batch_max_inputs = 100;
    SearchLimits search;
    bool retry_after_on_429 = false;
    bool rotate_refresh_tokens = false;
    int64_t access_token_ttl_s = 1800;
  };
  Runtime runtime() const;

  HubSpotSandboxOptions options_;
  Clock& clock_;
  ScaledClock scaled_clock_;
  std::unique_ptr<Portal> portal_;
  TokenRegistry tokens_;
  OAuthState oauth_;
  HubSpotRateLimiter limiter_;
  FaultInjector faults_;
  std::unique_ptr<WebhookEngine> webhooks_;
  RequestStats stats_;
  mutable std::mutex runtime_mu_;
  Runtime runtime_;
  std::atomic<uint64_t> correlation_counter_{0};
  uint64_t correlation_salt_;
};

}  // namespace tajo::sandbox::hubspot
