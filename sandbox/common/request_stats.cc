#include "sandbox/common/request_stats.h"

#include <string>

namespace tajo::sandbox {

void RequestStats::Record(const std::string& endpoint, int status) {
  std::lock_guard lock(mu_);
  ++by_endpoint_[endpoint][status];
}

void RequestStats::Increment(const std::string& counter, int64_t n) {
  std::lock_guard lock(mu_);
  counters_[counter] += n;
}

int64_t RequestStats::Total() const {
  std::lock_guard lock(mu_);
  int64_t total = 0;
  for (const auto& [endpoint, statuses] : by_endpoint_)
    for (const auto& [status, n] : statuses) total += n;
  return total;
}

int64_t RequestStats::Count(const std::string& endpoint, int status) const {
  std::lock_guard lock(mu_);
  auto it = by_endpoint_.find(endpoint);
  if (it == by_endpoint_.end()) return 0;
  int64_t total = 0;
  for (const auto& [s, n] : it->second)
    if (status == 0 || s == status) total += n;
  return total;
}

int64_t RequestStats::CountStatus(int status) const {
  std::lock_guard lock(mu_);
  int64_t total = 0;
  for (const auto& [endpoint, statuses] : by_endpoint_) {
    auto it = statuses.find(status);
    if (it != statuses.end()) total += it->second;
  }
  return total;
}

int64_t RequestStats::Counter(const std::string& counter) const {
  std::lock_guard lock(mu_);
  auto it = counters_.find(counter);
  return it == counters_.end() ? 0 : it->second;
}

nlohmann::json RequestStats::ToJson() const {
  std::lock_guard lock(mu_);
  nlohmann::json out = {{"total", 0}, {"byStatus", nlohmann::json::object()},
                        {"byEndpoint", nlohmann::json::object()}, {"counters", nlohmann::json::object()}};
  int64_t total = 0;
  std::map<int, int64_t> by_status;
  for (const auto& [endpoint, statuses] : by_endpoint_) {
    nlohmann::json e = {{"total", 0}, {"byStatus", nlohmann::json::object()}};
    int64_t et = 0;
    for (const auto& [status, n] : statuses) {
      e["byStatus"][std::to_string(status)] = n;
      by_status[status] += n;
      et += n;
    }
    e["total"] = et;
    total += et;
    out["byEndpoint"][endpoint] = std::move(e);
  }
  for (const auto& [status, n] : by_status) out["byStatus"][std::to_string(status)] = n;
  out["total"] = total;
  for (const auto& [name, n] : counters_) out["counters"][name] = n;
  return out;
}

void RequestStats::Reset() {
  std::lock_guard lock(mu_);
  by_endpoint_.clear();
  counters_.clear();
}

}  // namespace tajo::sandbox
