// ApiResultOf<T, Error>: a value or an API error, as each sandbox emulator's model returns it.
// Each emulator has its own error type (HubSpot's and Brevo's error bodies differ) and names
// `template <typename T> using ApiResult = ApiResultOf<T, ApiError>;`.
//
// Both constructors are implicit, so a function returns either a T or an error.
// A plain value; as thread-safe as T and Error.
#pragma once

#include <utility>
#include <variant>

namespace tajo::sandbox {

template <typename T, typename Error>
class ApiResultOf {
 public:
  ApiResultOf(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  ApiResultOf(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(v_); }
  // REQUIRES: ok()
  T& value() { return std::get<T>(v_); }
  const T& value() const { return std::get<T>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  // REQUIRES: !ok()
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace tajo::sandbox
