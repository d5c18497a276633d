// SyncDirection: which way records flow. One definition shared by the configuration, the store
// (sync runs record it) and the engine.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace tajo {

enum class SyncDirection { kBidirectional, kHubSpotToBrevo, kBrevoToHubSpot };

// "bidirectional" | "hubspot_to_brevo" | "brevo_to_hubspot".
std::string_view SyncDirectionName(SyncDirection direction);
// The names above, in enum order.
std::span<const std::string_view> SyncDirectionNames();
// The direction with this name, or nullopt.
std::optional<SyncDirection> ParseSyncDirection(std::string_view name);

}  // namespace tajo
