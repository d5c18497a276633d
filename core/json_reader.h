// JsonReader: reads a JSON document from a peer (an API response, a webhook body) without
// trusting it. Each accessor checks the type and reports the first problem as a
// kInvalidArgument naming the source and the JSON path: "GET /v3/contacts: contacts[3].id:
// expected an integer, got \"x\"". Never throws, never crashes on a wrong shape.
//
// Thread-compatible: one reader per document; the functions are pure.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace tajo {

class JsonReader {
 public:
  // `source` names where the document came from, e.g. "GET /crm/v3/objects/contacts".
  explicit JsonReader(std::string source) : source_(std::move(source)) {}

  // Parses `body`; a body that is not JSON is an error quoting its start.
  Result<nlohmann::json> Parse(const std::string& body) const;

  // An error "<source>: <path>: expected <expected>, got <a short description of got>".
  Status Fail(const std::string& path, const std::string& expected, const nlohmann::json& got) const;
  // An error "<source>: <path>: missing".
  Status Missing(const std::string& path) const;

  // Required / optional fields of an object. Optional readers leave *out untouched when the
  // field is absent or null. REQUIRES: `obj` is an object (check with Object()).
  Status Object(const nlohmann::json& v, const std::string& path) const;
  Status Array(const nlohmann::json& obj, const char* key, const std::string& path) const;
  // A string; numbers and booleans are accepted and printed (ids sometimes come as numbers).
  Status String(const nlohmann::json& obj, const char* key, const std::string& path, std::string* out) const;
  Status OptionalString(const nlohmann::json& obj, const char* key, const std::string& path, std::string* out) const;
  // An integer; a string of digits is accepted.
  Status Int(const nlohmann::json& obj, const char* key, const std::string& path, int64_t* out) const;
  Status OptionalInt(const nlohmann::json& obj, const char* key, const std::string& path, int64_t* out) const;
  Status OptionalBool(const nlohmann::json& obj, const char* key, const std::string& path, bool* out) const;

  // A scalar as a string (string, number, boolean); objects, arrays and null are errors.
  Status Scalar(const nlohmann::json& v, const std::string& path, std::string* out) const;
  Status Integer(const nlohmann::json& v, const std::string& path, int64_t* out) const;

  // "a.b" or "a[3]" joins for paths.
  static std::string Join(const std::string& path, const char* key);
  static std::string Index(const std::string& path, size_t i);

 private:
  std::string source_;
};

}  // namespace tajo
