// Status and Result<T>: how every module reports failure across its boundary.
//
// A Status is either OK or a code with a human-readable message that names what failed and
// where ("config tajo.yaml:4:3 connectors.hubspot.plan: ..."). Exceptions never cross a module
// line; third-party exceptions are caught at the edge and turned into a Status.
// Result<T> holds either a value or a non-OK Status.
//
// Both are plain values: safe to copy and to pass between threads; not safe to mutate one
// instance from two threads at once.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tajo {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input from the user, a file or a peer
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,  // e.g. a database written by a newer tajo
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403, missing scope
  kResourceExhausted,   // rate limit, quota
  kUnavailable,         // network error, 5xx: worth retrying
  kDeadlineExceeded,    // timeout
  kCorruption,          // stored data that cannot be read
  kIOError,
  kAborted,             // cancelled, shutting down
  kInternal,
};

// Short stable name of a code, e.g. "InvalidArgument".
const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status ResourceExhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) { return {StatusCode::kDeadlineExceeded, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK", or "<CodeName>: <message>".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(const std::string& context) const;

  bool operator==(const Status&) const = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result built from an OK Status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  // By value: `for (auto& x : f().value())` must not read a destroyed temporary.
  T value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tajo

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define TAJO_RETURN_IF_ERROR(expr)            \
  do {                                        \
    ::tajo::Status tajo_status_ = (expr);     \
    if (!tajo_status_.ok()) return tajo_status_; \
  } while (0)
