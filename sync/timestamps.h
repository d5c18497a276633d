// Timestamps as HubSpot and the CLI write them, read into Unix milliseconds (UTC).
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace tajo::sync {

// "2024-01-17T19:55:04.281Z", "2024-01-17T19:55:04Z", "2024-01-17T21:55:04+02:00",
// "2024-01-17" (midnight UTC), or epoch milliseconds "1705521304281".
// Fails with kInvalidArgument naming the text.
Result<int64_t> ParseTimestampMillis(std::string_view text);

}  // namespace tajo::sync
