#include "core/sync_direction.h"

#include <array>

namespace tajo {
namespace {
constexpr std::array<std::string_view, 3> kDirectionNames = {"bidirectional", "hubspot_to_brevo",
                                                            "brevo_to_hubspot"};
}  // namespace

std::string_view SyncDirectionName(SyncDirection direction) {
  return kDirectionNames[static_cast<size_t>(direction)];
}

std::span<const std::string_view> SyncDirectionNames() { return kDirectionNames; }

std::optional<SyncDirection> ParseSyncDirection(std::string_view name) {
  for (size_t i = 0; i < kDirectionNames.size(); ++i) {
    if (kDirectionNames[i] == name) return static_cast<SyncDirection>(i);
  }
  return std::nullopt;
}

}  // namespace tajo
