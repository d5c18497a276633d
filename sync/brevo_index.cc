#include "sync/brevo_index.h"

#include <algorithm>

#include "sync/contact_mapper.h"

namespace tajo::sync {

namespace {
// Brevo stores phone identifiers as digits; callers may have given "+33...".
std::string Digits(const std::string& s) {
  std::string d;
  for (char c : s) {
    if (c >= '0' && c <= '9') d.push_back(c);
  }
  return d;
}
}  // namespace

Status BrevoIndex::Load(brevo::BrevoClient& client, const std::vector<std::string>& keep,
                        const std::function<void(int64_t, int64_t)>& progress) {
  brevo::ContactListOptions o;
  o.limit = brevo::kMaxContactsPage;
  o.ascending = true;  // creation order: contacts created while we page land after our offset
  int64_t loaded = 0;
  while (true) {
    auto page = client.ListContacts(o);
    if (!page.ok()) return page.status();
    for (brevo::Contact& c : page->contacts) {
      ++loaded;
      if (c.email.empty()) {
        if (c.attributes.contains("SMS") && c.attributes["SMS"].is_string()) {
          sms_owner_[Digits(c.attributes["SMS"].get<std::string>())] = "";
        }
        continue;
      }
      BrevoContactState s;
      s.id = c.id;
      s.list_ids = c.list_ids;
      std::sort(s.list_ids.begin(), s.list_ids.end());
      s.blocklisted = c.email_blacklisted;
      if (c.attributes.is_object()) {
        for (const std::string& k : keep) {
          auto it = c.attributes.find(k);
          if (it != c.attributes.end() && !it->is_null()) s.attributes[k] = *it;
        }
        auto sms = c.attributes.find("SMS");
        if (sms != c.attributes.end() && sms->is_string() && !sms->get<std::string>().empty()) {
          sms_owner_[Digits(sms->get<std::string>())] = NormalizeEmail(c.email);
        }
      }
      contacts_[NormalizeEmail(c.email)] = std::move(s);
    }
    if (progress) progress(loaded, page->count);
    if (page->contacts.size() < static_cast<size_t>(o.limit) || loaded >= page->count) break;
    o.offset += o.limit;
  }
  return Status::Ok();
}

const BrevoContactState* BrevoIndex::Find(const std::string& email) const {
  auto it = contacts_.find(email);
  return it == contacts_.end() ? nullptr : &it->second;
}

void BrevoIndex::Put(const std::string& email, BrevoContactState state) { contacts_[email] = std::move(state); }

std::optional<std::string> BrevoIndex::SmsOwner(const std::string& digits) const {
  auto it = sms_owner_.find(Digits(digits));
  if (it == sms_owner_.end()) return std::nullopt;
  return it->second;
}

void BrevoIndex::ClaimSms(const std::string& digits, const std::string& email) { sms_owner_[Digits(digits)] = email; }

}  // namespace tajo::sync
