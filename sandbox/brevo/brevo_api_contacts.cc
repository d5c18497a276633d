// BrevoSandbox: the contacts endpoints (reference §2): list, create, get, update, delete, batch,
// import and campaign statistics.
#include <algorithm>
#include <cctype>

#include "sandbox/brevo/brevo_sandbox.h"
#include "sandbox/brevo/import.h"
#include "sandbox/common/time_format.h"

namespace tajo::sandbox::brevo {
namespace {

constexpr int64_t kDayMs = 86'400'000;

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// "1,2,3" (and repeated parameters) as ids; false on anything else.
bool IdList(const std::vector<std::string>& values, std::vector<int64_t>* out) {
  for (const std::string& v : values) {
    size_t pos = 0;
    while (pos <= v.size()) {
      size_t comma = v.find(',', pos);
      std::string item = Trim(v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
      pos = comma == std::string::npos ? v.size() + 1 : comma + 1;
      if (item.empty()) continue;
      if (item.size() > 18 || !std::all_of(item.begin(), item.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return false;
      out->push_back(std::stoll(item));
    }
  }
  return true;
}

// equals(ATTR,"value") -> {ATTR, value}.
std::optional<std::pair<std::string, std::string>> ParseFilter(const std::string& text) {
  std::string s = Trim(text);
  if (s.size() < 9 || s.compare(0, 7, "equals(") != 0 || s.back() != ')') return std::nullopt;
  std::string inner = s.substr(7, s.size() - 8);
  size_t comma = inner.find(',');
  if (comma == std::string::npos) return std::nullopt;
  std::string name = Trim(inner.substr(0, comma));
  std::string value = Trim(inner.substr(comma + 1));
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
    value = value.substr(1, value.size() - 2);
  if (name.empty()) return std::nullopt;
  return std::pair{name, value};
}

}  // namespace

http::HttpResponse BrevoSandbox::ListContacts(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  ContactQuery q;
  int64_t limit = 0, offset = 0;
  if (!QueryInt(r, "limit", 50, 0, 1000, &limit, &error) || !QueryInt(r, "offset", 0, 0, INT64_MAX / 2, &offset, &error) ||
      !QuerySort(r, &q.descending, &error) || !QueryTime(r, "modifiedSince", &q.modified_since_ms, &error) ||
      !QueryTime(r, "createdSince", &q.created_since_ms, &error))
    return error;
  q.limit = static_cast<size_t>(limit);
  q.offset = static_cast<size_t>(offset);
  if (!IdList(r.QueryAll("listIds"), &q.list_ids)) return Error(ApiError::Invalid("listIds must be list ids"));
  if (!IdList(r.QueryAll("ids"), &q.ids)) return Error(ApiError::Invalid("ids must be contact ids"));
  if (q.ids.size() > 20) return Error(ApiError::OutOfRange("ids: at most 20 contact ids"));
  if (auto segment = r.Query("segmentId"); segment && !segment->empty()) {
    if (!q.list_ids.empty()) return Error(ApiError::Invalid("Either listIds or segmentId can be passed, not both"));
    return Error(ApiError::NotFound("Segment not found (tajo-sandbox has no segments)"));
  }
  if (auto filter = r.Query("filter"); filter && !filter->empty()) {
    q.filter = ParseFilter(*filter);
    if (!q.filter) return Error(ApiError::Invalid("filter must look like equals(FIRSTNAME,\"Antoine\")"));
  }
  auto page = account_.ListContacts(q);
  if (!page.ok()) return Error(page.error());
  return Json(200, page.value());
}

http::HttpResponse BrevoSandbox::CreateContact(http::HttpRequest& r, const KeyInfo& k) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto in = ParseContactInput(body);
  if (!in.ok()) return Error(in.error());
  bool update_enabled = false;
  if (body.contains("updateEnabled") && !body["updateEnabled"].is_null()) {
    if (!body["updateEnabled"].is_boolean()) return Error(ApiError::Invalid("updateEnabled must be a boolean"));
    update_enabled = body["updateEnabled"].get<bool>();
  }
  auto created = account_.CreateContact(in.value(), update_enabled, Writer{k.name});
  if (!created.ok()) return Error(created.error());
  if (!created->created) return http::HttpResponse::Empty(204);
  return Json(201, {{"id", created->id}});
}

http::HttpResponse BrevoSandbox::GetContact(http::HttpRequest& r, const KeyInfo&) {
  auto ref = ParseContactRef(r.Param("identifier"), r.Query("identifierType"), false);
  if (!ref.ok()) return Error(ref.error());
  auto start = r.Query("startDate"), end = r.Query("endDate");
  const int64_t now = clock_.NowMillis();
  int64_t from = now - 90 * kDayMs, to = now;
  if ((start && !start->empty()) || (end && !end->empty())) {
    if (!start || start->empty() || !end || end->empty())
      return Error(ApiError::Invalid("startDate and endDate must be passed together"));
    auto s = ParseIsoMillis(*start), e = ParseIsoMillis(*end);
    if (!s || !e || start->size() != 10 || end->size() != 10)
      return Error(ApiError::Invalid("startDate and endDate must be dates (YYYY-MM-DD)"));
    if (*s > *e) return Error(ApiError::Invalid("startDate must be lower than or equal to endDate"));
    if (*e > now) return Error(ApiError::Invalid("endDate must not be in the future"));
    from = *s;
    to = *e + kDayMs - 1;
  }
  auto contact = account_.GetContact(ref.value(), from, to);
  if (!contact.ok()) return Error(contact.error());
  return Json(200, contact.value());
}

http::HttpResponse BrevoSandbox::GetContactStats(http::HttpRequest& r, const KeyInfo&) {
  auto ref = ParseContactRef(r.Param("identifier"), std::nullopt, true);
  if (!ref.ok()) return Error(ref.error());
  auto start = r.Query("startDate"), end = r.Query("endDate");
  const int64_t now = clock_.NowMillis();
  int64_t from = now - 90 * kDayMs, to = now;
  if ((start && !start->empty()) || (end && !end->empty())) {
    const std::optional<int64_t> s = start ? ParseIsoMillis(*start) : std::nullopt;
    const std::optional<int64_t> e = end ? ParseIsoMillis(*end) : std::nullopt;
    if (!s.has_value() || !e.has_value())
      return Error(ApiError::Invalid("startDate and endDate must be passed together as YYYY-MM-DD"));
    // value_or: both are known set here; it also keeps GCC 12's -Wmaybe-uninitialized quiet at -O2.
    const int64_t s_ms = s.value_or(0), e_ms = e.value_or(0);
    if (s_ms > e_ms) return Error(ApiError::Invalid("startDate must be lower than or equal to endDate"));
    if (e_ms - s_ms > 90 * kDayMs) return Error(ApiError::Invalid("The maximum span between startDate and endDate is 90 days"));
    from = s_ms;
    to = e_ms + kDayMs - 1;
  }
  auto contact = account_.GetContact(ref.value(), from, to);
  if (!contact.ok()) return Error(contact.error());
  return Json(200, contact.value()["statistics"]);
}

http::HttpResponse BrevoSandbox::UpdateContact(http::HttpRequest& r, const KeyInfo& k) {
  auto ref = ParseContactRef(r.Param("identifier"), r.Query("identifierType"), true);
  if (!ref.ok()) return Error(ref.error());
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto in = ParseContactInput(body);
  if (!in.ok()) return Error(in.error());
  auto done = account_.UpdateContact(ref.value(), in.value(), Writer{k.name});
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::DeleteContact(http::HttpRequest& r, const KeyInfo& k) {
  auto ref = ParseContactRef(r.Param("identifier"), r.Query("identifierType"), true);
  if (!ref.ok()) return Error(ref.error());
  auto done = account_.DeleteContact(ref.value(), Writer{k.name});
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::BatchUpdate(http::HttpRequest& r, const KeyInfo& k) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  if (!body.is_object() || !body.contains("contacts") || !body["contacts"].is_array())
    return Error(ApiError::Missing("contacts is required: an array of contacts to update"));
  std::vector<BatchItem> items;
  const auto& contacts = body["contacts"];
  for (size_t i = 0; i < contacts.size(); ++i) {
    const std::string where = "contacts[" + std::to_string(i) + "].";
    const auto& item = contacts[i];
    auto in = ParseContactInput(item, where);
    if (!in.ok()) return Error(in.error());
    BatchItem b;
    b.input = std::move(in.value());
    int given = 0;
    if (item.contains("email") && !item["email"].is_null()) {
      if (!item["email"].is_string()) return Error(ApiError::Invalid(where + "email must be a string"));
      b.ref = {ContactRef::Kind::kEmail, item["email"].get<std::string>()};
      ++given;
    }
    if (item.contains("id") && !item["id"].is_null()) {
      if (!item["id"].is_number_integer()) return Error(ApiError::Invalid(where + "id must be an integer"));
      b.ref = {ContactRef::Kind::kId, std::to_string(item["id"].get<int64_t>())};
      ++given;
    }
    if (item.contains("sms") && !item["sms"].is_null()) {
      if (!item["sms"].is_string()) return Error(ApiError::Invalid(where + "sms must be a string"));
      b.ref = {ContactRef::Kind::kSms, item["sms"].get<std::string>()};
      ++given;
    }
    if (given == 0) return Error(ApiError::Missing(where + "email, id or sms is required"));
    if (given > 1) return Error(ApiError::Invalid(where + "pass only one identifier: email, id or sms"));
    items.push_back(std::move(b));
  }
  auto done = account_.BatchUpdate(items, Writer{k.name});
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::ImportContacts(http::HttpRequest& r, const KeyInfo& k) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto request = ParseImportRequest(body);
  if (!request.ok()) return Error(request.error());
  ImportRequest& req = request.value();
  for (int64_t l : req.job.list_ids)
    if (!account_.ListExists(l)) return Error(ApiError::Invalid("listIds: list " + std::to_string(l) + " does not exist"));
  if (req.new_list) {
    auto list = account_.CreateList(req.new_list->first, req.new_list->second);
    if (!list.ok()) return Error(list.error());
    req.job.list_ids.push_back(list.value());
  }
  Behaviour b = account_.behaviour();
  int64_t id = processes_.AddImport(std::make_shared<const ImportJob>(std::move(req.job)), req.notify_url,
                                    b.import_queued_ms, b.import_processing_ms, Writer{k.name});
  return Json(202, {{"processId", id}});
}

http::HttpResponse BrevoSandbox::ListSegments(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  size_t limit = 0, offset = 0;
  bool descending = true;
  if (!QueryPage(r, &limit, &offset, &descending, &error)) return error;
  return Json(200, {{"segments", nlohmann::json::array()}, {"count", 0}});
}

}  // namespace tajo::sandbox::brevo
