// Sampled responses validated against HubSpot's official OpenAPI files (schema_checker.h).
#include "sandbox/hubspot/schema_checker.h"
#include "sandbox/hubspot/test_util.h"

namespace tajo::sandbox::hubspot {
namespace {

using testing::Reply;
using testing::SandboxHarness;
using testing::Join;
using testing::LoadSpec;
using testing::SchemaChecker;
using testing::Unlimited;

TEST(OpenApiTest, ContactsResponsesMatchTheSpec) {
  LOAD_OR_SKIP(spec, "hubspot_crm_contacts_v3.json");
  SandboxHarness h(Unlimited());
  h.sandbox->Seed(ParseSeedSpec("contacts=30,companies=5,deals=10").value(), 1);
  const std::string base = "/crm/v3/objects/contacts";
  Reply r = h.Call("GET", base + "?limit=5&associations=companies,deals&properties=email,phone");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Join(spec.CheckResponse(base, "get", 200, r.json)), "");
  std::string id = r.json["results"][0]["id"];
  r = h.Call("GET", base + "/" + id + "?associations=companies&propertiesWithHistory=email");
  EXPECT_EQ(Join(spec.CheckResponse(base + "/{contactId}", "get", 200, r.json)), "");
  r = h.Call("POST", base, {{"properties", {{"email", "spec@example.com"}}}});
  EXPECT_EQ(Join(spec.CheckResponse(base, "post", 201, r.json)), "");
  r = h.Call("PATCH", base + "/" + id, {{"properties", {{"jobtitle", "Spec"}}}});
  EXPECT_EQ(Join(spec.CheckResponse(base + "/{contactId}", "patch", 200, r.json)), "");
  r = h.Call("POST", base + "/search", {{"limit", 3}, {"filterGroups", {{{"filters", {{{"propertyName", "email"}, {"operator", "HAS_PROPERTY"}}}}}}}});
  EXPECT_EQ(Join(spec.CheckResponse(base + "/search", "post", 200, r.json)), "");
  r = h.Call("POST", base + "/batch/read", {{"properties", {"email"}}, {"propertiesWithHistory", nlohmann::json::array()},
                                            {"inputs", {{{"id", id}}, {{"id", "1"}}}}});
  ASSERT_EQ(r.status, 207);
  EXPECT_EQ(Join(spec.CheckResponse(base + "/batch/read", "post", 207, r.json)), "");
  r = h.Call("POST", base + "/batch/create", {{"inputs", {{{"properties", {{"email", "b1@example.com"}}}}}}});
  EXPECT_EQ(Join(spec.CheckResponse(base + "/batch/create", "post", 201, r.json)), "");
  r = h.Call("POST", base + "/batch/upsert",
             {{"inputs", {{{"id", "b1@example.com"}, {"idProperty", "email"}, {"properties", {{"firstname", "B"}}}},
                          {{"id", "b2@example.com"}, {"idProperty", "email"}, {"properties", {{"firstname", "C"}}}}}}});
  EXPECT_EQ(Join(spec.CheckResponse(base + "/batch/upsert", "post", 200, r.json)), "");
  r = h.Call("POST", base + "/batch/update", {{"inputs", {{{"id", id}, {"properties", {{"firstname", "U"}}}}}}});
  EXPECT_EQ(Join(spec.CheckResponse(base + "/batch/update", "post", 200, r.json)), "");
  // Error bodies follow the Error schema.
  for (const auto& [method, target, body] :
       std::vector<std::tuple<std::string, std::string, nlohmann::json>>{
           {"GET", base + "/999999", nullptr},
           {"POST", base, {{"properties", {{"nope", "x"}}}}},
           {"POST", base, {{"properties", {{"email", "spec@example.com"}}}}},
           {"GET", "/crm/v3/objects/widgets", nullptr}}) {
    r = h.Call(method, target, body);
    EXPECT_GE(r.status, 400);
    EXPECT_EQ(Join(spec.CheckSchema("Error", r.json)), "") << r.body;
  }
}

TEST(OpenApiTest, AssociationAndPropertyResponsesMatchTheSpecs) {
  LOAD_OR_SKIP(assoc, "hubspot_crm_associations_v4.json");
  LOAD_OR_SKIP(props, "hubspot_crm_properties_v3.json");
  SandboxHarness h(Unlimited());
  std::string contact = h.CreateContact({{"email", "a@example.com"}});
  std::string company = h.Create("companies", {{"name", "Acme"}});
  Reply r = h.Call("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/default/companies/" + company);
  EXPECT_EQ(Join(assoc.CheckResponse("/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
                                     "put", 200, r.json)), "");
  r = h.Call("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/companies/" + company,
             nlohmann::json::array({{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 1}}}));
  EXPECT_EQ(Join(assoc.CheckResponse("/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}",
                                     "put", 201, r.json)), "");
  r = h.Call("GET", "/crm/v4/objects/contacts/" + contact + "/associations/companies");
  EXPECT_EQ(Join(assoc.CheckResponse("/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}", "get", 200, r.json)), "");
  r = h.Call("POST", "/crm/v4/associations/contacts/companies/batch/read", {{"inputs", {{{"id", contact}}, {{"id", "9"}}}}});
  EXPECT_EQ(Join(assoc.CheckResponse("/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read", "post", 207, r.json)), "");
  r = h.Call("POST", "/crm/v4/associations/contacts/companies/batch/create",
             {{"inputs", {{{"from", {{"id", contact}}}, {"to", {{"id", company}}},
                           {"types", {{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 279}}}}}}}});
  EXPECT_EQ(Join(assoc.CheckResponse("/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/create", "post", 201, r.json)), "");
  r = h.Call("GET", "/crm/v3/properties/contacts");
  EXPECT_EQ(Join(props.CheckResponse("/crm/v3/properties/{objectType}", "get", 200, r.json)), "");
  r = h.Call("GET", "/crm/v3/properties/deals/dealstage");
  EXPECT_EQ(Join(props.CheckResponse("/crm/v3/properties/{objectType}/{propertyName}", "get", 200, r.json)), "");
  r = h.Call("POST", "/crm/v3/properties/contacts", {{"groupName", "contactinformation"}, {"name", "fav"}, {"label", "Fav"},
                                                     {"type", "string"}, {"fieldType", "text"}});
  EXPECT_EQ(Join(props.CheckResponse("/crm/v3/properties/{objectType}", "post", 201, r.json)), "");
}

TEST(OpenApiTest, SchemasAndGenericObjectsMatchTheSpecs) {
  LOAD_OR_SKIP(schemas, "hubspot_crm_object_schemas_v3.json");
  LOAD_OR_SKIP(objects, "hubspot_crm_objects_generic_v3.json");
  SandboxHarness h(Unlimited());
  Reply r = h.Call("POST", "/crm-object-schemas/v3/schemas",
                   {{"name", "lender"}, {"labels", {{"singular", "Lender"}, {"plural", "Lenders"}}},
                    {"primaryDisplayProperty", "lender_name"},
                    {"properties", {{{"name", "lender_name"}, {"label", "Name"}, {"type", "string"}, {"fieldType", "text"}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Join(schemas.CheckResponse("/crm-object-schemas/v3/schemas", "post", 201, r.json)), "");
  r = h.Call("GET", "/crm-object-schemas/v3/schemas");
  EXPECT_EQ(Join(schemas.CheckResponse("/crm-object-schemas/v3/schemas", "get", 200, r.json)), "");
  r = h.Call("POST", "/crm/v3/objects/p_lender", {{"properties", {{"lender_name", "Bank"}}}});
  EXPECT_EQ(Join(objects.CheckResponse("/crm/v3/objects/{objectType}", "post", 201, r.json)), "");
  r = h.Call("GET", "/crm/v3/objects/p_lender");
  EXPECT_EQ(Join(objects.CheckResponse("/crm/v3/objects/{objectType}", "get", 200, r.json)), "");
}

TEST(OpenApiTest, WebhooksManagementMatchesTheSpec) {
  LOAD_OR_SKIP(spec, "hubspot_webhooks_v3.json");
  SandboxHarness h(Unlimited());
  const std::string base = "/webhooks/v3/" + std::to_string(kDefaultAppId);
  Reply r = h.Call("PUT", base + "/settings",
                   {{"targetUrl", "https://example.com/hook"}, {"throttling", {{"maxConcurrentRequests", 10}, {"period", "SECONDLY"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Join(spec.CheckResponse("/webhooks/v3/{appId}/settings", "put", 200, r.json)), "");
  r = h.Call("GET", base + "/settings");
  EXPECT_EQ(Join(spec.CheckResponse("/webhooks/v3/{appId}/settings", "get", 200, r.json)), "");
  r = h.Call("POST", base + "/subscriptions", {{"eventType", "contact.propertyChange"}, {"propertyName", "email"}, {"active", false}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Join(spec.CheckResponse("/webhooks/v3/{appId}/subscriptions", "post", 201, r.json)), "");
  const std::string id = r.json["id"].is_string() ? r.json["id"].get<std::string>() : r.json["id"].dump();
  r = h.Call("GET", base + "/subscriptions");
  EXPECT_EQ(Join(spec.CheckResponse("/webhooks/v3/{appId}/subscriptions", "get", 200, r.json)), "");
  r = h.Call("PATCH", base + "/subscriptions/" + id, {{"active", true}});
  EXPECT_EQ(Join(spec.CheckResponse("/webhooks/v3/{appId}/subscriptions/{subscriptionId}", "patch", 200, r.json)), "");
  r = h.Call("POST", base + "/subscriptions/batch/update", {{"inputs", {{{"id", std::stoll(id)}, {"active", false}}}}});
  EXPECT_EQ(Join(spec.CheckResponse("/webhooks/v3/{appId}/subscriptions/batch/update", "post", 200, r.json)), "");
}

TEST(OpenApiTest, CompanyDealAndTicketResponsesMatchTheirSpecs) {
  SandboxHarness h(Unlimited());
  h.sandbox->Seed(ParseSeedSpec("contacts=10,companies=5,deals=5,tickets=5").value(), 2);
  for (const auto& [file, type, path] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"hubspot_crm_companies_v3.json", "companies", "/crm/v3/objects/companies"},
           {"hubspot_crm_deals_v3.json", "deals", "/crm/v3/objects/0-3"},
           {"hubspot_crm_tickets_v3.json", "tickets", "/crm/v3/objects/tickets"}}) {
    LOAD_OR_SKIP(spec, file);
    Reply r = h.Call("GET", "/crm/v3/objects/" + type + "?limit=3&associations=contacts");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Join(spec.CheckResponse(path, "get", 200, r.json)), "") << type;
    r = h.Call("POST", "/crm/v3/objects/" + type + "/search", {{"limit", 2}, {"filterGroups", nlohmann::json::array()}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Join(spec.CheckResponse(path + "/search", "post", 200, r.json)), "") << type;
  }
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
