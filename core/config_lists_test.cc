// connectors.hubspot.lists: the built-in names, rules and a rule's `list:` target, and how
// `tajo config check` prints them back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/config.h"
#include "core/redact.h"

namespace tajo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Everything up to and including "    lists:\n"; the test appends entries, then kTail.
const std::string kHead =
    "connectors:\n"
    "  hubspot:\n"
    "    access_token: pat-na1-lists-token-0001\n"
    "    lists:\n";
const std::string kTail =
    "brevo:\n"
    "  api_key: xkeysib-lists-key-0001\n";

class ConfigListsTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearRegisteredSecrets(); }
  void TearDown() override { ClearRegisteredSecrets(); }

  Result<Config> Load(const std::string& text) {
    ConfigLoadOptions o;
    o.env = MapEnvironment({});
    return LoadConfigString(text, "tajo.yaml", o);
  }
  Result<Config> LoadLists(const std::string& entries) { return Load(kHead + entries + kTail); }
  std::string Errors(const std::string& entries) {
    Result<Config> r = LoadLists(entries);
    EXPECT_FALSE(r.ok()) << "expected errors for:\n" << entries;
    if (r.ok()) return "";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    return r.status().message();
  }
};

TEST_F(ConfigListsTest, BuiltInNamesTakeAnIdOrAName) {
  Result<Config> r = LoadLists(
      "      all_contacts: 10\n"
      "      qualified_leads: \"Qualified leads\"\n"
      "      customers: 12\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& l = r->connectors.hubspot.lists;
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].kind, ListAssignment::Kind::kListId);
  EXPECT_EQ(l[0].list_id, 10);
  EXPECT_EQ(l[1].kind, ListAssignment::Kind::kListName);
  EXPECT_EQ(l[1].list_name, "Qualified leads");
  EXPECT_EQ(l[1].list_id, 0);
  EXPECT_EQ(l[2].list_id, 12);
  EXPECT_THAT(BuiltInListNames(), ElementsAre("all_contacts", "qualified_leads", "customers"));
}

TEST_F(ConfigListsTest, AnyOtherNameWithoutARuleIsAnErrorAtItsLine) {
  EXPECT_EQ(Errors("      all_contacts: 10\n"
                   "      newsletter: 12\n"
                   "      vip: \"VIP customers\"\n"
                   "      Customers: 13\n"),
            "tajo.yaml:6:19: connectors.hubspot.lists.newsletter: a list other than all_contacts, "
            "qualified_leads and customers needs a rule: {property, operator, value[, list]}\n"
            "tajo.yaml:7:12: connectors.hubspot.lists.vip: a list other than all_contacts, "
            "qualified_leads and customers needs a rule: {property, operator, value[, list]}\n"
            "tajo.yaml:8:18: connectors.hubspot.lists.Customers: a list other than all_contacts, "
            "qualified_leads and customers needs a rule: {property, operator, value[, list]}");
}

TEST_F(ConfigListsTest, AWrongValueIsReportedOnceNotTwice) {
  // The value's own problem is what the user sees first; the rule hint would only add noise.
  EXPECT_EQ(Errors("      newsletter: 0\n"),
            "tajo.yaml:5:19: connectors.hubspot.lists.newsletter: expected a positive integer (a Brevo "
            "list id), got \"0\"");
}

TEST_F(ConfigListsTest, ARuleTargetsTheListNamedByItsKeyUnlessListSaysOtherwise) {
  Result<Config> r = LoadLists(
      "      newsletter: {property: newsletter_optin, operator: eq, value: \"true\"}\n"
      "      vip: {property: hs_lead_status, operator: in, value: [HOT], list: 15}\n"
      "      partners: {property: type, operator: eq, value: partner, list: \"Partners 2024\"}\n"
      "      customers: {property: lifecyclestage, operator: eq, value: customer, list: ~}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& l = r->connectors.hubspot.lists;
  ASSERT_EQ(l.size(), 4u);
  for (const ListAssignment& a : l) EXPECT_EQ(a.kind, ListAssignment::Kind::kRule) << a.key;
  EXPECT_EQ(l[0].list_id, 0);
  EXPECT_EQ(l[0].list_name, "newsletter");
  EXPECT_EQ(l[0].rule.property, "newsletter_optin");
  EXPECT_THAT(l[0].rule.values, ElementsAre("true"));
  EXPECT_EQ(l[1].list_id, 15);
  EXPECT_EQ(l[1].list_name, "");
  EXPECT_EQ(l[1].rule.op, ListRuleOperator::kIn);
  EXPECT_THAT(l[1].rule.values, ElementsAre("HOT"));
  EXPECT_EQ(l[2].list_id, 0);
  EXPECT_EQ(l[2].list_name, "Partners 2024");
  EXPECT_EQ(l[3].list_id, 0);  // `list: ~` is absent: the key names the list
  EXPECT_EQ(l[3].list_name, "customers");
}

TEST_F(ConfigListsTest, ARuleListMustBeAnIdOrAName) {
  EXPECT_EQ(Errors("      a: {property: x, operator: exists, list: 0}\n"
                   "      b: {property: x, operator: exists, list: -4}\n"
                   "      c: {property: x, operator: exists, list: \" \"}\n"
                   "      d: {property: x, operator: exists, list: [1, 2]}\n"
                   "      e: {property: x, operator: exists, lists: 3}\n"
                   "      f: {property: x, operator: bogus, list: 2.5}\n"),
            "tajo.yaml:5:48: connectors.hubspot.lists.a.list: expected a positive integer (a Brevo "
            "list id), got \"0\"\n"
            "tajo.yaml:6:48: connectors.hubspot.lists.b.list: expected a positive integer (a Brevo "
            "list id), got \"-4\"\n"
            "tajo.yaml:7:48: connectors.hubspot.lists.c.list: expected a Brevo list id (a positive "
            "integer) or a list name, got \" \"\n"
            "tajo.yaml:8:48: connectors.hubspot.lists.d.list: expected a Brevo list id (a positive "
            "integer) or a list name, got a list\n"
            "tajo.yaml:9:42: connectors.hubspot.lists.e.lists: unknown key; did you mean 'list'?\n"
            "tajo.yaml:10:34: connectors.hubspot.lists.f.operator: expected one of eq, neq, in, not_in, "
            "exists, gt, lt, got \"bogus\"\n"
            "tajo.yaml:10:47: connectors.hubspot.lists.f.list: expected a positive integer (a Brevo "
            "list id), got \"2.5\"");
}

TEST_F(ConfigListsTest, ConfigCheckPrintsTheRuleTargetBack) {
  Result<Config> r = LoadLists(
      "      all_contacts: 10\n"
      "      qualified_leads: \"Qualified leads\"\n"
      "      newsletter: {property: newsletter_optin, operator: eq, value: \"true\"}\n"
      "      vip: {property: hs_lead_status, operator: in, value: [HOT, WARM], list: 15}\n"
      "      partners: {property: type, operator: exists, list: \"Partners 2024\"}\n"
      "      \"2024\": {property: cohort, operator: eq, value: \"2024\"}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string d = DescribeEffectiveConfig(*r);
  // The default target (the key) is not repeated: a key like "2024" would read back as an id.
  EXPECT_THAT(d, HasSubstr("newsletter: {property: newsletter_optin, operator: eq, value: true}"));
  EXPECT_THAT(d, HasSubstr("2024: {property: cohort, operator: eq, value: 2024}"));
  EXPECT_THAT(d, HasSubstr("list: 15}"));
  EXPECT_THAT(d, HasSubstr("list: Partners 2024}"));

  Result<Config> again = LoadConfigString(d, "described.yaml", ConfigLoadOptions{.env = MapEnvironment({}),
                                                                                 .register_secrets = false});
  ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << d;
  const auto& x = r->connectors.hubspot.lists;
  const auto& y = again->connectors.hubspot.lists;
  ASSERT_EQ(x.size(), y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    SCOPED_TRACE(x[i].key);
    EXPECT_EQ(x[i].key, y[i].key);
    EXPECT_EQ(x[i].kind, y[i].kind);
    EXPECT_EQ(x[i].list_id, y[i].list_id);
    EXPECT_EQ(x[i].list_name, y[i].list_name);
    EXPECT_EQ(x[i].rule.property, y[i].rule.property);
    EXPECT_EQ(x[i].rule.op, y[i].rule.op);
    EXPECT_EQ(x[i].rule.values, y[i].rule.values);
  }
}

}  // namespace
}  // namespace tajo
