// Account: construction, lookups, reads and JSON rendering. Writes are in account_write.cc,
// lists and folders in account_lists.cc.
#include "sandbox/brevo/account.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include <fmt/format.h>

#include "sandbox/brevo/account_internal.h"
#include "sandbox/common/rng.h"
#include "sandbox/common/time_format.h"

namespace tajo::sandbox::brevo {

const char* AccountEventName(AccountEvent::Kind kind) {
  switch (kind) {
    case AccountEvent::Kind::kContactUpdated: return "contact_updated";
    case AccountEvent::Kind::kContactDeleted: return "contact_deleted";
    case AccountEvent::Kind::kListAddition: return "list_addition";
    case AccountEvent::Kind::kUnsubscribed: return "unsubscribed";
    case AccountEvent::Kind::kOpened: return "opened";
    case AccountEvent::Kind::kClick: return "click";
    case AccountEvent::Kind::kHardBounce: return "hard_bounce";
    case AccountEvent::Kind::kSoftBounce: return "soft_bounce";
    case AccountEvent::Kind::kSpam: return "spam";
    case AccountEvent::Kind::kDelivered: return "delivered";
  }
  return "";
}

Account::Account(Clock& clock, Behaviour behaviour, std::string owner_email)
    : clock_(clock), owner_email_(LowerAscii(owner_email)), behaviour_(behaviour) {}

Account::~Account() = default;

void Account::set_behaviour(const Behaviour& b) {
  std::unique_lock lock(mu_);
  behaviour_ = b;
}

Behaviour Account::behaviour() const {
  std::shared_lock lock(mu_);
  return behaviour_;
}

void Account::SetListener(Listener listener) {
  std::lock_guard lock(listener_mu_);
  listener_ = std::move(listener);
}

void Account::Reset() {
  std::unique_lock lock(mu_);
  attributes_.Reset();
  contacts_.clear();
  contacts_.shrink_to_fit();
  live_contacts_ = 0;
  last_created_ms_ = 0;
  created_log_.clear();
  created_log_.shrink_to_fit();
  all_.Clear();
  by_email_.clear();
  for (auto& m : by_identifier_) m.clear();
  stats_.clear();
  folders_.clear();
  lists_.clear();
  next_folder_id_ = 1;
  next_list_id_ = 1;
  email_blacklisted_ = 0;
  outbox_.clear();
}

int64_t Account::NowMs() const { return clock_.NowMillis(); }

int64_t Account::NextCreatedMs() {
  last_created_ms_ = std::max(last_created_ms_, NowMs());
  return last_created_ms_;
}

std::string FormatBrevoTime(int64_t ms, int offset) {
  if (offset == 0) return FormatIsoMillis(ms);
  std::string local = FormatIsoMillis(ms + int64_t{offset} * 60'000);
  local.pop_back();  // the 'Z'
  int a = offset < 0 ? -offset : offset;
  return local + fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+', a / 60, a % 60);
}

std::string Account::FormatTime(int64_t ms) const { return FormatBrevoTime(ms, behaviour_.timestamp_offset_minutes); }

Contact* Account::ContactById(int64_t id) const {
  if (id <= 0 || static_cast<size_t>(id) > contacts_.size()) return nullptr;
  return contacts_[static_cast<size_t>(id - 1)].get();
}

Contact* Account::ByIdentifier(IdentifierKind kind, const std::string& normalized) const {
  if (kind == IdentifierKind::kEmail) {
    auto it = by_email_.find(normalized);
    return it == by_email_.end() ? nullptr : ContactById(it->second);
  }
  const auto& index = by_identifier_[static_cast<int>(kind)];
  auto it = index.find(normalized);
  return it == index.end() ? nullptr : ContactById(it->second);
}

Contact* Account::Resolve(const ContactRef& ref) const {
  auto all_digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  auto phone = [&](IdentifierKind kind) -> Contact* {
    auto n = NormalizePhone(ref.value);
    return n ? ByIdentifier(kind, *n) : nullptr;
  };
  switch (ref.kind) {
    case ContactRef::Kind::kEmail: return ByIdentifier(IdentifierKind::kEmail, LowerAscii(ref.value));
    case ContactRef::Kind::kId: return all_digits(ref.value) ? ContactById(std::stoll(ref.value)) : nullptr;
    case ContactRef::Kind::kExtId: return ByIdentifier(IdentifierKind::kExtId, ref.value);
    case ContactRef::Kind::kSms: return phone(IdentifierKind::kSms);
    case ContactRef::Kind::kWhatsapp: return phone(IdentifierKind::kWhatsapp);
    case ContactRef::Kind::kLandline: return phone(IdentifierKind::kLandline);
    case ContactRef::Kind::kAutoRead:
    case ContactRef::Kind::kAutoWrite:
      break;
  }
  // Without identifierType: an email has an '@'; digits are a contact id, and on reads an SMS
  // number when no contact has that id (the reference leaves the precedence UNCONFIRMED).
  if (ref.value.find('@') != std::string::npos) return ByIdentifier(IdentifierKind::kEmail, LowerAscii(ref.value));
  if (all_digits(ref.value)) {
    Contact* c = ContactById(std::stoll(ref.value));
    if (c || ref.kind == ContactRef::Kind::kAutoWrite) return c;
    return phone(IdentifierKind::kSms);
  }
  if (ref.kind == ContactRef::Kind::kAutoRead && !ref.value.empty() && ref.value[0] == '+')
    return phone(IdentifierKind::kSms);
  return nullptr;
}

std::optional<int64_t> Account::FindContact(const ContactRef& ref) const {
  std::shared_lock lock(mu_);
  Contact* c = Resolve(ref);
  if (!c) return std::nullopt;
  return c->id;
}

nlohmann::json Account::ContactJson(const Contact& c) const {
  nlohmann::json attrs = nlohmann::json::object();
  for (const auto& [id, value] : c.attrs) {
    const AttributeDef* def = attributes_.ById(id);
    if (!def) continue;  // the attribute was deleted
    attrs[def->name] = attributes_.Render(*def, value, behaviour_.category_as_label);
  }
  nlohmann::json j = {{"id", c.id},
                      {"emailBlacklisted", c.email_blacklisted},
                      {"smsBlacklisted", c.sms_blacklisted},
                      {"createdAt", FormatTime(c.created_ms)},
                      {"modifiedAt", FormatTime(c.modified_ms)},
                      {"listIds", c.lists},
                      {"attributes", std::move(attrs)}};
  if (!c.email.empty()) j["email"] = c.email;
  return j;
}

nlohmann::json Account::StatsJson(int64_t contact_id, int64_t from_ms, int64_t to_ms) const {
  nlohmann::json stats = nlohmann::json::object();
  auto it = stats_.find(contact_id);
  if (it == stats_.end()) return stats;
  const ContactStats& s = it->second;
  auto in_window = [&](const CampaignEvent& e) { return e.at_ms >= from_ms && e.at_ms <= to_ms; };
  auto simple = [&](const char* key, const std::vector<CampaignEvent>& events, bool with_count) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& e : events) {
      if (!in_window(e)) continue;
      nlohmann::json j = {{"campaignId", e.campaign_id}, {"eventTime", FormatTime(e.at_ms)}};
      if (with_count) {
        j["count"] = e.count;
        j["ip"] = e.ip;
      }
      arr.push_back(std::move(j));
    }
    if (!arr.empty()) stats[key] = std::move(arr);
  };
  simple("messagesSent", s.sent, false);
  simple("delivered", s.delivered, false);
  simple("hardBounces", s.hard_bounces, false);
  simple("softBounces", s.soft_bounces, false);
  simple("complaints", s.complaints, false);
  simple("opened", s.opened, true);
  nlohmann::json clicked = nlohmann::json::array();
  for (const auto& e : s.clicked) {
    if (!in_window(e)) continue;
    nlohmann::json link = {{"count", e.count}, {"eventTime", FormatTime(e.at_ms)}, {"ip", e.ip}, {"url", e.url}};
    auto found = std::find_if(clicked.begin(), clicked.end(),
                              [&](const nlohmann::json& c) { return c["campaignId"] == e.campaign_id; });
    if (found != clicked.end()) (*found)["links"].push_back(std::move(link));
    else clicked.push_back({{"campaignId", e.campaign_id}, {"links", nlohmann::json::array({std::move(link)})}});
  }
  if (!clicked.empty()) stats["clicked"] = std::move(clicked);
  nlohmann::json user = nlohmann::json::array();
  for (const auto& e : s.unsubscriptions)
    if (in_window(e))
      user.push_back({{"campaignId", e.campaign_id}, {"eventTime", FormatTime(e.at_ms)}, {"ip", e.ip}});
  if (!user.empty())
    stats["unsubscriptions"] = {{"userUnsubscription", std::move(user)}, {"adminUnsubscription", nlohmann::json::array()}};
  return stats;
}

ApiResult<nlohmann::json> Account::GetContact(const ContactRef& ref, int64_t from_ms, int64_t to_ms) const {
  std::shared_lock lock(mu_);
  Contact* c = Resolve(ref);
  if (!c) return ApiError::ContactNotFound();
  nlohmann::json j = ContactJson(*c);
  j["statistics"] = StatsJson(c->id, from_ms, to_ms);
  return j;
}

int64_t Account::MinIdCreatedAfter(int64_t since_ms, bool inclusive) const {
  auto it = inclusive ? std::lower_bound(created_log_.begin(), created_log_.end(), std::pair<int64_t, int64_t>{since_ms, 0})
                      : std::upper_bound(created_log_.begin(), created_log_.end(),
                                         std::pair<int64_t, int64_t>{since_ms, INT64_MAX});
  if (it == created_log_.end()) return static_cast<int64_t>(contacts_.size()) + 1;
  return it->second;
}

nlohmann::json Account::PageJson(const std::vector<int64_t>& ids, size_t total) const {
  nlohmann::json contacts = nlohmann::json::array();
  for (int64_t id : ids)
    if (const Contact* c = ContactById(id)) contacts.push_back(ContactJson(*c));
  return {{"contacts", std::move(contacts)}, {"count", total}};
}

bool Account::MatchesFilter(const Contact& c, const AttributeDef* def, const std::string& value) const {
  if (!def) return false;
  if (def->identifier == IdentifierKind::kEmail) return c.email == LowerAscii(value);
  const std::string* stored = c.Attr(def->id);
  if (!stored) return false;
  nlohmann::json v = value;
  if (def->type == AttrType::kFloat || def->type == AttrType::kBoolean) {
    nlohmann::json parsed = nlohmann::json::parse(value, nullptr, false);
    if (!parsed.is_discarded()) v = parsed;
  }
  Normalized n = attributes_.Normalize(*def, v);
  if (n.kind != Normalized::kSet) return false;
  if (def->type == AttrType::kMultipleChoice) {  // every option asked for must be chosen
    nlohmann::json want = nlohmann::json::parse(n.value, nullptr, false);
    nlohmann::json have = nlohmann::json::parse(*stored, nullptr, false);
    if (want.is_discarded() || have.is_discarded()) return false;
    for (const auto& w : want)
      if (std::find(have.begin(), have.end(), w) == have.end()) return false;
    return true;
  }
  if (def->type == AttrType::kText) return LowerAscii(*stored) == LowerAscii(n.value);
  return *stored == n.value;
}

OrderIndex::Query Account::OrderQueryFor(const ContactQuery& q) const {
  OrderIndex::Query oq;
  oq.descending = q.descending;
  oq.offset = q.offset;
  oq.limit = q.limit;
  oq.modified_after = q.modified_since_ms;
  oq.modified_inclusive = behaviour_.modified_since_inclusive;
  return oq;
}

ApiResult<nlohmann::json> Account::ListContacts(const ContactQuery& q) const {
  std::shared_lock lock(mu_);
  OrderIndex::Query oq = OrderQueryFor(q);
  if (q.created_since_ms) oq.min_id = MinIdCreatedAfter(*q.created_since_ms, behaviour_.modified_since_inclusive);
  for (int64_t l : q.list_ids)
    if (!lists_.count(l)) return ApiError::NotFound("List ID not found");
  const AttributeDef* filter_def = nullptr;
  if (q.filter) {
    filter_def = attributes_.Find(q.filter->first);
    if (!filter_def) return ApiError::Invalid("filter: attribute " + q.filter->first + " does not exist");
  }
  // Served by an index: the account, or one list.
  if (q.ids.empty() && !q.filter && q.list_ids.size() <= 1) {
    const OrderIndex& index = q.list_ids.empty() ? all_ : lists_.at(q.list_ids[0])->members;
    OrderIndex::Page page = index.Select(oq);
    return PageJson(page.ids, page.total);
  }
  // Otherwise a scan: ids (at most 20, looked up), several lists, or an attribute filter.
  std::vector<int64_t> matched;
  auto consider = [&](int64_t id, int64_t modified) {
    if (id < oq.min_id) return;
    if (oq.modified_after && (oq.modified_inclusive ? modified < *oq.modified_after : modified <= *oq.modified_after))
      return;
    const Contact* c = ContactById(id);
    if (!c) return;
    if (!q.list_ids.empty() &&
        std::none_of(q.list_ids.begin(), q.list_ids.end(),
                     [&](int64_t l) { return std::binary_search(c->lists.begin(), c->lists.end(), l); }))
      return;
    if (q.filter && !MatchesFilter(*c, filter_def, q.filter->second)) return;
    matched.push_back(id);
  };
  if (!q.ids.empty()) {
    std::vector<int64_t> ids = q.ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (int64_t id : ids)
      if (const Contact* c = ContactById(id)) consider(id, c->modified_ms);
  } else {
    all_.ForEach(consider);
  }
  if (q.descending) std::reverse(matched.begin(), matched.end());
  std::vector<int64_t> page;
  for (size_t i = q.offset; i < matched.size() && page.size() < q.limit; ++i) page.push_back(matched[i]);
  return PageJson(page, matched.size());
}

std::vector<int64_t> Account::SampleContactIds(size_t count, uint64_t seed) const {
  std::shared_lock lock(mu_);
  std::vector<int64_t> out;
  if (live_contacts_ == 0 || count == 0) return out;
  Rng rng(seed);
  std::unordered_set<int64_t> seen;
  size_t attempts = 0;
  while (out.size() < count && out.size() < static_cast<size_t>(live_contacts_) && attempts < count * 20 + 100) {
    ++attempts;
    int64_t id = static_cast<int64_t>(rng.Below(contacts_.size())) + 1;
    if (!ContactById(id) || !seen.insert(id).second) continue;
    out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

AccountCounts Account::Counts() const {
  std::shared_lock lock(mu_);
  AccountCounts c;
  c.contacts = live_contacts_;
  c.lists = static_cast<int64_t>(lists_.size());
  c.folders = static_cast<int64_t>(folders_.size());
  c.attributes = static_cast<int64_t>(attributes_.All().size());
  c.email_blacklisted = email_blacklisted_;
  return c;
}

size_t Account::MemoryBytes() const {
  std::shared_lock lock(mu_);
  size_t n = contacts_.capacity() * sizeof(contacts_[0]) + created_log_.capacity() * sizeof(created_log_[0]);
  for (const auto& c : contacts_)
    if (c) n += c->MemoryBytes();
  n += all_.MemoryBytes();
  // Hash indexes: a node (next pointer, key, value, cached hash) plus a bucket pointer.
  n += by_email_.size() * (sizeof(void*) * 3 + sizeof(std::string_view) + sizeof(int64_t));
  for (const auto& m : by_identifier_)
    for (const auto& [k, v] : m) n += sizeof(void*) * 3 + sizeof(std::string) + sizeof(int64_t) + (k.size() > 15 ? k.size() + 1 : 0);
  for (const auto& [id, l] : lists_) n += sizeof(List) + l->members.MemoryBytes();
  return n;
}

void Account::Emit(AccountEvent e) {
  e.at_ms = e.at_ms ? e.at_ms : NowMs();
  outbox_.push_back(std::move(e));
}

std::vector<AccountEvent> Account::TakeEvents() {
  std::vector<AccountEvent> out;
  out.swap(outbox_);
  return out;
}

void Account::Publish(std::vector<AccountEvent> events) {
  if (events.empty()) return;
  Listener listener;
  {
    std::lock_guard lock(listener_mu_);
    listener = listener_;
  }
  if (listener) listener(events);
}

nlohmann::json Account::AttributesJson() const {
  std::shared_lock lock(mu_);
  return attributes_.ToJson();
}

ApiResult<Done> Account::CreateAttribute(const std::string& category, const std::string& name, const nlohmann::json& body) {
  std::unique_lock lock(mu_);
  return attributes_.Create(category, name, body);
}

ApiResult<Done> Account::UpdateAttribute(const std::string& category, const std::string& name, const nlohmann::json& body) {
  std::unique_lock lock(mu_);
  return attributes_.Update(category, name, body);
}

ApiResult<Done> Account::DeleteAttribute(const std::string& category, const std::string& name) {
  std::unique_lock lock(mu_);
  // Values stay in the contacts but are never shown again: attribute ids are not reused.
  return attributes_.Delete(category, name);
}

ApiResult<Done> Account::DeleteAttributeOption(const std::string& name, const std::string& option) {
  std::unique_lock lock(mu_);
  return attributes_.DeleteOption(name, option);
}

}  // namespace tajo::sandbox::brevo
