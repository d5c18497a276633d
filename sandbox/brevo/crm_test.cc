// The Sales CRM endpoints over HTTP: companies, deals, links, pipelines, attributes.
#include <gtest/gtest.h>

#include "sandbox/brevo/api_test_util.h"

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;
using testing::BrevoApiTest;
using testing::Reply;

class CrmTest : public BrevoApiTest {};

TEST_F(CrmTest, CompaniesCrudWithLinksThatReplace) {
  CreateContact({{"email", "a@example.com"}});
  CreateContact({{"email", "b@example.com"}});
  Reply created = Call("POST", "/v3/companies", {{"name", "Dupré Conseil"}, {"attributes", {{"domain", "dupre.example"}}}, {"linkedContactsIds", {1}}});
  ASSERT_EQ(created.status, 200) << created.raw;  // companies answer 200, not 201
  std::string id = created.body["id"];
  EXPECT_EQ(id.size(), 24u);
  Reply got = Call("GET", "/v3/companies/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body["attributes"]["name"], "Dupré Conseil");
  EXPECT_EQ(got.body["attributes"]["domain"], "dupre.example");
  EXPECT_EQ(got.body["attributes"]["number_of_contacts"], 1);
  EXPECT_EQ(got.body["linkedContactsIds"], json::array({1}));
  EXPECT_TRUE(got.body["attributes"].contains("created_at"));

  Reply patched = Call("PATCH", "/v3/companies/" + id, {{"linkedContactsIds", {2}}, {"attributes", {{"industry", "Consulting"}}}});
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["linkedContactsIds"], json::array({2}));  // replaced, not merged
  EXPECT_EQ(patched.body["attributes"]["domain"], "dupre.example");
  EXPECT_EQ(Call("PATCH", "/v3/companies/" + id, {{"name", ""}}).status, 400);
  EXPECT_EQ(Call("PATCH", "/v3/companies/link-unlink/" + id, {{"linkContactIds", {1}}, {"unlinkContactIds", {2}}}).status, 204);
  EXPECT_EQ(Call("GET", "/v3/companies/" + id).body["linkedContactsIds"], json::array({1}));
  EXPECT_EQ(Call("POST", "/v3/companies", {{"name", "X"}, {"linkedContactsIds", {99}}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/companies", {{"attributes", json::object()}}).status, 400);

  Reply list = Call("GET", "/v3/companies?linkedContactsIds=1");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/v3/companies?filters%5Battributes.name%5D=Nobody").body["items"].size(), 0u);
  // A deleted contact leaves its links.
  ASSERT_EQ(Call("DELETE", "/v3/contacts/1").status, 204);
  EXPECT_EQ(Call("GET", "/v3/companies/" + id).body["linkedContactsIds"], json::array());

  Reply missing = Call("GET", "/v3/companies/0123456789abcdef01234567");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["message"], "Document not found");
  EXPECT_EQ(Call("GET", "/v3/companies/not-an-id").status, 400);
  EXPECT_EQ(Call("DELETE", "/v3/companies/" + id).status, 204);
  EXPECT_EQ(Call("DELETE", "/v3/companies/" + id).status, 404);
}

TEST_F(CrmTest, DealsPipelinesAndTwoSidedLinks) {
  Reply pipelines = Call("GET", "/v3/crm/pipeline/details/all");
  ASSERT_EQ(pipelines.status, 200);
  ASSERT_TRUE(pipelines.body.is_array());
  json pipeline = pipelines.body[0];
  std::string pipeline_id = pipeline["pipeline"];
  EXPECT_EQ(pipeline["stages"].size(), 6u);
  std::string won = pipeline["stages"][4]["id"];
  EXPECT_EQ(Call("GET", "/v3/crm/pipeline/details/" + pipeline_id).body[0]["pipeline_name"], "Sales pipeline");
  EXPECT_EQ(Call("GET", "/v3/crm/pipeline/details").body["pipeline"], pipeline_id);
  EXPECT_EQ(Call("GET", "/v3/crm/pipeline/details/nope").status, 400);

  std::string company = Call("POST", "/v3/companies", {{"name", "Acme"}}).body["id"];
  Reply created = Call("POST", "/v3/crm/deals", {{"name", "Renewal 2025"}, {"attributes", {{"amount", 1200}}}, {"linkedCompaniesIds", {company}}});
  ASSERT_EQ(created.status, 201) << created.raw;
  std::string deal = created.body["id"];
  json d = Call("GET", "/v3/crm/deals/" + deal).body;
  EXPECT_EQ(d["attributes"]["deal_name"], "Renewal 2025");
  EXPECT_EQ(d["attributes"]["pipeline"], pipeline_id);
  EXPECT_EQ(d["attributes"]["deal_stage"], pipeline["stages"][0]["id"]);
  EXPECT_EQ(d["linkedCompaniesIds"], json::array({company}));
  EXPECT_EQ(Call("GET", "/v3/companies/" + company).body["linkedDealsIds"], json::array({deal}));  // both sides

  EXPECT_EQ(Call("PATCH", "/v3/crm/deals/" + deal, {{"attributes", {{"deal_stage", won}}}}).status, 204);
  EXPECT_EQ(Call("GET", "/v3/crm/deals/" + deal).body["attributes"]["deal_stage"], won);
  EXPECT_EQ(Call("PATCH", "/v3/crm/deals/" + deal, {{"attributes", {{"deal_stage", "not-a-stage"}}}}).status, 400);
  EXPECT_EQ(Call("PATCH", "/v3/crm/deals/" + deal, {{"linkedCompaniesIds", json::array()}}).status, 204);
  EXPECT_EQ(Call("GET", "/v3/companies/" + company).body["linkedDealsIds"], json::array());
  EXPECT_EQ(Call("PATCH", "/v3/crm/deals/link-unlink/" + deal, {{"linkCompanyIds", {company}}}).status, 204);
  EXPECT_EQ(Call("GET", "/v3/crm/deals?filters%5BlinkedCompaniesIds%5D=" + company).body["items"].size(), 1u);
  EXPECT_EQ(Call("DELETE", "/v3/crm/deals/" + deal).status, 204);
  EXPECT_EQ(Call("GET", "/v3/companies/" + company).body["linkedDealsIds"], json::array());
  EXPECT_EQ(Call("GET", "/v3/crm/deals/" + deal).status, 404);
}

TEST_F(CrmTest, AttributeCatalogs) {
  Reply companies = Call("GET", "/v3/crm/attributes/companies");
  ASSERT_EQ(companies.status, 200);
  ASSERT_TRUE(companies.body.is_array());
  EXPECT_EQ(companies.body[0]["internalName"], "name");
  Reply created = Call("POST", "/v3/crm/attributes",
                       {{"label", "Deal source"}, {"attributeType", "single-select"}, {"objectType", "deals"}, {"optionsLabels", {"Web", "Partner"}}});
  ASSERT_EQ(created.status, 200) << created.raw;
  bool found = false;
  Reply deals = Call("GET", "/v3/crm/attributes/deals");
  for (const auto& a : deals.body)
    if (a["internalName"] == "deal_source") found = a["attributeOptions"].size() == 2;
  EXPECT_TRUE(found);
  EXPECT_EQ(Call("POST", "/v3/crm/attributes", {{"label", "Deal source"}, {"attributeType", "text"}, {"objectType", "deals"}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/crm/attributes", {{"label", "X"}, {"attributeType", "weird"}, {"objectType", "deals"}}).status, 400);
}

}  // namespace
}  // namespace tajo::sandbox::brevo
