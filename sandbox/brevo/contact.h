// Contact, ContactRef and ContactInput: the Brevo sandbox's contact record, the ways a request
// names a contact (id, email, ext_id, SMS, WhatsApp, landline; reference §2.1), and a parsed
// create/update body (reference §2.2, §2.4, §2.7).
//
// Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/brevo/api_error.h"

namespace tajo::sandbox::brevo {

struct Contact {
  int64_t id = 0;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  std::string email;  // lower case; "" for SMS / ext_id-only contacts
  bool email_blacklisted = false;
  bool sms_blacklisted = false;
  // Attribute values by attribute id (AttributeDef::id), sorted by id, in canonical text. SMS,
  // EXT_ID, WHATSAPP and LANDLINE_NUMBER are here too; EMAIL is `email`.
  std::vector<std::pair<uint32_t, std::string>> attrs;
  std::vector<int64_t> lists;  // sorted list ids

  const std::string* Attr(uint32_t attr_id) const;
  size_t MemoryBytes() const;
};

// How a path or a body names a contact.
struct ContactRef {
  enum class Kind {
    kAutoRead,   // no identifierType on GET: email, contact id or SMS value
    kAutoWrite,  // no identifierType on PUT/DELETE: email or contact id
    kEmail,
    kId,
    kExtId,
    kSms,
    kWhatsapp,
    kLandline,
  };
  Kind kind = Kind::kAutoRead;
  std::string value;
};

// `identifier` (a path segment, decoded) with the optional identifierType query value
// (email_id, contact_id, ext_id, phone_id, whatsapp_id, landline_number_id). 400 for another
// identifierType.
ApiResult<ContactRef> ParseContactRef(const std::string& identifier, const std::optional<std::string>& identifier_type,
                                      bool for_write);

// A create / update body.
struct ContactInput {
  std::optional<std::string> email;   // createContact.email (update: attributes.EMAIL)
  std::optional<std::string> ext_id;  // ext_id
  nlohmann::json attributes;          // object (or null): NAME -> value
  std::optional<bool> email_blacklisted;
  std::optional<bool> sms_blacklisted;
  std::vector<int64_t> list_ids;
  std::vector<int64_t> unlink_list_ids;
};

// Reads a createContact / updateContact / batch item body. Unknown keys are ignored; a key of the
// wrong JSON type is a 400 invalid_parameter naming it (prefixed with `where`, e.g. "contacts[2].").
ApiResult<ContactInput> ParseContactInput(const nlohmann::json& body, const std::string& where = "");

}  // namespace tajo::sandbox::brevo
