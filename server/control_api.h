// ControlApi: the HTTP API under /v1 that lets programs drive `tajo serve`, and the probes.
//
//   GET  /healthz                          200 "ok" while the process serves (no auth)
//   GET  /readyz                           200 when the store lease is held and the engine runs,
//                                          else 503 with the reason (no auth)
//   GET  /v1/connectors/hubspot/status     the document of `tajo connectors status hubspot --json`
//   POST /v1/connectors/hubspot/sync       body (optional) {"type", "resources", "direction",
//                                          "since", "dryRun"} as the CLI's flags; 202 {"id", "url"}
//                                          once the run is recorded; a dry run answers 200 with
//                                          its summary; 409 when a sync runs already; 400 for a
//                                          bad body; 422 when the engine refuses the request
//   GET  /v1/runs/{id}                     the run (as in the status) plus "progress" while it runs
//
// /v1 requires "Authorization: Bearer <server.api_key>" (compared in constant time); a missing
// or wrong key is 401, and so is every request when server.api_key is not set (the API is off).
//
// Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "core/config.h"
#include "http/message.h"
#include "http/server.h"
#include "server/engine.h"
#include "store/state_store.h"

namespace tajo::server {

class ControlApi {
 public:
  // `ready` says whether the service is ready and, when not, why (for /readyz).
  ControlApi(const Config& config, store::StateStore& store, Engine& engine,
             std::function<bool(std::string* why)> ready);
  ControlApi(const ControlApi&) = delete;
  ControlApi& operator=(const ControlApi&) = delete;

  // Adds the routes above to `router`.
  void AddRoutes(http::Router& router);

 private:
  bool Authorized(const http::HttpRequest& request, std::string* why) const;
  http::HttpResponse Status(http::HttpRequest& request);
  http::HttpResponse Sync(http::HttpRequest& request);
  http::HttpResponse Run(http::HttpRequest& request);

  const Config& config_;
  store::StateStore& store_;
  Engine& engine_;
  std::function<bool(std::string*)> ready_;
};

}  // namespace tajo::server
