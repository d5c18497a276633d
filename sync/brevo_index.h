// BrevoIndex: what the Brevo account holds, read once at the start of a full sync
// (GET /contacts, 1,000 a page): for each email, the contact id, its list ids, its blocklist
// flag and the values of the attributes tajo maps. The full sync compares the mapped HubSpot
// contact against it to decide create / update / unchanged without one call per contact.
//
// It also knows which contact owns each SMS number: Brevo keeps SMS unique, so a second contact
// with the same number would be refused (or, in an import, matched to the wrong person).
//
// Not thread-safe: one run owns it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "brevo/client.h"
#include "core/status.h"

namespace tajo::sync {

struct BrevoContactState {
  int64_t id = 0;
  std::vector<int64_t> list_ids;  // ascending
  bool blocklisted = false;
  nlohmann::json attributes = nlohmann::json::object();  // only the kept attributes
};

class BrevoIndex {
 public:
  BrevoIndex() = default;

  // Pages every contact in. `keep`: the attribute names to remember (upper case). `progress`
  // gets (loaded, total) after each page. Fails with the client's error.
  Status Load(brevo::BrevoClient& client, const std::vector<std::string>& keep,
              const std::function<void(int64_t, int64_t)>& progress = {});

  // REQUIRES: `email` normalized (sync/contact_mapper.h NormalizeEmail).
  const BrevoContactState* Find(const std::string& email) const;
  // Records what tajo wrote, so later pages of the same run see it.
  void Put(const std::string& email, BrevoContactState state);

  // The email of the contact holding SMS number `digits` ("33612345678"), if any.
  std::optional<std::string> SmsOwner(const std::string& digits) const;
  void ClaimSms(const std::string& digits, const std::string& email);

  size_t size() const { return contacts_.size(); }

 private:
  std::unordered_map<std::string, BrevoContactState> contacts_;
  std::unordered_map<std::string, std::string> sms_owner_;
};

}  // namespace tajo::sync
