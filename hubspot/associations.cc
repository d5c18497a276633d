// HubSpotClient::BatchReadAssociations: the v4 associations batch read (reference §3.1).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/plan_budgets.h"
#include "hubspot/client.h"

namespace tajo::hubspot {

namespace {

using nlohmann::json;

// An id HubSpot sends as a number (the docs) or a string (the spec): both are accepted.
std::optional<std::string> IdText(const json& v) {
  if (v.is_number_unsigned() || v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_string() && !v.get<std::string>().empty()) return v.get<std::string>();
  return std::nullopt;
}

Status Malformed(const std::string& endpoint, const std::string& what) {
  return Status::Corruption(fmt::format("HubSpot {}: unexpected response: {}", endpoint, what));
}

}  // namespace

Result<std::map<std::string, std::vector<std::string>>> HubSpotClient::BatchReadAssociations(
    const std::string& from_type, const std::string& to_type, const std::vector<std::string>& ids) {
  constexpr size_t kMaxInputs = 100;
  const std::string path = "/crm/v4/associations/" + http::UrlEncode(from_type) + "/" + http::UrlEncode(to_type) +
                           "/batch/read";
  const std::string endpoint = "POST " + path;
  std::map<std::string, std::vector<std::string>> out;
  // (id, after) still to read: every id once, then those whose answer had another page.
  std::vector<std::pair<std::string, std::string>> todo;
  for (const std::string& id : ids) todo.emplace_back(id, "");
  for (int round = 0; !todo.empty(); ++round) {
    if (round == 10'000) return Malformed(endpoint, "the association pages never end");
    std::vector<std::pair<std::string, std::string>> next;
    for (size_t start = 0; start < todo.size(); start += kMaxInputs) {
      json inputs = json::array();
      for (size_t i = start; i < std::min(todo.size(), start + kMaxInputs); ++i) {
        json in = {{"id", todo[i].first}};
        if (!todo[i].second.empty()) in["after"] = todo[i].second;
        inputs.push_back(std::move(in));
      }
      // A read: safe to repeat.
      auto body = Send("POST", path, json{{"inputs", inputs}}.dump(), std::string(http::kHubSpotBucket), true);
      if (!body.ok()) return body.status();
      json j = json::parse(*body, nullptr, false);
      if (j.is_discarded() || !j.is_object()) return Malformed(endpoint, "not a JSON object");
      if (!j.contains("results")) continue;  // none of the ids is known
      if (!j["results"].is_array()) return Malformed(endpoint, "results is not an array");
      for (const json& r : j["results"]) {
        if (!r.is_object() || !r.contains("from") || !r["from"].is_object()) return Malformed(endpoint, "a result has no from");
        auto from = IdText(r["from"].value("id", json()));
        if (!from) return Malformed(endpoint, "a result's from.id is not an id");
        std::vector<std::string>& to = out[*from];
        if (r.contains("to") && r["to"].is_array()) {
          for (const json& t : r["to"]) {
            auto id = t.is_object() ? IdText(t.value("toObjectId", json())) : std::nullopt;
            if (!id) return Malformed(endpoint, "a to entry has no toObjectId");
            to.push_back(*id);
          }
        }
        if (r.contains("paging") && r["paging"].is_object()) {
          const json& n = r["paging"].value("next", json());
          if (n.is_object() && n.contains("after") && n["after"].is_string()) {
            next.emplace_back(*from, n["after"].get<std::string>());
          }
        }
      }
    }
    todo = std::move(next);
  }
  return out;
}

}  // namespace tajo::hubspot
