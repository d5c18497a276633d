// Options parsing, deterministic seeding and the /_sandbox/ admin API.
#include <set>

#include "sandbox/common/time_format.h"
#include "sandbox/hubspot/test_util.h"

namespace tajo::sandbox::hubspot {
namespace {

using testing::Reply;
using testing::SandboxHarness;
using testing::Unlimited;

TEST(OptionsTest, ParseSeedSpec) {
  auto s = ParseSeedSpec("contacts=100, companies=10,deals=20,tickets=5,engagements=50,notes=3,email_missing=0.1");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->contacts, 100);
  EXPECT_EQ(s->companies, 10);
  EXPECT_EQ(s->engagements, 50);
  EXPECT_EQ(s->notes, 3);
  EXPECT_DOUBLE_EQ(s->email_missing_share, 0.1);
  EXPECT_EQ(FormatSeedSpec(*s), "contacts=100,companies=10,deals=20,tickets=5,engagements=50,notes=3");
  EXPECT_TRUE(ParseSeedSpec("")->empty());
  for (const char* bad : {"contacts", "contacts=-1", "contacts=1x", "widgets=5", "contacts=99999999999", "email_missing=2"}) {
    auto r = ParseSeedSpec(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
  EXPECT_NE(ParseSeedSpec("widgets=5").status().message().find("widgets"), std::string::npos);
}

TEST(OptionsTest, ParseTokenSpecAndPlans) {
  auto t = ParseTokenSpec("pat-na1-abcdefgh:crm.objects.contacts.read,crm.objects.contacts.write");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->token, "pat-na1-abcdefgh");
  EXPECT_EQ(t->scopes.size(), 2u);
  EXPECT_TRUE(ParseTokenSpec("pat-na1-abcdefgh")->scopes.empty());
  EXPECT_FALSE(ParseTokenSpec("short").ok());
  EXPECT_FALSE(ParseTokenSpec("pat-na1-abcdefgh:").ok());
  EXPECT_FALSE(ParseTokenSpec("has space in it").ok());
  EXPECT_EQ(LimitsForPlan("free")->burst_per_10s, 100);
  EXPECT_EQ(LimitsForPlan("starter")->daily, 250'000);
  EXPECT_EQ(LimitsForPlan("professional")->burst_per_10s, 190);
  EXPECT_EQ(LimitsForPlan("professional")->daily, 625'000);
  EXPECT_EQ(LimitsForPlan("enterprise")->daily, 1'000'000);
  EXPECT_EQ(LimitsForPlan("api_addon")->burst_per_10s, 250);
  EXPECT_FALSE(LimitsForPlan("gold").ok());
}

SeedSpec SmallSpec() {
  SeedSpec s;
  s.contacts = 400;
  s.companies = 40;
  s.deals = 120;
  s.tickets = 30;
  s.engagements = 50;
  s.email_missing_share = 0.1;
  s.email_duplicate_share = 0.05;
  return s;
}

std::string Dump(SandboxHarness& h, const std::string& type) {
  std::string out;
  std::string after;
  while (true) {
    Reply r = h.Call("GET", "/crm/v3/objects/" + type + "?limit=100&associations=companies,contacts&properties=" +
                                "email,firstname,lastname,phone,lifecyclestage,company,amount,dealstage,name,domain,"
                                "num_associated_deals,hs_total_deal_value,hubspot_owner_id" +
                                (after.empty() ? "" : "&after=" + after));
    EXPECT_EQ(r.status, 200);
    out += r.json["results"].dump();
    if (!r.json.contains("paging")) break;
    after = r.json["paging"]["next"]["after"];
  }
  return out;
}

TEST(SeedTest, SameSeedSameDataDifferentSeedDifferentData) {
  SandboxHarness a(Unlimited()), b(Unlimited()), c(Unlimited());
  a.sandbox->Seed(SmallSpec(), 7);
  b.sandbox->Seed(SmallSpec(), 7);
  c.sandbox->Seed(SmallSpec(), 8);
  for (const char* type : {"contacts", "companies", "deals", "tickets", "notes"}) {
    std::string da = Dump(a, type);
    EXPECT_EQ(da, Dump(b, type)) << type;
    EXPECT_NE(da, Dump(c, type)) << type;
  }
}

TEST(SeedTest, SeededDataIsRealisticAndMessy) {
  SandboxHarness h(Unlimited());
  auto result = h.sandbox->Seed(SmallSpec(), 3);
  EXPECT_EQ(result.report.created["contacts"], 400);
  EXPECT_EQ(result.report.created["companies"], 40);
  EXPECT_EQ(result.report.created["deals"], 120);
  EXPECT_EQ(result.report.created["tickets"], 30);
  EXPECT_EQ(result.report.created["calls"] + result.report.created["emails"] + result.report.created["meetings"] +
                result.report.created["notes"] + result.report.created["tasks"],
            50);
  std::set<std::string> stages, emails;
  int missing = 0, non_ascii_names = 0, with_company = 0, with_deals = 0, upper_email = 0;
  std::set<std::string> phone_shapes;
  int64_t now = h.clock.NowMillis();
  std::string after;
  while (true) {
    Reply r = h.Call("GET", "/crm/v3/objects/contacts?limit=100&associations=companies&properties=email,firstname,"
                            "lastname,phone,lifecyclestage,num_associated_deals,lastmodifieddate" +
                            (after.empty() ? "" : "&after=" + after));
    for (const auto& c : r.json["results"]) {
      const auto& p = c["properties"];
      stages.insert(p.value("lifecyclestage", ""));
      if (!p.contains("email")) ++missing;
      else {
        std::string e = p["email"];
        std::string lower = e;
        for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        EXPECT_TRUE(emails.insert(lower).second) << "duplicate email " << e;
        if (e != lower) ++upper_email;
      }
      std::string name = p.value("firstname", "") + p.value("lastname", "");
      for (unsigned char ch : name)
        if (ch >= 0x80) {
          ++non_ascii_names;
          break;
        }
      std::string phone = p.value("phone", "");
      std::string shape;
      for (char ch : phone) shape += std::isdigit(static_cast<unsigned char>(ch)) ? '9' : ch;
      phone_shapes.insert(shape);
      if (c.contains("associations")) ++with_company;
      if (p.contains("num_associated_deals")) ++with_deals;
      // Seeded history lies in the past.
      EXPECT_LE(*ParseIsoMillis(c["updatedAt"].get<std::string>()), now);
    }
    if (!r.json.contains("paging")) break;
    after = r.json["paging"]["next"]["after"];
  }
  EXPECT_EQ(stages.size(), 8u);  // every lifecycle stage
  EXPECT_GT(missing, 15);
  EXPECT_LT(missing, 80);
  EXPECT_GT(non_ascii_names, 80);
  EXPECT_GT(phone_shapes.size(), 20u);
  EXPECT_GT(with_company, 250);
  EXPECT_GT(with_deals, 50);
  // Roll-ups agree with the associations.
  Reply d = h.Call("GET", "/crm/v3/objects/deals?limit=1&associations=contacts&properties=amount");
  std::string contact = d.json["results"][0]["associations"]["contacts"]["results"][0]["id"];
  Reply c = h.Call("GET", "/crm/v3/objects/contacts/" + contact + "?properties=num_associated_deals,hs_total_deal_value");
  EXPECT_GE(std::stoi(c.json["properties"]["num_associated_deals"].get<std::string>()), 1);
  // Every seeded value passes the portal's own validation: re-writing a page of records works.
  Reply page = h.Call("GET", "/crm/v3/objects/companies?limit=20&properties=industry,numberofemployees,annualrevenue,lifecyclestage,type");
  for (const auto& co : page.json["results"]) {
    Reply w = h.Call("PATCH", "/crm/v3/objects/companies/" + co["id"].get<std::string>(), {{"properties", co["properties"]}});
    EXPECT_EQ(w.status, 200) << w.body;
  }
}

TEST(AdminTest, SeedStatsResetSettingsMutate) {
  SandboxHarness h(Unlimited());
  Reply r = h.Call("POST", "/_sandbox/seed", {{"spec", "contacts=50,companies=5,deals=10"}, {"seedNumber", 4}}, "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["created"]["contacts"], 50);
  r = h.Call("POST", "/_sandbox/seed", {{"tickets", 3}}, "");
  EXPECT_EQ(r.json["created"]["tickets"], 3);
  EXPECT_EQ(h.Call("POST", "/_sandbox/seed", {{"spec", "bananas=3"}}, "").status, 400);
  EXPECT_EQ(h.Call("POST", "/_sandbox/seed", {{"contacts", -1}}, "").status, 400);
  h.Call("GET", "/crm/v3/objects/contacts?limit=5");
  h.Call("GET", "/crm/v3/objects/contacts/1");
  h.Call("GET", "/crm/v3/objects/contacts", nullptr, "bad-token-123");
  r = h.Call("GET", "/_sandbox/stats", nullptr, "");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json["requests"]["byEndpoint"]["GET /crm/v3/objects/{objectType}"]["byStatus"]["200"], 1);
  EXPECT_EQ(r.json["requests"]["byEndpoint"]["GET /crm/v3/objects/{objectType}"]["byStatus"]["401"], 1);
  EXPECT_EQ(r.json["requests"]["byEndpoint"]["GET /crm/v3/objects/{objectType}/{objectId}"]["byStatus"]["404"], 1);
  EXPECT_EQ(r.json["objects"]["contacts"]["live"], 50);
  EXPECT_EQ(r.json["rateLimited"]["TEN_SECONDLY_ROLLING"], 0);
  EXPECT_GT(r.json["memoryBytes"], 0);
  // Mutate as a person.
  std::string id = h.Call("GET", "/crm/v3/objects/contacts?limit=1").json["results"][0]["id"];
  h.clock.Advance(60'000'000);
  r = h.Call("POST", "/_sandbox/mutate",
             {{"actions", {{{"op", "update"}, {"objectType", "contacts"}, {"id", id}, {"properties", {{"jobtitle", "Chef"}}}},
                           {{"op", "create"}, {"objectType", "contacts"}, {"properties", {{"email", "new@x.co"}}}},
                           {{"op", "update"}, {"id", "999999"}, {"properties", {{"jobtitle", "x"}}}}}},
              {"random", {{"count", 10}, {"seed", 2}}}},
             "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["results"][0]["status"], 200);
  EXPECT_EQ(r.json["results"][2]["status"], 404);
  EXPECT_EQ(r.json["results"].size(), 13u);
  Reply got = h.Call("GET", "/crm/v3/objects/contacts/" + id + "?properties=jobtitle,lastmodifieddate");
  EXPECT_EQ(got.json["properties"]["jobtitle"], "Chef");
  EXPECT_EQ(got.json["properties"]["lastmodifieddate"], FormatRfc3339(h.clock.NowMicros()));
  EXPECT_EQ(h.Call("POST", "/_sandbox/mutate", {{"actions", {{{"op", "explode"}}}}}, "").status, 400);
  // Settings round-trip.
  r = h.Call("GET", "/_sandbox/settings", nullptr, "");
  EXPECT_EQ(r.json["plan"], "professional");
  EXPECT_EQ(r.json["search"]["maxResults"], 10000);
  r = h.Call("PUT", "/_sandbox/settings", {{"search", {{"maxResults", 20}}}, {"listMaxLimit", 5}}, "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(h.Call("GET", "/crm/v3/objects/contacts?limit=50").json["results"].size(), 5u);
  EXPECT_EQ(h.Call("POST", "/crm/v3/objects/contacts/search", {{"after", "20"}}).status, 400);
  EXPECT_EQ(h.Call("PUT", "/_sandbox/settings", {{"listMaxLimit", "ten"}}, "").status, 400);
  // Reset empties everything, optionally re-seeding.
  r = h.Call("POST", "/_sandbox/reset", {{"contacts", 7}}, "");
  ASSERT_EQ(r.status, 200) << r.body;
  r = h.Call("GET", "/_sandbox/stats", nullptr, "");
  EXPECT_EQ(r.json["objects"]["contacts"]["live"], 7);
  EXPECT_EQ(r.json["objects"]["deals"]["live"], 0);
  EXPECT_EQ(r.json["requests"]["total"], 0);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
