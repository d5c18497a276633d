#include "server/control_api.h"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "server/webhook_endpoints.h"
#include "sync/status_report.h"
#include "sync/sync_request.h"

namespace tajo::server {

using nlohmann::json;

namespace {

http::HttpResponse Unauthorized(const std::string& why) {
  http::HttpResponse r = JsonError(401, why);
  r.headers.Set("WWW-Authenticate", "Bearer realm=\"tajo\"");
  return r;
}

// The request text of the CLI's flags from the JSON body ("resources" may be a list).
Result<sync::SyncRequestText> RequestText(const std::string& body) {
  sync::SyncRequestText text;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return text;
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument("the body is not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    if (k == "dryRun") {
      if (!v.is_boolean()) return Status::InvalidArgument("dryRun: expected true or false");
      text.dry_run = v.get<bool>();
    } else if (k == "resources" && v.is_array()) {
      text.resources.clear();
      for (const json& r : v) {
        if (!r.is_string()) return Status::InvalidArgument("resources: expected a list of names");
        text.resources += (text.resources.empty() ? "" : ",") + r.get<std::string>();
      }
    } else if (k == "type" || k == "resources" || k == "direction" || k == "since") {
      if (!v.is_string()) return Status::InvalidArgument(k + ": expected a string");
      std::string& field = k == "type" ? text.type : k == "resources" ? text.resources : k == "direction" ? text.direction : text.since;
      field = v.get<std::string>();
    } else {
      return Status::InvalidArgument("unknown field \"" + k + "\" (expected type, resources, direction, since, dryRun)");
    }
  }
  return text;
}

json SummaryJson(const sync::SyncSummary& s) {
  json planned = json::array();
  for (const sync::PlannedChange& p : s.planned) {
    planned.push_back({{"action", p.action}, {"target", p.target}, {"detail", p.detail}});
  }
  return {{"type", std::string(store::SyncTypeName(s.type))},
          {"counts",
           {{"created", s.counts.created},
            {"updated", s.counts.updated},
            {"unchanged", s.counts.unchanged},
            {"skipped", s.counts.skipped},
            {"failed", s.counts.failed},
            {"deleted", s.counts.deleted}}},
          {"skippedByReason", s.skipped_by_reason},
          {"calls", {{"hubspot", s.hubspot_calls}, {"brevo", s.brevo_calls}}},
          {"planned", planned},
          {"plannedTotal", s.planned_total}};
}

}  // namespace

ControlApi::ControlApi(const Config& config, store::StateStore& store, Engine& engine,
                       std::function<bool(std::string*)> ready)
    : config_(config), store_(store), engine_(engine), ready_(std::move(ready)) {}

bool ControlApi::Authorized(const http::HttpRequest& request, std::string* why) const {
  if (config_.server.api_key.empty()) {
    *why = "the control API is off: set server.api_key to use it";
    return false;
  }
  auto header = request.headers.Get("Authorization");
  if (!header) {
    *why = "missing Authorization: Bearer <server.api_key>";
    return false;
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (header->rfind(kBearer, 0) != 0) {
    *why = "the Authorization header is not a Bearer token";
    return false;
  }
  if (!SecretEquals(std::string_view(*header).substr(kBearer.size()), config_.server.api_key)) {
    *why = "wrong API key";
    return false;
  }
  return true;
}

void ControlApi::AddRoutes(http::Router& router) {
  router.Add("GET", "/healthz", [](http::HttpRequest&) { return http::HttpResponse::Text(200, "ok\n"); });
  router.Add("GET", "/readyz", [this](http::HttpRequest&) {
    std::string why;
    if (ready_ && !ready_(&why)) return JsonError(503, why);
    return http::HttpResponse::Json(200, json{{"ready", true}}.dump());
  });
  auto guarded = [this](http::HttpResponse (ControlApi::*fn)(http::HttpRequest&)) {
    return [this, fn](http::HttpRequest& r) {
      std::string why;
      if (!Authorized(r, &why)) return Unauthorized(why);
      return (this->*fn)(r);
    };
  };
  router.Add("GET", "/v1/connectors/hubspot/status", guarded(&ControlApi::Status));
  router.Add("POST", "/v1/connectors/hubspot/sync", guarded(&ControlApi::Sync));
  router.Add("GET", "/v1/runs/{id}", guarded(&ControlApi::Run));
}

http::HttpResponse ControlApi::Status(http::HttpRequest&) {
  auto status = sync::BuildStatus(store_);
  if (!status.ok()) return JsonError(503, "store: " + status.status().message());
  return http::HttpResponse::Json(200, status->dump());
}

http::HttpResponse ControlApi::Sync(http::HttpRequest& request) {
  auto text = RequestText(request.body);
  if (!text.ok()) return JsonError(400, text.status().message());
  auto req = sync::ParseSyncRequest(*text, "");
  if (!req.ok()) return JsonError(400, req.status().message());
  if (::tajo::Status s = sync::ChooseSyncType(*text, store_, *req); !s.ok()) return JsonError(503, "store: " + s.message());
  sync::SyncSummary summary;
  auto id = engine_.StartSync(*req, &summary);
  if (!id.ok()) {
    switch (id.status().code()) {
      case StatusCode::kFailedPrecondition:
        // Busy, or a mapping/config problem: the message says which.
        return JsonError(id.status().message().rfind("a sync is already", 0) == 0 ? 409 : 422, id.status().message());
      case StatusCode::kInvalidArgument: return JsonError(422, id.status().message());
      case StatusCode::kAborted: return JsonError(503, id.status().message());
      case StatusCode::kDeadlineExceeded: return JsonError(504, id.status().message());
      default: return JsonError(502, id.status().message());
    }
  }
  if (req->dry_run) return http::HttpResponse::Json(200, json{{"dryRun", true}, {"summary", SummaryJson(summary)}}.dump());
  return http::HttpResponse::Json(202, json{{"id", *id}, {"url", fmt::format("/v1/runs/{}", *id)}}.dump());
}

http::HttpResponse ControlApi::Run(http::HttpRequest& request) {
  const std::string text = request.Param("id");
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) {
    return JsonError(400, "run id: expected a positive integer, got \"" + text + "\"");
  }
  auto run = store_.GetRun(id);
  if (!run.ok()) return JsonError(503, "store: " + run.status().message());
  if (!*run) return JsonError(404, fmt::format("no run {}", id));
  json j = sync::RunJson(**run);
  if (auto progress = engine_.Progress(id)) {
    j["progress"] = {{"phase", progress->phase},
                     {"done", progress->done},
                     {"total", progress->total},
                     {"hubspotCalls", progress->hubspot_calls},
                     {"brevoCalls", progress->brevo_calls}};
  }
  return http::HttpResponse::Json(200, j.dump());
}

}  // namespace tajo::server
