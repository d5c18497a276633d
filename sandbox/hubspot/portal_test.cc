// Associations, roll-ups, merge, GDPR deletion, properties, pipelines, owners, custom objects and
// change events.
#include <set>

#include "sandbox/hubspot/test_util.h"

namespace tajo::sandbox::hubspot {
namespace {

using testing::Reply;
using testing::SandboxHarness;
using testing::Unlimited;

TEST(AssociationsApiTest, DefaultLabelledListDeleteAndBatch) {
  SandboxHarness h(Unlimited());
  std::string contact = h.CreateContact({{"email", "c@example.com"}});
  std::string company = h.Create("companies", {{"name", "Acme"}});
  std::string company2 = h.Create("companies", {{"name", "Beta"}});
  Reply r = h.Call("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/default/companies/" + company);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["status"], "COMPLETE");
  EXPECT_EQ(r.json["results"][0]["associationSpec"]["associationTypeId"], 279);
  EXPECT_EQ(r.json["results"][0]["associationSpec"]["associationCategory"], "HUBSPOT_DEFINED");
  r = h.Call("GET", "/crm/v4/objects/contacts/" + contact + "/associations/companies");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json["results"].size(), 1u);
  EXPECT_TRUE(r.json["results"][0]["toObjectId"].is_number());
  EXPECT_EQ(r.json["results"][0]["associationTypes"][0]["typeId"], 279);
  EXPECT_TRUE(r.json["results"][0]["associationTypes"][0]["label"].is_null());
  // The other direction uses the inverse type.
  r = h.Call("GET", "/crm/v4/objects/companies/" + company + "/associations/contacts");
  EXPECT_EQ(r.json["results"][0]["associationTypes"][0]["typeId"], 280);
  // Labelled: Primary (1) also keeps the unlabeled 279.
  r = h.Call("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/companies/" + company2,
             nlohmann::json::array({{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 1}}}));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json["labels"], nlohmann::json::array({"Primary"}));
  EXPECT_EQ(r.json["fromObjectTypeId"], "0-1");
  EXPECT_EQ(r.json["toObjectTypeId"], "0-2");
  r = h.Call("GET", "/crm/v4/objects/contacts/" + contact + "/associations/companies");
  ASSERT_EQ(r.json["results"].size(), 2u);
  std::set<int> types;
  for (const auto& t : r.json["results"][1]["associationTypes"]) types.insert(t["typeId"].get<int>());
  EXPECT_EQ(types, (std::set<int>{1, 279}));
  // Moving the primary to the first company drops it from the second.
  h.Call("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/companies/" + company,
         nlohmann::json::array({{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 1}}}));
  r = h.Call("GET", "/crm/v4/objects/contacts/" + contact + "/associations/companies");
  EXPECT_EQ(r.json["results"][1]["associationTypes"].size(), 1u);
  // A label and a type id from the wrong pair are refused.
  r = h.Call("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/companies/" + company,
             nlohmann::json::array({{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 4}}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(h.Call("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/default/companies/99999").status, 404);
  // v3 view of the same associations.
  r = h.Call("GET", "/crm/v3/objects/contacts/" + contact + "/associations/companies");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["results"][0]["id"], company);
  EXPECT_TRUE(r.json["results"][0]["type"].is_string());
  // Batch read.
  r = h.Call("POST", "/crm/v4/associations/contacts/companies/batch/read",
             {{"inputs", {{{"id", contact}}, {{"id", "4242"}}}}});
  ASSERT_EQ(r.status, 207) << r.body;
  EXPECT_EQ(r.json["results"][0]["from"]["id"], contact);
  EXPECT_EQ(r.json["results"][0]["to"].size(), 2u);
  EXPECT_EQ(r.json["numErrors"], 1);
  // Delete removes every type between the pair.
  EXPECT_EQ(h.Call("DELETE", "/crm/v4/objects/contacts/" + contact + "/associations/companies/" + company).status, 204);
  r = h.Call("GET", "/crm/v4/objects/contacts/" + contact + "/associations/companies");
  EXPECT_EQ(r.json["results"].size(), 1u);
  // Batch create and archive.
  r = h.Call("POST", "/crm/v4/associations/contacts/companies/batch/create",
             {{"inputs", {{{"from", {{"id", contact}}}, {"to", {{"id", company}}},
                           {"types", {{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 279}}}}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  r = h.Call("POST", "/crm/v4/associations/contacts/companies/batch/archive",
             {{"inputs", {{{"from", {{"id", contact}}}, {"to", {{{"id", company}}, {{"id", company2}}}}}}}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(h.Call("GET", "/crm/v4/objects/contacts/" + contact + "/associations/companies").json["results"].size(), 0u);
}

TEST(AssociationsApiTest, UserDefinedLabels) {
  SandboxHarness h(Unlimited());
  std::string contact = h.CreateContact({{"email", "c@example.com"}});
  std::string deal = h.Create("deals", {{"dealname", "D"}});
  Reply r = h.Call("POST", "/crm/v4/associations/contacts/deals/labels", {{"label", "Decision maker"}, {"name", "decision_maker"}});
  ASSERT_EQ(r.status, 200) << r.body;
  int type_id = r.json["results"][0]["typeId"];
  EXPECT_EQ(r.json["results"][0]["category"], "USER_DEFINED");
  r = h.Call("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/deals/" + deal,
             nlohmann::json::array({{{"associationCategory", "USER_DEFINED"}, {"associationTypeId", type_id}}}));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json["labels"], nlohmann::json::array({"Decision maker"}));
  r = h.Call("GET", "/crm/v4/associations/contacts/deals/labels");
  EXPECT_GE(r.json["results"].size(), 2u);
  EXPECT_EQ(h.Call("POST", "/crm/v4/associations/contacts/deals/labels", {{"label", "Decision maker"}}).status, 409);
  EXPECT_EQ(h.Call("DELETE", "/crm/v4/associations/contacts/deals/labels/" + std::to_string(type_id)).status, 204);
  EXPECT_EQ(h.Call("DELETE", "/crm/v4/associations/contacts/deals/labels/4").status, 400);  // HubSpot-defined
  EXPECT_EQ(h.Call("DELETE", "/crm/v4/associations/contacts/deals/labels/99999").status, 404);
}

TEST(RollupTest, DealCountAndTotalFollowAssociatedDeals) {
  SandboxHarness h(Unlimited());
  std::string contact = h.CreateContact({{"email", "r@example.com"}});
  auto rollups = [&] {
    return h.Call("GET", "/crm/v3/objects/contacts/" + contact + "?properties=num_associated_deals,hs_total_deal_value")
        .json["properties"];
  };
  EXPECT_FALSE(rollups().contains("num_associated_deals"));
  nlohmann::json assoc = {{{"to", {{"id", contact}}}, {"types", {{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 3}}}}}};
  Reply d1 = h.Call("POST", "/crm/v3/objects/deals", {{"properties", {{"dealname", "A"}, {"amount", "1000"}}}, {"associations", assoc}});
  ASSERT_EQ(d1.status, 201) << d1.body;
  Reply d2 = h.Call("POST", "/crm/v3/objects/deals", {{"properties", {{"dealname", "B"}, {"amount", "250.5"}}}, {"associations", assoc}});
  ASSERT_EQ(d2.status, 201);
  EXPECT_EQ(rollups()["num_associated_deals"], "2");
  EXPECT_EQ(rollups()["hs_total_deal_value"], "1250.5");
  std::string before = h.Call("GET", "/crm/v3/objects/contacts/" + contact).json["updatedAt"];
  h.clock.Advance(1'000'000);
  h.Call("PATCH", "/crm/v3/objects/deals/" + d1.json["id"].get<std::string>(), {{"properties", {{"amount", "2000"}}}});
  EXPECT_EQ(rollups()["hs_total_deal_value"], "2250.5");
  EXPECT_NE(h.Call("GET", "/crm/v3/objects/contacts/" + contact).json["updatedAt"], before);  // roll-ups modify the contact
  h.Call("DELETE", "/crm/v3/objects/deals/" + d2.json["id"].get<std::string>());
  EXPECT_EQ(rollups()["num_associated_deals"], "1");
  EXPECT_EQ(rollups()["hs_total_deal_value"], "2000");
  h.Call("DELETE", "/crm/v4/objects/deals/" + d1.json["id"].get<std::string>() + "/associations/contacts/" + contact);
  EXPECT_FALSE(rollups().contains("num_associated_deals"));
}

TEST(MergeTest, PrimaryWinsMergedIdBecomesAlias) {
  SandboxHarness h(Unlimited());
  std::string a = h.CreateContact({{"email", "a@example.com"}, {"firstname", "Ann"}});
  std::string b = h.CreateContact({{"email", "b@example.com"}, {"firstname", "Anne"}, {"phone", "0612345678"}});
  std::string company = h.Create("companies", {{"name", "Acme"}});
  h.Call("PUT", "/crm/v4/objects/contacts/" + b + "/associations/default/companies/" + company);
  Reply r = h.Call("POST", "/crm/v3/objects/contacts/merge", {{"primaryObjectId", a}, {"objectIdToMerge", b}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["id"], a);
  Reply got = h.Call("GET", "/crm/v3/objects/contacts/" + a + "?properties=firstname,phone,email,hs_additional_emails,hs_merged_object_ids");
  EXPECT_EQ(got.json["properties"]["firstname"], "Ann");
  EXPECT_EQ(got.json["properties"]["phone"], "0612345678");
  EXPECT_EQ(got.json["properties"]["hs_additional_emails"], "b@example.com");
  EXPECT_EQ(got.json["properties"]["hs_merged_object_ids"], b);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/" + b).json["id"], a);  // the old id resolves
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/b@example.com?idProperty=email").json["id"], a);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "b@example.com"}}}}).status, 409);
  EXPECT_EQ(h.Call("GET", "/crm/v4/objects/contacts/" + a + "/associations/companies").json["results"].size(), 1u);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").json["results"].size(), 1u);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/merge", {{"primaryObjectId", a}, {"objectIdToMerge", a}}).status, 400);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/merge", {{"primaryObjectId", a}}).status, 400);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/merge", {{"primaryObjectId", a}, {"objectIdToMerge", "9999"}}).status, 404);
  // Other object types merge too.
  std::string c2 = h.Create("companies", {{"name", "Acme 2"}, {"domain", "acme.com"}});
  r = h.Call("POST", "/crm/v3/objects/companies/merge", {{"primaryObjectId", company}, {"objectIdToMerge", c2}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/companies/" + company).json["properties"]["domain"], "acme.com");
}

TEST(GdprTest, DeletesForGoodAndBlocklistsUnknownEmails) {
  SandboxHarness h(Unlimited());
  std::string a = h.CreateContact({{"email", "forget@example.com"}});
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/gdpr-delete", {{"objectId", a}}).status, 204);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/" + a).status, 404);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/" + a + "?archived=true").status, 404);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/gdpr-delete", {{"objectId", "who@x.com"}, {"idProperty", "email"}}).status, 204);
  EXPECT_TRUE(h.sandbox->portal().IsBlocklisted("WHO@x.com"));
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/gdpr-delete", {{"objectId", "123456"}}).status, 404);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/gdpr-delete", nlohmann::json::object()).status, 400);
}

TEST(PropertiesApiTest, DefaultsAndCustomProperties) {
  SandboxHarness h(Unlimited());
  Reply r = h.Call("GET", "/crm/v3/properties/contacts");
  ASSERT_EQ(r.status, 200);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& p : r.json["results"]) by_name[p["name"]] = p;
  for (const char* n : {"email", "firstname", "lastname", "phone", "company", "lifecyclestage", "hs_lead_status",
                        "hubspot_owner_id", "num_associated_deals", "hs_total_deal_value", "createdate", "lastmodifieddate"})
    EXPECT_TRUE(by_name.count(n)) << n;
  EXPECT_EQ(by_name["lifecyclestage"]["type"], "enumeration");
  EXPECT_EQ(by_name["lifecyclestage"]["options"].size(), 8u);
  EXPECT_EQ(by_name["lifecyclestage"]["options"][0]["value"], "subscriber");
  EXPECT_EQ(by_name["num_associated_deals"]["type"], "number");
  EXPECT_EQ(by_name["hs_total_deal_value"]["type"], "number");
  EXPECT_EQ(by_name["createdate"]["type"], "datetime");
  EXPECT_EQ(by_name["phone"]["fieldType"], "phonenumber");
  EXPECT_EQ(by_name["hubspot_owner_id"]["referencedObjectType"], "OWNER");
  EXPECT_EQ(by_name["hubspot_owner_id"]["options"].size(), 8u);
  EXPECT_EQ(by_name["createdate"]["modificationMetadata"]["readOnlyValue"], true);
  for (const char* k : {"name", "label", "type", "fieldType", "groupName", "description", "options"})
    EXPECT_TRUE(by_name["email"].contains(k)) << k;
  r = h.Call("GET", "/crm/v3/properties/deals/dealstage");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["options"].size(), 7u);
  EXPECT_EQ(h.Call("GET", "/crm/v3/properties/deals/nope").status, 404);
  // Create, then write it.
  nlohmann::json prop = {{"groupName", "contactinformation"}, {"name", "favorite_food"}, {"label", "Favorite Food"},
                         {"type", "string"}, {"fieldType", "text"}};
  r = h.Call("POST", "/crm/v3/properties/contacts", prop);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_FALSE(r.json.contains("hubspotDefined"));
  EXPECT_EQ(h.Call("POST", "/crm/v3/properties/contacts", prop).status, 409);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "f@x.co"}, {"favorite_food", "pho"}}}}).status, 201);
  prop["name"] = "Bad Name";
  EXPECT_EQ(h.Call("POST", "/crm/v3/properties/contacts", prop).status, 400);
  prop["name"] = "size_bucket";
  prop["type"] = "enumeration";
  prop["fieldType"] = "text";
  EXPECT_EQ(h.Call("POST", "/crm/v3/properties/contacts", prop).status, 400);  // pairing
  prop["fieldType"] = "select";
  prop["options"] = {{{"label", "Small"}, {"value", "s"}}, {{"label", "Large"}, {"value", "l"}}};
  ASSERT_EQ(h.Call("POST", "/crm/v3/properties/contacts", prop).status, 201);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "g@x.co"}, {"size_bucket", "m"}}}}).status, 400);
  // Unique-value properties become valid idProperty values.
  nlohmann::json uniq = {{"groupName", "contactinformation"}, {"name", "customer_number"}, {"label", "Customer #"},
                         {"type", "string"}, {"fieldType", "text"}, {"hasUniqueValue", true}};
  ASSERT_EQ(h.Call("POST", "/crm/v3/properties/contacts", uniq).status, 201);
  std::string id = h.CreateContact({{"email", "u@x.co"}, {"customer_number", "C-1"}});
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/C-1?idProperty=customer_number").json["id"], id);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "v@x.co"}, {"customer_number", "c-1"}}}}).status, 409);
  // Archive a custom property; HubSpot-defined ones cannot be.
  EXPECT_EQ(h.Call("DELETE", "/crm/v3/properties/contacts/favorite_food").status, 204);
  EXPECT_EQ(h.Call("GET", "/crm/v3/properties/contacts/favorite_food").status, 404);
  EXPECT_EQ(h.Call("DELETE", "/crm/v3/properties/contacts/email").status, 400);
  EXPECT_EQ(h.Call("GET", "/crm/v3/properties/contacts?archived=true").json["results"].size(), 1u);
}

TEST(PipelinesOwnersTest, DefaultsAreServed) {
  SandboxHarness h(Unlimited());
  Reply r = h.Call("GET", "/crm/v3/pipelines/deals");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json["results"].size(), 1u);
  const auto& p = r.json["results"][0];
  EXPECT_EQ(p["id"], "default");
  EXPECT_EQ(p["stages"].size(), 7u);
  EXPECT_EQ(p["stages"][5]["id"], "closedwon");
  EXPECT_EQ(p["stages"][5]["metadata"]["isClosed"], "true");
  EXPECT_EQ(p["stages"][5]["metadata"]["probability"], "1.0");
  EXPECT_EQ(p["createdAt"], "1970-01-01T00:00:00.000Z");
  r = h.Call("GET", "/crm/v3/pipelines/tickets/0/stages");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["results"][3]["metadata"]["ticketState"], "CLOSED");
  EXPECT_EQ(h.Call("GET", "/crm/v3/pipelines/deals/default/stages/closedlost").json["metadata"]["probability"], "0.0");
  EXPECT_EQ(h.Call("GET", "/crm/v3/pipelines/deals/nope").status, 404);
  r = h.Call("GET", "/crm/v3/owners?limit=3");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["results"].size(), 3u);
  EXPECT_EQ(r.json["results"][0]["type"], "PERSON");
  std::string after = r.json["paging"]["next"]["after"];
  EXPECT_EQ(h.Call("GET", "/crm/v3/owners?limit=3&after=" + after).json["results"].size(), 3u);
  std::string id = r.json["results"][0]["id"];
  EXPECT_EQ(h.Call("GET", "/crm/v3/owners/" + id).json["email"], r.json["results"][0]["email"]);
  std::string email = r.json["results"][1]["email"];
  EXPECT_EQ(h.Call("GET", "/crm/v3/owners?email=" + email).json["results"].size(), 1u);
  r = h.Call("GET", "/crm/v3/owners?archived=true");
  ASSERT_EQ(r.json["results"].size(), 1u);
  EXPECT_TRUE(r.json["results"][0]["userId"].is_null());
  // A deal stage implies its pipeline; tickets default to pipeline 0, stage 1.
  r = h.Call("POST", "/crm/v3/objects/deals", {{"properties", {{"dealname", "x"}, {"dealstage", "contractsent"}}}});
  EXPECT_EQ(r.json["properties"]["pipeline"], "default");
  r = h.Call("POST", "/crm/v3/objects/tickets", {{"properties", {{"subject", "help"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json["properties"]["hs_pipeline"], "0");
  EXPECT_EQ(r.json["properties"]["hs_pipeline_stage"], "1");
}

TEST(CustomObjectTest, SchemaThenRecords) {
  SandboxHarness h(Unlimited());
  nlohmann::json schema = {{"name", "lender"},
                           {"labels", {{"singular", "Lender"}, {"plural", "Lenders"}}},
                           {"primaryDisplayProperty", "lender_name"},
                           {"requiredProperties", {"lender_name"}},
                           {"properties", {{{"name", "lender_name"}, {"label", "Name"}, {"type", "string"}, {"fieldType", "text"}}}},
                           {"associatedObjects", {"CONTACT"}}};
  Reply r = h.Call("POST", "/crm-object-schemas/v3/schemas", schema);
  ASSERT_EQ(r.status, 201) << r.body;
  std::string type_id = r.json["objectTypeId"];
  EXPECT_EQ(type_id.substr(0, 2), "2-");
  EXPECT_EQ(r.json["fullyQualifiedName"], "p62515_lender");
  EXPECT_EQ(h.Call("POST", "/crm-object-schemas/v3/schemas", schema).status, 409);
  r = h.Call("POST", "/crm/v3/objects/" + type_id, {{"properties", {{"lender_name", "Big Bank"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id = r.json["id"];
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/p_lender", {{"properties", nlohmann::json::object()}}).status, 400);  // required
  r = h.Call("GET", "/crm/v3/objects/p_lender");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["results"][0]["properties"]["lender_name"], "Big Bank");
  std::string contact = h.CreateContact({{"email", "l@x.co"}});
  EXPECT_EQ(h.Call("PUT", "/crm/v4/objects/" + type_id + "/" + id + "/associations/default/contacts/" + contact).status, 200);
  EXPECT_EQ(h.Call("GET", "/crm-object-schemas/v3/schemas").json["results"].size(), 1u);
  EXPECT_EQ(h.Call("GET", "/crm/v3/schemas/p62515_lender").status, 200);
  // Reset drops custom objects; a type resolved before the reset stays safe to use.
  const ObjectType* stale = h.sandbox->portal().FindType("p_lender");
  ASSERT_EQ(h.Call("POST", "/_sandbox/reset", nlohmann::json::object(), "").status, 200);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/p_lender").status, 400);
  EXPECT_TRUE(h.sandbox->portal().List(*stale, 10, "", {}, {}, false).ok());
  EXPECT_EQ(h.Call("POST", "/crm-object-schemas/v3/schemas", schema).status, 201);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/p_lender").json["results"].size(), 0u);
}

TEST(ChangeEventTest, WritesProduceEventsWithTheirSource) {
  SandboxHarness h(Unlimited());
  std::vector<ChangeEvent> events;
  h.sandbox->portal().SetChangeListener([&](const ChangeEvent& e) { events.push_back(e); });
  std::string id = h.CreateContact({{"email", "e@x.co"}, {"firstname", "E"}});
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[0].kind, ChangeEvent::Kind::kCreation);
  EXPECT_EQ(events[0].change_source, "INTEGRATION");
  EXPECT_EQ(events[0].source_id, std::to_string(kDefaultAppId));
  events.clear();
  h.Call("PATCH", "/crm/v3/objects/contacts/" + id, {{"properties", {{"firstname", "F"}, {"email", "e@x.co"}}}});
  ASSERT_EQ(events.size(), 1u);  // only what changed
  EXPECT_EQ(events[0].kind, ChangeEvent::Kind::kPropertyChange);
  EXPECT_EQ(events[0].property_name, "firstname");
  EXPECT_EQ(events[0].property_value, "F");
  events.clear();
  h.Call("POST", "/_sandbox/mutate", {{"actions", {{{"op", "update"}, {"id", id}, {"properties", {{"lastname", "UI"}}}}}}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].change_source, "CRM_UI");
  events.clear();
  h.Call("DELETE", "/crm/v3/objects/contacts/" + id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, ChangeEvent::Kind::kDeletion);
  h.sandbox->portal().SetChangeListener(nullptr);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
