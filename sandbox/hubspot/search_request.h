// SearchRequest: a parsed and checked body of POST /crm/v3/objects/{objectType}/search
// (reference §2.1-§2.3), independent of any data.
//
// Accepted: `filterGroups` (groups ORed, filters in a group ANDed), the operators EQ, NEQ, LT,
// LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN,
// NOT_CONTAINS_TOKEN; `sorts` as objects {propertyName, direction} or strings ("name",
// "-name" for descending), at most one; `query`; `properties`; `limit` (default 10, at most the
// configured maximum); `after` (an integer offset). Limits on groups and filters are settings.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/hubspot/api_error.h"

namespace tajo::sandbox::hubspot {

struct SearchFilter {
  std::string property;
  std::string op;
  std::optional<std::string> value;
  std::optional<std::string> high_value;
  std::vector<std::string> values;
};

struct SearchRequest {
  std::string query;
  std::vector<std::vector<SearchFilter>> groups;
  std::optional<std::string> sort_property;
  bool descending = false;
  std::vector<std::string> properties;
  bool properties_given = false;
  int limit = 10;
  int64_t after = 0;
};

struct SearchLimits {
  int max_groups = 5;             // reference §2.3 (2024 docs); the 2024 changelog said 5 / 10 / 25
  int max_filters_per_group = 6;
  int max_filters_total = 18;
  int max_limit = 200;
  int64_t max_results = 10'000;   // paging past this is a 400
  size_t max_query_chars = 3'000;
};

// Parses `body`. Every problem is a 400 VALIDATION_ERROR naming the field.
ApiResult<SearchRequest> ParseSearchRequest(const nlohmann::json& body, const SearchLimits& limits);

}  // namespace tajo::sandbox::hubspot
