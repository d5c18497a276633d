// BrevoSandbox: construction, the request pipeline (processes, faults, auth, rate limits, stats),
// request/response helpers, the route table and the background pump.
#include "sandbox/brevo/brevo_sandbox.h"

#include <algorithm>
#include <cctype>

#include "core/log.h"
#include "core/redact.h"
#include "sandbox/common/time_format.h"

namespace tajo::sandbox::brevo {
namespace {

PlanLimits PlanOrDefault(const std::string& plan) {
  auto limits = LimitsForPlan(plan);
  if (limits.ok()) return limits.value();
  Log().Error("sandbox.brevo", "unknown plan; using standard", {{"plan", plan}});
  return LimitsForPlan("standard").value();
}

}  // namespace

BrevoSandbox::BrevoSandbox(const BrevoSandboxOptions& options, Clock& clock, http::Transport* transport)
    : options_(options),
      clock_(clock),
      scaled_clock_(clock, options.time_scale > 0 ? options.time_scale : 1.0),
      account_(clock, options.behaviour, options.account_email),
      processes_(scaled_clock_),
      webhooks_(scaled_clock_, "tajo-sandbox"),
      crm_(clock, [this](int64_t id) { return account_.FindContact({ContactRef::Kind::kId, std::to_string(id)}).has_value(); },
           [this](int64_t ms) { return FormatTime(ms); }),
      limiter_(scaled_clock_, PlanOrDefault(options.plan)),
      transport_(transport) {
  std::vector<ApiKeySpec> keys = options.api_keys;
  if (keys.empty()) keys.push_back({kDefaultApiKeyName, kDefaultApiKey});
  for (const ApiKeySpec& k : keys) {
    keys_[k.key] = KeyInfo{k.name};
    RegisterSecret(k.key);
  }
  FaultSettings faults;
  faults.latency_ms = options.latency_ms;
  faults.seed = options.seed_number;
  faults_.set_settings(faults);
  account_.SetListener([this](const std::vector<AccountEvent>& events) {
    for (const AccountEvent& e : events)
      if (e.kind == AccountEvent::Kind::kContactDeleted) crm_.ForgetContact(e.contact_id);
    webhooks_.Enqueue(events, account_.behaviour().timestamp_offset_minutes);
  });
}

BrevoSandbox::~BrevoSandbox() { StopBackground(); }

BrevoSandbox::SeedResult BrevoSandbox::SeedFromOptions() { return Seed(options_.seed, options_.seed_number); }

BrevoSandbox::SeedResult BrevoSandbox::Seed(const SeedSpec& spec, uint64_t seed_number) {
  SeedResult result;
  if (spec.empty()) return result;
  int64_t start = SystemClock().NowMicros();
  result.report = SeedAccount(account_, spec, seed_number, clock_.NowMillis());
  result.millis = (SystemClock().NowMicros() - start) / 1000;
  return result;
}

// ---- Helpers.

std::string BrevoSandbox::FormatTime(int64_t ms) const {
  return FormatBrevoTime(ms, account_.behaviour().timestamp_offset_minutes);
}

http::HttpResponse BrevoSandbox::Json(int status, const nlohmann::json& body) const {
  auto response = http::HttpResponse::Json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  response.headers.Set("Content-Type", "application/json; charset=utf-8");
  return response;
}

http::HttpResponse BrevoSandbox::Error(const ApiError& error) const { return Json(error.status, error.ToJson()); }

bool BrevoSandbox::ParseBody(const http::HttpRequest& request, nlohmann::json* body, http::HttpResponse* error) const {
  if (request.body.empty()) {
    *error = Error(ApiError::Invalid("The request body is empty: a JSON object is expected"));
    return false;
  }
  *body = nlohmann::json::parse(request.body, nullptr, false);
  if (body->is_discarded()) {
    *error = Error(ApiError{400, "bad_request", "Input must be a valid JSON object", nullptr});
    return false;
  }
  return true;
}

bool BrevoSandbox::QueryInt(const http::HttpRequest& request, const char* name, int64_t def, int64_t lo, int64_t hi,
                            int64_t* out, http::HttpResponse* error) const {
  auto v = request.Query(name);
  if (!v || v->empty()) {
    *out = def;
    return true;
  }
  const std::string& s = *v;
  bool digits = std::all_of(s.begin() + (s[0] == '-' ? 1 : 0), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (!digits || s.size() > 18 || s == "-") {
    *error = Error(ApiError::Invalid(std::string(name) + " must be an integer (got \"" + s + "\")"));
    return false;
  }
  int64_t n = std::stoll(s);
  if (n < lo || n > hi) {
    *error = Error(ApiError::OutOfRange(std::string(name) + " must be between " + std::to_string(lo) + " and " +
                                        std::to_string(hi)));
    return false;
  }
  *out = n;
  return true;
}

bool BrevoSandbox::QuerySort(const http::HttpRequest& request, bool* descending, http::HttpResponse* error) const {
  auto v = request.Query("sort");
  *descending = true;
  if (!v || v->empty() || *v == "desc") return true;
  if (*v == "asc") {
    *descending = false;
    return true;
  }
  *error = Error(ApiError::Invalid("sort must be asc or desc"));
  return false;
}

bool BrevoSandbox::QueryPage(const http::HttpRequest& request, size_t* limit, size_t* offset, bool* descending,
                             http::HttpResponse* error) const {
  int64_t l = 0, o = 0;
  if (!QueryInt(request, "limit", 10, 0, 50, &l, error) || !QueryInt(request, "offset", 0, 0, INT64_MAX / 2, &o, error) ||
      !QuerySort(request, descending, error))
    return false;
  *limit = static_cast<size_t>(l);
  *offset = static_cast<size_t>(o);
  return true;
}

bool BrevoSandbox::QueryTime(const http::HttpRequest& request, const char* name, std::optional<int64_t>* out,
                             http::HttpResponse* error) const {
  auto v = request.Query(name);
  if (!v || v->empty()) return true;
  std::string s = *v;
  auto parsed = ParseIsoMillis(s);
  if (!parsed) {
    // An offset sent without URL-encoding ("+01:00") arrives as " 01:00".
    size_t space = s.rfind(' ');
    if (space != std::string::npos && space > 10) {
      s[space] = '+';
      parsed = ParseIsoMillis(s);
    }
  }
  if (!parsed) {
    *error = Error(ApiError::Invalid(std::string(name) + " must be a date-time such as 2024-01-24T17:39:57.000Z (got \"" +
                                     *v + "\")"));
    return false;
  }
  *out = parsed;
  return true;
}

bool BrevoSandbox::PathId(const http::HttpRequest& request, const char* name, int64_t* out, http::HttpResponse* error) const {
  std::string s = request.Param(name);
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    *error = Error(ApiError::Invalid(std::string(name) + " is invalid"));
    return false;
  }
  *out = std::stoll(s);
  return true;
}

// ---- Background work.

void BrevoSandbox::PumpProcesses(bool finish_all) {
  auto notes = processes_.Pump(account_, finish_all);
  if (notes.empty()) return;
  std::lock_guard lock(outbox_mu_);
  outbox_.insert(outbox_.end(), std::make_move_iterator(notes.begin()), std::make_move_iterator(notes.end()));
}

http::Transport& BrevoSandbox::transport() {
  std::lock_guard lock(transport_mu_);
  if (!transport_) {
    owned_transport_ = http::NewCurlTransport();
    transport_ = owned_transport_.get();
  }
  return *transport_;
}

void BrevoSandbox::DeliverNotifications() {
  std::vector<ProcessNotification> notes;
  {
    std::lock_guard lock(outbox_mu_);
    notes.swap(outbox_);
  }
  for (const ProcessNotification& n : notes) {
    http::ClientRequest req;
    req.method = "POST";
    req.url = n.url;
    req.body = n.body.dump();
    req.headers.Set("Content-Type", "application/json");
    req.timeout_ms = 10'000;
    auto result = transport().Send(req);
    if (result.ok() && result->status < 300) stats_.Increment("notify.delivered");
    else {
      stats_.Increment("notify.failed");
      Log().Warn("sandbox.brevo", "notifyUrl call failed",
                 {{"url", Redact(n.url)}, {"error", result.ok() ? std::to_string(result->status) : result.status().message()}});
    }
  }
}

void BrevoSandbox::Pump() {
  PumpProcesses(false);
  DeliverNotifications();
  webhooks_.Pump(transport());
}

void BrevoSandbox::StartBackground(int poll_ms) {
  std::lock_guard lock(bg_mu_);
  if (bg_thread_.joinable()) return;
  bg_stop_ = false;
  bg_thread_ = std::thread([this, poll_ms] {
    std::unique_lock lock(bg_mu_);
    while (!bg_stop_) {
      lock.unlock();
      Pump();
      lock.lock();
      // A real-time poll interval: this thread drives the emulator, it is not emulated logic.
      bg_cv_.wait_for(lock, std::chrono::milliseconds(std::max(1, poll_ms)), [this] { return bg_stop_; });
    }
  });
}

void BrevoSandbox::StopBackground() {
  std::thread t;
  {
    std::lock_guard lock(bg_mu_);
    bg_stop_ = true;
    t.swap(bg_thread_);
  }
  bg_cv_.notify_all();
  if (t.joinable()) t.join();
}

// ---- The pipeline.

http::HttpResponse BrevoSandbox::Serve(const std::string& label, Bucket bucket, Endpoint endpoint,
                                       http::HttpRequest& request) {
  PumpProcesses(false);
  http::HttpResponse response;
  FaultDecision fault = faults_.Decide();
  if (fault.latency_micros > 0) clock_.SleepForMicros(fault.latency_micros);
  switch (fault.kind) {
    case FaultKind::kServerError:
      stats_.Increment("fault.5xx");
      response = Error({fault.server_error_status, "internal_error", "Internal server error (injected by tajo-sandbox)", nullptr});
      stats_.Record(label, response.status);
      return response;
    case FaultKind::kRateLimit:
      stats_.Increment("fault.429");
      response = Error({429, kRateLimitCode, kRateLimitMessage, nullptr});
      response.headers.Set("x-sib-ratelimit-limit", "10");
      response.headers.Set("x-sib-ratelimit-remaining", "0");
      response.headers.Set("x-sib-ratelimit-reset", "1");
      stats_.Record(label, response.status);
      return response;
    case FaultKind::kTimeout:
      stats_.Increment("fault.timeout");
      clock_.SleepForMicros(faults_.settings().timeout_hold_ms * 1000);
      response = Error({504, "internal_error", "Gateway timeout (injected by tajo-sandbox)", nullptr});
      stats_.Record(label, response.status);
      return response;
    case FaultKind::kReset:
    case FaultKind::kTruncate:
      stats_.Increment(std::string("fault.") + FaultKindName(fault.kind));
      break;
    case FaultKind::kNone:
      break;
  }
  auto key = request.headers.Get("api-key");
  auto found = key ? keys_.find(*key) : keys_.end();
  if (found == keys_.end()) {
    response = Error({401, "unauthorized", kKeyNotFound, nullptr});
    stats_.Record(label, response.status);
    return response;
  }
  RateCheck rate = limiter_.Check(bucket, account_.behaviour().enforce_rate_limits);
  if (!rate.allowed) {
    stats_.Increment(std::string("rate_limited.") + BucketName(bucket));
    response = Error({429, kRateLimitCode, kRateLimitMessage, nullptr});
    for (const auto& [k, v] : rate.headers.fields()) response.headers.Set(k, v);
    if (account_.behaviour().retry_after_on_429)
      response.headers.Set("Retry-After", std::to_string(std::max<int64_t>(1, (rate.retry_after_ms + 999) / 1000)));
    stats_.Record(label, response.status);
    return response;
  }
  // The edge for third-party exceptions: a body of an unexpected shape that slipped past the
  // checks is the client's 400, anything else a 500; neither takes the server down.
  try {
    response = (this->*endpoint)(request, found->second);
  } catch (const nlohmann::json::exception& e) {
    response = Error(ApiError::Invalid(std::string("Invalid input: ") + e.what()));
  } catch (const std::exception& e) {
    Log().Error("sandbox.brevo", "endpoint failed", {{"endpoint", label}, {"error", e.what()}});
    response = Error({500, "internal_error", "Internal server error", nullptr});
  }
  for (const auto& [k, v] : rate.headers.fields()) response.headers.Set(k, v);
  if (fault.kind == FaultKind::kReset) response.fault = http::ConnectionFault::kReset;
  if (fault.kind == FaultKind::kTruncate) response.fault = http::ConnectionFault::kTruncateBody;
  stats_.Record(label, response.status);
  return response;
}

void BrevoSandbox::Api(http::Router& router, const std::string& method, const std::string& pattern, Bucket bucket,
                       Endpoint endpoint) {
  std::string label = method + " " + pattern;
  router.Add(method, pattern, [this, label, bucket, endpoint](http::HttpRequest& request) {
    return Serve(label, bucket, endpoint, request);
  });
}

void BrevoSandbox::RegisterRoutes(http::Router& router) {
  using B = BrevoSandbox;
  const Bucket c = Bucket::kContacts;
  const std::string v = "/v3";
  // Fixed second segments first: they share their shape with /contacts/{identifier}.
  Api(router, "GET", v + "/contacts", c, &B::ListContacts);
  Api(router, "POST", v + "/contacts", c, &B::CreateContact);
  Api(router, "POST", v + "/contacts/batch", c, &B::BatchUpdate);
  Api(router, "POST", v + "/contacts/import", c, &B::ImportContacts);
  Api(router, "GET", v + "/contacts/segments", c, &B::ListSegments);
  Api(router, "GET", v + "/contacts/attributes", c, &B::ListAttributes);
  Api(router, "POST", v + "/contacts/attributes/{attributeCategory}/{attributeName}", c, &B::CreateAttribute);
  Api(router, "PUT", v + "/contacts/attributes/{attributeCategory}/{attributeName}", c, &B::UpdateAttribute);
  Api(router, "DELETE", v + "/contacts/attributes/{attributeCategory}/{attributeName}", c, &B::DeleteAttribute);
  Api(router, "DELETE", v + "/contacts/attributes/{attributeType}/{multipleChoiceAttribute}/{multipleChoiceAttributeOption}",
      c, &B::DeleteAttributeOption);
  Api(router, "GET", v + "/contacts/folders", c, &B::ListFolders);
  Api(router, "POST", v + "/contacts/folders", c, &B::CreateFolder);
  Api(router, "GET", v + "/contacts/folders/{folderId}", c, &B::GetFolder);
  Api(router, "PUT", v + "/contacts/folders/{folderId}", c, &B::UpdateFolder);
  Api(router, "DELETE", v + "/contacts/folders/{folderId}", c, &B::DeleteFolder);
  Api(router, "GET", v + "/contacts/folders/{folderId}/lists", c, &B::FolderLists);
  Api(router, "GET", v + "/contacts/lists", c, &B::ListLists);
  Api(router, "POST", v + "/contacts/lists", c, &B::CreateList);
  Api(router, "GET", v + "/contacts/lists/{listId}", c, &B::GetList);
  Api(router, "PUT", v + "/contacts/lists/{listId}", c, &B::UpdateList);
  Api(router, "DELETE", v + "/contacts/lists/{listId}", c, &B::DeleteList);
  Api(router, "GET", v + "/contacts/lists/{listId}/contacts", c, &B::ListMembers);
  Api(router, "POST", v + "/contacts/lists/{listId}/contacts/add", c, &B::AddToList);
  Api(router, "POST", v + "/contacts/lists/{listId}/contacts/remove", c, &B::RemoveFromList);
  Api(router, "GET", v + "/contacts/{identifier}", c, &B::GetContact);
  Api(router, "PUT", v + "/contacts/{identifier}", c, &B::UpdateContact);
  Api(router, "DELETE", v + "/contacts/{identifier}", c, &B::DeleteContact);
  Api(router, "GET", v + "/contacts/{identifier}/campaignStats", c, &B::GetContactStats);
  Api(router, "POST", v + "/events", Bucket::kEvents, &B::CreateEvent);
  Api(router, "GET", v + "/events", Bucket::kEvents, &B::ListEvents);
  Api(router, "GET", v + "/processes", Bucket::kOther, &B::ListProcesses);
  Api(router, "GET", v + "/processes/{processId}", Bucket::kOther, &B::GetProcess);
  Api(router, "GET", v + "/account", Bucket::kOther, &B::GetAccount);
  const Bucket o = Bucket::kOther;
  Api(router, "GET", v + "/companies", o, &B::ListCompanies);
  Api(router, "POST", v + "/companies", o, &B::CreateCompany);
  Api(router, "PATCH", v + "/companies/link-unlink/{id}", o, &B::LinkCompany);
  Api(router, "GET", v + "/companies/{id}", o, &B::GetCompany);
  Api(router, "PATCH", v + "/companies/{id}", o, &B::UpdateCompany);
  Api(router, "DELETE", v + "/companies/{id}", o, &B::DeleteCompany);
  Api(router, "GET", v + "/crm/deals", o, &B::ListDeals);
  Api(router, "POST", v + "/crm/deals", o, &B::CreateDeal);
  Api(router, "PATCH", v + "/crm/deals/link-unlink/{id}", o, &B::LinkDeal);
  Api(router, "GET", v + "/crm/deals/{id}", o, &B::GetDeal);
  Api(router, "PATCH", v + "/crm/deals/{id}", o, &B::UpdateDeal);
  Api(router, "DELETE", v + "/crm/deals/{id}", o, &B::DeleteDeal);
  Api(router, "GET", v + "/crm/pipeline/details", o, &B::GetPipelineDeprecated);
  Api(router, "GET", v + "/crm/pipeline/details/all", o, &B::ListPipelines);
  Api(router, "GET", v + "/crm/pipeline/details/{pipelineID}", o, &B::GetPipeline);
  Api(router, "GET", v + "/crm/attributes/companies", o, &B::CrmAttributes);
  Api(router, "GET", v + "/crm/attributes/deals", o, &B::CrmAttributes);
  Api(router, "POST", v + "/crm/attributes", o, &B::CreateCrmAttribute);
  Api(router, "POST", v + "/webhooks", Bucket::kOther, &B::CreateWebhook);
  Api(router, "GET", v + "/webhooks", Bucket::kOther, &B::ListWebhooks);
  Api(router, "GET", v + "/webhooks/{webhookId}", Bucket::kOther, &B::GetWebhook);
  Api(router, "PUT", v + "/webhooks/{webhookId}", Bucket::kOther, &B::UpdateWebhook);
  Api(router, "DELETE", v + "/webhooks/{webhookId}", Bucket::kOther, &B::DeleteWebhook);
  RegisterAdmin(router);
  // A path that exists with a method it does not have: Brevo's error body, not plain text.
  router.SetMethodNotAllowed([this](http::HttpRequest& request) {
    auto response = Error(ApiError{405, "method_not_allowed",
                                   "Method " + request.method + " is not allowed on " + request.RawPath(), nullptr});
    stats_.Record("(method not allowed)", response.status);
    return response;
  });
  router.SetNotFound([this](http::HttpRequest& request) {
    auto response = Error(ApiError::NotFound("Invalid route: " + request.method + " " + request.RawPath()));
    stats_.Record("(no route)", response.status);
    return response;
  });
}

}  // namespace tajo::sandbox::brevo
