// ApiCaller: the one way tajo makes an outbound API call. It puts a RateBudget and a
// RetryPolicy in front of a Transport:
//
//   for each attempt:  wait for the call's rate buckets  ->  send  ->  correct the budget from
//                      the response's rate-limit headers  ->  ask the RetryPolicy  ->  sleep
//
// and keeps per-bucket counts (calls, attempts, 429s, retries, ...) for benchmarks and the sync
// summary. Every wait goes through the injected Clock, so a ManualClock runs a rate-limited
// scenario in no real time.
//
// Secrets: request headers (Authorization, api-key) are never logged nor copied into a Status;
// URLs and transport messages pass through tajo::Redact before they are logged or returned.
//
// Thread-safe: Call() may run on many threads at once (that is how requests are kept in flight);
// the Transport, RateBudget and RetryPolicy it uses are thread-safe themselves.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "http/client.h"
#include "http/message.h"
#include "http/rate_budget.h"
#include "http/retry.h"

namespace tajo::http {

struct CallOptions {
  // Rate buckets the call draws from, e.g. {"hubspot"} or {"hubspot-search"}. Rate-limit headers
  // of the response correct the FIRST one. Empty: not budgeted.
  std::vector<std::string> buckets{};
  // Whether repeating the request is harmless. Unset: by method (GET/HEAD/PUT/DELETE yes,
  // POST/PATCH no). Mark an upsert or a batch read POST idempotent explicitly.
  std::optional<bool> idempotent{};
  int max_attempts = 0;  // attempts in all; 0 = RetryPolicy::options().max_attempts
  // Longest wait for the rate budget per attempt; beyond it the call fails with
  // kResourceExhausted instead of sleeping (e.g. a spent daily quota). -1 = wait as long as needed.
  int64_t max_budget_wait_micros = RateBudget::kWaitForever;
};

// Counts per bucket ("" for calls without a bucket). A call with two buckets counts in both.
struct CallStats {
  int64_t calls = 0;             // Call() invocations (each request of CallAll counts once)
  int64_t attempts = 0;          // requests handed to the transport
  int64_t retries = 0;           // attempts after the first
  int64_t rate_limited = 0;      // 429 responses
  int64_t server_errors = 0;     // 5xx responses (and HubSpot's 423/477)
  int64_t transport_errors = 0;  // attempts that got no HTTP response
  int64_t failed = 0;            // calls that ended without a 2xx/3xx (error status or no response)
  int64_t backoff_micros = 0;    // time slept between attempts (not the budget wait)
};

class ApiCaller {
 public:
  // Every argument must outlive the caller.
  ApiCaller(Transport& transport, RateBudget& budget, RetryPolicy& retry, Clock& clock);
  ApiCaller(const ApiCaller&) = delete;
  ApiCaller& operator=(const ApiCaller&) = delete;

  // Sends `request` under `options`, retrying per the RetryPolicy.
  // Success: the LAST response, whatever its status (a 404 or a final 429 is a value: the typed
  // clients turn statuses into errors). Failure: kInvalidArgument for an unknown bucket or a bad
  // option, kResourceExhausted when the budget wait would exceed max_budget_wait_micros, or the
  // last transport error ("... after 5 attempts"), redacted.
  Result<HttpResponse> Call(const ClientRequest& request, const CallOptions& options);

  // Sends several requests concurrently (Transport::SendAll) under the same options; each is
  // budgeted and retried as Call() would; results in order. Each round sends together every
  // request whose backoff is over and that the budget admits at once; the rest follow in later
  // rounds. Calls on several threads are the other way to keep requests in flight.
  std::vector<Result<HttpResponse>> CallAll(const std::vector<ClientRequest>& requests, const CallOptions& options);

  CallStats Stats(const std::string& bucket) const;
  std::map<std::string, CallStats> AllStats() const;

 private:
  struct Plan {
    std::vector<std::string> buckets{};
    bool idempotent = false;
    int max_attempts = 1;
  };
  Result<Plan> MakePlan(const ClientRequest& request, const CallOptions& options) const;
  // Acquires the budget for one attempt; counts the attempt.
  Status Admit(const Plan& plan, const CallOptions& options, const ClientRequest& request, int attempt);
  // Books one outcome (stats, budget correction, log) and decides what next.
  RetryDecision Review(const Plan& plan, const ClientRequest& request, int attempt,
                       const Result<HttpResponse>& outcome, int64_t elapsed_micros);
  // The final value of a call.
  Result<HttpResponse> Conclude(const Plan& plan, const ClientRequest& request, int attempts,
                                Result<HttpResponse> outcome);
  template <typename F>
  void Count(const Plan& plan, F&& update);

  Transport& transport_;
  RateBudget& budget_;
  RetryPolicy& retry_;
  Clock& clock_;
  mutable std::mutex mu_;
  std::map<std::string, CallStats> stats_;  // guarded by mu_
};

}  // namespace tajo::http
