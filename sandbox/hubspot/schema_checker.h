// SchemaChecker: a small JSON-schema subset checker for validating sampled sandbox responses
// against HubSpot's official OpenAPI files (shared/reference/specs/): $ref, required, types,
// enums, items, properties and additionalProperties, nullable, allOf/oneOf/anyOf.
//
// Two deliberate divergences, both following HubSpot's documentation where the spec differs
// (reference §3.1): v4 association ids (toObjectId, fromObjectId) are JSON numbers, and the
// unlabeled association type has "label": null.
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tajo::sandbox::hubspot::testing {

class SchemaChecker {
 public:
  explicit SchemaChecker(nlohmann::json spec) : spec_(std::move(spec)) {}

  // Problems found validating `value` against the response schema of `path` `method` `status`.
  std::vector<std::string> CheckResponse(const std::string& path, const std::string& method, int status,
                                         const nlohmann::json& value) {
    problems_.clear();
    const auto& op = spec_["paths"][path][method];
    if (op.is_null()) return {"no operation " + method + " " + path + " in the spec"};
    const auto& resp = op["responses"][std::to_string(status)];
    if (resp.is_null()) return {"status " + std::to_string(status) + " is not documented for " + path};
    Check(resp["content"]["application/json"]["schema"], value, "$", "");
    return problems_;
  }
  std::vector<std::string> CheckSchema(const std::string& name, const nlohmann::json& value) {
    problems_.clear();
    Check(spec_["components"]["schemas"][name], value, "$", "");
    return problems_;
  }

 private:
  const nlohmann::json& Resolve(const nlohmann::json& schema) {
    if (schema.is_object() && schema.contains("$ref")) {
      std::string ref = schema["$ref"];  // "#/components/schemas/X"
      return spec_["components"]["schemas"][ref.substr(ref.rfind('/') + 1)];
    }
    return schema;
  }
  void Check(const nlohmann::json& raw, const nlohmann::json& v, const std::string& where, const std::string& key) {
    const nlohmann::json& s = Resolve(raw);
    if (!s.is_object()) return;
    if (v.is_null()) {
      if (key == "label") return;
      if (!s.value("nullable", false) && s.contains("type")) problems_.push_back(where + ": null where " + s["type"].dump() + " expected");
      return;
    }
    for (const char* combo : {"oneOf", "anyOf"}) {
      if (!s.contains(combo)) continue;
      bool any = false;
      for (const auto& alt : s[combo]) {
        SchemaChecker sub(spec_);
        sub.Check(alt, v, where, key);
        any = any || sub.problems_.empty();
      }
      if (!any) problems_.push_back(where + ": matches none of " + combo);
    }
    if (s.contains("allOf"))
      for (const auto& part : s["allOf"]) Check(part, v, where, key);
    std::string type = s.value("type", "");
    if (type == "object" || (type.empty() && (s.contains("properties") || s.contains("additionalProperties")))) {
      if (!v.is_object()) {
        problems_.push_back(where + ": expected an object");
        return;
      }
      if (s.contains("required"))
        for (const auto& r : s["required"])
          if (!v.contains(r.get<std::string>())) problems_.push_back(where + ": missing required \"" + r.get<std::string>() + "\"");
      for (const auto& [k, child] : v.items()) {
        if (s.contains("properties") && s["properties"].contains(k)) Check(s["properties"][k], child, where + "." + k, k);
        else if (s.contains("additionalProperties") && s["additionalProperties"].is_object())
          Check(s["additionalProperties"], child, where + "." + k, k);
      }
    } else if (type == "array") {
      if (!v.is_array()) {
        problems_.push_back(where + ": expected an array");
        return;
      }
      for (size_t i = 0; i < v.size(); ++i) Check(s["items"], v[i], where + "[" + std::to_string(i) + "]", key);
    } else if (type == "string") {
      bool id_number = v.is_number_integer() && key.size() > 8 && key.substr(key.size() - 8) == "ObjectId";
      if (!v.is_string() && !id_number) problems_.push_back(where + ": expected a string, got " + v.dump());
      if (v.is_string() && s.contains("enum")) {
        bool ok = false;
        for (const auto& e : s["enum"]) ok = ok || e == v;
        if (!ok) problems_.push_back(where + ": " + v.dump() + " is not in the enum");
      }
    } else if (type == "integer") {
      if (!v.is_number_integer()) problems_.push_back(where + ": expected an integer, got " + v.dump());
    } else if (type == "number") {
      if (!v.is_number()) problems_.push_back(where + ": expected a number");
    } else if (type == "boolean") {
      if (!v.is_boolean()) problems_.push_back(where + ": expected a boolean");
    }
  }

  nlohmann::json spec_;  // not const: operator[] on a missing key then yields null, not UB
  std::vector<std::string> problems_;
};

inline std::optional<nlohmann::json> LoadSpec(const std::string& file) {
  std::ifstream in(std::string(TAJO_SOURCE_DIR) + "/../shared/reference/specs/" + file);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

// Loads a spec into a SchemaChecker named `var`, or skips the test when the reference files are
// not next to the repository (a fresh checkout without ../shared).
#define LOAD_OR_SKIP(var, file)                                                                        \
  auto var##_json = ::tajo::sandbox::hubspot::testing::LoadSpec(file);                               \
  /* The specs are part of shared/ beside every checkout and CI run: missing is a failure. */      \
  if (!var##_json) FAIL() << "shared/reference/specs/" << file << " not found";                       \
  ::tajo::sandbox::hubspot::testing::SchemaChecker var(*var##_json)

inline std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}


}  // namespace tajo::sandbox::hubspot::testing
