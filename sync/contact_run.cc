#include "sync/contact_run.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/log.h"
#include "sync/contact_diff.h"
#include "sync/timestamps.h"

namespace tajo::sync {

namespace {

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string s;
  for (int64_t id : ids) {
    if (!s.empty()) s += ",";
    s += std::to_string(id);
  }
  return s;
}

std::vector<int64_t> ParseIds(const std::string& s) {
  std::vector<int64_t> out;
  size_t p = 0;
  while (p < s.size()) {
    size_t q = s.find(',', p);
    if (q == std::string::npos) q = s.size();
    try {
      out.push_back(std::stoll(s.substr(p, q - p)));
    } catch (const std::exception&) {  // a damaged snapshot value: treat as no list
    }
    p = q + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

int64_t& Counter(store::RunCounts& c, const std::string& kind) {
  if (kind == "created") return c.created;
  if (kind == "updated") return c.updated;
  return c.unchanged;
}

}  // namespace

ContactRun::ContactRun(const Config& config, ConnectorClients& clients, store::StateStore& store, Clock& clock,
                       ContactMapper mapper, ListMembership lists, int64_t default_list_id)
    : config(config),
      clients(clients),
      store(store),
      clock(clock),
      mapper(std::move(mapper)),
      lists(std::move(lists)),
      managed(this->lists.ManagedIds()),
      writer(clients.brevo(), clock, default_list_id) {}

void ContactRun::Plan(const std::string& action, const std::string& target, const std::string& detail) {
  if (!request.dry_run) return;
  ++summary.planned_total;
  if (summary.planned.size() < kMaxPlanned) summary.planned.push_back({action, target, detail});
}

void ContactRun::CountSkip(const std::string& reason) {
  ++buffered_counts_.skipped;
  ++summary.skipped_by_reason[reason];
}

void ContactRun::FromSnapshot(const store::Snapshot& snap, nlohmann::json& attributes,
                              std::vector<int64_t>& list_ids) const {
  attributes = nlohmann::json::object();
  list_ids.clear();
  for (const auto& [field, value] : snap) {
    if (field == kListsField) {
      if (value.brevo) list_ids = ParseIds(*value.brevo);
      continue;
    }
    if (!value.brevo) continue;
    nlohmann::json v = nlohmann::json::parse(*value.brevo, nullptr, /*allow_exceptions=*/false);
    if (!v.is_discarded()) attributes[field] = std::move(v);
  }
}

store::Snapshot ContactRun::MakeSnapshot(const hubspot::CrmObject& contact, const MappedContact& mapped,
                                         const std::vector<int64_t>& list_ids) const {
  store::Snapshot snap;
  for (const ResolvedField& f : mapper.plan().fields) {
    store::SnapshotValue v;
    v.hubspot = contact.Get(f.hubspot_property);
    auto it = mapped.attributes.find(f.brevo_attribute);
    if (it != mapped.attributes.end()) v.brevo = it->dump();
    snap[f.brevo_attribute] = std::move(v);
  }
  snap[kListsField] = store::SnapshotValue{std::nullopt, JoinIds(list_ids)};
  return snap;
}

Status ContactRun::Add(const hubspot::CrmObject& contact) {
  ++done;
  if (request.since_millis) {
    std::optional<std::string> modified = contact.Get("lastmodifieddate");
    if (modified) {
      Result<int64_t> ms = ParseTimestampMillis(*modified);
      if (ms.ok() && *ms < *request.since_millis) return Status::Ok();
    }
  }
  MappedContact m = mapper.Map(contact);
  const std::string& id = contact.id;
  if (m.email.empty()) {
    errors_.push_back({id, "missing_email",
                       "HubSpot contact " + id + " has no email: HubSpot contacts need an email to sync to Brevo"});
    CountSkip("missing_email");
    Plan("skip", "HubSpot contact " + id, "no email");
    return Status::Ok();
  }
  auto [owner, inserted] = email_owner_.emplace(m.email, id);
  if (!inserted && owner->second != id) {
    errors_.push_back({id, "duplicate_email",
                       fmt::format("{} is also the email of HubSpot contact {}, which is the one synced; merge the "
                                   "two in HubSpot",
                                   m.email, owner->second)});
    CountSkip("duplicate_email");
    Plan("skip", m.email, "duplicate of HubSpot contact " + owner->second);
    return Status::Ok();
  }
  auto by_email = store.FindLinksByEmail(kConnectionName, m.email);
  if (!by_email.ok()) return by_email.status();
  for (const store::Link& l : *by_email) {
    auto seen = id_email_.find(l.hubspot_id);
    const bool stale = seen != id_email_.end() && seen->second != m.email;  // that contact's email changed
    if (l.hubspot_id != id && !stale) {
      email_owner_.erase(m.email);
      errors_.push_back({id, "duplicate_email",
                         fmt::format("{} is also the email of HubSpot contact {}, which is the one synced; merge the "
                                     "two in HubSpot",
                                     m.email, l.hubspot_id)});
      CountSkip("duplicate_email");
      return Status::Ok();
    }
  }
  id_email_[id] = m.email;
  auto link = store.GetLinkByHubSpotId(kConnectionName, id);
  if (!link.ok()) return link.status();

  // Brevo keeps SMS numbers unique: a number another contact holds would be refused.
  if (auto sms = m.attributes.find("SMS"); sms != m.attributes.end() && sms->is_string()) {
    const std::string digits = sms->get<std::string>();
    std::optional<std::string> holder;
    if (auto it = sms_owner_.find(digits); it != sms_owner_.end()) holder = it->second;
    if (!holder && index) holder = index->SmsOwner(digits);
    if (holder && *holder != m.email) {
      m.issues.push_back({"phone", "duplicate_phone",
                          fmt::format("SMS {} already belongs to another Brevo contact{}{}; Brevo keeps SMS numbers "
                                      "unique, so it was left out",
                                      digits, holder->empty() ? "" : " ", *holder)});
      m.attributes.erase("SMS");
    } else {
      sms_owner_[digits] = m.email;
      if (index) index->ClaimSms(digits, m.email);
    }
  }

  const std::vector<int64_t> desired = lists.ListsFor(contact);
  LinkWrite lw{id, m.email, std::nullopt, MakeSnapshot(contact, m, desired), "unchanged", m.attributes, desired};
  if (full) {
    const BrevoContactState* state = index->Find(m.email);
    if (state != nullptr) {
      lw.brevo_id = state->id > 0 ? std::optional<int64_t>(state->id) : std::nullopt;
      ContactDiff d = DiffContact(m.attributes, desired, state->attributes, state->list_ids, managed);
      if (!d.empty()) {
        lw.counted_as = "updated";
        Plan("update", m.email, d.Describe(state->attributes));
        updates_.push_back({id, brevo::ContactWrite{m.email, d.attributes, d.add_lists, d.remove_lists, {}}});
      }
    } else {
      lw.counted_as = "created";
      Plan("create", m.email, ContactDiff{m.attributes, desired, {}}.Describe(nlohmann::json::object()));
      imports_.push_back({id, brevo::ContactWrite{m.email, m.attributes, desired, {}, {}}});
      index->Put(m.email, BrevoContactState{0, desired, false, m.attributes});
    }
  } else if (*link && (*link)->email == m.email) {
    lw.brevo_id = (*link)->brevo_id;
    auto snap = store.GetSnapshot(kConnectionName, id);
    if (!snap.ok()) return snap.status();
    // An SMS withheld before (another Brevo contact held it) is not sent again while the HubSpot
    // phone is unchanged: it would only be refused again. A full sync, which reads who holds
    // which number, writes it once the number is free.
    if (auto sms = snap->find("SMS"); sms != snap->end() && !sms->second.brevo && m.attributes.contains("SMS")) {
      for (const ResolvedField& f : mapper.plan().fields) {
        if (f.brevo_attribute == "SMS" && contact.Get(f.hubspot_property) == sms->second.hubspot) {
          m.issues.push_back({f.hubspot_property, "duplicate_phone",
                              "SMS " + m.attributes["SMS"].get<std::string>() +
                                  " is still withheld: another Brevo contact held it (a full sync writes it once the "
                                  "number is free)"});
          m.attributes.erase("SMS");
        }
      }
    }
    lw.snapshot = MakeSnapshot(contact, m, desired);
    lw.attributes = m.attributes;
    nlohmann::json before;
    std::vector<int64_t> before_lists;
    FromSnapshot(*snap, before, before_lists);
    ContactDiff d = DiffContact(m.attributes, desired, before, before_lists, managed);
    if (!d.empty()) {
      lw.counted_as = "updated";
      Plan("update", m.email, d.Describe(before));
      updates_.push_back({id, brevo::ContactWrite{m.email, d.attributes, d.add_lists, d.remove_lists, {}}});
    }
  } else if (*link) {
    // The email changed in HubSpot: rename the Brevo contact (attributes.EMAIL) and bring it up to date.
    lw.brevo_id = (*link)->brevo_id;
    auto snap = store.GetSnapshot(kConnectionName, id);
    if (!snap.ok()) return snap.status();
    nlohmann::json before;
    std::vector<int64_t> before_lists;
    FromSnapshot(*snap, before, before_lists);
    ContactDiff d = DiffContact(m.attributes, desired, before, before_lists, managed);
    d.attributes["EMAIL"] = m.email;
    lw.counted_as = "updated";
    Plan("update", (*link)->email, "email -> " + m.email + "; " + d.Describe(before));
    updates_.push_back({id, brevo::ContactWrite{(*link)->email, d.attributes, d.add_lists, d.remove_lists, {}}});
  } else {
    lw.counted_as = "created";
    Plan("create", m.email, ContactDiff{m.attributes, desired, {}}.Describe(nlohmann::json::object()));
    imports_.push_back({id, brevo::ContactWrite{m.email, m.attributes, desired, {}, {}}});
    DeferSms(imports_.back());  // no index of Brevo's SMS numbers in an incremental run
  }
  ++Counter(buffered_counts_, lw.counted_as);
  if (!m.issues.empty()) {
    std::string message;
    for (const FieldIssue& i : m.issues) {
      ++summary.issues_by_reason[i.reason];
      if (!message.empty()) message += "; ";
      message += i.hubspot_property + ": " + i.message;
    }
    errors_.push_back({id, m.issues.front().reason, message});
  } else {
    resolved_.push_back(id);
  }
  links_.push_back(std::move(lw));
  return Status::Ok();
}

Status ContactRun::Flush(const nlohmann::json& checkpoint, const std::optional<std::string>& cursor) {
  store::RunCounts counts = buffered_counts_;
  if (request.dry_run) {
    summary.counts += counts;
    ClearBuffer();
    return Status::Ok();
  }
  std::unordered_map<std::string, size_t> link_at;
  for (size_t i = 0; i < links_.size(); ++i) link_at[links_[i].hubspot_id] = i;
  auto reject = [&](const RejectedContact& r) {
    errors_.push_back({r.hubspot_id, "rejected_by_brevo", r.message});
    auto it = link_at.find(r.hubspot_id);
    if (it == link_at.end()) return;
    LinkWrite& lw = links_[it->second];
    if (lw.counted_as.empty()) return;
    --Counter(counts, lw.counted_as);
    ++counts.failed;
    lw.counted_as.clear();
    resolved_.erase(std::remove(resolved_.begin(), resolved_.end(), r.hubspot_id), resolved_.end());
  };

  if (!updates_.empty()) {
    auto out = writer.Update(updates_);
    if (!out.ok()) return out.status();
    auto still = RetryWithoutSms(out->rejected, updates_);
    if (!still.ok()) return still.status();
    for (const RejectedContact& r : *still) reject(r);
    for (ContactWriteItem& u : out->unknown) {
      // Brevo does not have it (deleted there since): import the whole contact again.
      auto it = link_at.find(u.hubspot_id);
      if (it == link_at.end()) continue;
      LinkWrite& lw = links_[it->second];
      if (lw.counted_as == "updated") {
        --counts.updated;
        ++counts.created;
        lw.counted_as = "created";
      }
      lw.brevo_id.reset();
      imports_.push_back({lw.hubspot_id, brevo::ContactWrite{lw.email, lw.attributes, lw.list_ids, {}, {}}});
      DeferSms(imports_.back());
    }
  }
  if (!imports_.empty() && imports_.size() <= direct_create_max) {
    TAJO_RETURN_IF_ERROR(CreateDirectly(link_at, reject));
  } else if (!imports_.empty()) {
    auto out = writer.Import(imports_);
    if (!out.ok()) return out.status();
    for (const RejectedContact& r : out->rejected) reject(r);
    pending_imports.insert(pending_imports.end(), out->process_ids.begin(), out->process_ids.end());
  }
  std::vector<std::string> unlinked;
  TAJO_RETURN_IF_ERROR(SendDeletes(counts, unlinked));

  const int64_t hubspot_now = clients.HubSpotCalls() - hubspot_calls_at_start;
  const int64_t brevo_now = clients.BrevoCalls() - brevo_calls_at_start;
  nlohmann::json cp = checkpoint;
  cp["pending_imports"] = pending_imports;
  cp["chain_started_ms"] = chain_started_ms;
  nlohmann::json deferred = nlohmann::json::array();
  for (const DeferredSms& d : deferred_sms) deferred.push_back({d.hubspot_id, d.email, d.sms});
  cp["deferred_sms"] = std::move(deferred);
  for (const std::string& id : sms_dropped_) {
    auto it = link_at.find(id);
    if (it != link_at.end()) links_[it->second].snapshot["SMS"].brevo.reset();
  }
  sms_dropped_.clear();
  Status s = store.Transaction([&](store::StoreTx& tx) -> Status {
    for (const LinkWrite& lw : links_) {
      if (lw.counted_as.empty()) continue;
      std::optional<int64_t> brevo_id = lw.brevo_id;
      if (brevo_id) {
        auto other = tx.GetLinkByBrevoId(kConnectionName, *brevo_id);
        if (!other.ok()) return other.status();
        if (*other && (*other)->hubspot_id != lw.hubspot_id) brevo_id.reset();
      }
      TAJO_RETURN_IF_ERROR(tx.UpsertLink(store::Link{kConnectionName, lw.hubspot_id, brevo_id, lw.email}));
      TAJO_RETURN_IF_ERROR(tx.WriteSnapshot(kConnectionName, lw.hubspot_id, lw.snapshot));
    }
    for (const ErrorWrite& e : errors_) {
      TAJO_RETURN_IF_ERROR(tx.ReportRecordError(kConnectionName, kContacts, e.record_id, e.reason, e.message));
    }
    for (const std::string& id : resolved_) {
      auto r = tx.ResolveRecordError(kConnectionName, kContacts, id);
      if (!r.ok()) return r.status();
    }
    for (const std::string& id : unlinked) {
      auto r = tx.DeleteLink(kConnectionName, id);
      if (!r.ok()) return r.status();
      auto e = tx.ResolveRecordError(kConnectionName, kContacts, id);
      if (!e.ok()) return e.status();
    }
    TAJO_RETURN_IF_ERROR(tx.AddRunCounts(run_id, kContacts, counts));
    TAJO_RETURN_IF_ERROR(tx.AddRunCalls(run_id, "hubspot", hubspot_now - hubspot_calls_saved));
    TAJO_RETURN_IF_ERROR(tx.AddRunCalls(run_id, "brevo", brevo_now - brevo_calls_saved));
    TAJO_RETURN_IF_ERROR(tx.SaveRunCheckpoint(run_id, cp.dump()));
    if (cursor) TAJO_RETURN_IF_ERROR(tx.SetCursor(kConnectionName, kContacts, "incremental", *cursor));
    if (in_flush_tx) TAJO_RETURN_IF_ERROR(in_flush_tx(tx));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  hubspot_calls_saved = hubspot_now;
  brevo_calls_saved = brevo_now;
  summary.counts += counts;
  ClearBuffer();
  return Status::Ok();
}

Status ContactRun::CreateDirectly(const std::unordered_map<std::string, size_t>& link_at,
                                  const std::function<void(const RejectedContact&)>& reject) {
  for (const ContactWriteItem& item : imports_) {
    // An upsert keyed by email (the SMS was deferred): repeating it after a crash is harmless.
    auto id = clients.brevo().UpsertContact(item.write);
    if (!id.ok()) {
      const StatusCode code = id.status().code();
      if (code == StatusCode::kInvalidArgument || code == StatusCode::kAlreadyExists ||
          code == StatusCode::kFailedPrecondition || code == StatusCode::kNotFound) {
        reject({item.hubspot_id, item.write.email, id.status().message()});
        continue;
      }
      return id.status();
    }
    if (auto it = link_at.find(item.hubspot_id); it != link_at.end() && *id > 0) links_[it->second].brevo_id = *id;
  }
  return Status::Ok();
}

void ContactRun::ClearBuffer() {
  imports_.clear();
  updates_.clear();
  deletes_.clear();
  links_.clear();
  errors_.clear();
  resolved_.clear();
  buffered_counts_ = {};
}

void ContactRun::DeferSms(ContactWriteItem& item) {
  auto sms = item.write.attributes.find("SMS");
  if (sms == item.write.attributes.end() || !sms->is_string()) return;
  deferred_sms.push_back({item.hubspot_id, item.write.email, sms->get<std::string>()});
  item.write.attributes.erase(sms);
}

namespace {
bool IsTakenSms(const std::string& message) {
  return message.find("SMS") != std::string::npos && message.find("already associated") != std::string::npos;
}
}  // namespace

Result<std::vector<RejectedContact>> ContactRun::RetryWithoutSms(const std::vector<RejectedContact>& rejected,
                                                                 const std::vector<ContactWriteItem>& sent) {
  std::vector<RejectedContact> others;
  std::vector<ContactWriteItem> again;
  for (const RejectedContact& r : rejected) {
    if (!IsTakenSms(r.message)) {
      others.push_back(r);
      continue;
    }
    for (const ContactWriteItem& item : sent) {
      if (item.hubspot_id != r.hubspot_id || !item.write.attributes.contains("SMS")) continue;
      ContactWriteItem without = item;
      const std::string sms = without.write.attributes["SMS"].is_string() ? without.write.attributes["SMS"].get<std::string>() : "";
      without.write.attributes.erase("SMS");
      errors_.push_back({r.hubspot_id, "duplicate_phone",
                         "phone: SMS " + sms + " already belongs to another Brevo contact; Brevo keeps SMS numbers "
                         "unique, so it was left out"});
      ++summary.issues_by_reason["duplicate_phone"];
      resolved_.erase(std::remove(resolved_.begin(), resolved_.end(), r.hubspot_id), resolved_.end());
      sms_dropped_.push_back(r.hubspot_id);
      again.push_back(std::move(without));
      break;
    }
  }
  if (again.empty()) return others;
  auto out = writer.Update(again);
  if (!out.ok()) return out.status();
  for (const RejectedContact& r : out->rejected) others.push_back(r);
  return others;
}

Status ContactRun::ApplyDeferredSms() {
  if (deferred_sms.empty() || request.dry_run) return Status::Ok();
  std::vector<ContactWriteItem> items;
  for (const DeferredSms& d : deferred_sms) {
    items.push_back({d.hubspot_id, brevo::ContactWrite{d.email, nlohmann::json{{"SMS", d.sms}}, {}, {}, {}}});
  }
  auto out = writer.Update(items);
  if (!out.ok()) return out.status();
  std::vector<std::pair<std::string, std::string>> taken;  // hubspot id, message
  for (const RejectedContact& r : out->rejected) taken.emplace_back(r.hubspot_id, r.message);
  Status s = store.Transaction([&](store::StoreTx& tx) -> Status {
    for (const auto& [id, message] : taken) {
      auto link = tx.GetLinkByHubSpotId(kConnectionName, id);
      if (!link.ok()) return link.status();
      if (!*link) continue;
      auto snap = tx.GetSnapshot(kConnectionName, id);
      if (!snap.ok()) return snap.status();
      store::Snapshot fix;
      fix["SMS"] = store::SnapshotValue{(*snap)["SMS"].hubspot, std::nullopt};
      TAJO_RETURN_IF_ERROR(tx.WriteSnapshot(kConnectionName, id, fix));
      TAJO_RETURN_IF_ERROR(tx.ReportRecordError(kConnectionName, kContacts, id,
                                                IsTakenSms(message) ? "duplicate_phone" : "rejected_by_brevo",
                                                "phone: " + message));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (const auto& [id, message] : taken) ++summary.issues_by_reason[IsTakenSms(message) ? "duplicate_phone" : "rejected_by_brevo"];
  deferred_sms.clear();
  return Status::Ok();
}

}  // namespace tajo::sync
