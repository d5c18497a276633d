// Time formats the sandboxes read and write: ISO-8601 / RFC 3339 UTC with milliseconds
// ("2024-01-17T19:55:04.281Z"), dates ("2024-01-17") and epoch milliseconds.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tajo::sandbox {

// "2024-01-17T19:55:04.281Z" for `unix_millis`.
std::string FormatIsoMillis(int64_t unix_millis);
// "2024-01-17" (UTC) for `unix_millis`.
std::string FormatIsoDate(int64_t unix_millis);
// Parses "2024-01-17", "2024-01-17T19:55:04Z", "...04.281Z", "...04.281+02:00" and the same
// without the zone (taken as UTC). nullopt when malformed.
std::optional<int64_t> ParseIsoMillis(std::string_view text);
// Parses an epoch-milliseconds integer ("1579514400000"; optional leading '-').
std::optional<int64_t> ParseEpochMillis(std::string_view text);
// Either of the two forms above.
std::optional<int64_t> ParseTimeMillis(std::string_view text);
// Days since 1970-01-01 for a civil date (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

}  // namespace tajo::sandbox
