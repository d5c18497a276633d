// Helpers shared by the files of SqliteTx: argument checks, error wording, and reading every /
// one / a count of rows of a statement. Internal to the SQLite engine.
//
// Stateless functions: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/status.h"
#include "store/sqlite_db.h"

// Declares `lhs` from a Result-returning `expr`, or returns its error.
#define TAJO_STORE_ASSIGN_OR_RETURN(lhs, expr) \
  TAJO_STORE_ASSIGN_OR_RETURN_(TAJO_STORE_CAT_(store_result_, __LINE__), lhs, expr)
#define TAJO_STORE_ASSIGN_OR_RETURN_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
#define TAJO_STORE_CAT_(a, b) TAJO_STORE_CAT2_(a, b)
#define TAJO_STORE_CAT2_(a, b) a##b

namespace tajo::store {

// kInvalidArgument "store: <what> must not be empty" when `value` is empty.
inline Status NonEmpty(std::string_view value, std::string_view what) {
  if (!value.empty()) return Status::Ok();
  return Status::InvalidArgument(fmt::format("store: {} must not be empty", what));
}

// kInvalidArgument unless 1 <= limit <= max.
inline Status InRange(int limit, int max, std::string_view what) {
  if (limit >= 1 && limit <= max) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("store: {} limit must be between 1 and {}, got {}", what, max, limit));
}

// A stored value quoted for an error message, cut short when long.
inline std::string Quoted(std::string_view v) {
  constexpr size_t kMax = 40;
  return v.size() <= kMax ? fmt::format("'{}'", v) : fmt::format("'{}...'", v.substr(0, kMax));
}

// Reads an enum stored by name; an unknown name is reported by `row`.
template <typename E>
inline E EnumColumn(Row& row, int col, std::optional<E> (*parse)(std::string_view), E fallback,
                    std::string_view what) {
  std::string name = row.Text(col);
  if (!row.status().ok()) return fallback;
  std::optional<E> v = parse(name);
  if (!v) row.Fail(col, fmt::format("holds {}, not a {}", Quoted(name), what));
  return v.value_or(fallback);
}

// Replaces the message of a kFailedPrecondition (a foreign key that points nowhere) or
// kAlreadyExists (a uniqueness rule) with one that says which thing is missing or taken.
inline Status Explain(const SqliteDb& db, Status s, std::string_view missing,
                      std::string_view taken) {
  if (s.code() == StatusCode::kFailedPrecondition && !missing.empty()) {
    return db.Fail(s.code(), missing);
  }
  if (s.code() == StatusCode::kAlreadyExists && !taken.empty()) return db.Fail(s.code(), taken);
  return s;
}

// Every row of `q`, decoded.
template <typename T>
Result<std::vector<T>> AllRows(Stmt& q, Result<T> (*decode)(const Stmt&)) {
  std::vector<T> out;
  while (true) {
    TAJO_STORE_ASSIGN_OR_RETURN(bool more, q.Step());
    if (!more) return out;
    TAJO_STORE_ASSIGN_OR_RETURN(T v, decode(q));
    out.push_back(std::move(v));
  }
}

// The first row of `q` decoded, or nullopt.
template <typename T>
Result<std::optional<T>> OptionalRow(Stmt& q, Result<T> (*decode)(const Stmt&)) {
  TAJO_STORE_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::optional<T>();
  TAJO_STORE_ASSIGN_OR_RETURN(T v, decode(q));
  return std::optional<T>(std::move(v));
}

// The integer in the first column of the first row (0 when there is none).
inline Result<int64_t> CountRows(Stmt& q) {
  TAJO_STORE_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return int64_t{0};
  Row r(q, "count");
  int64_t n = r.Int64(0);
  TAJO_RETURN_IF_ERROR(r.status());
  return n;
}

}  // namespace tajo::store
