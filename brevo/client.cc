#include "brevo/client.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "brevo/errors.h"
#include "brevo/parse.h"
#include "http/message.h"
#include "http/plan_budgets.h"

namespace tajo::brevo {
namespace {

using nlohmann::json;

const std::string kContacts(http::kBrevoContactsBucket);
const std::string kOther(http::kBrevoOtherBucket);

json ContactJson(const ContactWrite& c, bool for_batch) {
  json j = {{"email", c.email}};
  if (!c.attributes.empty()) j["attributes"] = c.attributes;
  if (!c.list_ids.empty()) j["listIds"] = c.list_ids;
  if (for_batch && !c.unlink_list_ids.empty()) j["unlinkListIds"] = c.unlink_list_ids;
  if (c.email_blacklisted) j["emailBlacklisted"] = *c.email_blacklisted;
  return j;
}

json WebhookJson(const WebhookWrite& w, bool create) {
  json j = {{"url", w.url}, {"description", w.description}, {"events", w.events}};
  if (create) j["type"] = w.type;
  if (!w.bearer_token.empty()) j["auth"] = {{"type", "bearer"}, {"token", w.bearer_token}};
  return j;
}

// Masks `secret` in a failed call's Status (Brevo's error messages could echo the request).
Status WithoutSecret(const Status& s, const std::string& secret) {
  if (s.ok() || secret.empty() || s.message().find(secret) == std::string::npos) return s;
  std::string text = s.message();
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
    text.replace(pos, secret.size(), "[REDACTED]");
  return Status(s.code(), text);
}

}  // namespace

BrevoClient::BrevoClient(http::ApiCaller& caller, BrevoClientOptions options)
    : caller_(caller), options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
}

Result<http::HttpResponse> BrevoClient::Send(const std::string& method, const std::string& path_and_query,
                                             const std::string& body, const std::string& bucket, bool idempotent) {
  const std::string endpoint = method + " /v3" + path_and_query.substr(0, path_and_query.find('?'));
  http::ClientRequest request;
  request.method = method;
  request.url = options_.base_url + path_and_query;
  request.timeout_ms = options_.timeout_ms;
  request.headers.Set("api-key", options_.api_key);
  request.headers.Set("Accept", "application/json");
  if (!body.empty()) {
    request.headers.Set("Content-Type", "application/json");
    request.body = body;
  }
  http::CallOptions call;
  call.buckets = {bucket};
  call.idempotent = idempotent;
  auto response = caller_.Call(request, call);
  if (!response.ok()) return response.status().WithContext(endpoint);
  if (response->status < 200 || response->status >= 300) return ErrorFromResponse(endpoint, *response);
  return response;
}

Result<ContactPage> BrevoClient::ListContacts(const ContactListOptions& o) {
  std::vector<std::pair<std::string, std::string>> q{{"limit", std::to_string(o.limit)},
                                                     {"offset", std::to_string(o.offset)},
                                                     {"sort", o.ascending ? "asc" : "desc"}};
  if (!o.modified_since.empty()) q.emplace_back("modifiedSince", o.modified_since);
  auto r = Send("GET", "/contacts?" + http::BuildQuery(q), "", kContacts, true);
  if (!r.ok()) return r.status();
  return ParseContactPage("GET /v3/contacts", r->body);
}

Result<Contact> BrevoClient::GetContactByEmail(const std::string& email) {
  auto r = Send("GET", "/contacts/" + http::UrlEncode(email) + "?identifierType=email_id", "", kContacts, true);
  if (!r.ok()) return r.status();
  return ParseContact("GET /v3/contacts/{identifier}", r->body);
}

Result<bool> BrevoClient::DeleteContactByEmail(const std::string& email) {
  auto r = Send("DELETE", "/contacts/" + http::UrlEncode(email) + "?identifierType=email_id", "", kContacts, true);
  if (r.ok()) return true;
  if (r.status().code() == StatusCode::kNotFound) return false;
  return r.status();
}

Result<int64_t> BrevoClient::UpsertContact(const ContactWrite& contact) {
  json body = ContactJson(contact, false);
  body["updateEnabled"] = true;
  // An upsert keyed by email: repeating it is harmless.
  auto r = Send("POST", "/contacts", body.dump(), kContacts, true);
  if (!r.ok()) return r.status();
  if (r->status == 204 || r->body.empty()) return int64_t{0};
  return ParseCreatedId("POST /v3/contacts", r->body);
}

Status BrevoClient::BatchUpdate(const std::vector<ContactWrite>& contacts) {
  json list = json::array();
  for (const auto& c : contacts) list.push_back(ContactJson(c, true));
  // Setting the same values again is harmless: safe to retry.
  auto r = Send("POST", "/contacts/batch", json{{"contacts", list}}.dump(), kContacts, true);
  return r.status();
}

Result<int64_t> BrevoClient::ImportContacts(const std::vector<ContactWrite>& contacts,
                                            const std::vector<int64_t>& list_ids, bool update_existing,
                                            bool empty_attributes) {
  json rows = json::array();
  for (const auto& c : contacts) {
    json row = {{"email", c.email}};
    if (!c.attributes.empty()) row["attributes"] = c.attributes;
    rows.push_back(std::move(row));
  }
  json body = {{"jsonBody", rows},
               {"listIds", list_ids},
               {"updateExistingContacts", update_existing},
               {"emptyContactsAttributes", empty_attributes}};
  std::string text = body.dump();
  if (text.size() > kMaxImportBytes)
    return Status::InvalidArgument(fmt::format("POST /v3/contacts/import: {} contacts make {} bytes, over Brevo's 10 MB "
                                               "limit: split the import",
                                               contacts.size(), text.size()));
  // An import is an upsert by email: repeating one after a lost answer does no harm.
  auto r = Send("POST", "/contacts/import", text, kContacts, true);
  if (!r.ok()) return r.status();
  return ParseProcessId("POST /v3/contacts/import", r->body);
}

Result<ImportProcess> BrevoClient::GetProcess(int64_t process_id) {
  auto r = Send("GET", "/processes/" + std::to_string(process_id), "", kOther, true);
  if (!r.ok()) return r.status();
  return ParseProcess("GET /v3/processes/{id}", r->body);
}

Result<std::vector<ImportProcess>> BrevoClient::ListProcesses(int limit, int64_t offset) {
  std::vector<std::pair<std::string, std::string>> q{
      {"limit", std::to_string(limit)}, {"offset", std::to_string(offset)}, {"sort", "desc"}};
  auto r = Send("GET", "/processes?" + http::BuildQuery(q), "", kOther, true);
  if (!r.ok()) return r.status();
  return ParseProcesses("GET /v3/processes", r->body);
}

Result<std::vector<Attribute>> BrevoClient::ListAttributes() {
  auto r = Send("GET", "/contacts/attributes", "", kContacts, true);
  if (!r.ok()) return r.status();
  return ParseAttributes("GET /v3/contacts/attributes", r->body);
}

Status BrevoClient::CreateAttribute(const std::string& category, const std::string& name, const std::string& type) {
  auto r = Send("POST", "/contacts/attributes/" + http::UrlEncode(category) + "/" + http::UrlEncode(name),
                json{{"type", type}}.dump(), kContacts, false);
  return r.status();
}

Result<std::vector<ContactList>> BrevoClient::ListLists() {
  std::vector<ContactList> out;
  constexpr int kPage = 50;  // Brevo's maximum for lists
  for (int64_t offset = 0;; offset += kPage) {
    auto r = Send("GET", fmt::format("/contacts/lists?limit={}&offset={}", kPage, offset), "", kContacts, true);
    if (!r.ok()) return r.status();
    int64_t count = 0;
    auto page = ParseLists("GET /v3/contacts/lists", r->body, &count);
    if (!page.ok()) return page.status();
    for (auto& l : *page) out.push_back(std::move(l));
    if (page->size() < static_cast<size_t>(kPage) || static_cast<int64_t>(out.size()) >= count) break;
  }
  return out;
}

Result<int64_t> BrevoClient::CreateList(const std::string& name, int64_t folder_id) {
  auto r = Send("POST", "/contacts/lists", json{{"name", name}, {"folderId", folder_id}}.dump(), kContacts, false);
  if (!r.ok()) return r.status();
  return ParseCreatedId("POST /v3/contacts/lists", r->body);
}

Result<std::vector<Folder>> BrevoClient::ListFolders() {
  std::vector<Folder> out;
  constexpr int kPage = 50;
  for (int64_t offset = 0;; offset += kPage) {
    auto r = Send("GET", fmt::format("/contacts/folders?limit={}&offset={}", kPage, offset), "", kContacts, true);
    if (!r.ok()) return r.status();
    int64_t count = 0;
    auto page = ParseFolders("GET /v3/contacts/folders", r->body, &count);
    if (!page.ok()) return page.status();
    for (auto& f : *page) out.push_back(std::move(f));
    if (page->size() < static_cast<size_t>(kPage) || static_cast<int64_t>(out.size()) >= count) break;
  }
  return out;
}

Result<int64_t> BrevoClient::CreateFolder(const std::string& name) {
  auto r = Send("POST", "/contacts/folders", json{{"name", name}}.dump(), kContacts, false);
  if (!r.ok()) return r.status();
  return ParseCreatedId("POST /v3/contacts/folders", r->body);
}

Result<ListMembershipResult> BrevoClient::ChangeList(int64_t list_id, const std::vector<std::string>& emails,
                                                     const char* verb) {
  ListMembershipResult out;
  const std::string path = fmt::format("/contacts/lists/{}/contacts/{}", list_id, verb);
  for (size_t start = 0; start < emails.size(); start += kMaxListMembership) {
    std::vector<std::string> chunk(emails.begin() + start,
                                   emails.begin() + std::min(emails.size(), start + kMaxListMembership));
    // Adding or removing the same emails twice leaves the same membership: safe to retry.
    auto r = Send("POST", path, json{{"emails", chunk}}.dump(), kContacts, true);
    if (!r.ok()) return r.status();
    auto part = ParseMembership("POST /v3/contacts/lists/{id}/contacts/" + std::string(verb), r->body);
    if (!part.ok()) return part.status();
    out.success.insert(out.success.end(), part->success.begin(), part->success.end());
    out.failure.insert(out.failure.end(), part->failure.begin(), part->failure.end());
  }
  return out;
}

Result<ListMembershipResult> BrevoClient::AddToList(int64_t list_id, const std::vector<std::string>& emails) {
  return ChangeList(list_id, emails, "add");
}

Result<ListMembershipResult> BrevoClient::RemoveFromList(int64_t list_id, const std::vector<std::string>& emails) {
  return ChangeList(list_id, emails, "remove");
}

Result<Account> BrevoClient::GetAccount() {
  auto r = Send("GET", "/account", "", kOther, true);
  if (!r.ok()) return r.status();
  return ParseAccount("GET /v3/account", r->body);
}

Result<std::vector<Webhook>> BrevoClient::ListWebhooks(const std::string& type) {
  auto r = Send("GET", "/webhooks?" + http::BuildQuery({{"type", type}}), "", kOther, true);
  if (!r.ok()) return r.status();
  return ParseWebhooks("GET /v3/webhooks", r->body);
}

Result<int64_t> BrevoClient::CreateWebhook(const WebhookWrite& webhook) {
  auto r = Send("POST", "/webhooks", WebhookJson(webhook, true).dump(), kOther, false);
  if (!r.ok()) return WithoutSecret(r.status(), webhook.bearer_token);
  return ParseCreatedId("POST /v3/webhooks", r->body);
}

Status BrevoClient::UpdateWebhook(int64_t id, const WebhookWrite& webhook) {
  // Replacing with the same values again is harmless: safe to retry.
  auto r = Send("PUT", "/webhooks/" + std::to_string(id), WebhookJson(webhook, false).dump(), kOther, true);
  return WithoutSecret(r.status(), webhook.bearer_token);
}

}  // namespace tajo::brevo
