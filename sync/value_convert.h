// Conversions of one HubSpot property value (always a string on the wire) into the JSON value a
// Brevo attribute of a given type accepts. Each returns the value, or kInvalidArgument with a
// message that shows the value and says why (these messages end up in per-record errors).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace tajo::sync {

// "2024-01-17", "2024-01-17T19:55:04.281Z", or epoch milliseconds ("1705521304281", how HubSpot
// sends date properties) -> "2024-01-17" (UTC).
Result<std::string> ToBrevoDate(std::string_view hubspot_value);

// "1234.5", "-3", "1e3" -> 1234.5 (a finite double). Thousands separators are not numbers.
Result<double> ToBrevoFloat(std::string_view hubspot_value);

// "true"/"false" (any case), "yes"/"no", "1"/"0" -> bool.
Result<bool> ToBrevoBoolean(std::string_view hubspot_value);

// A phone number as people type it -> the form Brevo's SMS/WHATSAPP/LANDLINE_NUMBER take: the
// digits with the country code and no '+' ("33612345678"). "+33 6 12 34 56 78",
// "0033612345678", "(202) 555-0143" with default_country "US" ... A number without a country code
// needs `default_country` (ISO 3166 alpha-2, any case); digits only ("33612345678", Brevo's own
// form) that are not a valid national number are read as country code + number.
// The number must have a possible length for its country (libphonenumber's IsPossibleNumber);
// number ranges are not checked, since ranges are given out faster than the library's data
// changes. A digits-only guess at the country code must be fully valid (IsValidNumber). An
// extension is dropped. Otherwise an error saying why (no country code, too short, too long).
Result<std::string> ToBrevoPhone(std::string_view hubspot_value, std::string_view default_country);

}  // namespace tajo::sync
