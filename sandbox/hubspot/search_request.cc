#include "sandbox/hubspot/search_request.h"

#include <algorithm>
#include <set>

namespace tajo::sandbox::hubspot {
namespace {

const std::set<std::string> kOperators = {"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
                                          "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"};

std::optional<std::string> ScalarString(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return v.dump();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return std::nullopt;
}

ApiError Bad(const std::string& message) { return ApiError::Validation(message); }

}  // namespace

ApiResult<SearchRequest> ParseSearchRequest(const nlohmann::json& body, const SearchLimits& limits) {
  SearchRequest r;
  if (!body.is_object()) return Bad("Invalid input JSON: the search body must be a JSON object");
  if (body.contains("query") && !body["query"].is_null()) {
    if (!body["query"].is_string()) return Bad("query must be a string");
    r.query = body["query"].get<std::string>();
    if (r.query.size() > limits.max_query_chars)
      return Bad("query is longer than " + std::to_string(limits.max_query_chars) + " characters");
  }
  if (body.contains("limit") && !body["limit"].is_null()) {
    if (!body["limit"].is_number_integer()) return Bad("limit must be an integer");
    int64_t limit = body["limit"].get<int64_t>();
    if (limit < 1 || limit > limits.max_limit)
      return Bad("limit must be between 1 and " + std::to_string(limits.max_limit) + ", got " + std::to_string(limit));
    r.limit = static_cast<int>(limit);
  }
  if (body.contains("after") && !body["after"].is_null()) {
    std::optional<std::string> a = ScalarString(body["after"]);
    if (!a) return Bad("after must be a string holding an integer");
    if (!a->empty()) {
      bool digits = std::all_of(a->begin(), a->end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || a->size() > 12) return Bad("after must be formatted as an integer, got \"" + *a + "\"");
      r.after = std::stoll(*a);
    }
  }
  if (body.contains("properties") && !body["properties"].is_null()) {
    if (!body["properties"].is_array()) return Bad("properties must be an array of property names");
    for (const auto& p : body["properties"]) {
      if (!p.is_string()) return Bad("properties must be an array of property names");
      r.properties.push_back(p.get<std::string>());
    }
    r.properties_given = !r.properties.empty();
  }
  if (body.contains("sorts") && !body["sorts"].is_null()) {
    if (!body["sorts"].is_array()) return Bad("sorts must be an array");
    if (body["sorts"].size() > 1) return Bad("Only one sort rule is allowed, got " + std::to_string(body["sorts"].size()));
    for (const auto& s : body["sorts"]) {
      if (s.is_string()) {
        std::string name = s.get<std::string>();
        if (!name.empty() && name[0] == '-') {
          r.descending = true;
          name.erase(0, 1);
        }
        if (name.empty()) return Bad("sorts[0] is empty");
        r.sort_property = name;
      } else if (s.is_object()) {
        if (!s.contains("propertyName") || !s["propertyName"].is_string())
          return Bad("sorts[0].propertyName is required");
        r.sort_property = s["propertyName"].get<std::string>();
        if (s.contains("direction") && !s["direction"].is_null()) {
          if (!s["direction"].is_string()) return Bad("sorts[0].direction must be ASCENDING or DESCENDING");
          std::string d = s["direction"].get<std::string>();
          if (d == "DESCENDING") r.descending = true;
          else if (d != "ASCENDING") return Bad("sorts[0].direction must be ASCENDING or DESCENDING, got \"" + d + "\"");
        }
      } else {
        return Bad("sorts[0] must be an object {propertyName, direction} or a property name");
      }
    }
  }
  if (body.contains("filterGroups") && !body["filterGroups"].is_null()) {
    const auto& groups = body["filterGroups"];
    if (!groups.is_array()) return Bad("filterGroups must be an array");
    if (static_cast<int>(groups.size()) > limits.max_groups)
      return Bad("Too many filter groups: " + std::to_string(groups.size()) + " (at most " +
                 std::to_string(limits.max_groups) + ")");
    int total = 0;
    for (size_t g = 0; g < groups.size(); ++g) {
      const auto& group = groups[g];
      std::string where = "filterGroups[" + std::to_string(g) + "]";
      if (!group.is_object() || !group.contains("filters") || !group["filters"].is_array())
        return Bad(where + ".filters must be an array");
      const auto& filters = group["filters"];
      if (static_cast<int>(filters.size()) > limits.max_filters_per_group)
        return Bad("Too many filters in " + where + ": " + std::to_string(filters.size()) + " (at most " +
                   std::to_string(limits.max_filters_per_group) + ")");
      total += static_cast<int>(filters.size());
      if (total > limits.max_filters_total)
        return Bad("Too many filters: more than " + std::to_string(limits.max_filters_total) + " in total");
      std::vector<SearchFilter> parsed;
      for (size_t i = 0; i < filters.size(); ++i) {
        const auto& f = filters[i];
        std::string fw = where + ".filters[" + std::to_string(i) + "]";
        if (!f.is_object()) return Bad(fw + " must be an object");
        SearchFilter sf;
        if (!f.contains("propertyName") || !f["propertyName"].is_string()) return Bad(fw + ".propertyName is required");
        sf.property = f["propertyName"].get<std::string>();
        if (!f.contains("operator") || !f["operator"].is_string()) return Bad(fw + ".operator is required");
        sf.op = f["operator"].get<std::string>();
        if (!kOperators.count(sf.op)) return Bad(fw + ".operator \"" + sf.op + "\" is not a valid operator");
        if (f.contains("value") && !f["value"].is_null()) {
          sf.value = ScalarString(f["value"]);
          if (!sf.value) return Bad(fw + ".value must be a string");
        }
        if (f.contains("highValue") && !f["highValue"].is_null()) {
          sf.high_value = ScalarString(f["highValue"]);
          if (!sf.high_value) return Bad(fw + ".highValue must be a string");
        }
        if (f.contains("values") && !f["values"].is_null()) {
          if (!f["values"].is_array()) return Bad(fw + ".values must be an array");
          for (const auto& v : f["values"]) {
            auto s = ScalarString(v);
            if (!s) return Bad(fw + ".values must hold strings");
            sf.values.push_back(*s);
          }
        }
        bool needs_value = sf.op != "HAS_PROPERTY" && sf.op != "NOT_HAS_PROPERTY" && sf.op != "IN" && sf.op != "NOT_IN";
        if (needs_value && !sf.value) return Bad(fw + ": operator " + sf.op + " needs a value");
        if (sf.op == "BETWEEN" && !sf.high_value) return Bad(fw + ": operator BETWEEN needs a highValue");
        if ((sf.op == "IN" || sf.op == "NOT_IN") && sf.values.empty())
          return Bad(fw + ": operator " + sf.op + " needs a non-empty values array");
        parsed.push_back(std::move(sf));
      }
      r.groups.push_back(std::move(parsed));
    }
  }
  return r;
}

}  // namespace tajo::sandbox::hubspot
