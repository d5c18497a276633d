// ContactDiff: what must change in a Brevo contact for it to match the mapped HubSpot contact —
// the attributes whose value differs and the managed lists to join or leave. Compared against
// the Brevo account itself (full sync) or against the snapshot of what tajo last wrote
// (incremental sync). An attribute the mapping leaves out (empty in HubSpot, or unconvertible) is
// never a change: tajo does not clear Brevo values with empty ones.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tajo::sync {

struct ContactDiff {
  nlohmann::json attributes = nlohmann::json::object();  // only the changed ones, new values
  std::vector<int64_t> add_lists;
  std::vector<int64_t> remove_lists;

  bool empty() const { return attributes.empty() && add_lists.empty() && remove_lists.empty(); }
  // "FIRSTNAME: "Ana" -> "Anna"; lists +11 -12" (values shown as JSON).
  std::string Describe(const nlohmann::json& before) const;
};

// REQUIRES: list vectors ascending. `managed`: the list ids tajo manages; only those are removed.
ContactDiff DiffContact(const nlohmann::json& desired_attributes, const std::vector<int64_t>& desired_lists,
                        const nlohmann::json& current_attributes, const std::vector<int64_t>& current_lists,
                        const std::vector<int64_t>& managed);

// Whether two attribute values are the same for Brevo: equal JSON, or equal numbers however
// written (3 and 3.0, 3 and "3").
bool SameAttributeValue(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace tajo::sync
