// Account's private types, shared by account.cc, account_write.cc and account_lists.cc.
// Not part of the sandbox's interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sandbox/brevo/account.h"

namespace tajo::sandbox::brevo {

inline constexpr const char* kInvalidEmail = "Invalid email address";
inline constexpr const char* kInvalidPhone = "Invalid phone number: an SMS, WHATSAPP or LANDLINE_NUMBER value needs "
                                             "its country code (+33612345678, 0033612345678 or 33612345678)";
inline constexpr const char* kMissingIdentifier = "An email, an ext_id or an SMS attribute is required";
inline constexpr const char* kOwnerEmailDelete = "You're not allowed to delete registered email contact with Brevo";
inline constexpr size_t kListMembersMax = 150;

struct Account::Folder {
  int64_t id = 0;
  std::string name;
  int64_t created_ms = 0;
};

struct Account::List {
  int64_t id = 0;
  std::string name;
  int64_t folder_id = 0;
  int64_t created_ms = 0;
  OrderIndex members;
  int64_t blacklisted = 0;  // members with emailBlacklisted
};

// What a create or update will change, computed (and validated) before anything changes, so a
// batch can be all or nothing.
struct Account::WritePlan {
  std::optional<std::string> email;  // the new email, lower case
  std::vector<std::pair<const AttributeDef*, Normalized>> attrs;
  std::optional<bool> email_blacklisted, sms_blacklisted;
  std::vector<int64_t> add_lists, remove_lists;
  // The identifiers this plan gives the contact (kind, normalized value).
  std::vector<std::pair<IdentifierKind, std::string>> claims;
};

struct Account::Flags {
  bool unknown_attribute_is_error = false;
  bool empty_clears = true;  // null / "" erase a value (API); imports: emptyContactsAttributes
};

// The webhook / error name of an identifier attribute.
inline const char* IdentifierLabel(IdentifierKind kind) {
  switch (kind) {
    case IdentifierKind::kEmail: return "email";
    case IdentifierKind::kSms: return "SMS";
    case IdentifierKind::kExtId: return "ext_id";
    case IdentifierKind::kWhatsapp: return "WHATSAPP";
    case IdentifierKind::kLandline: return "LANDLINE_NUMBER";
    case IdentifierKind::kNone: return "";
  }
  return "";
}

}  // namespace tajo::sandbox::brevo
