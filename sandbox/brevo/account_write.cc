// Account: contact writes — create, update, delete, batch, import, event upserts, campaign events
// and seeding — and the index maintenance they share.
#include <algorithm>
#include <map>
#include <set>

#include "sandbox/brevo/account.h"
#include "sandbox/brevo/account_internal.h"

namespace tajo::sandbox::brevo {

// ---- Index maintenance (REQUIRES the exclusive lock).

void Account::IndexIdentifier(IdentifierKind kind, const std::string& value, int64_t id) {
  if (kind == IdentifierKind::kEmail) return;  // by_email_ views Contact::email; see Apply
  by_identifier_[static_cast<int>(kind)][value] = id;
}

void Account::UnindexIdentifier(IdentifierKind kind, const std::string& value) {
  if (kind == IdentifierKind::kEmail) return;
  by_identifier_[static_cast<int>(kind)].erase(value);
}

void Account::SetModified(Contact& c, int64_t ms) {
  c.modified_ms = ms;
  all_.Touch(c.id, ms);
  for (int64_t l : c.lists) {
    auto it = lists_.find(l);
    if (it != lists_.end()) it->second->members.Touch(c.id, ms);
  }
}

void Account::SetEmailBlacklisted(Contact& c, bool value) {
  if (c.email_blacklisted == value) return;
  c.email_blacklisted = value;
  int64_t delta = value ? 1 : -1;
  email_blacklisted_ += delta;
  for (int64_t l : c.lists) {
    auto it = lists_.find(l);
    if (it != lists_.end()) it->second->blacklisted += delta;
  }
}

bool Account::AddMembership(Contact& c, int64_t list_id) {
  auto it = lists_.find(list_id);
  if (it == lists_.end()) return false;
  auto pos = std::lower_bound(c.lists.begin(), c.lists.end(), list_id);
  if (pos != c.lists.end() && *pos == list_id) return false;
  c.lists.insert(pos, list_id);
  it->second->members.Insert(c.id, c.modified_ms);
  if (c.email_blacklisted) ++it->second->blacklisted;
  return true;
}

bool Account::RemoveMembership(Contact& c, int64_t list_id) {
  auto pos = std::lower_bound(c.lists.begin(), c.lists.end(), list_id);
  if (pos == c.lists.end() || *pos != list_id) return false;
  c.lists.erase(pos);
  auto it = lists_.find(list_id);
  if (it != lists_.end()) {
    it->second->members.Erase(c.id);
    if (c.email_blacklisted) --it->second->blacklisted;
  }
  return true;
}

void Account::RemoveContact(Contact& c) {
  int64_t id = c.id;
  if (!c.email.empty()) by_email_.erase(c.email);
  for (const auto& [attr, value] : c.attrs) {
    const AttributeDef* def = attributes_.ById(attr);
    if (def && def->identifier != IdentifierKind::kNone) UnindexIdentifier(def->identifier, value);
  }
  for (int64_t l : std::vector<int64_t>(c.lists)) RemoveMembership(c, l);
  if (c.email_blacklisted) --email_blacklisted_;
  all_.Erase(id);
  stats_.erase(id);
  contacts_[static_cast<size_t>(id - 1)].reset();
  --live_contacts_;
}

// ---- Plan and apply.

ApiResult<Account::WritePlan> Account::Plan(Contact* target, const ContactInput& in, const Flags& flags) const {
  WritePlan plan;
  auto claim = [&](IdentifierKind kind, const std::string& value) -> std::optional<ApiError> {
    Contact* owner = ByIdentifier(kind, value);
    if (owner && owner != target) return ApiError::AlreadyAssociated(IdentifierLabel(kind));
    plan.claims.emplace_back(kind, value);
    return std::nullopt;
  };
  // Email: createContact.email, or attributes.EMAIL (how an update renames a contact).
  std::optional<std::string> email = in.email;
  const nlohmann::json& attrs = in.attributes;
  if (attrs.is_object() && attrs.contains("EMAIL") && !attrs["EMAIL"].is_null()) {
    if (!attrs["EMAIL"].is_string()) return ApiError::Invalid(kInvalidEmail);
    email = attrs["EMAIL"].get<std::string>();
  }
  if (email && !email->empty()) {
    if (!IsValidEmail(*email)) return ApiError::Invalid(kInvalidEmail);
    std::string lower = LowerAscii(*email);
    if (!target || target->email != lower) {
      if (auto e = claim(IdentifierKind::kEmail, lower)) return *e;
      plan.email = lower;
    }
  }
  // ext_id: the body field wins over attributes.EXT_ID.
  nlohmann::json values = attrs.is_object() ? attrs : nlohmann::json::object();
  values.erase("EMAIL");
  if (in.ext_id) values["EXT_ID"] = *in.ext_id;
  for (const auto& [name, value] : values.items()) {
    const AttributeDef* def = attributes_.Find(name);
    if (!def) {
      if (flags.unknown_attribute_is_error) return ApiError::Invalid("Attribute " + name + " does not exist in your account");
      continue;  // ignored, as imports do
    }
    Normalized n = attributes_.Normalize(*def, value);
    if (n.kind == Normalized::kClear && !flags.empty_clears) continue;
    if (def->identifier != IdentifierKind::kNone) {
      if (n.kind == Normalized::kIgnore) {
        if (def->identifier == IdentifierKind::kExtId) return ApiError::Invalid("ext_id must be a string");
        return ApiError::Invalid(kInvalidPhone);
      }
      if (n.kind == Normalized::kSet) {
        const std::string* current = target ? target->Attr(def->id) : nullptr;
        if (current && *current == n.value) continue;
        if (auto e = claim(def->identifier, n.value)) return *e;
      }
    } else if (n.kind == Normalized::kIgnore) {
      continue;  // a value of the wrong type is ignored (reference §2.2)
    }
    plan.attrs.emplace_back(def, std::move(n));
  }
  plan.email_blacklisted = in.email_blacklisted;
  plan.sms_blacklisted = in.sms_blacklisted;
  for (int64_t l : in.list_ids) {
    if (!lists_.count(l)) return ApiError::Invalid("listIds: list " + std::to_string(l) + " does not exist");
    plan.add_lists.push_back(l);
  }
  for (int64_t l : in.unlink_list_ids) {
    if (!lists_.count(l)) return ApiError::Invalid("unlinkListIds: list " + std::to_string(l) + " does not exist");
    plan.remove_lists.push_back(l);
  }
  return plan;
}

int64_t Account::Apply(Contact* target, const WritePlan& plan, const Writer& w, bool* changed_out) {
  const int64_t now = NowMs();
  const bool created = target == nullptr;
  if (created) {
    auto c = std::make_unique<Contact>();
    c->id = static_cast<int64_t>(contacts_.size()) + 1;
    c->created_ms = NextCreatedMs();
    c->modified_ms = c->created_ms;
    target = c.get();
    contacts_.push_back(std::move(c));
    created_log_.emplace_back(target->created_ms, target->id);
    all_.Insert(target->id, target->modified_ms);
    ++live_contacts_;
  }
  Contact& c = *target;
  bool changed = false;
  nlohmann::json content = nlohmann::json::object();
  if (plan.email && *plan.email != c.email) {
    if (!c.email.empty()) by_email_.erase(c.email);
    c.email = *plan.email;
    by_email_[c.email] = c.id;
    changed = true;
    content["EMAIL"] = c.email;
    // A new address resubscribes a blocklisted contact (reference §2.4).
    if (!created && c.email_blacklisted && !plan.email_blacklisted) SetEmailBlacklisted(c, false);
  }
  for (const auto& [def, n] : plan.attrs) {
    auto it = std::lower_bound(c.attrs.begin(), c.attrs.end(), def->id,
                               [](const auto& slot, uint32_t id) { return slot.first < id; });
    bool present = it != c.attrs.end() && it->first == def->id;
    if (n.kind == Normalized::kSet) {
      if (present && it->second == n.value) continue;
      if (def->identifier != IdentifierKind::kNone) {
        if (present) UnindexIdentifier(def->identifier, it->second);
        IndexIdentifier(def->identifier, n.value, c.id);
      }
      if (present) it->second = n.value;
      else c.attrs.insert(it, {def->id, n.value});
      content[def->name] = attributes_.Render(*def, n.value, behaviour_.category_as_label);
      changed = true;
    } else if (n.kind == Normalized::kClear && present) {
      if (def->identifier != IdentifierKind::kNone) UnindexIdentifier(def->identifier, it->second);
      c.attrs.erase(it);
      content[def->name] = nullptr;
      changed = true;
    }
  }
  if (plan.email_blacklisted && *plan.email_blacklisted != c.email_blacklisted) {
    SetEmailBlacklisted(c, *plan.email_blacklisted);
    changed = true;
  }
  if (plan.sms_blacklisted && *plan.sms_blacklisted != c.sms_blacklisted) {
    c.sms_blacklisted = *plan.sms_blacklisted;
    changed = true;
  }
  std::vector<int64_t> added;
  for (int64_t l : plan.add_lists)
    if (AddMembership(c, l)) added.push_back(l);
  bool removed = false;
  for (int64_t l : plan.remove_lists) removed |= RemoveMembership(c, l);
  changed |= !added.empty() || removed;
  if (changed_out) *changed_out = changed;
  if (!created && (changed || behaviour_.touch_on_noop_update)) SetModified(c, std::max(now, c.modified_ms));
  if (!created && changed && !content.empty()) {
    AccountEvent e;
    e.kind = AccountEvent::Kind::kContactUpdated;
    e.contact_id = c.id;
    e.email = c.email;
    e.content = std::move(content);
    e.api_key_name = w.api_key_name;
    Emit(std::move(e));
  }
  if (!added.empty()) {
    AccountEvent e;
    e.kind = AccountEvent::Kind::kListAddition;
    e.contact_id = c.id;
    e.email = c.email;
    e.list_ids = std::move(added);
    e.api_key_name = w.api_key_name;
    Emit(std::move(e));
  }
  return c.id;
}

// ---- Contacts.

ApiResult<Account::CreateOutcome> Account::CreateContact(const ContactInput& in, bool update_enabled, const Writer& w) {
  ApiResult<CreateOutcome> result = CreateOutcome{};
  std::vector<AccountEvent> events;
  {
    std::unique_lock lock(mu_);
    // The identifiers the body gives, and which existing contacts hold them.
    std::optional<std::string> email = in.email;
    if (in.attributes.is_object() && in.attributes.contains("EMAIL") && in.attributes["EMAIL"].is_string())
      email = in.attributes["EMAIL"].get<std::string>();
    if (email && email->empty()) email.reset();
    std::optional<std::string> ext_id = in.ext_id;
    if (!ext_id && in.attributes.is_object() && in.attributes.contains("EXT_ID") && in.attributes["EXT_ID"].is_string())
      ext_id = in.attributes["EXT_ID"].get<std::string>();
    std::optional<std::string> sms;
    if (in.attributes.is_object() && in.attributes.contains("SMS") && !in.attributes["SMS"].is_null()) {
      const auto& v = in.attributes["SMS"];
      std::string text = v.is_string() ? v.get<std::string>() : v.is_number_integer() ? std::to_string(v.get<int64_t>()) : "";
      if (!text.empty()) {
        sms = NormalizePhone(text);
        if (!sms) return ApiError::Invalid(kInvalidPhone);
      }
    }
    if (!email && !ext_id && !sms) return ApiError::Missing(kMissingIdentifier);
    if (email && !IsValidEmail(*email)) return ApiError::Invalid(kInvalidEmail);
    Contact* existing = nullptr;
    if (email) existing = ByIdentifier(IdentifierKind::kEmail, LowerAscii(*email));
    if (!existing && ext_id) existing = ByIdentifier(IdentifierKind::kExtId, *ext_id);
    if (!existing && sms) existing = ByIdentifier(IdentifierKind::kSms, *sms);
    if (existing && !update_enabled) return ApiError::Duplicate(kContactAlreadyExist);
    Flags flags;
    flags.unknown_attribute_is_error = behaviour_.unknown_attribute_is_error;
    auto plan = Plan(existing, in, flags);
    if (!plan.ok()) return plan.error();
    int64_t id = Apply(existing, plan.value(), w);
    result = CreateOutcome{id, existing == nullptr};
    events = TakeEvents();
  }
  Publish(std::move(events));
  return result;
}

ApiResult<Done> Account::UpdateContact(const ContactRef& ref, const ContactInput& input, const Writer& w) {
  std::vector<AccountEvent> events;
  {
    std::unique_lock lock(mu_);
    Contact* c = Resolve(ref);
    if (!c) return ApiError::ContactNotFound();
    ContactInput in = input;
    in.email.reset();  // PUT renames through attributes.EMAIL only
    Flags flags;
    flags.unknown_attribute_is_error = behaviour_.unknown_attribute_is_error;
    auto plan = Plan(c, in, flags);
    if (!plan.ok()) return plan.error();
    Apply(c, plan.value(), w);
    events = TakeEvents();
  }
  Publish(std::move(events));
  return Done{};
}

ApiResult<Done> Account::DeleteContact(const ContactRef& ref, const Writer& w) {
  std::vector<AccountEvent> events;
  {
    std::unique_lock lock(mu_);
    Contact* c = Resolve(ref);
    if (!c) return ApiError::ContactNotFound();
    if (!c->email.empty() && c->email == owner_email_) return ApiError{405, "method_not_allowed", kOwnerEmailDelete, nullptr};
    AccountEvent e;
    e.kind = AccountEvent::Kind::kContactDeleted;
    e.contact_id = c->id;
    e.email = c->email;
    e.list_ids = c->lists;
    e.api_key_name = w.api_key_name;
    RemoveContact(*c);
    Emit(std::move(e));
    events = TakeEvents();
  }
  Publish(std::move(events));
  return Done{};
}

ApiResult<Done> Account::BatchUpdate(const std::vector<BatchItem>& items, const Writer& w) {
  std::vector<AccountEvent> events;
  {
    std::unique_lock lock(mu_);
    if (items.empty()) return ApiError::Missing("contacts is required and must not be empty");
    if (items.size() > static_cast<size_t>(behaviour_.batch_max_contacts))
      return ApiError::OutOfRange("contacts: at most " + std::to_string(behaviour_.batch_max_contacts) +
                                  " contacts can be updated in one call");
    std::vector<Contact*> targets;
    std::string missing;
    for (size_t i = 0; i < items.size(); ++i) {
      Contact* c = Resolve(items[i].ref);
      if (!c) missing += (missing.empty() ? "" : ",") + std::to_string(i);
      targets.push_back(c);
    }
    if (!missing.empty()) return ApiError::NotFound(kNoContactForIndexes + missing);
    Flags flags;
    flags.unknown_attribute_is_error = behaviour_.unknown_attribute_is_error;
    std::vector<WritePlan> plans;
    std::map<std::pair<int, std::string>, int64_t> claimed;  // identifiers given within this batch
    for (size_t i = 0; i < items.size(); ++i) {
      ContactInput in = items[i].input;
      in.email.reset();  // the item's email is its identifier; renames go through attributes.EMAIL
      auto plan = Plan(targets[i], in, flags);
      if (!plan.ok()) {
        ApiError e = plan.error();
        e.message = "contacts[" + std::to_string(i) + "]: " + e.message;
        return e;
      }
      for (const auto& [kind, value] : plan.value().claims) {
        auto [it, inserted] = claimed.emplace(std::pair{static_cast<int>(kind), value}, targets[i]->id);
        if (!inserted && it->second != targets[i]->id) {
          ApiError e = ApiError::AlreadyAssociated(IdentifierLabel(kind));
          e.message = "contacts[" + std::to_string(i) + "]: " + e.message;
          return e;
        }
      }
      plans.push_back(std::move(plan.value()));
    }
    for (size_t i = 0; i < items.size(); ++i) Apply(targets[i], plans[i], w);
    events = TakeEvents();
  }
  Publish(std::move(events));
  return Done{};
}

ApiResult<int64_t> Account::ContactForEvent(const nlohmann::json& identifiers, const nlohmann::json& properties,
                                            bool create, const Writer& w) {
  std::vector<AccountEvent> events;
  int64_t id = 0;
  {
    std::unique_lock lock(mu_);
    Contact* c = nullptr;
    auto str = [&](const char* key) -> std::optional<std::string> {
      if (!identifiers.contains(key)) return std::nullopt;
      const auto& v = identifiers[key];
      if (v.is_string()) return v.get<std::string>();
      if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
      return std::nullopt;
    };
    if (auto cid = str("contact_id")) {
      c = Resolve({ContactRef::Kind::kId, *cid});
      if (!c) return ApiError::ContactNotFound();
    }
    struct Key {
      const char* name;
      ContactRef::Kind kind;
    };
    for (const Key& k : {Key{"email_id", ContactRef::Kind::kEmail}, Key{"ext_id", ContactRef::Kind::kExtId},
                         Key{"phone_id", ContactRef::Kind::kSms}, Key{"whatsapp_id", ContactRef::Kind::kWhatsapp},
                         Key{"landline_number_id", ContactRef::Kind::kLandline}}) {
      if (c) break;
      if (auto v = str(k.name)) c = Resolve({k.kind, *v});
    }
    ContactInput in;
    in.attributes = properties.is_object() ? properties : nlohmann::json::object();
    Flags flags;  // unknown properties are ignored
    if (!c) {
      if (!create) return ApiError::ContactNotFound();
      if (auto v = str("email_id")) in.email = *v;
      if (auto v = str("ext_id")) in.ext_id = *v;
      if (auto v = str("phone_id")) in.attributes["SMS"] = *v;
      if (auto v = str("whatsapp_id")) in.attributes["WHATSAPP"] = *v;
      if (auto v = str("landline_number_id")) in.attributes["LANDLINE_NUMBER"] = *v;
      if (!in.email && !in.ext_id && !in.attributes.contains("SMS") && !in.attributes.contains("WHATSAPP") &&
          !in.attributes.contains("LANDLINE_NUMBER"))
        return ApiError::Missing("identifiers must name the contact (email_id, ext_id, phone_id, ...)");
      if (in.email && !IsValidEmail(*in.email)) return ApiError::Invalid(kInvalidEmail);
    } else {
      in.attributes.erase("EMAIL");  // event properties do not rename contacts
    }
    auto plan = Plan(c, in, flags);
    if (!plan.ok()) return plan.error();
    id = Apply(c, plan.value(), w);
    events = TakeEvents();
  }
  Publish(std::move(events));
  return id;
}

ImportOutcome Account::ApplyImport(const ImportJob& job, const Writer& w) {
  ImportOutcome out;
  std::vector<AccountEvent> events;
  {
    std::unique_lock lock(mu_);
    std::set<std::string> seen_email, seen_ext, seen_sms;
    for (const nlohmann::json& row : job.rows) {
      ContactInput in;
      in.attributes = row.contains("attributes") && row["attributes"].is_object() ? row["attributes"] : nlohmann::json::object();
      if (row.contains("email") && row["email"].is_string() && !row["email"].get<std::string>().empty())
        in.email = row["email"].get<std::string>();
      else if (in.attributes.contains("EMAIL") && in.attributes["EMAIL"].is_string() &&
               !in.attributes["EMAIL"].get<std::string>().empty())
        in.email = in.attributes["EMAIL"].get<std::string>();
      in.attributes.erase("EMAIL");
      if (in.attributes.contains("EXT_ID") && in.attributes["EXT_ID"].is_string() &&
          !in.attributes["EXT_ID"].get<std::string>().empty())
        in.ext_id = in.attributes["EXT_ID"].get<std::string>();
      in.attributes.erase("EXT_ID");
      std::optional<std::string> sms;
      if (in.attributes.contains("SMS") && in.attributes["SMS"].is_string() && !in.attributes["SMS"].get<std::string>().empty()) {
        sms = NormalizePhone(in.attributes["SMS"].get<std::string>());
        if (!sms) {
          ++out.invalid;
          continue;
        }
      }
      if (in.email && !IsValidEmail(*in.email)) {
        ++out.invalid;
        continue;
      }
      if (!in.email && !in.ext_id && !sms) {
        ++out.invalid;
        continue;
      }
      if (in.email && !seen_email.insert(LowerAscii(*in.email)).second) {
        ++out.duplicate_email;
        continue;
      }
      if (in.ext_id && !seen_ext.insert(*in.ext_id).second) {
        ++out.duplicate_ext_id;
        continue;
      }
      if (sms && !seen_sms.insert(*sms).second) {
        ++out.duplicate_phone;
        continue;
      }
      Contact* existing = nullptr;
      if (in.email) existing = ByIdentifier(IdentifierKind::kEmail, LowerAscii(*in.email));
      if (!existing && in.ext_id) existing = ByIdentifier(IdentifierKind::kExtId, *in.ext_id);
      if (!existing && sms) existing = ByIdentifier(IdentifierKind::kSms, *sms);
      if (existing && !job.update_existing) {
        // Existing contacts are still added to the import's lists; their attributes stay.
        in = ContactInput{};
      }
      in.list_ids = job.list_ids;
      if (!existing || job.update_existing) {
        if (job.email_blacklist) in.email_blacklisted = true;
        if (job.sms_blacklist) in.sms_blacklisted = true;
      }
      Flags flags;
      flags.empty_clears = existing && job.update_existing && job.empty_attributes;
      auto plan = Plan(existing, in, flags);
      if (!plan.ok()) {
        const std::string& m = plan.error().message;
        if (m.rfind("email", 0) == 0) ++out.duplicate_email;
        else if (m.rfind("ext_id", 0) == 0) ++out.duplicate_ext_id;
        else if (plan.error().code == "duplicate_parameter") ++out.duplicate_phone;
        else ++out.invalid;
        continue;
      }
      bool changed = false;
      Apply(existing, plan.value(), w, &changed);
      if (!existing) ++out.created;
      else if (changed) ++out.updated;
      else ++out.unchanged;
    }
    events = TakeEvents();
  }
  Publish(std::move(events));
  return out;
}

ApiResult<Done> Account::RecordCampaignEvent(const ContactRef& ref, AccountEvent::Kind kind, int64_t campaign_id,
                                             const std::string& campaign_name, const std::string& url,
                                             const std::string& reason) {
  std::vector<AccountEvent> events;
  {
    std::unique_lock lock(mu_);
    Contact* c = Resolve(ref);
    if (!c) return ApiError::ContactNotFound();
    const int64_t now = NowMs();
    ContactStats& s = stats_[c->id];
    auto add = [&](std::vector<CampaignEvent>& list, bool merge) {
      if (merge) {
        for (auto& e : list)
          if (e.campaign_id == campaign_id && e.url == url) {
            ++e.count;
            e.at_ms = now;
            return;
          }
      }
      CampaignEvent e;
      e.campaign_id = campaign_id;
      e.at_ms = now;
      e.ip = "198.51.100.7";  // TEST-NET-2: no real recipient
      e.url = url;
      list.push_back(std::move(e));
    };
    bool blocklist = false;
    switch (kind) {
      case AccountEvent::Kind::kDelivered:
        add(s.sent, false);
        add(s.delivered, false);
        break;
      case AccountEvent::Kind::kOpened: add(s.opened, true); break;
      case AccountEvent::Kind::kClick: add(s.clicked, true); break;
      case AccountEvent::Kind::kHardBounce:
        add(s.hard_bounces, false);
        blocklist = true;  // a hard-bounced address is blocklisted
        break;
      case AccountEvent::Kind::kSoftBounce: add(s.soft_bounces, false); break;
      case AccountEvent::Kind::kSpam:
        add(s.complaints, false);
        blocklist = true;
        break;
      case AccountEvent::Kind::kUnsubscribed:
        add(s.unsubscriptions, false);
        blocklist = true;
        break;
      default:
        return ApiError::Invalid("not a campaign event");
    }
    if (blocklist && !c->email_blacklisted) {
      SetEmailBlacklisted(*c, true);
      SetModified(*c, std::max(now, c->modified_ms));
    }
    AccountEvent e;
    e.kind = kind;
    e.contact_id = c->id;
    e.email = c->email;
    e.campaign_id = campaign_id;
    e.campaign_name = campaign_name;
    e.url = url;
    e.reason = reason;
    if (kind == AccountEvent::Kind::kUnsubscribed) e.list_ids = c->lists;
    Emit(std::move(e));
    events = TakeEvents();
  }
  Publish(std::move(events));
  return Done{};
}

void Account::Reserve(size_t n) {
  std::unique_lock lock(mu_);
  contacts_.reserve(contacts_.size() + n);
  created_log_.reserve(created_log_.size() + n);
  by_email_.reserve(by_email_.size() + n);
}

int64_t Account::Seed(const SeedContact& seed) {
  std::unique_lock lock(mu_);
  auto c = std::make_unique<Contact>();
  c->id = static_cast<int64_t>(contacts_.size()) + 1;
  c->created_ms = std::max(seed.created_ms, last_created_ms_);
  last_created_ms_ = c->created_ms;
  c->modified_ms = std::max(seed.modified_ms, c->created_ms);
  Contact& ref = *c;
  contacts_.push_back(std::move(c));
  created_log_.emplace_back(ref.created_ms, ref.id);
  all_.Insert(ref.id, ref.modified_ms);
  ++live_contacts_;
  std::string email = LowerAscii(seed.email);
  if (!email.empty() && IsValidEmail(email) && !by_email_.count(email)) {
    ref.email = std::move(email);
    by_email_[ref.email] = ref.id;
  }
  for (const auto& [name, value] : seed.attributes) {
    const AttributeDef* def = attributes_.Find(name);
    if (!def || def->identifier == IdentifierKind::kEmail) continue;
    Normalized n = attributes_.Normalize(*def, value);
    if (n.kind != Normalized::kSet) continue;
    if (def->identifier != IdentifierKind::kNone) {
      if (ByIdentifier(def->identifier, n.value)) continue;  // keep identifiers unique
      IndexIdentifier(def->identifier, n.value, ref.id);
    }
    auto it = std::lower_bound(ref.attrs.begin(), ref.attrs.end(), def->id,
                               [](const auto& slot, uint32_t id) { return slot.first < id; });
    if (it != ref.attrs.end() && it->first == def->id) it->second = n.value;
    else ref.attrs.insert(it, {def->id, std::move(n.value)});
  }
  if (seed.email_blacklisted) SetEmailBlacklisted(ref, true);
  ref.sms_blacklisted = seed.sms_blacklisted;
  for (int64_t l : seed.lists) AddMembership(ref, l);
  return ref.id;
}

}  // namespace tajo::sandbox::brevo
