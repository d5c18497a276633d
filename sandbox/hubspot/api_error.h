// ApiError and ApiResult<T>: how the HubSpot sandbox's model reports a failure, carrying what
// HubSpot's error body needs (reference §9.4): the HTTP status, `category`, `message` and, when
// the reference shows them, `context`, `errors` and `subCategory`. The API layer adds `status`
// ("error") and a fresh `correlationId` when it writes the body.
//
// Plain values; safe to copy and move between threads.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/common/api_result.h"

namespace tajo::sandbox::hubspot {

struct PropertyError;

struct ApiError {
  int status = 400;
  std::string category = "VALIDATION_ERROR";
  std::string message;
  nlohmann::json context;  // null, or {"name": ["value", ...]}
  nlohmann::json errors;   // null, or [{"message":..., "code":..., "in":..., "context":...}]
  std::string sub_category;

  static ApiError Validation(std::string message);
  static ApiError NotFound(std::string message = "resource not found");
  static ApiError Conflict(std::string message);
  // 400 VALIDATION_ERROR "Property values were not valid: [...]".
  static ApiError PropertyValues(const std::vector<PropertyError>& errors);

  // The body: {"status":"error","message":...,"correlationId":...,"category":..., ...}.
  nlohmann::json ToJson(const std::string& correlation_id) const;
};

template <typename T>
using ApiResult = ApiResultOf<T, ApiError>;

}  // namespace tajo::sandbox::hubspot
