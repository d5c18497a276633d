// Small string helpers shared by the Portal's source files (portal*.cc). Private to sandbox/hubspot.
// Pure functions: thread-safe.
#pragma once

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tajo::sandbox::hubspot::portal_helpers {

// `s` with ASCII letters lower-cased.
inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A record id: 1 to 19 decimal digits. nullopt for anything else.
inline std::optional<uint64_t> ParseId(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// The value of property `name` in `props`, or nullptr when absent.
inline const std::string* FindProp(const std::vector<std::pair<std::string, std::string>>& props,
                                   std::string_view name) {
  for (const auto& [k, v] : props)
    if (k == name) return &v;
  return nullptr;
}

}  // namespace tajo::sandbox::hubspot::portal_helpers
