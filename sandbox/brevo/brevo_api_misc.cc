// BrevoSandbox: events (reference §6.1), processes (§2.9) and the account endpoint.
#include "sandbox/brevo/brevo_sandbox.h"
#include "sandbox/common/time_format.h"

#include <algorithm>

namespace tajo::sandbox::brevo {

http::HttpResponse BrevoSandbox::CreateEvent(http::HttpRequest& r, const KeyInfo& k) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto valid = ValidateEventBody(body);
  if (!valid.ok()) return Error(valid.error());
  nlohmann::json properties = body.value("contact_properties", nlohmann::json::object());
  if (!properties.is_object()) properties = nlohmann::json::object();
  auto contact = account_.ContactForEvent(body["identifiers"], properties, account_.behaviour().events_create_contacts,
                                          Writer{k.name});
  if (!contact.ok()) return Error(contact.error());
  StoredEvent e;
  e.contact_id = contact.value();
  e.event_name = body["event_name"].get<std::string>();
  e.event_date_ms = clock_.NowMillis();
  if (body.contains("event_date") && body["event_date"].is_string())
    e.event_date_ms = ParseIsoMillis(body["event_date"].get<std::string>()).value_or(e.event_date_ms);
  if (body.contains("event_properties") && body["event_properties"].is_object()) e.event_properties = body["event_properties"];
  if (properties.is_object() && !properties.empty()) e.contact_properties = properties;
  if (body.contains("object") && body["object"].is_object() && body["object"].contains("type") &&
      body["object"]["type"].is_string())
    e.object_type = body["object"]["type"].get<std::string>();
  events_.Add(std::move(e));
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::ListEvents(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t limit = 0, offset = 0, contact = 0;
  EventQuery q;
  if (!QueryInt(r, "limit", 100, 0, 10'000, &limit, &error) || !QueryInt(r, "offset", 0, 0, INT64_MAX / 2, &offset, &error) ||
      !QueryInt(r, "contact_id", 0, 0, INT64_MAX / 2, &contact, &error) || !QueryTime(r, "startDate", &q.start_ms, &error) ||
      !QueryTime(r, "endDate", &q.end_ms, &error))
    return error;
  q.limit = static_cast<size_t>(limit);
  q.offset = static_cast<size_t>(offset);
  if (contact > 0) q.contact_id = contact;
  if (auto name = r.Query("event_name"); name && !name->empty()) q.event_name = *name;
  // Without startDate the window is the last six months (reference §6.1).
  if (!q.start_ms) q.start_ms = clock_.NowMillis() - int64_t{183} * 86'400'000;
  if (q.end_ms && r.Query("endDate")->size() == 10) *q.end_ms += 86'400'000 - 1;  // a date: its whole day
  return Json(200, events_.Query(q, [this](int64_t ms) { return FormatTime(ms); }));
}

http::HttpResponse BrevoSandbox::GetProcess(http::HttpRequest& r, const KeyInfo&) {
  std::string id_text = r.Param("processId");
  if (id_text.empty() || id_text.size() > 18 ||
      !std::all_of(id_text.begin(), id_text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return Error(ApiError::Invalid("processId is invalid"));
  auto process = processes_.Get(std::stoll(id_text));
  if (!process.ok()) return Error(process.error());
  return Json(200, process.value());
}

http::HttpResponse BrevoSandbox::ListProcesses(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  size_t limit = 0, offset = 0;
  bool descending = true;
  if (!QueryPage(r, &limit, &offset, &descending, &error)) return error;
  return Json(200, processes_.List(limit, offset, descending));
}

http::HttpResponse BrevoSandbox::GetAccount(http::HttpRequest&, const KeyInfo&) {
  PlanLimits plan = limiter_.plan();
  return Json(200, {{"email", options_.account_email},
                    {"firstName", "Tajo"},
                    {"lastName", "Sandbox"},
                    {"companyName", "tajo-sandbox"},
                    {"address", {{"street", "1 Loopback Street"}, {"city", "Localhost"}, {"zipCode", "127001"}, {"country", "France"}}},
                    {"plan", nlohmann::json::array({{{"type", plan.plan == "advanced" ? "subscription" : "free"},
                                                     {"credits", 300},
                                                     {"creditsType", "sendLimit"}}})},
                    {"relay", {{"enabled", false}, {"data", {{"userName", options_.account_email}, {"relay", "smtp-relay.invalid"}, {"port", 587}}}}},
                    {"marketingAutomation", {{"enabled", false}}}});
}

// ---- Webhooks (reference §7.1).

http::HttpResponse BrevoSandbox::CreateWebhook(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto id = webhooks_.Create(body);
  if (!id.ok()) return Error(id.error());
  return Json(201, {{"id", id.value()}});
}

http::HttpResponse BrevoSandbox::ListWebhooks(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  bool descending = true;
  if (!QuerySort(r, &descending, &error)) return error;
  auto type = r.Query("type");
  auto list = webhooks_.List(type && !type->empty() ? *type : "transactional", descending);
  if (!list.ok()) return Error(list.error());
  return Json(200, list.value());
}

http::HttpResponse BrevoSandbox::GetWebhook(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  if (!PathId(r, "webhookId", &id, &error)) return error;
  auto w = webhooks_.Get(id);
  if (!w.ok()) return Error(w.error());
  return Json(200, w.value());
}

http::HttpResponse BrevoSandbox::UpdateWebhook(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  nlohmann::json body;
  if (!PathId(r, "webhookId", &id, &error) || !ParseBody(r, &body, &error)) return error;
  auto done = webhooks_.Update(id, body);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::DeleteWebhook(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  if (!PathId(r, "webhookId", &id, &error)) return error;
  auto done = webhooks_.Delete(id);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

}  // namespace tajo::sandbox::brevo
