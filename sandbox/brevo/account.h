// Account: one Brevo account in memory — contacts, their attribute catalog, lists and folders,
// and per-contact campaign statistics — with the rules Brevo applies to them (reference §2-§4):
// email (case-insensitive), SMS, WhatsApp, landline and ext_id unique; attributes typed per the
// catalog (a value of the wrong type is ignored); SMS with a country code; dates YYYY-MM-DD;
// createdAt / modifiedAt maintained by the server; list memberships both ways.
//
// Built for 1,000,000 contacts: contacts are found by id in O(1) and by identifier through hash
// indexes; lists of contacts (the account and each list) are OrderIndex-es, so a page of
// GET /contacts costs time in proportion to the page (see order_index.h). Filters the indexes do
// not cover (ids, several listIds, attribute `filter`) scan the account.
//
// Ids grow with creation and createdAt never decreases with the id (a clock set backwards gives
// new contacts the previous createdAt), so "creation order" is id order.
//
// Every change that Brevo reports through marketing webhooks (contact_updated, contact_deleted,
// list_addition, and the campaign events admin mutations simulate) is handed to the listener set
// with SetListener, after the change is made and outside the lock.
//
// Thread-safe: one reader-writer lock; reads run concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "sandbox/brevo/api_error.h"
#include "sandbox/brevo/attributes.h"
#include "sandbox/brevo/contact.h"
#include "sandbox/brevo/options.h"
#include "sandbox/brevo/order_index.h"

namespace tajo::sandbox::brevo {

// Who makes a change: the name of the API key (webhook `api_key_name`), "" for the UI / admin.
struct Writer {
  std::string api_key_name;
};

// A change as marketing webhooks report it (reference §7.2).
struct AccountEvent {
  enum class Kind {
    kContactUpdated, kContactDeleted, kListAddition,
    kUnsubscribed, kOpened, kClick, kHardBounce, kSoftBounce, kSpam, kDelivered,
  };
  Kind kind = Kind::kContactUpdated;
  int64_t contact_id = 0;
  std::string email;
  std::vector<int64_t> list_ids;
  nlohmann::json content;  // contact_updated: the changed attributes {"NAME": value}
  std::string api_key_name;
  int64_t campaign_id = 0;
  std::string campaign_name;
  std::string url;     // click
  std::string reason;  // bounces, spam
  int64_t at_ms = 0;
};
const char* AccountEventName(AccountEvent::Kind kind);  // payload `event`, e.g. "contact_updated"

// A timestamp as the sandbox writes it: "2024-01-24T17:39:57.123Z" with offset 0, else local time
// with the offset ("2024-01-24T18:39:57.123+01:00"); see Behaviour::timestamp_offset_minutes.
std::string FormatBrevoTime(int64_t unix_ms, int offset_minutes);

// GET /contacts query.
struct ContactQuery {
  size_t limit = 50;
  size_t offset = 0;
  std::optional<int64_t> modified_since_ms;
  std::optional<int64_t> created_since_ms;
  bool descending = true;
  std::vector<int64_t> list_ids;  // contacts in any of these lists
  std::vector<int64_t> ids;       // only these contacts
  std::optional<std::pair<std::string, std::string>> filter;  // equals(ATTR, value)
};

// One item of POST /contacts/batch.
struct BatchItem {
  ContactRef ref;
  ContactInput input;
};

// POST /contacts/lists/{id}/contacts/add|remove.
struct ListMembersInput {
  enum class By { kEmails, kIds, kExtIds, kAll } by = By::kEmails;
  std::vector<std::string> emails_or_ext_ids;
  std::vector<int64_t> ids;
};

// A parsed import (reference §2.8), applied when its process runs.
struct ImportJob {
  std::vector<nlohmann::json> rows;  // {"email"?: str, "attributes": {NAME: value}} (CSV cells as strings)
  std::vector<int64_t> list_ids;
  bool update_existing = true;
  bool empty_attributes = false;
  bool email_blacklist = false;
  bool sms_blacklist = false;
};
struct ImportOutcome {
  int64_t created = 0, updated = 0, unchanged = 0;
  int64_t invalid = 0;         // no usable identifier, bad email or phone
  int64_t duplicate_email = 0, duplicate_ext_id = 0, duplicate_phone = 0;  // within the file or held by another contact
};

// Campaign statistics of one contact (GET /contacts/{id} `statistics`).
struct CampaignEvent {
  int64_t campaign_id = 0;
  int64_t at_ms = 0;
  int64_t count = 1;
  std::string ip;
  std::string url;
};
struct ContactStats {
  std::vector<CampaignEvent> sent, delivered, hard_bounces, soft_bounces, complaints, opened, clicked, unsubscriptions;
};

// A contact made by the seeder (no webhook events, no validation beyond the catalog).
struct SeedContact {
  std::string email;
  std::vector<std::pair<std::string, nlohmann::json>> attributes;
  bool email_blacklisted = false;
  bool sms_blacklisted = false;
  std::vector<int64_t> lists;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
};

struct AccountCounts {
  int64_t contacts = 0, lists = 0, folders = 0, attributes = 0, email_blacklisted = 0;
};

class Account {
 public:
  using Listener = std::function<void(const std::vector<AccountEvent>&)>;

  // `clock` stamps createdAt/modifiedAt; it must outlive the account. `behaviour` may be replaced
  // at run time with set_behaviour.
  Account(Clock& clock, Behaviour behaviour, std::string owner_email);
  ~Account();
  Account(const Account&) = delete;
  Account& operator=(const Account&) = delete;

  void set_behaviour(const Behaviour& b);
  Behaviour behaviour() const;
  void SetListener(Listener listener);
  // Empties the account: no contacts, lists, folders; default attributes.
  void Reset();

  // ---- Contacts (reference §2).
  struct CreateOutcome {
    int64_t id = 0;
    bool created = false;  // false: an existing contact was updated (updateEnabled)
  };
  // POST /contacts. Errors: 400 missing_parameter (no email, ext_id or SMS), invalid_parameter
  // (bad email, phone, list), duplicate_parameter ("Contact already exist" without
  // updateEnabled; "<identifier> is already associated with another Contact").
  ApiResult<CreateOutcome> CreateContact(const ContactInput& in, bool update_enabled, const Writer& w);
  // PUT /contacts/{identifier}: update only (404 "Contact does not exist").
  ApiResult<Done> UpdateContact(const ContactRef& ref, const ContactInput& in, const Writer& w);
  // DELETE /contacts/{identifier}. 405 for the account owner's email.
  ApiResult<Done> DeleteContact(const ContactRef& ref, const Writer& w);
  // GET /contacts/{identifier}: the contact with `statistics` for events in [from_ms, to_ms].
  ApiResult<nlohmann::json> GetContact(const ContactRef& ref, int64_t stats_from_ms, int64_t stats_to_ms) const;
  // GET /contacts: {"contacts": [...], "count": N}.
  ApiResult<nlohmann::json> ListContacts(const ContactQuery& q) const;
  // POST /contacts/batch: all or nothing. 404 "No contact found for indexes i,j" (0-based) when
  // any contact is unknown; any other error of any item rejects the call too.
  ApiResult<Done> BatchUpdate(const std::vector<BatchItem>& items, const Writer& w);
  // The id of the contact `ref` names, or nullopt.
  std::optional<int64_t> FindContact(const ContactRef& ref) const;
  // POST /v3/events: the contact the identifiers name ({"email_id":..,"ext_id":..,"phone_id":..,
  // "whatsapp_id":..,"landline_number_id":..,"contact_id":..}; contact_id wins), created when
  // missing and `create`, with `properties` written as attributes. 404 when missing and !create.
  ApiResult<int64_t> ContactForEvent(const nlohmann::json& identifiers, const nlohmann::json& properties, bool create,
                                     const Writer& w);

  // ---- Attributes (reference §3).
  nlohmann::json AttributesJson() const;
  ApiResult<Done> CreateAttribute(const std::string& category, const std::string& name, const nlohmann::json& body);
  ApiResult<Done> UpdateAttribute(const std::string& category, const std::string& name, const nlohmann::json& body);
  ApiResult<Done> DeleteAttribute(const std::string& category, const std::string& name);
  ApiResult<Done> DeleteAttributeOption(const std::string& name, const std::string& option);

  // ---- Lists and folders (reference §4). Pages: {"lists"|"folders": [...], "count": N}.
  ApiResult<int64_t> CreateFolder(const std::string& name);
  ApiResult<nlohmann::json> GetFolder(int64_t id) const;
  ApiResult<Done> UpdateFolder(int64_t id, const std::string& name);
  ApiResult<Done> DeleteFolder(int64_t id);  // and its lists
  nlohmann::json ListFolders(size_t limit, size_t offset, bool descending) const;
  ApiResult<nlohmann::json> FolderLists(int64_t folder_id, size_t limit, size_t offset, bool descending) const;
  ApiResult<int64_t> CreateList(const std::string& name, int64_t folder_id);
  ApiResult<nlohmann::json> GetList(int64_t id) const;
  ApiResult<Done> UpdateList(int64_t id, const std::optional<std::string>& name, std::optional<int64_t> folder_id);
  ApiResult<Done> DeleteList(int64_t id);
  nlohmann::json ListLists(size_t limit, size_t offset, bool descending) const;
  bool ListExists(int64_t id) const;
  // GET /contacts/lists/{id}/contacts (uses q.modified_since_ms, descending, limit, offset).
  ApiResult<nlohmann::json> ListMembers(int64_t list_id, const ContactQuery& q) const;
  // POST .../contacts/add: 201 body {"contacts":{"success":[..],"failure":[..]}}; 404 unknown list.
  ApiResult<nlohmann::json> AddToList(int64_t list_id, const ListMembersInput& in, const Writer& w);
  // POST .../contacts/remove; with kAll the count removed is returned in "total".
  ApiResult<nlohmann::json> RemoveFromList(int64_t list_id, const ListMembersInput& in, const Writer& w);

  // ---- Import (reference §2.8): applied by the process runner.
  ImportOutcome ApplyImport(const ImportJob& job, const Writer& w);

  // ---- Simulated marketer / recipient actions (admin mutate).
  // Records a campaign event on the contact's statistics and emits it; hard bounces and spam
  // complaints blocklist the contact, unsubscriptions too (reference §7.2).
  ApiResult<Done> RecordCampaignEvent(const ContactRef& ref, AccountEvent::Kind kind, int64_t campaign_id,
                                      const std::string& campaign_name, const std::string& url,
                                      const std::string& reason);
  // Contact ids in id order, `count` of them spread over the account from `seed` (for random
  // mutations).
  std::vector<int64_t> SampleContactIds(size_t count, uint64_t seed) const;

  // ---- Seeding (no events, no per-contact validation beyond the catalog). Returns the new id.
  int64_t Seed(const SeedContact& c);
  // Makes room for `n` more contacts (seeding a large account).
  void Reserve(size_t n);
  // Seeds a list in a folder without a webhook trail.
  int64_t SeedList(const std::string& name, int64_t folder_id);

  AccountCounts Counts() const;
  size_t MemoryBytes() const;

 private:
  struct Folder;
  struct List;
  struct WritePlan;
  struct Flags;

  // All REQUIRE the lock (shared for const, exclusive otherwise).
  Contact* ContactById(int64_t id) const;
  Contact* Resolve(const ContactRef& ref) const;
  Contact* ByIdentifier(IdentifierKind kind, const std::string& normalized) const;
  ApiResult<WritePlan> Plan(Contact* target, const ContactInput& in, const Flags& flags) const;
  // Returns the id; *changed tells whether anything changed.
  int64_t Apply(Contact* target, const WritePlan& plan, const Writer& w, bool* changed = nullptr);
  void IndexIdentifier(IdentifierKind kind, const std::string& value, int64_t id);
  void UnindexIdentifier(IdentifierKind kind, const std::string& value);
  bool AddMembership(Contact& c, int64_t list_id);
  bool RemoveMembership(Contact& c, int64_t list_id);
  void SetModified(Contact& c, int64_t ms);
  void SetEmailBlacklisted(Contact& c, bool value);
  void RemoveContact(Contact& c);
  int64_t NowMs() const;
  int64_t NextCreatedMs();
  int64_t MinIdCreatedAfter(int64_t since_ms, bool inclusive) const;
  // The order-index query (direction, offset, limit, modified-since) of a contact query. REQUIRES: mu_ held.
  OrderIndex::Query OrderQueryFor(const ContactQuery& q) const;
  nlohmann::json ContactJson(const Contact& c) const;
  nlohmann::json StatsJson(int64_t contact_id, int64_t from_ms, int64_t to_ms) const;
  nlohmann::json ListJson(const List& l, bool extended) const;
  nlohmann::json FolderJson(const Folder& f) const;
  nlohmann::json PageJson(const std::vector<int64_t>& ids, size_t total) const;
  bool MatchesFilter(const Contact& c, const AttributeDef* def, const std::string& value) const;
  std::string FormatTime(int64_t ms) const;
  void Emit(AccountEvent e);
  std::vector<AccountEvent> TakeEvents();
  void Publish(std::vector<AccountEvent> events);

  Clock& clock_;
  std::string owner_email_;
  mutable std::shared_mutex mu_;
  Behaviour behaviour_;
  AttributeCatalog attributes_;
  std::vector<std::unique_ptr<Contact>> contacts_;  // by id - 1; null when deleted
  int64_t live_contacts_ = 0;
  int64_t last_created_ms_ = 0;
  std::vector<std::pair<int64_t, int64_t>> created_log_;  // (createdAt, id), both ascending
  OrderIndex all_;
  std::unordered_map<std::string_view, int64_t> by_email_;  // views into Contact::email
  std::unordered_map<std::string, int64_t> by_identifier_[6];  // by IdentifierKind (not kEmail)
  std::unordered_map<int64_t, ContactStats> stats_;
  std::map<int64_t, std::unique_ptr<Folder>> folders_;
  std::map<int64_t, std::unique_ptr<List>> lists_;
  int64_t next_folder_id_ = 1;
  int64_t next_list_id_ = 1;
  int64_t email_blacklisted_ = 0;
  std::vector<AccountEvent> outbox_;
  std::mutex listener_mu_;
  Listener listener_;
};

}  // namespace tajo::sandbox::brevo
