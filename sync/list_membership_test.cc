// List membership: rules on their own, who belongs where, and resolving config entries against
// the Brevo emulator over loopback.
#include "sync/list_membership.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "brevo/client.h"
#include "http/api_caller.h"
#include "http/client.h"
#include "http/plan_budgets.h"
#include "http/server.h"
#include "sandbox/brevo/brevo_sandbox.h"

namespace tajo::sync {
namespace {

namespace sb = ::tajo::sandbox::brevo;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

hubspot::CrmObject Contact(std::map<std::string, std::string> properties) {
  hubspot::CrmObject c;
  c.id = "1";
  c.properties = std::move(properties);
  return c;
}

ListRule Rule(std::string property, ListRuleOperator op, std::vector<std::string> values = {}) {
  return ListRule{std::move(property), op, std::move(values)};
}

ListAssignment ById(std::string key, int64_t id) {
  ListAssignment a;
  a.key = std::move(key);
  a.kind = ListAssignment::Kind::kListId;
  a.list_id = id;
  return a;
}

ListAssignment ByName(std::string key, std::string name) {
  ListAssignment a;
  a.key = std::move(key);
  a.kind = ListAssignment::Kind::kListName;
  a.list_name = std::move(name);
  return a;
}

// A rule entry as the loader makes it: the target is `list_id` when > 0, else `list_name`
// (the key when empty).
ListAssignment ByRule(std::string key, ListRule rule, int64_t list_id = 0, std::string list_name = "") {
  ListAssignment a;
  a.kind = ListAssignment::Kind::kRule;
  a.list_id = list_id;
  a.list_name = list_id > 0 ? "" : (list_name.empty() ? key : list_name);
  a.key = std::move(key);
  a.rule = std::move(rule);
  return a;
}

// ----- rules ------------------------------------------------------------------------------------

TEST(RuleMatchesTest, EqIsExactAndCaseSensitive) {
  const ListRule r = Rule("lifecyclestage", ListRuleOperator::kEq, {"customer"});
  EXPECT_TRUE(RuleMatches(r, Contact({{"lifecyclestage", "customer"}})));
  EXPECT_FALSE(RuleMatches(r, Contact({{"lifecyclestage", "Customer"}})));
  EXPECT_FALSE(RuleMatches(r, Contact({{"lifecyclestage", "customer "}})));
  EXPECT_FALSE(RuleMatches(r, Contact({{"lifecyclestage", "lead"}})));
  EXPECT_FALSE(RuleMatches(r, Contact({})));
  // An absent property reads as "".
  EXPECT_TRUE(RuleMatches(Rule("x", ListRuleOperator::kEq, {""}), Contact({})));
}

TEST(RuleMatchesTest, NeqMatchesAnotherValueAndAnAbsentProperty) {
  const ListRule r = Rule("lifecyclestage", ListRuleOperator::kNeq, {"customer"});
  EXPECT_FALSE(RuleMatches(r, Contact({{"lifecyclestage", "customer"}})));
  EXPECT_TRUE(RuleMatches(r, Contact({{"lifecyclestage", "lead"}})));
  EXPECT_TRUE(RuleMatches(r, Contact({{"lifecyclestage", "CUSTOMER"}})));
  EXPECT_TRUE(RuleMatches(r, Contact({})));
}

TEST(RuleMatchesTest, InAndNotIn) {
  const ListRule in = Rule("hs_lead_status", ListRuleOperator::kIn, {"NEW", "OPEN"});
  const ListRule not_in = Rule("hs_lead_status", ListRuleOperator::kNotIn, {"NEW", "OPEN"});
  for (const char* v : {"NEW", "OPEN"}) {
    EXPECT_TRUE(RuleMatches(in, Contact({{"hs_lead_status", v}}))) << v;
    EXPECT_FALSE(RuleMatches(not_in, Contact({{"hs_lead_status", v}}))) << v;
  }
  for (const char* v : {"CONNECTED", "new", ""}) {
    EXPECT_FALSE(RuleMatches(in, Contact({{"hs_lead_status", v}}))) << v;
    EXPECT_TRUE(RuleMatches(not_in, Contact({{"hs_lead_status", v}}))) << v;
  }
  EXPECT_FALSE(RuleMatches(in, Contact({})));
  EXPECT_TRUE(RuleMatches(not_in, Contact({})));
}

TEST(RuleMatchesTest, ExistsNeedsANonEmptyValue) {
  const ListRule r = Rule("hubspot_owner_id", ListRuleOperator::kExists);
  EXPECT_TRUE(RuleMatches(r, Contact({{"hubspot_owner_id", "42"}})));
  EXPECT_FALSE(RuleMatches(r, Contact({{"hubspot_owner_id", ""}})));
  EXPECT_FALSE(RuleMatches(r, Contact({{"other", "42"}})));
}

TEST(RuleMatchesTest, GtAndLtCompareNumbersAsNumbers) {
  const ListRule gt = Rule("hs_total_deal_value", ListRuleOperator::kGt, {"9"});
  const ListRule lt = Rule("hs_total_deal_value", ListRuleOperator::kLt, {"9"});
  EXPECT_TRUE(RuleMatches(gt, Contact({{"hs_total_deal_value", "10"}})));  // "10" < "9" as strings
  EXPECT_FALSE(RuleMatches(lt, Contact({{"hs_total_deal_value", "10"}})));
  EXPECT_TRUE(RuleMatches(lt, Contact({{"hs_total_deal_value", "8.5"}})));
  EXPECT_TRUE(RuleMatches(lt, Contact({{"hs_total_deal_value", "-20"}})));
  EXPECT_TRUE(RuleMatches(gt, Contact({{"hs_total_deal_value", "1e3"}})));
  EXPECT_FALSE(RuleMatches(gt, Contact({{"hs_total_deal_value", "9.0"}})));  // equal: neither
  EXPECT_FALSE(RuleMatches(lt, Contact({{"hs_total_deal_value", "9.0"}})));
  EXPECT_FALSE(RuleMatches(gt, Contact({{"hs_total_deal_value", ""}})));  // empty or absent: neither
  EXPECT_FALSE(RuleMatches(lt, Contact({{"hs_total_deal_value", ""}})));
  EXPECT_FALSE(RuleMatches(gt, Contact({})));
  EXPECT_FALSE(RuleMatches(lt, Contact({})));
}

TEST(RuleMatchesTest, GtAndLtCompareDatesAsDates) {
  const ListRule after = Rule("closedate", ListRuleOperator::kGt, {"2024-02-15"});
  const ListRule before = Rule("closedate", ListRuleOperator::kLt, {"2024-02-15"});
  EXPECT_TRUE(RuleMatches(after, Contact({{"closedate", "2024-03-01"}})));
  EXPECT_TRUE(RuleMatches(before, Contact({{"closedate", "2023-12-31"}})));
  // Epoch milliseconds against a date: 1709251200000 is 2024-03-01T00:00:00Z.
  EXPECT_TRUE(RuleMatches(after, Contact({{"closedate", "1709251200000"}})));
  EXPECT_FALSE(RuleMatches(before, Contact({{"closedate", "1709251200000"}})));
  // 1707955200000 is 2024-02-15T00:00:00Z: the same instant, so neither.
  EXPECT_FALSE(RuleMatches(after, Contact({{"closedate", "1707955200000"}})));
  EXPECT_FALSE(RuleMatches(before, Contact({{"closedate", "1707955200000"}})));
  // HubSpot datetimes, with their time and zone.
  EXPECT_TRUE(RuleMatches(after, Contact({{"closedate", "2024-02-15T10:00:00.000Z"}})));
  EXPECT_TRUE(RuleMatches(before, Contact({{"closedate", "2024-02-15T01:00:00+02:00"}})));  // 14th, 23:00Z
  // Epoch ms in the rule, a date on the contact.
  EXPECT_TRUE(RuleMatches(Rule("closedate", ListRuleOperator::kLt, {"1709251200000"}),
                          Contact({{"closedate", "2024-02-29"}})));
  // Not a real date: compared as strings ("2024-02-30" > "2024-02-15").
  EXPECT_TRUE(RuleMatches(after, Contact({{"closedate", "2024-02-30"}})));
}

TEST(RuleMatchesTest, GtAndLtCompareOtherValuesAsStrings) {
  EXPECT_TRUE(RuleMatches(Rule("name", ListRuleOperator::kGt, {"alpha"}), Contact({{"name", "beta"}})));
  EXPECT_TRUE(RuleMatches(Rule("name", ListRuleOperator::kLt, {"abd"}), Contact({{"name", "abc"}})));
  // A number against a word: strings ("10" < "9x").
  EXPECT_TRUE(RuleMatches(Rule("name", ListRuleOperator::kLt, {"9x"}), Contact({{"name", "10"}})));
  EXPECT_FALSE(RuleMatches(Rule("name", ListRuleOperator::kGt, {"nan"}), Contact({{"name", "nan"}})));
}

TEST(RuleMatchesTest, ARuleWithoutAPropertyMatchesNothing) {
  EXPECT_FALSE(RuleMatches(ListRule{}, Contact({{"", ""}})));
  EXPECT_FALSE(RuleMatches(Rule("", ListRuleOperator::kNotIn, {"x"}), Contact({})));
}

// ----- membership -------------------------------------------------------------------------------

TEST(ListMembershipTest, ListsForIsAscendingAndManagedIdsHasEveryList) {
  std::vector<ManagedList> lists(4);
  lists[0] = {"vip", 30, "VIP", Rule("hs_lead_status", ListRuleOperator::kEq, {"HOT"}), false};
  lists[1] = {"all_contacts", 7, "All", {}, true};
  lists[2] = {"owned", 12, "Owned", Rule("hubspot_owner_id", ListRuleOperator::kExists), false};
  lists[3] = {"later", 0, "Created by a real run", Rule("hs_lead_status", ListRuleOperator::kEq, {"HOT"}), false};
  const ListMembership m(lists);
  EXPECT_THAT(m.ManagedIds(), ElementsAre(7, 12, 30));  // id 0 (dry run) is not a Brevo list yet
  EXPECT_THAT(m.ListsFor(Contact({})), ElementsAre(7));
  EXPECT_THAT(m.ListsFor(Contact({{"hs_lead_status", "HOT"}, {"hubspot_owner_id", "5"}})), ElementsAre(7, 12, 30));
  EXPECT_THAT(m.ListsFor(Contact({{"hs_lead_status", "COLD"}, {"hubspot_owner_id", "5"}})), ElementsAre(7, 12));
  EXPECT_EQ(m.lists().size(), 4u);
  EXPECT_THAT(ListMembership({}).ManagedIds(), IsEmpty());
}

TEST(ListRulePropertiesTest, TheRulesPropertiesAndLifecycleStageForTheBuiltIns) {
  EXPECT_THAT(ListRuleProperties({ById("all_contacts", 1)}), IsEmpty());
  EXPECT_THAT(ListRuleProperties({ById("all_contacts", 1), ByName("customers", "Customers")}),
              ElementsAre("lifecyclestage"));
  EXPECT_THAT(ListRuleProperties({ById("qualified_leads", 2), ById("customers", 3),
                                  ByRule("vip", Rule("hs_lead_status", ListRuleOperator::kIn, {"HOT"})),
                                  ByRule("owned", Rule("hubspot_owner_id", ListRuleOperator::kExists)),
                                  ByRule("hot", Rule("hs_lead_status", ListRuleOperator::kEq, {"HOT"}))}),
              ElementsAre("hs_lead_status", "hubspot_owner_id", "lifecyclestage"));
  // A rule under a built-in name replaces the built-in meaning.
  EXPECT_THAT(ListRuleProperties({ByRule("customers", Rule("plan", ListRuleOperator::kEq, {"paid"}))}),
              ElementsAre("plan"));
}

// ----- resolving against Brevo ------------------------------------------------------------------

class ResolveListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ = std::make_unique<sb::BrevoSandbox>(sb::BrevoSandboxOptions{}, sandbox_clock_);
    sandbox_->RegisterRoutes(router_);
    auto server = http::HttpServer::Start(http::ServerOptions{}, router_.AsHandler());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    ASSERT_TRUE(http::AddBrevoBuckets(budget_, DefaultBrevoRateLimits(BrevoPlan::kStandard)).ok());
    client_ = std::make_unique<brevo::BrevoClient>(
        caller_, brevo::BrevoClientOptions{server_->base_url() + "/v3", sb::kDefaultApiKey, 10'000});
    // The account as the user left it: one folder, three lists.
    marketing_ = sandbox_->account().CreateFolder("Marketing").value();
    newsletter_ = sandbox_->account().CreateList("Newsletter", marketing_).value();
    customers_ = sandbox_->account().CreateList("Customers", marketing_).value();
    leads_ = sandbox_->account().CreateList("Qualified Leads", marketing_).value();
  }
  void TearDown() override { server_->Shutdown(); }

  int64_t Requests(const std::string& endpoint) { return sandbox_->stats().Count(endpoint); }
  int64_t Posts() { return Requests("POST /v3/contacts/lists") + Requests("POST /v3/contacts/folders"); }
  std::vector<brevo::ContactList> BrevoLists() {
    auto l = client_->ListLists();
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    return l.ok() ? *l : std::vector<brevo::ContactList>{};
  }
  std::vector<brevo::Folder> BrevoFolders() {
    auto f = client_->ListFolders();
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? *f : std::vector<brevo::Folder>{};
  }

  ManualClock sandbox_clock_;
  std::unique_ptr<sb::BrevoSandbox> sandbox_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> server_;
  std::unique_ptr<http::Transport> transport_ = http::NewCurlTransport();
  http::RateBudget budget_{SystemClock()};
  http::RetryPolicy retry_{http::RetryOptions{.max_attempts = 2, .base_delay_micros = 1000, .seed = 1}};
  http::ApiCaller caller_{*transport_, budget_, retry_, SystemClock()};
  std::unique_ptr<brevo::BrevoClient> client_;
  int64_t marketing_ = 0, newsletter_ = 0, customers_ = 0, leads_ = 0;
};

TEST_F(ResolveListsTest, IdsThatExistResolveWithOneCallAndBuiltInsBecomeRules) {
  auto r = ResolveLists({ById("all_contacts", newsletter_), ById("qualified_leads", leads_),
                         ById("customers", customers_)},
                        *client_, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  const ManagedList& all = (*r)[0];
  EXPECT_EQ(all.key, "all_contacts");
  EXPECT_EQ(all.list_id, newsletter_);
  EXPECT_EQ(all.list_name, "Newsletter");
  EXPECT_TRUE(all.everyone);
  const ManagedList& qualified = (*r)[1];
  EXPECT_FALSE(qualified.everyone);
  EXPECT_EQ(qualified.list_name, "Qualified Leads");
  EXPECT_EQ(qualified.rule.property, "lifecyclestage");
  EXPECT_EQ(qualified.rule.op, ListRuleOperator::kIn);
  EXPECT_THAT(qualified.rule.values, ElementsAre("marketingqualifiedlead", "salesqualifiedlead"));
  const ManagedList& customers = (*r)[2];
  EXPECT_EQ(customers.list_id, customers_);
  EXPECT_EQ(customers.rule.property, "lifecyclestage");
  EXPECT_EQ(customers.rule.op, ListRuleOperator::kEq);
  EXPECT_THAT(customers.rule.values, ElementsAre("customer"));
  EXPECT_EQ(Requests("GET /v3/contacts/lists"), 1);
  EXPECT_EQ(Posts(), 0);
}

TEST_F(ResolveListsTest, LifecycleChangesMoveAContactBetweenTheBuiltInLists) {
  auto r = ResolveLists({ById("all_contacts", newsletter_), ById("qualified_leads", leads_),
                         ById("customers", customers_)},
                        *client_, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const ListMembership m(*r);
  auto stage = [](const std::string& s) { return Contact({{"lifecyclestage", s}, {"email", "a@example.com"}}); };
  EXPECT_THAT(m.ListsFor(Contact({{"email", "a@example.com"}})), ElementsAre(newsletter_));
  EXPECT_THAT(m.ListsFor(stage("subscriber")), ElementsAre(newsletter_));
  EXPECT_THAT(m.ListsFor(stage("lead")), ElementsAre(newsletter_));
  EXPECT_THAT(m.ListsFor(stage("marketingqualifiedlead")), ElementsAre(newsletter_, leads_));
  EXPECT_THAT(m.ListsFor(stage("salesqualifiedlead")), ElementsAre(newsletter_, leads_));
  EXPECT_THAT(m.ListsFor(stage("opportunity")), ElementsAre(newsletter_));
  EXPECT_THAT(m.ListsFor(stage("customer")), ElementsAre(newsletter_, customers_));
  EXPECT_THAT(m.ListsFor(stage("evangelist")), ElementsAre(newsletter_));
  EXPECT_THAT(m.ListsFor(stage("Customer")), ElementsAre(newsletter_));  // values are case-sensitive
  EXPECT_THAT(m.ManagedIds(), ElementsAre(newsletter_, customers_, leads_));
}

TEST_F(ResolveListsTest, AnIdThatDoesNotExistNamesTheEntryTheIdAndTheListsThereAre) {
  auto r = ResolveLists({ById("all_contacts", newsletter_), ById("customers", 12),
                         ByRule("vip", Rule("hs_lead_status", ListRuleOperator::kEq, {"HOT"}), 99),
                         ByName("qualified_leads", "To be created")},
                        *client_, false);
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  const std::string lists = "lists in this account: 1 \"Newsletter\", 2 \"Customers\", 3 \"Qualified Leads\"";
  EXPECT_EQ(r.status().message(),
            "connectors.hubspot.lists.customers: Brevo list 12 does not exist (" + lists +
                "; use an existing id or a list name, which tajo creates)\n"
                "connectors.hubspot.lists.vip.list: Brevo list 99 does not exist (" + lists +
                "; use an existing id or a list name, which tajo creates)");
  EXPECT_EQ(Posts(), 0) << "nothing is created when the config is wrong";
  EXPECT_EQ(BrevoLists().size(), 3u);
}

TEST_F(ResolveListsTest, AnAccountWithoutListsSaysSo) {
  ASSERT_TRUE(sandbox_->account().DeleteFolder(marketing_).ok());  // and its lists
  auto r = ResolveLists({ById("customers", customers_)}, *client_, false);
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().message(),
            "connectors.hubspot.lists.customers: Brevo list 2 does not exist (this account has no lists; use "
            "an existing id or a list name, which tajo creates)");
}

TEST_F(ResolveListsTest, NamesMatchExistingListsIgnoringCase) {
  auto r = ResolveLists({ByName("customers", "customers"), ByName("qualified_leads", "QUALIFIED LEADS"),
                         ByRule("newsletter", Rule("optin", ListRuleOperator::kEq, {"true"}))},
                        *client_, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].list_id, customers_);
  EXPECT_EQ((*r)[0].list_name, "Customers");  // Brevo's spelling
  EXPECT_EQ((*r)[1].list_id, leads_);
  EXPECT_EQ((*r)[2].list_id, newsletter_);  // a rule's default target: the list named by its key
  EXPECT_EQ((*r)[2].rule.property, "optin");
  EXPECT_FALSE((*r)[2].everyone);
  EXPECT_EQ(Posts(), 0);
}

TEST_F(ResolveListsTest, AnExactSpellingWinsAndSeveralListsOfOneNameAreAnError) {
  const int64_t upper = sandbox_->account().CreateList("NEWSLETTER", marketing_).value();
  auto r = ResolveLists({ByName("all_contacts", "NEWSLETTER")}, *client_, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].list_id, upper);

  r = ResolveLists({ByName("all_contacts", "newsletter")}, *client_, false);
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().message(),
            "connectors.hubspot.lists.all_contacts: 2 Brevo lists are named \"newsletter\" (1 \"Newsletter\", 4 "
            "\"NEWSLETTER\"); write the id of the one to use");
  EXPECT_EQ(Posts(), 0);
}

TEST_F(ResolveListsTest, MissingNamesAreCreatedInATajoFolder) {
  auto r = ResolveLists({ById("all_contacts", newsletter_), ByName("customers", "Customers 2024"),
                         ByRule("vip", Rule("hs_lead_status", ListRuleOperator::kEq, {"HOT"}))},
                        *client_, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<brevo::Folder> folders = BrevoFolders();
  auto tajo = std::find_if(folders.begin(), folders.end(), [](const brevo::Folder& f) { return f.name == "tajo"; });
  ASSERT_NE(tajo, folders.end());
  std::map<int64_t, brevo::ContactList> by_id;
  for (const brevo::ContactList& l : BrevoLists()) by_id[l.id] = l;
  ASSERT_EQ(by_id.size(), 5u);
  for (size_t i : {1u, 2u}) {
    const ManagedList& m = (*r)[i];
    ASSERT_GT(m.list_id, 0) << m.key;
    ASSERT_TRUE(by_id.count(m.list_id)) << m.key;
    EXPECT_EQ(by_id[m.list_id].name, m.list_name);
    EXPECT_EQ(by_id[m.list_id].folder_id, tajo->id) << m.key;
  }
  EXPECT_EQ((*r)[1].list_name, "Customers 2024");
  EXPECT_EQ((*r)[2].list_name, "vip");
  EXPECT_EQ(Requests("POST /v3/contacts/folders"), 1);
  EXPECT_EQ(Requests("POST /v3/contacts/lists"), 2);

  // The next run finds them: nothing more is created.
  auto again = ResolveLists({ById("all_contacts", newsletter_), ByName("customers", "Customers 2024"),
                             ByRule("vip", Rule("hs_lead_status", ListRuleOperator::kEq, {"HOT"}))},
                            *client_, false);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)[1].list_id, (*r)[1].list_id);
  EXPECT_EQ((*again)[2].list_id, (*r)[2].list_id);
  EXPECT_EQ(Posts(), 3);
}

TEST_F(ResolveListsTest, AnExistingTajoFolderIsReused) {
  const int64_t folder = sandbox_->account().CreateFolder("tajo").value();
  auto r = ResolveLists({ByRule("vip", Rule("x", ListRuleOperator::kExists), 0, "VIP")}, *client_, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Requests("POST /v3/contacts/folders"), 0);
  EXPECT_EQ(BrevoFolders().size(), 2u);
  bool found = false;
  for (const brevo::ContactList& l : BrevoLists()) {
    if (l.id == (*r)[0].list_id) {
      found = true;
      EXPECT_EQ(l.name, "VIP");
      EXPECT_EQ(l.folder_id, folder);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ResolveListsTest, ADryRunCreatesNothing) {
  auto r = ResolveLists({ById("all_contacts", newsletter_), ByName("customers", "Customers 2024"),
                         ByRule("vip", Rule("hs_lead_status", ListRuleOperator::kEq, {"HOT"}))},
                        *client_, true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].list_id, newsletter_);
  EXPECT_EQ((*r)[1].list_id, 0);
  EXPECT_EQ((*r)[1].list_name, "Customers 2024");
  EXPECT_EQ((*r)[2].list_id, 0);
  EXPECT_EQ((*r)[2].list_name, "vip");
  EXPECT_EQ(Posts(), 0);
  EXPECT_EQ(BrevoLists().size(), 3u);
  EXPECT_EQ(BrevoFolders().size(), 1u);
  EXPECT_THAT(ListMembership(*r).ManagedIds(), ElementsAre(newsletter_));
}

TEST_F(ResolveListsTest, TwoEntriesOnOneListAreAnError) {
  // By id and by name; by a rule's `list:` id; two names for one list to be created.
  auto r = ResolveLists({ById("all_contacts", newsletter_), ByName("customers", "newsletter"),
                         ByRule("vip", Rule("x", ListRuleOperator::kExists), customers_),
                         ByRule("hot", Rule("x", ListRuleOperator::kExists), 0, "Customers"),
                         ByRule("a", Rule("x", ListRuleOperator::kExists), 0, "Fresh"),
                         ByRule("b", Rule("y", ListRuleOperator::kExists), 0, "FRESH")},
                        *client_, false);
  ASSERT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().message(),
            "connectors.hubspot.lists.customers: Brevo list 1 \"Newsletter\" is already the list of "
            "connectors.hubspot.lists.all_contacts; each entry needs a list of its own\n"
            "connectors.hubspot.lists.hot: Brevo list 2 \"Customers\" is already the list of "
            "connectors.hubspot.lists.vip; each entry needs a list of its own\n"
            "connectors.hubspot.lists.b: the list named \"FRESH\" that tajo creates is already the list of "
            "connectors.hubspot.lists.a; each entry needs a list of its own");
  EXPECT_EQ(Posts(), 0);
  // A dry run finds the same problem although it would create nothing.
  r = ResolveLists({ByRule("a", Rule("x", ListRuleOperator::kExists), 0, "Fresh"),
                    ByRule("b", Rule("y", ListRuleOperator::kExists), 0, "Fresh")},
                   *client_, true);
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(ResolveListsTest, AnOtherNameWithoutARuleIsRefusedBeforeAnyCall) {
  auto r = ResolveLists({ById("newsletter", newsletter_)}, *client_, false);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("connectors.hubspot.lists.newsletter: a list other than all_contacts"));
  EXPECT_EQ(sandbox_->stats().Total(), 0);
}

TEST_F(ResolveListsTest, NoListsNoCalls) {
  auto r = ResolveLists({}, *client_, false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  EXPECT_EQ(sandbox_->stats().Total(), 0);
}

TEST_F(ResolveListsTest, BrevoErrorsComeBackAsTheyAre) {
  brevo::BrevoClient wrong(caller_, brevo::BrevoClientOptions{server_->base_url() + "/v3",
                                                              "xkeysib-not-the-right-key-000", 10'000});
  auto r = ResolveLists({ById("customers", customers_)}, wrong, false);
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace tajo::sync
