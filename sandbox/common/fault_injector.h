// FaultInjector: latency and faults a sandbox adds to the requests it serves, so that clients can
// be tested against a slow, flaky API: fixed latency plus uniform jitter, and per-request chances
// of a 5xx, a 429, a timeout (the request is held past any sane client timeout, then answered
// 504), a connection reset and a truncated body.
//
// The injector only decides; the sandbox builds the response in its API's own error format.
// Resets and truncation are carried out by the HTTP server: the sandbox sets the response's
// http::ConnectionFault (HttpResponse::fault), which http/server honours.
// Decisions come from a seeded Rng, so a given seed and request order give the same faults.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "sandbox/common/rng.h"

namespace tajo::sandbox {

struct FaultSettings {
  int64_t latency_ms = 0;         // added to every request
  int64_t jitter_ms = 0;          // plus uniform [0, jitter_ms]
  double error_5xx_rate = 0;      // chance of a 500/502/503/504 instead of the real answer
  double rate_limit_rate = 0;     // chance of a 429 (in the API's format) instead of the answer
  double timeout_rate = 0;        // chance of holding the request timeout_hold_ms, then a 504
  int64_t timeout_hold_ms = 35'000;
  double reset_rate = 0;          // chance of a connection reset instead of the answer
  double truncate_rate = 0;       // chance of the answer's body cut in half
  uint64_t seed = 1;

  // {"latencyMs":..,"jitterMs":..,"error5xxRate":..,"rateLimitRate":..,"timeoutRate":..,
  //  "timeoutHoldMs":..,"resetRate":..,"truncateRate":..,"seed":..}
  nlohmann::json ToJson() const;
  // Applies the keys present in `j` (the same names) over *this. Rates must be in [0, 1], times
  // >= 0; on error nothing is changed and the Status names the key.
  Status MergeFrom(const nlohmann::json& j);
  // Applies what a sandbox's PUT /_sandbox/settings body says about faults: its "faults" object
  // (as MergeFrom) and its top-level "latencyMs" and "jitterMs"; other keys are ignored. On error
  // nothing is changed and the Status names the key ("faults.resetRate: ...").
  Status MergeFromSettingsBody(const nlohmann::json& body);
};

enum class FaultKind { kNone, kServerError, kRateLimit, kTimeout, kReset, kTruncate };
const char* FaultKindName(FaultKind kind);  // "none", "5xx", "429", "timeout", "reset", "truncate"

struct FaultDecision {
  int64_t latency_micros = 0;
  FaultKind kind = FaultKind::kNone;
  int server_error_status = 500;  // for kServerError: 500, 502, 503 or 504
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultSettings settings = {});
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  FaultSettings settings() const;
  // Replaces the settings and reseeds the generator with settings.seed.
  void set_settings(const FaultSettings& settings);
  // Draws the latency and the fault for one request. At most one fault per request.
  FaultDecision Decide();

 private:
  mutable std::mutex mu_;
  FaultSettings settings_;
  Rng rng_;
};

}  // namespace tajo::sandbox
