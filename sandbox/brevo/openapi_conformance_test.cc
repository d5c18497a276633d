// Sampled responses of the Brevo sandbox validated against the schemas of Brevo's OpenAPI file
// (shared/reference/specs/brevo_api_v3_openapi_2025-02_via-Juris-Power-brevo-rust.yml): type,
// required properties, enums, items, allOf / oneOf / anyOf and $ref. Extra properties are allowed,
// as in the spec.
#include <filesystem>
#include <functional>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sandbox/brevo/api_test_util.h"

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;
using testing::BrevoApiTest;
using testing::Reply;

json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json j = json::object();
      for (const auto& kv : node) j[kv.first.as<std::string>()] = ToJson(kv.second);
      return j;
    }
    case YAML::NodeType::Sequence: {
      json j = json::array();
      for (const auto& item : node) j.push_back(ToJson(item));
      return j;
    }
    case YAML::NodeType::Scalar:
      return node.as<std::string>();
    default:
      return nullptr;
  }
}

class Spec {
 public:
  static const Spec* Load() {
    static const Spec* spec = [] {
      std::filesystem::path path = std::filesystem::path(TAJO_SOURCE_DIR) / ".." / "shared" / "reference" / "specs" /
                                   "brevo_api_v3_openapi_2025-02_via-Juris-Power-brevo-rust.yml";
      if (!std::filesystem::exists(path)) return static_cast<Spec*>(nullptr);
      try {
        auto* s = new Spec;
        s->root_ = ToJson(YAML::LoadFile(path.string()));
        return s;
      } catch (const YAML::Exception& e) {
        ADD_FAILURE() << "cannot read " << path << ": " << e.what();
        return static_cast<Spec*>(nullptr);
      }
    }();
    return spec;
  }

  // Problems of `value` against components.schemas[name]; empty when it conforms.
  std::vector<std::string> Check(const std::string& name, const json& value) const {
    std::vector<std::string> errors;
    Validate(root_["components"]["schemas"][name], value, name, &errors);
    return errors;
  }

 private:
  void Validate(const json& schema_in, const json& value, const std::string& path, std::vector<std::string>* errors) const {
    const json* schema = &schema_in;
    if (schema->contains("$ref")) {
      std::string ref = (*schema)["$ref"];
      const std::string prefix = "#/components/schemas/";
      if (ref.rfind(prefix, 0) != 0) return;
      schema = &root_["components"]["schemas"][ref.substr(prefix.size())];
    }
    if (value.is_null() && schema->value("nullable", std::string()) == "true") return;
    if (schema->contains("allOf"))
      for (const auto& sub : (*schema)["allOf"]) Validate(sub, value, path, errors);
    for (const char* any : {"oneOf", "anyOf"}) {
      if (!schema->contains(any)) continue;
      bool ok = false;
      for (const auto& sub : (*schema)[any]) {
        std::vector<std::string> sub_errors;
        Validate(sub, value, path, &sub_errors);
        ok |= sub_errors.empty();
      }
      if (!ok) errors->push_back(path + ": matches none of " + any);
    }
    if (schema->contains("type")) {
      std::string type = (*schema)["type"];
      bool ok = type == "object"    ? value.is_object()
                : type == "array"   ? value.is_array()
                : type == "string"  ? value.is_string()
                : type == "integer" ? value.is_number_integer()
                : type == "number"  ? value.is_number()
                : type == "boolean" ? value.is_boolean()
                                    : true;
      if (!ok) {
        errors->push_back(path + ": expected " + type + ", got " + value.dump());
        return;
      }
    }
    if (schema->contains("enum") && value.is_string()) {
      const auto& e = (*schema)["enum"];
      if (std::find(e.begin(), e.end(), value) == e.end()) errors->push_back(path + ": " + value.dump() + " is not in the enum");
    }
    if (value.is_object()) {
      if (schema->contains("required"))
        for (const auto& key : (*schema)["required"])
          if (!value.contains(key.get<std::string>())) errors->push_back(path + ": missing required " + key.get<std::string>());
      if (schema->contains("properties") && (*schema)["properties"].is_object())
        for (const auto& [key, sub] : (*schema)["properties"].items())
          if (value.contains(key)) Validate(sub, value[key], path + "." + key, errors);
    }
    if (value.is_array() && schema->contains("items"))
      for (size_t i = 0; i < value.size(); ++i) Validate((*schema)["items"], value[i], path + "[" + std::to_string(i) + "]", errors);
  }

  json root_;
};

class OpenApiConformanceTest : public BrevoApiTest {
 protected:
  void SetUp() override {
    spec_ = Spec::Load();
    if (!spec_) GTEST_SKIP() << "the Brevo OpenAPI file is not beside the project";
    ASSERT_EQ(Call("PUT", "/_sandbox/settings", {{"enforceRateLimits", false}}).status, 200);
  }
  void Expect(const std::string& schema, const Reply& r) {
    auto errors = spec_->Check(schema, r.body);
    EXPECT_TRUE(errors.empty()) << schema << ": " << ::testing::PrintToString(errors) << "\n" << r.raw;
  }
  const Spec* spec_ = nullptr;
};

TEST_F(OpenApiConformanceTest, ContactsListsProcessesAndErrorsMatchTheSchemas) {
  ASSERT_EQ(Call("POST", "/_sandbox/seed", {{"contacts", 30}, {"lists", 2}, {"sms", 0.5}, {"blocklisted", 0.2}}).status, 200);
  ASSERT_EQ(Call("POST", "/_sandbox/mutate", {{"actions", {{{"op", "open"}, {"id", 3}}, {{"op", "click"}, {"id", 3}}, {{"op", "hardBounce"}, {"id", 3}},
                                                           {{"op", "unsubscribe"}, {"id", 3}}, {{"op", "delivered"}, {"id", 3}}}}})
                .status,
            200);
  Expect("getContacts", Call("GET", "/v3/contacts?limit=30"));
  Expect("getExtendedContactDetails", Call("GET", "/v3/contacts/3"));
  Expect("getContacts", Call("GET", "/v3/contacts/lists/1/contacts"));
  Expect("getAttributes", Call("GET", "/v3/contacts/attributes"));
  Expect("getLists", Call("GET", "/v3/contacts/lists"));
  Expect("getExtendedList", Call("GET", "/v3/contacts/lists/1"));
  Expect("getFolders", Call("GET", "/v3/contacts/folders"));
  Expect("getFolder", Call("GET", "/v3/contacts/folders/1"));
  Expect("getFolderLists", Call("GET", "/v3/contacts/folders/1/lists"));
  Expect("createModel", Call("POST", "/v3/contacts/lists", {{"name", "New"}, {"folderId", 1}}));
  Expect("createUpdateContactModel", Call("POST", "/v3/contacts", {{"email", "schema@example.com"}}));
  Expect("postContactInfo", Call("POST", "/v3/contacts/lists/1/contacts/add", {{"emails", {"schema@example.com", "nobody@example.com"}}}));
  Expect("postContactInfo", Call("POST", "/v3/contacts/lists/1/contacts/remove", {{"ids", {31, 999}}}));
  Reply import = Call("POST", "/v3/contacts/import", {{"jsonBody", {{{"email", "i@example.com"}}}}, {"listIds", {1}}});
  Expect("createdProcessId", import);
  Expect("getProcess", Call("GET", "/v3/processes/" + std::to_string(import.body["processId"].get<int64_t>())));
  Call("POST", "/_sandbox/processes/complete");
  Expect("getProcess", Call("GET", "/v3/processes/1"));
  Expect("getProcesses", Call("GET", "/v3/processes"));
  Expect("getAccount", Call("GET", "/v3/account"));
  Expect("errorModel", Call("GET", "/v3/contacts/nobody%40example.com"));
  Expect("errorModel", Call("GET", "/v3/contacts", nullptr, "bad-key"));
  Expect("errorModel", Call("GET", "/v3/contacts?limit=5000"));
  Expect("contactErrorModel", Call("POST", "/v3/contacts", {{"email", "schema@example.com"}}));
  Expect("contactErrorModel", Call("PUT", "/v3/contacts/1", {{"attributes", {{"EMAIL", "schema@example.com"}}}}));
}

TEST_F(OpenApiConformanceTest, WebhooksAndCrmMatchTheSchemas) {
  Reply hook = Call("POST", "/v3/webhooks",
                    {{"url", "https://h.example/"}, {"type", "marketing"}, {"events", {"contactUpdated"}},
                     {"auth", {{"type", "bearer"}, {"token", "token-123456"}}}, {"headers", {{{"key", "k"}, {"value", "v"}}}}});
  Expect("createModel", hook);
  Expect("getWebhook", Call("GET", "/v3/webhooks/1"));
  Expect("getWebhooks", Call("GET", "/v3/webhooks?type=marketing"));
  CreateContact({{"email", "crm@example.com"}});
  std::string company = Call("POST", "/v3/companies", {{"name", "Acme"}, {"linkedContactsIds", {1}}}).body["id"];
  Expect("Company", Call("GET", "/v3/companies/" + company));
  Expect("CompaniesList", Call("GET", "/v3/companies"));
  std::string deal = Call("POST", "/v3/crm/deals", {{"name", "Big one"}, {"linkedCompaniesIds", {company}}}).body["id"];
  Expect("Deal", Call("GET", "/v3/crm/deals/" + deal));
  Expect("DealsList", Call("GET", "/v3/crm/deals"));
  Expect("Pipelines", Call("GET", "/v3/crm/pipeline/details/all"));
  Expect("Pipeline", Call("GET", "/v3/crm/pipeline/details"));
  Expect("CompanyAttributes", Call("GET", "/v3/crm/attributes/companies"));
  Expect("DealAttributes", Call("GET", "/v3/crm/attributes/deals"));
}

TEST(OpenApiValidatorTest, CatchesAMissingRequiredProperty) {
  const Spec* spec = Spec::Load();
  if (!spec) GTEST_SKIP() << "the Brevo OpenAPI file is not beside the project";
  EXPECT_FALSE(spec->Check("getContacts", {{"contacts", json::array()}}).empty());  // no count
  EXPECT_FALSE(spec->Check("getContacts", {{"contacts", {{{"id", "7"}}}}, {"count", 1}}).empty());
  EXPECT_FALSE(spec->Check("getProcess", {{"id", 1}, {"name", "IMPORTUSER"}, {"status", "running"}}).empty());
  EXPECT_TRUE(spec->Check("getProcess", {{"id", 1}, {"name", "IMPORTUSER"}, {"status", "queued"}}).empty());
}

}  // namespace
}  // namespace tajo::sandbox::brevo
