// BrevoClient: the typed Brevo API v3 tajo uses — contacts (list, get, create, batch update,
// import and its process), attributes, lists and folders, list membership, the account and
// webhooks — on top of http::ApiCaller, each call in its rate bucket (http/plan_budgets.h:
// /contacts/* in "brevo-contacts", /processes and everything else in "brevo-other").
//
// Each method returns the parsed value, or a Status from brevo/errors.h (an HTTP error, with
// what to do) or brevo/parse.h (a malformed answer), always naming the endpoint. The API key is
// sent in the `api-key` header and never appears in a Status or a log line.
//
// Thread-safe: methods may be called from several threads at once (the ApiCaller is).
#pragma once

#include <string>
#include <vector>

#include "brevo/types.h"
#include "core/status.h"
#include "http/api_caller.h"

namespace tajo::brevo {

struct BrevoClientOptions {
  std::string base_url = "https://api.brevo.com/v3";  // no trailing '/'
  std::string api_key;
  int timeout_ms = 60'000;  // imports of 10 MB take a while to upload
};

// Brevo's documented maxima.
inline constexpr int kMaxContactsPage = 1000;    // GET /contacts limit
inline constexpr int kMaxListMembership = 150;   // emails per list add/remove call
inline constexpr size_t kMaxImportBytes = 10 * 1024 * 1024;

struct ContactListOptions {
  int limit = kMaxContactsPage;
  int64_t offset = 0;
  std::string modified_since;  // ISO-8601; "" = all
  bool ascending = true;       // by creation; Brevo's default is descending
};

class BrevoClient {
 public:
  BrevoClient(http::ApiCaller& caller, BrevoClientOptions options);
  BrevoClient(const BrevoClient&) = delete;
  BrevoClient& operator=(const BrevoClient&) = delete;

  // GET /contacts: one page.
  Result<ContactPage> ListContacts(const ContactListOptions& options);
  // GET /contacts/{email}?identifierType=email_id. kNotFound when there is none.
  Result<Contact> GetContactByEmail(const std::string& email);
  // DELETE /contacts/{email}?identifierType=email_id. Returns false when there was no such contact
  // (Brevo has no batch delete: one call per contact).
  Result<bool> DeleteContactByEmail(const std::string& email);
  // POST /contacts with updateEnabled: creates or updates one contact. Returns the new id, or 0
  // when an existing contact was updated (Brevo answers 204 without a body then).
  Result<int64_t> UpsertContact(const ContactWrite& contact);
  // POST /contacts/batch: updates existing contacts, all or nothing (Brevo rejects the whole
  // call with 404 when one is unknown). REQUIRES: every contact has an email.
  Status BatchUpdate(const std::vector<ContactWrite>& contacts);
  // POST /contacts/import with jsonBody: creates or updates in bulk, asynchronously. Returns the
  // process id. Fails with kInvalidArgument before sending when the body would exceed 10 MB.
  Result<int64_t> ImportContacts(const std::vector<ContactWrite>& contacts, const std::vector<int64_t>& list_ids,
                                 bool update_existing, bool empty_attributes);
  // GET /processes/{id}
  Result<ImportProcess> GetProcess(int64_t process_id);
  // GET /processes?limit=&offset=&sort=desc: the newest processes first (limit up to 50).
  Result<std::vector<ImportProcess>> ListProcesses(int limit, int64_t offset);

  // GET /contacts/attributes; POST /contacts/attributes/{category}/{name} {"type": type}.
  Result<std::vector<Attribute>> ListAttributes();
  Status CreateAttribute(const std::string& category, const std::string& name, const std::string& type);

  // GET /contacts/lists (every page); POST /contacts/lists.
  Result<std::vector<ContactList>> ListLists();
  Result<int64_t> CreateList(const std::string& name, int64_t folder_id);
  // GET /contacts/folders (every page); POST /contacts/folders.
  Result<std::vector<Folder>> ListFolders();
  Result<int64_t> CreateFolder(const std::string& name);

  // GET /account: who the key belongs to. In the "brevo-other" bucket (100 calls an hour on
  // general plans): call it sparingly.
  Result<Account> GetAccount();
  // GET /webhooks?type={type}: the account's outbound webhooks of that type ("marketing",
  // "transactional", "inbound"). Also in "brevo-other".
  Result<std::vector<Webhook>> ListWebhooks(const std::string& type);
  // POST /webhooks: creates an outbound webhook of `webhook.type`. Returns its id. Not retried
  // after a lost answer (it could create a second one): list the webhooks before trying again.
  // The bearer token is never part of a returned Status.
  Result<int64_t> CreateWebhook(const WebhookWrite& webhook);
  // PUT /webhooks/{id}: replaces the url, description, events and auth of webhook `id` (its type
  // stays). kNotFound when there is no such webhook.
  Status UpdateWebhook(int64_t id, const WebhookWrite& webhook);

  // POST /contacts/lists/{id}/contacts/add|remove, split into calls of 150 emails.
  Result<ListMembershipResult> AddToList(int64_t list_id, const std::vector<std::string>& emails);
  Result<ListMembershipResult> RemoveFromList(int64_t list_id, const std::vector<std::string>& emails);

 private:
  Result<http::HttpResponse> Send(const std::string& method, const std::string& path_and_query,
                                  const std::string& body, const std::string& bucket, bool idempotent);
  Result<ListMembershipResult> ChangeList(int64_t list_id, const std::vector<std::string>& emails, const char* verb);

  http::ApiCaller& caller_;
  BrevoClientOptions options_;
};

}  // namespace tajo::brevo
