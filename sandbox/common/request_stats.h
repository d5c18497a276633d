// RequestStats: what a sandbox served, for GET /_sandbox/stats and for tests and benchmarks that
// count calls ("calls used versus the minimum").
//
// Counts requests by endpoint (the route pattern, e.g. "GET /crm/v3/objects/{objectType}") and
// status code, plus named counters (e.g. "rate_limited.TEN_SECONDLY_ROLLING", "fault.5xx").
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace tajo::sandbox {

class RequestStats {
 public:
  RequestStats() = default;
  RequestStats(const RequestStats&) = delete;
  RequestStats& operator=(const RequestStats&) = delete;

  void Record(const std::string& endpoint, int status);
  void Increment(const std::string& counter, int64_t n = 1);

  int64_t Total() const;
  // Requests to `endpoint` with `status` (status 0: any status).
  int64_t Count(const std::string& endpoint, int status = 0) const;
  // Requests answered with `status`, any endpoint.
  int64_t CountStatus(int status) const;
  int64_t Counter(const std::string& counter) const;

  // {"total": N, "byStatus": {"200": N}, "byEndpoint": {"GET /x": {"total": N, "byStatus": {...}}},
  //  "counters": {"name": N}}
  nlohmann::json ToJson() const;
  void Reset();

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::map<int, int64_t>> by_endpoint_;
  std::map<std::string, int64_t> counters_;
};

}  // namespace tajo::sandbox
