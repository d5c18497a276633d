// BrevoSandbox: the admin API under /_sandbox/ (no authentication; JSON in and out).
//   POST /_sandbox/seed       add seeded data: {"spec":"contacts=1000,overlap=0.6,..."} or
//                             {"contacts":1000,"overlap":0.6,"hubspotContacts":1000,...,"seedNumber":7}
//   POST /_sandbox/mutate     act as a marketer or a recipient:
//                             {"actions":[{"op":"update","email":"a@x.com","attributes":{...}}, ...]}
//                             ops: create, update, delete, blocklist, unblocklist, addToList,
//                             removeFromList, unsubscribe, open, click, hardBounce, softBounce,
//                             spam, delivered; or {"random":{"count":50,"seed":3}}
//   GET  /_sandbox/stats      requests by endpoint and status, 429s by bucket, faults, counts, memory
//   POST /_sandbox/reset      empty the account (and stats, rate windows, processes, events);
//                             optional re-seed with the same body as /seed
//   GET|PUT /_sandbox/settings  plan, rate-limit enforcement, faults and latency, behaviours
//   POST /_sandbox/processes/complete  finish every pending import now and call its notifyUrl
//   POST /_sandbox/pump       run due background work now (imports, notifyUrl, webhook deliveries)
#include <algorithm>

#include "sandbox/brevo/brevo_sandbox.h"
#include "sandbox/common/rng.h"

namespace tajo::sandbox::brevo {
namespace {

http::HttpResponse AdminJson(int status, const nlohmann::json& body) {
  auto r = http::HttpResponse::Json(status, body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  r.headers.Set("Content-Type", "application/json; charset=utf-8");
  return r;
}

http::HttpResponse AdminError(int status, const std::string& message) {
  return AdminJson(status, {{"code", "invalid_parameter"}, {"message", message}});
}

// Reads a seed request body; "" when fine, else the problem.
std::string SeedSpecFrom(const nlohmann::json& body, SeedSpec* spec, uint64_t* seed_number) {
  if (!body.is_object()) return "expected a JSON object";
  if (body.contains("spec")) {
    if (!body["spec"].is_string()) return "spec must be a string like \"contacts=1000,overlap=0.6\"";
    auto parsed = ParseSeedSpec(body["spec"].get<std::string>());
    if (!parsed.ok()) return parsed.status().message();
    *spec = parsed.value();
  }
  struct Count {
    const char* name;
    int64_t* slot;
    int64_t max;
  };
  for (const Count& c : {Count{"contacts", &spec->contacts, 50'000'000}, Count{"lists", &spec->lists, 1'000},
                         Count{"hubspotContacts", &spec->hubspot_contacts, 50'000'000},
                         Count{"hubspotCompanies", &spec->hubspot_companies, 50'000'000}}) {
    if (!body.contains(c.name)) continue;
    const auto& v = body[c.name];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > c.max)
      return std::string(c.name) + " must be a whole number between 0 and " + std::to_string(c.max);
    *c.slot = v.get<int64_t>();
  }
  for (auto [key, slot] : {std::pair{"overlap", &spec->overlap_share}, std::pair{"differentNames", &spec->different_name_share},
                           std::pair{"blocklisted", &spec->blocklisted_share}, std::pair{"sms", &spec->sms_share},
                           std::pair{"extIds", &spec->ext_id_share},
                           std::pair{"hubspotEmailMissingShare", &spec->hubspot_email_missing_share},
                           std::pair{"hubspotEmailDuplicateShare", &spec->hubspot_email_duplicate_share}}) {
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

nlohmann::json ReportJson(const SeedReport& r) {
  return {{"contacts", r.contacts},     {"overlapping", r.overlapping}, {"differentNames", r.different_names},
          {"brevoOnly", r.brevo_only},  {"smsOnly", r.sms_only},        {"blocklisted", r.blocklisted},
          {"withSms", r.with_sms},      {"lists", r.lists}};
}

std::optional<ContactRef> RefOf(const nlohmann::json& a) {
  auto str = [&](const char* key) -> std::optional<std::string> {
    if (!a.contains(key)) return std::nullopt;
    if (a[key].is_string()) return a[key].get<std::string>();
    if (a[key].is_number_integer()) return std::to_string(a[key].get<int64_t>());
    return std::nullopt;
  };
  if (auto v = str("id")) return ContactRef{ContactRef::Kind::kId, *v};
  if (auto v = str("email")) return ContactRef{ContactRef::Kind::kEmail, *v};
  if (auto v = str("ext_id")) return ContactRef{ContactRef::Kind::kExtId, *v};
  if (auto v = str("sms")) return ContactRef{ContactRef::Kind::kSms, *v};
  return std::nullopt;
}

}  // namespace

void BrevoSandbox::RegisterAdmin(http::Router& router) {
  using Method = http::HttpResponse (BrevoSandbox::*)(http::HttpRequest&);
  auto add = [&](const char* method, const char* path, Method m) {
    router.Add(method, path, [this, m](http::HttpRequest& r) {
      try {
        return (this->*m)(r);
      } catch (const nlohmann::json::exception& e) {
        return AdminError(400, std::string("invalid input: ") + e.what());
      }
    });
  };
  add("POST", "/_sandbox/seed", &BrevoSandbox::AdminSeed);
  add("POST", "/_sandbox/mutate", &BrevoSandbox::AdminMutate);
  add("GET", "/_sandbox/stats", &BrevoSandbox::AdminStats);
  add("POST", "/_sandbox/reset", &BrevoSandbox::AdminReset);
  add("GET", "/_sandbox/settings", &BrevoSandbox::AdminGetSettings);
  add("PUT", "/_sandbox/settings", &BrevoSandbox::AdminPutSettings);
  add("POST", "/_sandbox/processes/complete", &BrevoSandbox::AdminCompleteProcesses);
  add("POST", "/_sandbox/pump", &BrevoSandbox::AdminPump);
}

http::HttpResponse BrevoSandbox::AdminSeed(http::HttpRequest& r) {
  nlohmann::json body = r.body.empty() ? nlohmann::json::object() : nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded()) return AdminError(400, "invalid JSON");
  SeedSpec spec;
  uint64_t seed_number = options_.seed_number;
  std::string problem = SeedSpecFrom(body, &spec, &seed_number);
  if (!problem.empty()) return AdminError(400, problem);
  SeedResult result = Seed(spec, seed_number);
  return AdminJson(200, {{"created", ReportJson(result.report)}, {"seedNumber", seed_number}, {"millis", result.millis}});
}

http::HttpResponse BrevoSandbox::AdminReset(http::HttpRequest& r) {
  nlohmann::json body = r.body.empty() ? nlohmann::json::object() : nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded()) return AdminError(400, "invalid JSON");
  SeedSpec spec;
  spec.lists = 0;
  uint64_t seed_number = options_.seed_number;
  std::string problem = SeedSpecFrom(body, &spec, &seed_number);
  if (!problem.empty()) return AdminError(400, problem);
  account_.Reset();
  processes_.Reset();
  events_.Reset();
  webhooks_.Reset();
  crm_.Reset();
  stats_.Reset();
  limiter_.Reset();
  {
    std::lock_guard lock(outbox_mu_);
    outbox_.clear();
  }
  SeedResult result = Seed(spec, seed_number);
  return AdminJson(200, {{"reset", true}, {"created", ReportJson(result.report)}, {"millis", result.millis}});
}

http::HttpResponse BrevoSandbox::AdminStats(http::HttpRequest&) {
  AccountCounts c = account_.Counts();
  ImportOutcome imports = processes_.ImportTotals();
  WebhookStats hooks = webhooks_.stats();
  nlohmann::json limited = nlohmann::json::object();
  for (Bucket b : {Bucket::kContacts, Bucket::kEvents, Bucket::kOther})
    limited[BucketName(b)] = stats_.Counter(std::string("rate_limited.") + BucketName(b));
  return AdminJson(200, {{"requests", stats_.ToJson()},
                         {"rateLimited", std::move(limited)},
                         {"account",
                          {{"contacts", c.contacts},
                           {"lists", c.lists},
                           {"folders", c.folders},
                           {"attributes", c.attributes},
                           {"emailBlacklisted", c.email_blacklisted},
                           {"companies", crm_.companies()},
                           {"deals", crm_.deals()}}},
                         {"processes", {{"pending", processes_.Pending()}}},
                         {"imports",
                          {{"created", imports.created},
                           {"updated", imports.updated},
                           {"unchanged", imports.unchanged},
                           {"invalid", imports.invalid},
                           {"duplicateEmail", imports.duplicate_email},
                           {"duplicateExtId", imports.duplicate_ext_id},
                           {"duplicatePhone", imports.duplicate_phone}}},
                         {"events", events_.size()},
                         {"webhooks",
                          {{"delivered", hooks.delivered},
                           {"retried", hooks.retried},
                           {"dropped", hooks.dropped},
                           {"pending", hooks.pending},
                           {"attempts", hooks.attempts}}},
                         {"memoryBytes", account_.MemoryBytes()}});
}

nlohmann::json BrevoSandbox::SettingsJson() {
  Behaviour b = account_.behaviour();
  PlanLimits plan = limiter_.plan();
  return {{"plan", plan.plan},
          {"limits",
           {{"contactsPerSecond", plan.contacts_per_second},
            {"contactsPerHour", plan.contacts_per_hour},
            {"eventsPerSecond", plan.events_per_second},
            {"eventsPerHour", plan.events_per_hour},
            {"otherPerHour", plan.other_per_hour}}},
          {"enforceRateLimits", b.enforce_rate_limits},
          {"unknownAttributeIsError", b.unknown_attribute_is_error},
          {"modifiedSinceInclusive", b.modified_since_inclusive},
          {"touchOnNoopUpdate", b.touch_on_noop_update},
          {"categoryAsLabel", b.category_as_label},
          {"timestampOffsetMinutes", b.timestamp_offset_minutes},
          {"batchMaxContacts", b.batch_max_contacts},
          {"eventsCreateContacts", b.events_create_contacts},
          {"importQueuedMs", b.import_queued_ms},
          {"importProcessingMs", b.import_processing_ms},
          {"retryAfterOn429", b.retry_after_on_429},
          {"faults", faults_.settings().ToJson()},
          {"timeScale", options_.time_scale}};
}

http::HttpResponse BrevoSandbox::AdminGetSettings(http::HttpRequest&) { return AdminJson(200, SettingsJson()); }

http::HttpResponse BrevoSandbox::AdminPutSettings(http::HttpRequest& r) {
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return AdminError(400, "expected a JSON object");
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
  Behaviour b = account_.behaviour();
  for (auto [key, slot] : {std::pair{"enforceRateLimits", &b.enforce_rate_limits},
                           std::pair{"unknownAttributeIsError", &b.unknown_attribute_is_error},
                           std::pair{"modifiedSinceInclusive", &b.modified_since_inclusive},
                           std::pair{"touchOnNoopUpdate", &b.touch_on_noop_update},
                           std::pair{"categoryAsLabel", &b.category_as_label},
                           std::pair{"eventsCreateContacts", &b.events_create_contacts},
                           std::pair{"retryAfterOn429", &b.retry_after_on_429}}) {
    if (!body.contains(key)) continue;
    if (!body[key].is_boolean()) return AdminError(400, std::string(key) + " must be true or false");
    *slot = body[key].get<bool>();
  }
  struct IntKey {
    const char* name;
    int64_t lo, hi;
  };
  for (const IntKey& k : {IntKey{"timestampOffsetMinutes", -14 * 60, 14 * 60}, IntKey{"batchMaxContacts", 1, 1'000'000},
                          IntKey{"importQueuedMs", 0, 86'400'000}, IntKey{"importProcessingMs", 0, 86'400'000}}) {
    if (!body.contains(k.name)) continue;
    const auto& v = body[k.name];
    if (!v.is_number_integer() || v.get<int64_t>() < k.lo || v.get<int64_t>() > k.hi)
      return AdminError(400, std::string(k.name) + " must be an integer between " + std::to_string(k.lo) + " and " +
                                 std::to_string(k.hi));
    int64_t n = v.get<int64_t>();
    std::string name = k.name;
    if (name == "timestampOffsetMinutes") b.timestamp_offset_minutes = static_cast<int>(n);
    else if (name == "batchMaxContacts") b.batch_max_contacts = static_cast<int>(n);
    else if (name == "importQueuedMs") b.import_queued_ms = n;
    else b.import_processing_ms = n;
  }
  if (plan) limiter_.SetPlan(*plan);
  faults_.set_settings(faults);
  account_.set_behaviour(b);
  return AdminJson(200, SettingsJson());
}

http::HttpResponse BrevoSandbox::AdminPump(http::HttpRequest&) {
  Pump();
  WebhookStats s = webhooks_.stats();
  return AdminJson(200, {{"webhooksPending", s.pending}, {"processesPending", processes_.Pending()}});
}

http::HttpResponse BrevoSandbox::AdminCompleteProcesses(http::HttpRequest&) {
  size_t pending = processes_.Pending();
  PumpProcesses(true);
  DeliverNotifications();
  return AdminJson(200, {{"completed", pending}});
}

http::HttpResponse BrevoSandbox::AdminMutate(http::HttpRequest& r) {
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return AdminError(400, "expected a JSON object with \"actions\" or \"random\"");
  // Changes made here look like a marketer's edits in Brevo's UI (no API key name) or a
  // recipient's actions on a campaign.
  const Writer ui{""};
  nlohmann::json results = nlohmann::json::array();
  auto record = [&](const std::string& op, const std::optional<ContactRef>& ref, const std::optional<ApiError>& e) {
    nlohmann::json j = {{"op", op}, {"status", e ? e->status : 200}};
    if (ref) j["contact"] = ref->value;
    if (e) j["message"] = e->message;
    results.push_back(std::move(j));
  };
  struct CampaignOp {
    const char* name;
    AccountEvent::Kind kind;
  };
  const CampaignOp campaign_ops[] = {{"unsubscribe", AccountEvent::Kind::kUnsubscribed}, {"open", AccountEvent::Kind::kOpened},
                                     {"click", AccountEvent::Kind::kClick},             {"hardBounce", AccountEvent::Kind::kHardBounce},
                                     {"softBounce", AccountEvent::Kind::kSoftBounce},   {"spam", AccountEvent::Kind::kSpam},
                                     {"delivered", AccountEvent::Kind::kDelivered}};
  auto run = [&](const nlohmann::json& a) -> std::optional<std::string> {
    if (!a.is_object() || !a.contains("op") || !a["op"].is_string()) return "each action needs an \"op\"";
    const std::string op = a["op"].get<std::string>();
    std::optional<ContactRef> ref = RefOf(a);
    if (op == "create") {
      auto in = ParseContactInput(a);
      if (!in.ok()) return in.error().message;
      auto created = account_.CreateContact(in.value(), false, ui);
      record(op, ref, created.ok() ? std::nullopt : std::optional(created.error()));
      return std::nullopt;
    }
    if (!ref) return "action \"" + op + "\" needs the contact: id, email, ext_id or sms";
    if (op == "update" || op == "blocklist" || op == "unblocklist" || op == "addToList" || op == "removeFromList") {
      nlohmann::json update = a;
      update.erase("email");  // the identifier, not a new address
      if (op == "blocklist") update["emailBlacklisted"] = true;
      if (op == "unblocklist") update["emailBlacklisted"] = false;
      if (op == "addToList" || op == "removeFromList") {
        if (!a.contains("listId") || !a["listId"].is_number_integer()) return op + " needs a listId";
        update[op == "addToList" ? "listIds" : "unlinkListIds"] = {a["listId"]};
      }
      auto in = ParseContactInput(update);
      if (!in.ok()) return in.error().message;
      auto done = account_.UpdateContact(*ref, in.value(), ui);
      record(op, ref, done.ok() ? std::nullopt : std::optional(done.error()));
      return std::nullopt;
    }
    if (op == "delete") {
      auto done = account_.DeleteContact(*ref, ui);
      record(op, ref, done.ok() ? std::nullopt : std::optional(done.error()));
      return std::nullopt;
    }
    for (const CampaignOp& c : campaign_ops) {
      if (op != c.name) continue;
      auto done = account_.RecordCampaignEvent(*ref, c.kind, a.value("campaignId", int64_t{1}),
                                               a.value("campaignName", std::string("Newsletter")),
                                               a.value("url", std::string(c.kind == AccountEvent::Kind::kClick ? "https://www.example.com/" : "")),
                                               a.value("reason", std::string()));
      record(op, ref, done.ok() ? std::nullopt : std::optional(done.error()));
      return std::nullopt;
    }
    return "unknown op \"" + op +
           "\" (create, update, delete, blocklist, unblocklist, addToList, removeFromList, unsubscribe, open, click, "
           "hardBounce, softBounce, spam, delivered)";
  };
  if (body.contains("actions")) {
    if (!body["actions"].is_array()) return AdminError(400, "actions must be an array");
    for (const auto& a : body["actions"])
      if (auto problem = run(a)) return AdminError(400, *problem);
  }
  if (body.contains("random")) {
    const auto& spec = body["random"];
    if (!spec.is_object()) return AdminError(400, "random must be an object {count, seed}");
    int64_t count = spec.value("count", int64_t{10});
    uint64_t seed = spec.value("seed", uint64_t{1});
    if (count < 0 || count > 1'000'000) return AdminError(400, "random.count must be between 0 and 1000000");
    Rng rng(seed);
    const char* kNames[] = {"Camille", "Jürgen", "Zoé", "Aarav", "Siobhán", "Mateo"};
    for (int64_t id : account_.SampleContactIds(static_cast<size_t>(count), seed)) {
      nlohmann::json a = {{"id", id}};
      switch (rng.Below(6)) {
        case 0: a["op"] = "update"; a["attributes"] = {{"FIRSTNAME", rng.Pick(kNames)}}; break;
        case 1: a["op"] = "unsubscribe"; break;
        case 2: a["op"] = "open"; a["campaignId"] = rng.Between(1, 5); break;
        case 3: a["op"] = "click"; a["campaignId"] = rng.Between(1, 5); break;
        case 4: a["op"] = "hardBounce"; a["reason"] = "mailbox does not exist"; break;
        default: a["op"] = "softBounce"; a["reason"] = "mailbox full"; break;
      }
      if (auto problem = run(a)) return AdminError(400, *problem);
    }
  }
  return AdminJson(200, {{"results", std::move(results)}});
}

}  // namespace tajo::sandbox::brevo
