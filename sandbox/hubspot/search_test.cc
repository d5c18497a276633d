// Search: operators, groups, sorts, query, paging, the 10,000-result cap and the 5/s limit.
#include <set>

#include "sandbox/hubspot/test_util.h"

namespace tajo::sandbox::hubspot {
namespace {

using testing::Reply;
using testing::SandboxHarness;
using testing::Unlimited;

nlohmann::json Filter(const std::string& prop, const std::string& op, const nlohmann::json& value = nullptr) {
  nlohmann::json f = {{"propertyName", prop}, {"operator", op}};
  if (value.is_array()) f["values"] = value;
  else if (!value.is_null()) f["value"] = value;
  return f;
}

class SearchTest : public ::testing::Test {
 protected:
  SearchTest() : h(Unlimited()) {
    // Five contacts, one second apart.
    const char* names[][4] = {{"Ana", "Lima", "ana@acme.com", "lead"},
                              {"Bob", "Smith", "bob@hubspot.com", "customer"},
                              {"Émile", "Zola", "", "lead"},
                              {"Dmitry", "Иванов", "dmitry@yandex.ru", "opportunity"},
                              {"Eve", "Smith Jones", "eve@hubspot.com", "subscriber"}};
    for (auto& n : names) {
      nlohmann::json props = {{"firstname", n[0]}, {"lastname", n[1]}, {"lifecyclestage", n[3]}};
      if (*n[2]) props["email"] = n[2];
      ids.push_back(h.CreateContact(props));
      h.clock.Advance(1'000'000);
    }
    for (int i = 0; i < 4; ++i) {
      deals.push_back(h.Create("deals", {{"dealname", "Deal " + std::to_string(i)}, {"amount", std::to_string((i + 1) * 1000)},
                                         {"dealstage", i < 2 ? "closedwon" : "qualifiedtobuy"}}));
    }
  }

  std::vector<std::string> Ids(const Reply& r) {
    std::vector<std::string> out;
    for (const auto& rec : r.json["results"]) out.push_back(rec["id"]);
    return out;
  }
  Reply Search(const std::string& type, const nlohmann::json& body) {
    h.clock.Advance(1'000'000);  // stay under 5/s
    return h.Call("POST", "/crm/v3/objects/" + type + "/search", body);
  }
  Reply One(const std::string& type, const nlohmann::json& filter) {
    return Search(type, {{"filterGroups", {{{"filters", {filter}}}}}});
  }

  SandboxHarness h;
  std::vector<std::string> ids, deals;
};

TEST_F(SearchTest, EveryOperator) {
  auto ids_of = [&](const nlohmann::json& f, const std::string& type = "contacts") { return Ids(One(type, f)); };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids_of(Filter("firstname", "EQ", "ana")), V{ids[0]});           // strings: case-insensitive
  EXPECT_EQ(ids_of(Filter("lifecyclestage", "EQ", "LEAD")), V{});            // enumerations: case-sensitive
  EXPECT_EQ(ids_of(Filter("lifecyclestage", "EQ", "lead")), (V{ids[0], ids[2]}));
  EXPECT_EQ(ids_of(Filter("lifecyclestage", "NEQ", "lead")).size(), 3u);
  EXPECT_EQ(ids_of(Filter("amount", "GT", "2000"), "deals"), (V{deals[2], deals[3]}));
  EXPECT_EQ(ids_of(Filter("amount", "GTE", "2000"), "deals"), (V{deals[1], deals[2], deals[3]}));
  EXPECT_EQ(ids_of(Filter("amount", "LT", "2000"), "deals"), V{deals[0]});
  EXPECT_EQ(ids_of(Filter("amount", "LTE", "2000"), "deals"), (V{deals[0], deals[1]}));
  nlohmann::json between = Filter("amount", "BETWEEN", "1500");
  between["highValue"] = "3000";
  EXPECT_EQ(ids_of(between, "deals"), (V{deals[1], deals[2]}));
  EXPECT_EQ(ids_of(Filter("lifecyclestage", "IN", nlohmann::json::array({"customer", "subscriber"}))), (V{ids[1], ids[4]}));
  EXPECT_EQ(ids_of(Filter("lifecyclestage", "NOT_IN", nlohmann::json::array({"lead"}))).size(), 3u);
  EXPECT_EQ(ids_of(Filter("email", "HAS_PROPERTY")).size(), 4u);
  EXPECT_EQ(ids_of(Filter("email", "NOT_HAS_PROPERTY")), V{ids[2]});
  EXPECT_EQ(ids_of(Filter("email", "CONTAINS_TOKEN", "*@hubspot.com")), (V{ids[1], ids[4]}));
  EXPECT_EQ(ids_of(Filter("lastname", "CONTAINS_TOKEN", "jones")), V{ids[4]});
  EXPECT_EQ(ids_of(Filter("lastname", "NOT_CONTAINS_TOKEN", "smith")).size(), 3u);
  EXPECT_EQ(ids_of(Filter("hs_is_closed", "EQ", "true"), "deals"), (V{deals[0], deals[1]}));
  EXPECT_EQ(ids_of(Filter("hs_object_id", "EQ", ids[3])), V{ids[3]});
  // Dates: epoch milliseconds or ISO.
  Reply all = h.Call("GET", "/crm/v3/objects/contacts/" + ids[2]);
  std::string created = all.json["createdAt"];
  EXPECT_EQ(ids_of(Filter("createdate", "GTE", created)), (V{ids[2], ids[3], ids[4]}));
  EXPECT_EQ(ids_of(Filter("createdate", "LT", std::to_string(1'717'000'002'000))), (V{ids[0], ids[1]}));
}

TEST_F(SearchTest, GroupsAreOredFiltersAnded) {
  Reply r = Search("contacts", {{"filterGroups",
                                 {{{"filters", {Filter("lifecyclestage", "EQ", "lead"), Filter("email", "HAS_PROPERTY")}}},
                                  {{"filters", {Filter("firstname", "EQ", "Eve")}}}}}});
  EXPECT_EQ(Ids(r), (std::vector<std::string>{ids[0], ids[4]}));
  EXPECT_EQ(r.json["total"], 2);
}

TEST_F(SearchTest, SortsQueryPropertiesAndPaging) {
  Reply r = Search("contacts", {{"sorts", {{{"propertyName", "createdate"}, {"direction", "DESCENDING"}}}}, {"limit", 2}});
  EXPECT_EQ(Ids(r), (std::vector<std::string>{ids[4], ids[3]}));
  EXPECT_EQ(r.json["total"], 5);
  EXPECT_EQ(r.json["paging"]["next"]["after"], "2");
  r = Search("contacts", {{"sorts", {"-createdate"}}, {"limit", 2}, {"after", "4"}});
  EXPECT_EQ(Ids(r), (std::vector<std::string>{ids[0]}));
  EXPECT_FALSE(r.json.contains("paging"));
  r = Search("contacts", {{"sorts", {{{"propertyName", "firstname"}, {"direction", "ASCENDING"}}}}});
  EXPECT_EQ(r.json["results"][0]["properties"]["firstname"], "Ana");
  EXPECT_EQ(r.json["results"][4]["properties"]["firstname"], "Émile");  // byte order puts É last
  r = Search("deals", {{"sorts", {{{"propertyName", "amount"}, {"direction", "DESCENDING"}}}}});
  EXPECT_EQ(Ids(r).front(), deals[3]);
  r = Search("contacts", {{"query", "smith"}, {"properties", {"lastname"}}});
  EXPECT_EQ(Ids(r), (std::vector<std::string>{ids[1], ids[4]}));
  EXPECT_EQ(r.json["results"][0]["properties"].size(), 1u);
  EXPECT_FALSE(r.json["results"][0].contains("associations"));
  // Modification-date ascending: the incremental-sync query.
  h.clock.Advance(10'000'000);
  h.Call("PATCH", "/crm/v3/objects/contacts/" + ids[1], {{"properties", {{"jobtitle", "CTO"}}}});
  std::string since = std::to_string(h.clock.NowMillis());
  r = Search("contacts", {{"filterGroups", {{{"filters", {Filter("lastmodifieddate", "GTE", since)}}}}},
                          {"sorts", {{{"propertyName", "lastmodifieddate"}, {"direction", "ASCENDING"}}}}});
  EXPECT_EQ(Ids(r), std::vector<std::string>{ids[1]});
  EXPECT_EQ(r.json["total"], 1);
  // Archived records never appear.
  h.Call("DELETE", "/crm/v3/objects/contacts/" + ids[1]);
  r = Search("contacts", nlohmann::json::object());
  EXPECT_EQ(r.json["total"], 4);
}

TEST_F(SearchTest, ValidationErrors) {
  auto bad = [&](const nlohmann::json& body) {
    Reply r = Search("contacts", body);
    EXPECT_EQ(r.status, 400) << body.dump() << " -> " << r.body;
    EXPECT_EQ(r.json.value("category", ""), "VALIDATION_ERROR");
  };
  bad({{"limit", 201}});
  bad({{"limit", 0}});
  bad({{"after", "abc"}});
  bad({{"sorts", {"firstname", "lastname"}}});
  bad({{"sorts", {{{"propertyName", "firstname"}, {"direction", "UP"}}}}});
  bad({{"filterGroups", {{{"filters", {Filter("nosuchprop", "EQ", "x")}}}}}});
  bad({{"filterGroups", {{{"filters", {Filter("firstname", "LIKE", "x")}}}}}});
  bad({{"filterGroups", {{{"filters", {Filter("firstname", "EQ")}}}}}});
  bad({{"filterGroups", {{{"filters", {Filter("amount", "BETWEEN", "1")}}}}}});
  bad({{"query", std::string(3001, 'q')}});
  nlohmann::json six_groups = nlohmann::json::array();
  for (int i = 0; i < 6; ++i) six_groups.push_back({{"filters", {Filter("firstname", "EQ", "x")}}});
  bad({{"filterGroups", six_groups}});
  nlohmann::json seven = nlohmann::json::array();
  for (int i = 0; i < 7; ++i) seven.push_back(Filter("firstname", "EQ", "x"));
  bad({{"filterGroups", {{{"filters", seven}}}}});
  EXPECT_EQ(Search("contacts", {{"limit", 200}}).status, 200);
}

TEST(SearchCapTest, PagingPastTenThousandIs400) {
  SandboxHarness h(Unlimited());
  const ObjectType& contacts = *h.sandbox->portal().FindType("contacts");
  std::vector<SeedRecord> records(10'050);
  for (size_t i = 0; i < records.size(); ++i) {
    records[i].created_ms = records[i].updated_ms = 1'600'000'000'000 + static_cast<int64_t>(i);
    records[i].properties = {{"firstname", "N" + std::to_string(i)}};
  }
  h.sandbox->portal().SeedRecords(contacts, std::move(records));
  auto search = [&](const std::string& after) {
    h.clock.Advance(1'000'000);
    return h.Call("POST", "/crm/v3/objects/contacts/search",
                  {{"limit", 200}, {"after", after},
                   {"sorts", {{{"propertyName", "lastmodifieddate"}, {"direction", "ASCENDING"}}}},
                   {"filterGroups", {{{"filters", {Filter("lastmodifieddate", "GTE", "1600000000000")}}}}}});
  };
  Reply r = search("9800");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["total"], 10'050);
  EXPECT_EQ(r.json["results"].size(), 200u);
  EXPECT_EQ(r.json["paging"]["next"]["after"], "10000");
  EXPECT_EQ(r.json["results"][0]["properties"]["hs_object_id"].get<std::string>(),
            std::to_string(h.sandbox->portal().options().first_id + 9800));
  r = search("10000");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json["category"], "VALIDATION_ERROR");
  // A page that straddles the cap stops at 10,000.
  r = search("9900");
  EXPECT_EQ(r.json["results"].size(), 100u);
  // Re-anchoring on the last modification date seen continues past the cap.
  r = h.Call("POST", "/crm/v3/objects/contacts/search",
             {{"limit", 200}, {"sorts", {"lastmodifieddate"}},
              {"filterGroups", {{{"filters", {Filter("lastmodifieddate", "GTE", std::to_string(1'600'000'010'000))}}}}}});
  EXPECT_EQ(r.json["total"], 50);
}

TEST(SearchRateTest, FivePerSecondThen429WithSecondlyMessageAndNoHeaders) {
  SandboxHarness h;  // rate limits on
  for (int i = 0; i < 5; ++i) {
    Reply r = h.Call("POST", "/crm/v3/objects/contacts/search", nlohmann::json::object());
    ASSERT_EQ(r.status, 200) << i << r.body;
    EXPECT_FALSE(r.headers.Has("X-HubSpot-RateLimit-Max"));
    EXPECT_FALSE(r.headers.Has("X-HubSpot-RateLimit-Daily"));
  }
  Reply r = h.Call("POST", "/crm/v3/objects/contacts/search", nlohmann::json::object());
  ASSERT_EQ(r.status, 429);
  EXPECT_EQ(r.json["message"], "You have reached your secondly limit.");
  EXPECT_EQ(r.json["errorType"], "RATE_LIMIT");
  EXPECT_EQ(r.json["status"], "error");
  EXPECT_TRUE(r.json.contains("correlationId"));
  // Search does not use the burst window: other calls still work.
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts").status, 200);
  h.clock.Advance(1'000'000);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/search", nlohmann::json::object()).status, 200);
  EXPECT_EQ(h.sandbox->stats().Counter("rate_limited.SECONDLY"), 1);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
