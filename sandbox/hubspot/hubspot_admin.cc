// HubSpotSandbox: the admin API under /_sandbox/ (no authentication; JSON in and out).
//   POST /_sandbox/seed       add seeded data: {"spec":"contacts=100,...","seedNumber":7} or
//                             {"contacts":100,...,"seedNumber":7,"emailMissingShare":0.05}
//   POST /_sandbox/mutate     act as a person in HubSpot's UI: {"actions":[{"op":"update",...}]}
//                             or {"random":{"count":50,"seed":3,"objectType":"contacts"}}
//   GET  /_sandbox/stats      requests by endpoint and status, 429s, faults, record counts, memory
//   POST /_sandbox/reset      empty the portal (and the stats and rate windows); optional re-seed
//   GET|PUT /_sandbox/settings  plan, rate-limit enforcement, faults and latency, list/search caps
#include <algorithm>

#include "sandbox/common/rng.h"
#include "sandbox/hubspot/hubspot_sandbox.h"
#include "sandbox/hubspot/record_json.h"

namespace tajo::sandbox::hubspot {
namespace {

http::HttpResponse AdminJson(int status, const nlohmann::json& body) {
  auto r = http::HttpResponse::Json(status, body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  r.headers.Set("Content-Type", "application/json;charset=utf-8");
  return r;
}

http::HttpResponse AdminError(int status, const std::string& message) {
  return AdminJson(status, {{"status", "error"}, {"message", message}});
}

std::string IdString(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return "";
}

}  // namespace

void HubSpotSandbox::RegisterAdmin(http::Router& router) {
  router.Add("POST", "/_sandbox/seed", [this](http::HttpRequest& r) { return AdminSeed(r); });
  router.Add("POST", "/_sandbox/mutate", [this](http::HttpRequest& r) { return AdminMutate(r); });
  router.Add("GET", "/_sandbox/stats", [this](http::HttpRequest& r) { return AdminStats(r); });
  router.Add("POST", "/_sandbox/reset", [this](http::HttpRequest& r) { return AdminReset(r); });
  router.Add("GET", "/_sandbox/settings", [this](http::HttpRequest& r) { return AdminGetSettings(r); });
  router.Add("PUT", "/_sandbox/settings", [this](http::HttpRequest& r) { return AdminPutSettings(r); });
}

namespace {

// Reads a seed request body into a spec; "" when fine, else the problem.
std::string SeedSpecFrom(const nlohmann::json& body, SeedSpec* spec, uint64_t* seed_number) {
  if (!body.is_object()) return "expected a JSON object";
  if (body.contains("spec")) {
    if (!body["spec"].is_string()) return "spec must be a string like \"contacts=100,companies=10\"";
    auto parsed = ParseSeedSpec(body["spec"].get<std::string>());
    if (!parsed.ok()) return parsed.status().message();
    *spec = parsed.value();
  }
  struct Key {
    const char* name;
    int64_t* slot;
  };
  for (const Key& k : {Key{"contacts", &spec->contacts}, Key{"companies", &spec->companies}, Key{"deals", &spec->deals},
                       Key{"tickets", &spec->tickets}, Key{"engagements", &spec->engagements}, Key{"calls", &spec->calls},
                       Key{"emails", &spec->emails}, Key{"meetings", &spec->meetings}, Key{"notes", &spec->notes},
                       Key{"tasks", &spec->tasks}}) {
    if (!body.contains(k.name)) continue;
    const auto& v = body[k.name];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 50'000'000)
      return std::string(k.name) + " must be a whole number between 0 and 50000000";
    *k.slot = v.get<int64_t>();
  }
  for (auto [key, slot] : {std::pair{"emailMissingShare", &spec->email_missing_share},
                           std::pair{"emailDuplicateShare", &spec->email_duplicate_share}}) {
    if (!body.contains(key)) continue;
    if (!body[key].is_number() || body[key].get<double>() < 0 || body[key].get<double>() > 1)
      return std::string(key) + " must be a number between 0 and 1";
    *slot = body[key].get<double>();
  }
  if (body.contains("seedNumber")) {
    if (!body["seedNumber"].is_number_unsigned()) return "seedNumber must be a non-negative integer";
    *seed_number = body["seedNumber"].get<uint64_t>();
  }
  return "";
}

// SeedSpecFrom on an optional JSON request body (empty: all defaults). Returns the problem, or "" when fine.
std::string SeedRequestFrom(const std::string& raw_body, SeedSpec* spec, uint64_t* seed_number) {
  nlohmann::json body = nlohmann::json::object();
  if (!raw_body.empty()) {
    try {
      body = nlohmann::json::parse(raw_body);
    } catch (const nlohmann::json::parse_error& e) {
      return std::string("invalid JSON: ") + e.what();
    }
  }
  return SeedSpecFrom(body, spec, seed_number);
}

}  // namespace

http::HttpResponse HubSpotSandbox::AdminSeed(http::HttpRequest& r) {
  SeedSpec spec;
  uint64_t seed_number = options_.seed_number;
  std::string problem = SeedRequestFrom(r.body, &spec, &seed_number);
  if (!problem.empty()) return AdminError(400, problem);
  SeedResult result = Seed(spec, seed_number);
  return AdminJson(200, {{"created", result.report.created},
                         {"associations", result.report.associations},
                         {"seedNumber", seed_number},
                         {"millis", result.millis}});
}

http::HttpResponse HubSpotSandbox::AdminReset(http::HttpRequest& r) {
  SeedSpec spec;
  uint64_t seed_number = options_.seed_number;
  std::string problem = SeedRequestFrom(r.body, &spec, &seed_number);
  if (!problem.empty()) return AdminError(400, problem);
  portal_->Reset();
  webhooks_->Reset();
  stats_.Reset();
  limiter_.Reset();
  SeedResult result = Seed(spec, seed_number);
  return AdminJson(200, {{"reset", true}, {"created", result.report.created}, {"millis", result.millis}});
}

http::HttpResponse HubSpotSandbox::AdminStats(http::HttpRequest&) {
  nlohmann::json objects = nlohmann::json::object();
  for (const PortalCounts& c : portal_->Counts())
    objects[c.type] = {{"live", c.live}, {"archived", c.archived}};
  nlohmann::json requests = stats_.ToJson();
  nlohmann::json limited = nlohmann::json::object();
  for (const char* p : {"TEN_SECONDLY_ROLLING", "DAILY", "SECONDLY"})
    limited[p] = stats_.Counter(std::string("rate_limited.") + p);
  WebhookStats wh = webhooks_->stats();
  nlohmann::json webhooks = {{"eventsQueued", wh.events_queued}, {"requestsSent", wh.requests_sent},
                             {"requestsFailed", wh.requests_failed}, {"eventsDelivered", wh.events_delivered},
                             {"eventsDropped", wh.events_dropped}, {"pending", wh.pending}};
  return AdminJson(200, {{"requests", std::move(requests)},
                         {"webhooks", std::move(webhooks)},
                         {"rateLimited", std::move(limited)},
                         {"objects", std::move(objects)},
                         {"memoryBytes", portal_->MemoryBytes()}});
}

nlohmann::json HubSpotSandbox::SettingsJson() {
  Runtime rt = runtime();
  return {{"plan", limiter_.plan().plan},
          {"enforceRateLimits", rt.enforce_rate_limits},
          {"listMaxLimit", rt.list_max_limit},
          {"listOverMaxIsError", rt.list_over_max_is_error},
          {"batchMaxInputs", rt.batch_max_inputs},
          {"retryAfterOn429", rt.retry_after_on_429},
          {"search",
           {{"maxGroups", rt.search.max_groups},
            {"maxFiltersPerGroup", rt.search.max_filters_per_group},
            {"maxFiltersTotal", rt.search.max_filters_total},
            {"maxLimit", rt.search.max_limit},
            {"maxResults", rt.search.max_results}}},
          {"faults", faults_.settings().ToJson()},
          {"rotateRefreshTokens", rt.rotate_refresh_tokens},
          {"accessTokenTtlSeconds", rt.access_token_ttl_s},
          {"timeScale", options_.time_scale},
          {"appId", options_.app_id},
          {"portalId", options_.portal_id}};
}

http::HttpResponse HubSpotSandbox::AdminGetSettings(http::HttpRequest&) { return AdminJson(200, SettingsJson()); }

http::HttpResponse HubSpotSandbox::AdminPutSettings(http::HttpRequest& r) {
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(r.body);
  } catch (const nlohmann::json::parse_error& e) {
    return AdminError(400, std::string("invalid JSON: ") + e.what());
  }
  if (!body.is_object()) return AdminError(400, "expected a JSON object");
  // Validate everything first so a bad request changes nothing.
  std::optional<PlanLimits> plan;
  if (body.contains("plan")) {
    if (!body["plan"].is_string()) return AdminError(400, "plan must be a string");
    auto limits = LimitsForPlan(body["plan"].get<std::string>());
    if (!limits.ok()) return AdminError(400, limits.status().message());
    plan = limits.value();
  }
  FaultSettings faults = faults_.settings();
  if (Status s = faults.MergeFromSettingsBody(body); !s.ok()) return AdminError(400, s.message());
  Runtime rt = runtime();
  auto read_bool = [&](const char* key, bool* out) -> std::string {
    if (!body.contains(key)) return "";
    if (!body[key].is_boolean()) return std::string(key) + " must be true or false";
    *out = body[key].get<bool>();
    return "";
  };
  auto read_int = [&](const nlohmann::json& j, const char* key, auto* out, int64_t lo, int64_t hi) -> std::string {
    if (!j.contains(key)) return "";
    if (!j[key].is_number_integer() || j[key].get<int64_t>() < lo || j[key].get<int64_t>() > hi)
      return std::string(key) + " must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi);
    *out = static_cast<std::remove_pointer_t<decltype(out)>>(j[key].get<int64_t>());
    return "";
  };
  int search_per_second = -1;
  for (std::string problem :
       {read_bool("enforceRateLimits", &rt.enforce_rate_limits), read_bool("listOverMaxIsError", &rt.list_over_max_is_error),
        read_bool("retryAfterOn429", &rt.retry_after_on_429), read_int(body, "listMaxLimit", &rt.list_max_limit, 1, 100000),
        read_bool("rotateRefreshTokens", &rt.rotate_refresh_tokens),
        read_int(body, "accessTokenTtlSeconds", &rt.access_token_ttl_s, 1, 86400 * 365),
        read_int(body, "batchMaxInputs", &rt.batch_max_inputs, 1, 100000),
        read_int(body, "searchPerSecond", &search_per_second, 1, 100000)}) {
    if (!problem.empty()) return AdminError(400, problem);
  }
  if (body.contains("search")) {
    const auto& s = body["search"];
    if (!s.is_object()) return AdminError(400, "search must be an object");
    for (std::string problem : {read_int(s, "maxGroups", &rt.search.max_groups, 1, 1000),
                                read_int(s, "maxFiltersPerGroup", &rt.search.max_filters_per_group, 1, 1000),
                                read_int(s, "maxFiltersTotal", &rt.search.max_filters_total, 1, 10000),
                                read_int(s, "maxLimit", &rt.search.max_limit, 1, 100000),
                                read_int(s, "maxResults", &rt.search.max_results, 1, 1000000000)}) {
      if (!problem.empty()) return AdminError(400, "search." + problem);
    }
  }
  if (plan) limiter_.SetPlan(*plan);
  if (search_per_second > 0) limiter_.SetSearchPerSecond(search_per_second);
  faults_.set_settings(faults);
  oauth_.SetRotation(rt.rotate_refresh_tokens);
  oauth_.SetAccessTtl(rt.access_token_ttl_s);
  {
    std::lock_guard lock(runtime_mu_);
    runtime_ = rt;
  }
  return AdminJson(200, SettingsJson());
}

http::HttpResponse HubSpotSandbox::AdminMutate(http::HttpRequest& r) {
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(r.body);
  } catch (const nlohmann::json::parse_error& e) {
    return AdminError(400, std::string("invalid JSON: ") + e.what());
  }
  if (!body.is_object()) return AdminError(400, "expected a JSON object with \"actions\" or \"random\"");
  // Changes made here look like a person's edits in HubSpot's UI.
  WriteSource ui{"CRM_UI", "userId:9586504"};
  nlohmann::json results = nlohmann::json::array();
  auto record_result = [&](const std::string& op, const std::string& id, const std::optional<ApiError>& e) {
    nlohmann::json j = {{"op", op}, {"status", e ? e->status : 200}};
    if (!id.empty()) j["id"] = id;
    if (e) j["message"] = e->message;
    results.push_back(std::move(j));
  };
  if (body.contains("actions")) {
    if (!body["actions"].is_array()) return AdminError(400, "actions must be an array");
    for (const auto& a : body["actions"]) {
      if (!a.is_object() || !a.contains("op") || !a["op"].is_string()) return AdminError(400, "each action needs an \"op\"");
      std::string op = a["op"].get<std::string>();
      std::string type_name = a.value("objectType", std::string("contacts"));
      const ObjectType* type = portal_->FindType(type_name);
      if (!type) return AdminError(400, "unknown objectType " + type_name);
      WriteSource src = ui;
      if (a.contains("changeSource") && a["changeSource"].is_string()) src.change_source = a["changeSource"].get<std::string>();
      if (a.contains("sourceId") && a["sourceId"].is_string()) src.source_id = a["sourceId"].get<std::string>();
      std::vector<std::pair<std::string, std::string>> props;
      if (a.contains("properties") && a["properties"].is_object())
        for (const auto& [k, v] : a["properties"].items())
          props.emplace_back(k, v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump());
      if (op == "create") {
        WriteInput in;
        in.properties = props;
        auto rec = portal_->Create(*type, in, src);
        record_result(op, rec.ok() ? std::to_string(rec->id) : "", rec.ok() ? std::nullopt : std::optional(rec.error()));
      } else if (op == "update") {
        WriteInput in;
        in.id = IdString(a, "id");
        in.id_property = a.value("idProperty", std::string());
        in.properties = props;
        auto rec = portal_->Update(*type, in, src);
        record_result(op, in.id, rec.ok() ? std::nullopt : std::optional(rec.error()));
      } else if (op == "archive" || op == "delete") {
        auto done = portal_->Archive(*type, IdString(a, "id"), src);
        record_result(op, IdString(a, "id"), std::nullopt);
        (void)done;
      } else if (op == "restore") {
        uint64_t id = std::strtoull(IdString(a, "id").c_str(), nullptr, 10);
        auto rec = portal_->Restore(*type, id, src);
        record_result(op, IdString(a, "id"), rec.ok() ? std::nullopt : std::optional(rec.error()));
      } else if (op == "merge") {
        auto rec = portal_->Merge(*type, IdString(a, "primaryObjectId"), IdString(a, "objectIdToMerge"), src);
        record_result(op, IdString(a, "primaryObjectId"), rec.ok() ? std::nullopt : std::optional(rec.error()));
      } else if (op == "associate" || op == "disassociate") {
        const ObjectType* to = portal_->FindType(a.value("toObjectType", std::string()));
        if (!to) return AdminError(400, "associate: unknown toObjectType");
        std::string from_id = IdString(a, "id"), to_id = IdString(a, "toId");
        std::optional<ApiError> err;
        if (op == "disassociate") {
          auto done = portal_->Disassociate(*type, from_id, *to, to_id, {}, src);
          if (!done.ok()) err = done.error();
        } else if (a.contains("associationTypeId")) {
          auto done = portal_->Associate(*type, from_id, *to, to_id,
                                         {{"", a["associationTypeId"].get<uint32_t>()}}, src);
          if (!done.ok()) err = done.error();
        } else {
          auto done = portal_->AssociateDefault(*type, from_id, *to, to_id, src);
          if (!done.ok()) err = done.error();
        }
        record_result(op, from_id, err);
      } else {
        return AdminError(400, "unknown op \"" + op + "\" (create, update, archive, restore, merge, associate, disassociate)");
      }
    }
  }
  if (body.contains("random")) {
    const auto& spec = body["random"];
    if (!spec.is_object()) return AdminError(400, "random must be an object {count, seed, objectType}");
    int64_t count = spec.value("count", 10);
    uint64_t seed = spec.value("seed", uint64_t{1});
    const ObjectType* type = portal_->FindType(spec.value("objectType", std::string("contacts")));
    if (!type) return AdminError(400, "random: unknown objectType");
    if (count < 0 || count > 1'000'000) return AdminError(400, "random.count must be between 0 and 1000000");
    Rng rng(seed);
    std::vector<uint64_t> ids = portal_->SampleIds(*type, static_cast<size_t>(count), seed);
    const char* kJobs[] = {"Head of Sales", "Directrice marketing", "VP Engineering", "Founder", "Consultant"};
    const char* kStatus[] = {"OPEN", "IN_PROGRESS", "CONNECTED", "BAD_TIMING"};
    for (uint64_t id : ids) {
      WriteInput in;
      in.id = std::to_string(id);
      switch (type->kind) {
        case TypeKind::kContact:
          switch (rng.Below(4)) {
            case 0: in.properties = {{"jobtitle", rng.Pick(kJobs)}}; break;
            case 1: in.properties = {{"hs_lead_status", rng.Pick(kStatus)}}; break;
            case 2: in.properties = {{"lifecyclestage", rng.Chance(0.5) ? "opportunity" : "customer"}}; break;
            default: in.properties = {{"phone", "+1 415 555 " + std::to_string(rng.Between(1000, 9999))}}; break;
          }
          break;
        case TypeKind::kDeal:
          in.properties = {{"amount", std::to_string(rng.Between(10, 5000) * 100)}};
          break;
        case TypeKind::kCompany:
          in.properties = {{"numberofemployees", std::to_string(rng.Between(1, 5000))}};
          break;
        case TypeKind::kTicket:
          in.properties = {{"hs_ticket_priority", rng.Chance(0.5) ? "HIGH" : "LOW"}};
          break;
        default:
          continue;
      }
      auto rec = portal_->Update(*type, in, ui);
      record_result("update", in.id, rec.ok() ? std::nullopt : std::optional(rec.error()));
    }
  }
  return AdminJson(200, {{"results", std::move(results)}});
}

}  // namespace tajo::sandbox::hubspot
