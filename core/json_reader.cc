#include "core/json_reader.h"

#include <charconv>

#include <fmt/format.h>

namespace tajo {
namespace {

using nlohmann::json;

std::string Describe(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 40 ? s.substr(0, 40) + "…" : s;
}

}  // namespace

Result<json> JsonReader::Parse(const std::string& body) const {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    std::string start = body.substr(0, 80);
    return Status::InvalidArgument(fmt::format("{}: the response is not JSON ({} bytes: {})", source_,
                                               body.size(), json(start).dump(-1, ' ', false,
                                                                             json::error_handler_t::replace)));
  }
  return j;
}

Status JsonReader::Fail(const std::string& path, const std::string& expected, const json& got) const {
  return Status::InvalidArgument(fmt::format("{}: {}: expected {}, got {}", source_, path, expected, Describe(got)));
}

Status JsonReader::Missing(const std::string& path) const {
  return Status::InvalidArgument(fmt::format("{}: {}: missing", source_, path));
}

Status JsonReader::Object(const json& v, const std::string& path) const {
  return v.is_object() ? Status::Ok() : Fail(path, "an object", v);
}

Status JsonReader::Array(const json& obj, const char* key, const std::string& path) const {
  if (!obj.contains(key)) return Missing(Join(path, key));
  return obj[key].is_array() ? Status::Ok() : Fail(Join(path, key), "an array", obj[key]);
}

Status JsonReader::Scalar(const json& v, const std::string& path, std::string* out) const {
  if (v.is_string()) {
    *out = v.get<std::string>();
  } else if (v.is_number_integer()) {
    *out = std::to_string(v.get<int64_t>());
  } else if (v.is_number()) {
    *out = v.dump();
  } else if (v.is_boolean()) {
    *out = v.get<bool>() ? "true" : "false";
  } else {
    return Fail(path, "a string", v);
  }
  return Status::Ok();
}

Status JsonReader::Integer(const json& v, const std::string& path, int64_t* out) const {
  if (v.is_number_integer()) {
    *out = v.get<int64_t>();
    return Status::Ok();
  }
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) {
      *out = n;
      return Status::Ok();
    }
  }
  return Fail(path, "an integer", v);
}

Status JsonReader::String(const json& obj, const char* key, const std::string& path, std::string* out) const {
  if (!obj.contains(key) || obj[key].is_null()) return Missing(Join(path, key));
  return Scalar(obj[key], Join(path, key), out);
}

Status JsonReader::OptionalString(const json& obj, const char* key, const std::string& path,
                                  std::string* out) const {
  if (!obj.contains(key) || obj[key].is_null()) return Status::Ok();
  return Scalar(obj[key], Join(path, key), out);
}

Status JsonReader::Int(const json& obj, const char* key, const std::string& path, int64_t* out) const {
  if (!obj.contains(key) || obj[key].is_null()) return Missing(Join(path, key));
  return Integer(obj[key], Join(path, key), out);
}

Status JsonReader::OptionalInt(const json& obj, const char* key, const std::string& path, int64_t* out) const {
  if (!obj.contains(key) || obj[key].is_null()) return Status::Ok();
  return Integer(obj[key], Join(path, key), out);
}

Status JsonReader::OptionalBool(const json& obj, const char* key, const std::string& path, bool* out) const {
  if (!obj.contains(key) || obj[key].is_null()) return Status::Ok();
  if (!obj[key].is_boolean()) return Fail(Join(path, key), "true or false", obj[key]);
  *out = obj[key].get<bool>();
  return Status::Ok();
}

std::string JsonReader::Join(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

std::string JsonReader::Index(const std::string& path, size_t i) { return fmt::format("{}[{}]", path, i); }

}  // namespace tajo
