// ContactMapper: turns one HubSpot contact into the Brevo contact it should be, by the resolved
// field mapping (sync/field_mapping.h) and the value conversions (sync/value_convert.h).
//
// A value that cannot be converted (an unreadable phone, a date that is not a date, a number that
// is not a number, an enumeration value the Brevo category does not have) is left out of the
// attributes and reported as a FieldIssue; the rest of the record still maps. An empty or absent
// HubSpot value is left out too (tajo never clears a Brevo value with an empty one), without an
// issue.
//
// Immutable after construction; Map() is thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "hubspot/types.h"
#include "sync/field_mapping.h"

namespace tajo::sync {

struct FieldIssue {
  std::string hubspot_property;  // which field
  std::string reason;            // stable code: invalid_phone | invalid_date | invalid_number |
                                 // invalid_boolean | unknown_option
  std::string message;           // for people: the value (never a secret) and why
};

struct MappedContact {
  std::string hubspot_id;
  // The identity: the HubSpot email trimmed and lower-cased; "" when the contact has none (the
  // caller skips it with reason missing_email).
  std::string email;
  // Brevo attribute -> value in the attribute's type: string (text, date "YYYY-MM-DD"),
  // number (float), bool (boolean), string (category: the option label), array (multiple-choice).
  nlohmann::json attributes = nlohmann::json::object();
  std::vector<FieldIssue> issues;
};

// Normalises an email the way links and matching compare them: trimmed, ASCII lower case.
std::string NormalizeEmail(std::string_view email);

class ContactMapper {
 public:
  // `config` supplies enumerations (value | label) and default_country.
  ContactMapper(FieldMappingPlan plan, const HubSpotConfig& config);

  MappedContact Map(const hubspot::CrmObject& contact) const;

  const FieldMappingPlan& plan() const { return plan_; }

 private:
  FieldMappingPlan plan_;
  EnumerationFormat enumerations_;
  std::string default_country_;
};

}  // namespace tajo::sync
