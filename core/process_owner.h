// Process owners: how a process names itself when it holds a lease ("host:pid:start-micros"), and
// how another process on the same host tells that the holder is gone (killed with -9) so its
// lease can be taken over at once instead of waiting for it to lapse.
//
// Pure functions over the OS; thread-safe.
#pragma once

#include <string>

#include "core/clock.h"

namespace tajo {

// This process's owner name: "host:pid:start-micros" (start from `clock`).
std::string ThisProcessOwner(Clock& clock);

// Whether `owner` ("host:pid:...") names a process of this host that no longer exists. False
// for another host, this process, a malformed name, or a process that exists.
bool OwnerIsDeadHere(const std::string& owner);

}  // namespace tajo
