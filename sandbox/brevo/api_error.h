// ApiError and ApiResult<T>: how the Brevo sandbox's model reports a failure, carrying what
// Brevo's error body needs (reference §1): the HTTP status, `code`, `message` and, on contact
// endpoints, optional `metadata`. The literal messages Brevo is known to send are constants here
// so tests and docs name them once.
//
// Plain values; safe to copy and move between threads.
#pragma once

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "sandbox/common/api_result.h"

namespace tajo::sandbox::brevo {

// Observed live bodies (reference §1).
inline constexpr const char* kKeyNotFound = "Key not found";                       // 401 unauthorized
inline constexpr const char* kContactAlreadyExist = "Contact already exist";       // 400 duplicate_parameter
inline constexpr const char* kContactDoesNotExist = "Contact does not exist";      // 404 document_not_found
inline constexpr const char* kNoContactForIndexes = "No contact found for indexes ";  // + "3,4"
// The 429 body: the reference leaves it UNCONFIRMED (presumably the standard {code, message}).
inline constexpr const char* kRateLimitCode = "too_many_requests";
inline constexpr const char* kRateLimitMessage = "The expected rate limit is exceeded.";
// "<identifier> is already associated with another Contact": the OpenAPI contactErrorModel example
// (with metadata {"duplicate_identifiers": ["email"]}).
inline constexpr const char* kAlreadyAssociatedSuffix = " is already associated with another Contact";

struct ApiError {
  int status = 400;
  std::string code = "invalid_parameter";
  std::string message;
  nlohmann::json metadata;  // null, or an object (contactErrorModel)

  static ApiError Invalid(std::string message) { return {400, "invalid_parameter", std::move(message), nullptr}; }
  static ApiError Missing(std::string message) { return {400, "missing_parameter", std::move(message), nullptr}; }
  static ApiError OutOfRange(std::string message) { return {400, "out_of_range", std::move(message), nullptr}; }
  static ApiError Duplicate(std::string message) { return {400, "duplicate_parameter", std::move(message), nullptr}; }
  static ApiError NotFound(std::string message) { return {404, "document_not_found", std::move(message), nullptr}; }
  static ApiError ContactNotFound() { return NotFound(kContactDoesNotExist); }
  // 400 duplicate_parameter "<what> is already associated with another Contact".
  static ApiError AlreadyAssociated(const std::string& what);

  // {"code": ..., "message": ...[, "metadata": ...]}
  nlohmann::json ToJson() const;
};

template <typename T>
using ApiResult = ApiResultOf<T, ApiError>;

// For operations with no value.
struct Done {};

}  // namespace tajo::sandbox::brevo
