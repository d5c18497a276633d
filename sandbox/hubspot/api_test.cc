// CRM v3 objects API: basic CRUD, errors, paging, batches.
#include <atomic>
#include <regex>
#include <set>
#include <thread>

#include "sandbox/hubspot/test_util.h"

namespace tajo::sandbox::hubspot {
namespace {

using testing::Reply;
using testing::SandboxHarness;
using testing::Unlimited;

bool IsIsoMillis(const nlohmann::json& v) {
  static const std::regex re(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  return v.is_string() && std::regex_match(v.get<std::string>(), re);
}

bool IsUuid(const nlohmann::json& v) {
  static const std::regex re(R"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})");
  return v.is_string() && std::regex_match(v.get<std::string>(), re);
}

void ExpectError(const Reply& r, int status, const std::string& category) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.json.value("status", ""), "error") << r.body;
  EXPECT_EQ(r.json.value("category", ""), category) << r.body;
  EXPECT_TRUE(IsUuid(r.json["correlationId"])) << r.body;
  EXPECT_FALSE(r.json.value("message", "").empty()) << r.body;
}

TEST(ObjectsApiTest, CreateReturns201WithMaintainedProperties) {
  SandboxHarness h(Unlimited());
  Reply r = h.Call("POST", "/crm/v3/objects/contacts",
                   {{"properties", {{"email", "Ana@Example.com"}, {"firstname", "Ana"}, {"lastname", "Lima"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id = r.json["id"];
  EXPECT_FALSE(id.empty());
  EXPECT_TRUE(std::all_of(id.begin(), id.end(), ::isdigit));
  EXPECT_EQ(r.json["properties"]["hs_object_id"], id);
  EXPECT_EQ(r.json["properties"]["email"], "Ana@Example.com");
  EXPECT_TRUE(IsIsoMillis(r.json["createdAt"]));
  EXPECT_TRUE(IsIsoMillis(r.json["updatedAt"]));
  EXPECT_EQ(r.json["properties"]["createdate"], r.json["createdAt"]);
  EXPECT_EQ(r.json["properties"]["lastmodifieddate"], r.json["updatedAt"]);
  EXPECT_EQ(r.json["archived"], false);
  // Ids increase.
  std::string id2 = h.CreateContact({{"email", "b@example.com"}});
  EXPECT_GT(std::stoull(id2), std::stoull(id));
  // Other objects use hs_lastmodifieddate / engagements hs_createdate.
  Reply c = h.Call("POST", "/crm/v3/objects/companies", {{"properties", {{"name", "Acme"}}}});
  ASSERT_EQ(c.status, 201);
  EXPECT_TRUE(c.json["properties"].contains("hs_lastmodifieddate"));
  EXPECT_FALSE(c.json["properties"].contains("lastmodifieddate"));
  Reply n = h.Call("POST", "/crm/v3/objects/notes",
                   {{"properties", {{"hs_note_body", "hi"}, {"hs_timestamp", "1700000000000"}}}});
  ASSERT_EQ(n.status, 201) << n.body;
  EXPECT_TRUE(n.json["properties"].contains("hs_createdate"));
  EXPECT_EQ(n.json["properties"]["hs_timestamp"], "2023-11-14T22:13:20.000Z");  // normalised
}

TEST(ObjectsApiTest, DuplicateEmailIs409WithExistingId) {
  SandboxHarness h(Unlimited());
  std::string id = h.CreateContact({{"email", "dup@example.com"}});
  Reply r = h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "DUP@example.COM"}}}});
  ExpectError(r, 409, "CONFLICT");
  EXPECT_EQ(r.json["message"], "Contact already exists. Existing ID: " + id);
  std::smatch m;
  std::string msg = r.json["message"];
  ASSERT_TRUE(std::regex_search(msg, m, std::regex(R"(Existing ID:\s*(\d+))")));
  EXPECT_EQ(m[1], id);
}

TEST(ObjectsApiTest, InvalidPropertyWritesAre400WithPropertyErrors) {
  SandboxHarness h(Unlimited());
  Reply r = h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "a@b.co"}, {"favorite_food", "x"}}}});
  ExpectError(r, 400, "VALIDATION_ERROR");
  std::string msg = r.json["message"];
  ASSERT_TRUE(msg.rfind("Property values were not valid: ", 0) == 0) << msg;
  auto list = nlohmann::json::parse(msg.substr(std::string("Property values were not valid: ").size()));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["isValid"], false);
  EXPECT_EQ(list[0]["error"], "PROPERTY_DOESNT_EXIST");
  EXPECT_EQ(list[0]["name"], "favorite_food");
  EXPECT_EQ(list[0]["message"], "Property \"favorite_food\" does not exist");
  // Nothing was created.
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").json["results"].size(), 0u);

  auto first_error = [&](const nlohmann::json& props, const std::string& type = "contacts") {
    Reply e = h.Call("POST", "/crm/v3/objects/" + type, {{"properties", props}});
    EXPECT_EQ(e.status, 400) << e.body;
    std::string m = e.json.value("message", "");
    auto l = nlohmann::json::parse(m.substr(m.find('[')), nullptr, false);
    return l.is_array() && !l.empty() ? l[0].value("error", "") : m;
  };
  EXPECT_EQ(first_error({{"email", "x@y.co"}, {"hs_object_id", "5"}}), "READ_ONLY_VALUE");
  EXPECT_EQ(first_error({{"email", "x@y.co"}, {"num_associated_deals", "5"}}), "READ_ONLY_VALUE");
  EXPECT_EQ(first_error({{"email", "x@y.co"}, {"lifecyclestage", "bogus"}}), "INVALID_OPTION");
  EXPECT_EQ(first_error({{"email", "not-an-email"}}), "INVALID_EMAIL");
  EXPECT_EQ(first_error({{"email", "x@y.co"}, {"closedate", "yesterday"}}), "INVALID_DATETIME");
  EXPECT_EQ(first_error({{"email", "x@y.co"}, {"hubspot_owner_id", "123"}}), "INVALID_OWNER_ID");
  EXPECT_EQ(first_error({{"dealname", "d"}, {"amount", "1,000"}}, "deals"), "INVALID_INTEGER");
  EXPECT_EQ(first_error({{"dealname", "d"}, {"dealstage", "nope"}}, "deals"), "INVALID_OPTION");
  EXPECT_EQ(first_error({{"hs_note_body", "no timestamp"}}, "notes"), "REQUIRED_PROPERTY");
  // A contact needs one of email, firstname, lastname.
  Reply empty = h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"phone", "123"}}}});
  ExpectError(empty, 400, "VALIDATION_ERROR");
  // Bad JSON.
  Reply bad = h.Raw("POST", "/crm/v3/objects/contacts", "{not json");
  ExpectError(bad, 400, "VALIDATION_ERROR");
}

TEST(ObjectsApiTest, GetByIdAndEmailWithPropertySelection) {
  SandboxHarness h(Unlimited());
  std::string id = h.CreateContact({{"email", "g@example.com"}, {"firstname", "G"}, {"phone", "+33 6 12 34 56 78"}});
  Reply r = h.Call("GET", "/crm/v3/objects/contacts/" + id);
  ASSERT_EQ(r.status, 200);
  // Defaults: createdate, email, firstname, hs_object_id, lastmodifieddate, lastname (when set).
  EXPECT_TRUE(r.json["properties"].contains("email"));
  EXPECT_FALSE(r.json["properties"].contains("phone"));
  EXPECT_FALSE(r.json["properties"].contains("lastname"));  // requested but empty: omitted
  r = h.Call("GET", "/crm/v3/objects/contacts/" + id + "?properties=phone,nonexistent&properties=firstname");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["properties"].size(), 2u) << r.body;
  EXPECT_EQ(r.json["properties"]["phone"], "+33 6 12 34 56 78");
  r = h.Call("GET", "/crm/v3/objects/contacts/G%40EXAMPLE.com?idProperty=email");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["id"], id);
  ExpectError(h.Call("GET", "/crm/v3/objects/contacts/999999"), 404, "OBJECT_NOT_FOUND");
  ExpectError(h.Call("GET", "/crm/v3/objects/contacts/nobody@x.com?idProperty=email"), 404, "OBJECT_NOT_FOUND");
  ExpectError(h.Call("GET", "/crm/v3/objects/contacts/1?idProperty=firstname"), 400, "VALIDATION_ERROR");
  // propertiesWithHistory
  r = h.Call("GET", "/crm/v3/objects/contacts/" + id + "?propertiesWithHistory=firstname");
  ASSERT_EQ(r.json["propertiesWithHistory"]["firstname"].size(), 1u);
  EXPECT_EQ(r.json["propertiesWithHistory"]["firstname"][0]["value"], "G");
  EXPECT_TRUE(r.json["propertiesWithHistory"]["firstname"][0].contains("sourceType"));
}

TEST(ObjectsApiTest, EmptyPropertiesAsNullIsASetting) {
  HubSpotSandboxOptions o = Unlimited();
  o.empty_properties_as_null = true;
  SandboxHarness h(o);
  std::string id = h.CreateContact({{"email", "n@example.com"}});
  Reply r = h.Call("GET", "/crm/v3/objects/contacts/" + id + "?properties=phone");
  ASSERT_TRUE(r.json["properties"].contains("phone"));
  EXPECT_TRUE(r.json["properties"]["phone"].is_null());
}

TEST(ObjectsApiTest, UpdateMovesModificationTimeAndChecksConflicts) {
  SandboxHarness h(Unlimited());
  std::string a = h.CreateContact({{"email", "a@example.com"}, {"lifecyclestage", "lead"}});
  std::string b = h.CreateContact({{"email", "b@example.com"}});
  h.clock.Advance(5'000'000);
  Reply r = h.Call("PATCH", "/crm/v3/objects/contacts/" + a, {{"properties", {{"firstname", "Zoé"}, {"lifecyclestage", "customer"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["properties"]["firstname"], "Zoé");
  EXPECT_NE(r.json["updatedAt"], r.json["createdAt"]);
  EXPECT_EQ(r.json["properties"]["lastmodifieddate"], r.json["updatedAt"]);
  // Lifecycle stages only move forward: a backward move is ignored.
  r = h.Call("PATCH", "/crm/v3/objects/contacts/" + a, {{"properties", {{"lifecyclestage", "lead"}}}});
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/" + a + "?properties=lifecyclestage").json["properties"]["lifecyclestage"],
            "customer");
  // Clearing then setting works.
  h.Call("PATCH", "/crm/v3/objects/contacts/" + a, {{"properties", {{"lifecyclestage", ""}}}});
  h.Call("PATCH", "/crm/v3/objects/contacts/" + a, {{"properties", {{"lifecyclestage", "lead"}}}});
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/" + a + "?properties=lifecyclestage").json["properties"]["lifecyclestage"],
            "lead");
  // By email, and an email taken by another contact is a conflict.
  r = h.Call("PATCH", "/crm/v3/objects/contacts/b@example.com?idProperty=email", {{"properties", {{"lastname", "B"}}}});
  EXPECT_EQ(r.status, 200);
  r = h.Call("PATCH", "/crm/v3/objects/contacts/" + b, {{"properties", {{"email", "A@example.com"}}}});
  ExpectError(r, 409, "CONFLICT");
  ExpectError(h.Call("PATCH", "/crm/v3/objects/contacts/424242", {{"properties", {{"lastname", "x"}}}}), 404, "OBJECT_NOT_FOUND");
  // Changing the email frees the old one.
  EXPECT_EQ(h.Call("PATCH", "/crm/v3/objects/contacts/" + b, {{"properties", {{"email", "b2@example.com"}}}}).status, 200);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "b@example.com"}}}}).status, 201);
}

TEST(ObjectsApiTest, ArchiveKeepsRecordInArchivedList) {
  SandboxHarness h(Unlimited());
  std::string id = h.CreateContact({{"email", "gone@example.com"}});
  EXPECT_EQ(h.Call("DELETE", "/crm/v3/objects/contacts/" + id).status, 204);
  EXPECT_EQ(h.Call("DELETE", "/crm/v3/objects/contacts/" + id).status, 204);  // idempotent
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/" + id).status, 404);
  Reply a = h.Call("GET", "/crm/v3/objects/contacts/" + id + "?archived=true");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.json["archived"], true);
  EXPECT_TRUE(IsIsoMillis(a.json["archivedAt"]));
  Reply list = h.Call("GET", "/crm/v3/objects/contacts?archived=true");
  ASSERT_EQ(list.json["results"].size(), 1u);
  EXPECT_EQ(list.json["results"][0]["id"], id);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").json["results"].size(), 0u);
  // The email is free again.
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "gone@example.com"}}}}).status, 201);
  ExpectError(h.Call("GET", "/crm/v3/objects/contacts?archived=maybe"), 400, "VALIDATION_ERROR");
}

TEST(ObjectsApiTest, ListPagesThroughEverythingOnce) {
  SandboxHarness h(Unlimited());
  std::set<std::string> created;
  for (int i = 0; i < 25; ++i) created.insert(h.CreateContact({{"email", "p" + std::to_string(i) + "@example.com"}}));
  Reply first = h.Call("GET", "/crm/v3/objects/contacts");
  EXPECT_EQ(first.json["results"].size(), 10u);  // default limit
  std::set<std::string> seen;
  std::string after;
  int pages = 0;
  while (true) {
    Reply r = h.Call("GET", "/crm/v3/objects/contacts?limit=10" + (after.empty() ? "" : "&after=" + after));
    ASSERT_EQ(r.status, 200);
    ++pages;
    for (const auto& rec : r.json["results"]) EXPECT_TRUE(seen.insert(rec["id"]).second);
    if (!r.json.contains("paging")) break;
    after = r.json["paging"]["next"]["after"];
    EXPECT_EQ(r.json["paging"]["next"]["link"], "?after=" + after);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, created);
  // Over the maximum: capped by default.
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts?limit=500").json["results"].size(), 25u);
  ExpectError(h.Call("GET", "/crm/v3/objects/contacts?limit=abc"), 400, "VALIDATION_ERROR");
  ExpectError(h.Call("GET", "/crm/v3/objects/contacts?limit=0"), 400, "VALIDATION_ERROR");
  ExpectError(h.Call("GET", "/crm/v3/objects/contacts?after=xyz"), 400, "VALIDATION_ERROR");
}

TEST(ObjectsApiTest, ListOverMaxCanBeAnError) {
  HubSpotSandboxOptions o = Unlimited();
  o.list_over_max_is_error = true;
  SandboxHarness h(o);
  ExpectError(h.Call("GET", "/crm/v3/objects/contacts?limit=101"), 400, "VALIDATION_ERROR");
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts?limit=100").status, 200);
}

TEST(ObjectsApiTest, ListWithAssociations) {
  SandboxHarness h(Unlimited());
  std::string company = h.Create("companies", {{"name", "Acme"}});
  Reply r = h.Call("POST", "/crm/v3/objects/contacts",
                   {{"properties", {{"email", "w@acme.com"}}},
                    {"associations", {{{"to", {{"id", company}}},
                                       {"types", {{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 1}}}}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  Reply list = h.Call("GET", "/crm/v3/objects/contacts?associations=companies&associations=bogus");
  ASSERT_EQ(list.status, 200);
  const auto& assoc = list.json["results"][0]["associations"]["companies"]["results"];
  std::set<std::string> types;
  for (const auto& a : assoc) {
    EXPECT_EQ(a["id"], company);
    types.insert(a["type"]);
  }
  EXPECT_EQ(types, (std::set<std::string>{"contact_to_company", "contact_to_company_unlabeled"}));
  // Bad association type in a create body.
  Reply bad = h.Call("POST", "/crm/v3/objects/contacts",
                     {{"properties", {{"email", "v@acme.com"}}},
                      {"associations", {{{"to", {{"id", company}}}, {"types", {{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 4}}}}}}}});
  ExpectError(bad, 400, "VALIDATION_ERROR");  // 4 is contact->deal, and the target is a company
}

TEST(ObjectsApiTest, UnknownTypeAndRoute) {
  SandboxHarness h(Unlimited());
  Reply r = h.Call("GET", "/crm/v3/objects/widgets");
  ExpectError(r, 400, "VALIDATION_ERROR");
  EXPECT_NE(r.json["message"].get<std::string>().find("widgets"), std::string::npos);
  ExpectError(h.Call("GET", "/crm/v3/nothing/here"), 404, "OBJECT_NOT_FOUND");
  // Type ids and singular names work too.
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/0-1").status, 200);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/0-3").status, 200);
}

TEST(BatchApiTest, ReadReturns207ForMissingIds) {
  SandboxHarness h(Unlimited());
  std::string a = h.CreateContact({{"email", "a@example.com"}, {"firstname", "A"}});
  Reply r = h.Call("POST", "/crm/v3/objects/contacts/batch/read",
                   {{"properties", {"firstname"}}, {"propertiesWithHistory", nlohmann::json::array()},
                    {"inputs", {{{"id", a}}, {{"id", "777777"}}}}});
  ASSERT_EQ(r.status, 207) << r.body;
  EXPECT_EQ(r.json["status"], "COMPLETE");
  ASSERT_EQ(r.json["results"].size(), 1u);
  EXPECT_EQ(r.json["results"][0]["properties"]["firstname"], "A");
  EXPECT_EQ(r.json["numErrors"], 1);
  EXPECT_EQ(r.json["errors"][0]["category"], "OBJECT_NOT_FOUND");
  EXPECT_EQ(r.json["errors"][0]["context"]["ids"][0], "777777");
  for (const char* k : {"status", "category", "message", "context", "errors", "links"})
    EXPECT_TRUE(r.json["errors"][0].contains(k)) << k;
  r = h.Call("POST", "/crm/v3/objects/contacts/batch/read",
             {{"idProperty", "email"}, {"properties", nlohmann::json::array()}, {"inputs", {{{"id", "A@EXAMPLE.com"}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["results"][0]["id"], a);
  EXPECT_TRUE(IsIsoMillis(r.json["startedAt"]));
  EXPECT_TRUE(IsIsoMillis(r.json["completedAt"]));
}

TEST(BatchApiTest, AtMost100Inputs) {
  SandboxHarness h(Unlimited());
  nlohmann::json inputs = nlohmann::json::array();
  for (int i = 0; i < 101; ++i) inputs.push_back({{"properties", {{"email", "c" + std::to_string(i) + "@x.com"}}}});
  for (const char* op : {"create", "read", "update", "upsert", "archive"}) {
    nlohmann::json in = inputs;
    if (std::string(op) != "create")
      for (auto& i : in) i["id"] = "1";
    Reply r = h.Call("POST", std::string("/crm/v3/objects/contacts/batch/") + op, {{"inputs", in}});
    ExpectError(r, 400, "VALIDATION_ERROR");
  }
  inputs.erase(inputs.begin());
  Reply ok = h.Call("POST", "/crm/v3/objects/contacts/batch/create", {{"inputs", inputs}});
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(ok.json["results"].size(), 100u);
}

TEST(BatchApiTest, CreateIsAtomicUnlessEveryInputHasATraceId) {
  SandboxHarness h(Unlimited());
  std::string existing = h.CreateContact({{"email", "taken@example.com"}});
  Reply r = h.Call("POST", "/crm/v3/objects/contacts/batch/create",
                   {{"inputs", {{{"properties", {{"email", "new1@example.com"}}}}, {{"properties", {{"email", "taken@example.com"}}}}}}});
  ExpectError(r, 409, "CONFLICT");
  EXPECT_EQ(r.json["message"], "Contact already exists. Existing ID: " + existing);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/new1@example.com?idProperty=email").status, 404);  // nothing applied
  // The same email twice in one batch.
  r = h.Call("POST", "/crm/v3/objects/contacts/batch/create",
             {{"inputs", {{{"properties", {{"email", "twice@example.com"}}}}, {{"properties", {{"email", "TWICE@example.com"}}}}}}});
  EXPECT_EQ(r.status, 409);
  // 207 mode.
  r = h.Call("POST", "/crm/v3/objects/contacts/batch/create",
             {{"inputs",
               {{{"properties", {{"email", "new1@example.com"}}}, {"objectWriteTraceId", "t1"}},
                {{"properties", {{"email", "taken@example.com"}}}, {"objectWriteTraceId", "t2"}},
                {{"properties", {{"email", "new3@example.com"}, {"nope", "1"}}}, {"objectWriteTraceId", "t3"}}}}});
  ASSERT_EQ(r.status, 207) << r.body;
  EXPECT_EQ(r.json["results"].size(), 1u);
  EXPECT_EQ(r.json["results"][0]["objectWriteTraceId"], "t1");
  EXPECT_EQ(r.json["numErrors"], 2);
  EXPECT_EQ(r.json["errors"][0]["category"], "CONFLICT");
  EXPECT_EQ(r.json["errors"][0]["context"]["objectWriteTraceId"][0], "t2");
  EXPECT_EQ(r.json["errors"][1]["category"], "VALIDATION_ERROR");
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/new1@example.com?idProperty=email").status, 200);
}

TEST(BatchApiTest, UpdateUpsertArchive) {
  SandboxHarness h(Unlimited());
  std::string a = h.CreateContact({{"email", "a@example.com"}});
  std::string b = h.CreateContact({{"email", "b@example.com"}});
  Reply r = h.Call("POST", "/crm/v3/objects/contacts/batch/update",
                   {{"inputs", {{{"id", a}, {"properties", {{"firstname", "A"}}}},
                                {{"id", "b@example.com"}, {"idProperty", "email"}, {"properties", {{"firstname", "B"}}}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["results"].size(), 2u);
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/" + b).json["properties"]["firstname"], "B");
  // Missing id: the whole batch fails (no trace ids).
  r = h.Call("POST", "/crm/v3/objects/contacts/batch/update",
             {{"inputs", {{{"id", a}, {"properties", {{"firstname", "AA"}}}}, {{"id", "99999"}, {"properties", {{"firstname", "X"}}}}}}});
  ExpectError(r, 404, "OBJECT_NOT_FOUND");
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts/" + a).json["properties"]["firstname"], "A");
  // Duplicate ids.
  r = h.Call("POST", "/crm/v3/objects/contacts/batch/update",
             {{"inputs", {{{"id", a}, {"properties", {{"firstname", "1"}}}}, {{"id", a}, {"properties", {{"firstname", "2"}}}}}}});
  ExpectError(r, 400, "VALIDATION_ERROR");
  // Upsert by email: one update, one create.
  r = h.Call("POST", "/crm/v3/objects/contacts/batch/upsert",
             {{"inputs", {{{"id", "A@example.com"}, {"idProperty", "email"}, {"properties", {{"lastname", "Upd"}}}},
                          {{"id", "fresh@example.com"}, {"idProperty", "email"}, {"properties", {{"lastname", "New"}}}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["results"].size(), 2u);
  EXPECT_EQ(r.json["results"][0]["id"], a);
  EXPECT_EQ(r.json["results"][0]["new"], false);
  EXPECT_EQ(r.json["results"][1]["new"], true);
  EXPECT_EQ(r.json["results"][1]["properties"]["email"], "fresh@example.com");
  // Upsert needs a unique idProperty.
  r = h.Call("POST", "/crm/v3/objects/contacts/batch/upsert", {{"inputs", {{{"id", "x"}, {"properties", {{"lastname", "N"}}}}}}});
  ExpectError(r, 400, "VALIDATION_ERROR");
  // Archive.
  r = h.Call("POST", "/crm/v3/objects/contacts/batch/archive", {{"inputs", {{{"id", a}}, {{"id", b}}, {{"id", "31337"}}}}});
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts?archived=true").json["results"].size(), 2u);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot

namespace tajo::sandbox::hubspot {
namespace {

using testing::Reply;

TEST(ConcurrencyTest, ParallelReadsWritesAndSearches) {
  testing::SandboxHarness h(testing::Unlimited());
  h.sandbox->Seed(ParseSeedSpec("contacts=200,companies=20,deals=40").value(), 5);
  h.Call("PUT", "/webhooks/v3/54321/settings", {{"targetUrl", "https://h.example"}, {"throttling", {{"maxConcurrentRequests", 10}}}});
  h.Call("POST", "/webhooks/v3/54321/subscriptions", {{"eventType", "contact.creation"}, {"active", true}});
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 15; ++i) {
        std::string n = std::to_string(t) + "-" + std::to_string(i);
        int s1 = h.Call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "c" + n + "@x.co"}}}}).status;
        int s2 = h.Call("GET", "/crm/v3/objects/contacts?limit=20&associations=companies").status;
        int s3 = h.Call("POST", "/crm/v3/objects/contacts/search",
                        {{"filterGroups", {{{"filters", {{{"propertyName", "email"}, {"operator", "HAS_PROPERTY"}}}}}}}}).status;
        int s4 = h.Call("PATCH", "/crm/v3/objects/contacts/c" + n + "@x.co?idProperty=email",
                        {{"properties", {{"firstname", "T" + n}}}}).status;
        if (s1 != 201 || s2 != 200 || s3 != 200 || s4 != 200) ++failures;
        if (i % 5 == 0) h.sandbox->webhooks().Pump();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  Reply r = h.Call("GET", "/_sandbox/stats", nullptr, "");
  EXPECT_EQ(r.json["objects"]["contacts"]["live"], 260);
  EXPECT_EQ(r.json["webhooks"]["eventsQueued"], 60);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
