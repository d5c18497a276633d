#include "core/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "core/redact.h"

namespace tajo {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSourceDir = TAJO_SOURCE_DIR;
const std::string kTestdata = kSourceDir + "/core/testdata/config/";

// Secrets in the testdata files.
const std::string kToken = "pat-na1-11111111-2222-3333-4444-555555555555";
const std::string kBrevoKey = "xkeysib-0123456789abcdef-TESTKEY";
const std::string kClientSecret = "hs-client-secret-abcdef123456";
const std::string kOAuthSecret = "oauth-client-secret-0987654321";
const std::string kServerKey = "server-api-key-abcdef123";
const std::string kDbPassword = "db-password-31337";

// A valid prefix for inline configs: hubspot enabled with a token, and a Brevo key.
const std::string kMinimal =
    "connectors:\n"
    "  hubspot:\n"
    "    access_token: pat-na1-minimal-token-0001\n"
    "brevo:\n"
    "  api_key: xkeysib-minimal-key-0001\n";

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearRegisteredSecrets(); }
  void TearDown() override { ClearRegisteredSecrets(); }

  ConfigLoadOptions Options(std::map<std::string, std::string> env = {}) {
    ConfigLoadOptions o;
    o.env = MapEnvironment(std::move(env));
    return o;
  }

  Result<Config> Load(const std::string& text, std::map<std::string, std::string> env = {}) {
    return LoadConfigString(text, "tajo.yaml", Options(std::move(env)));
  }

  // The error message of a config that must fail.
  std::string Errors(const std::string& text, std::map<std::string, std::string> env = {}) {
    Result<Config> r = Load(text, std::move(env));
    EXPECT_FALSE(r.ok()) << "expected errors for:\n" << text;
    if (r.ok()) return "";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    return r.status().message();
  }
};

// ----- good configurations ---------------------------------------------------------------------

TEST_F(ConfigTest, ExampleFileLoadsWithItsTwoVariables) {
  Result<Config> r = LoadConfigFile(kSourceDir + "/examples/tajo.yaml",
                                    Options({{"HUBSPOT_ACCESS_TOKEN", "pat-na1-example-token-1234"},
                                             {"BREVO_API_KEY", "xkeysib-example-key-5678"}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Config& c = *r;
  const HubSpotConfig& h = c.connectors.hubspot;
  EXPECT_EQ(c.source, kSourceDir + "/examples/tajo.yaml");
  EXPECT_TRUE(h.enabled);
  EXPECT_EQ(h.access_token, "pat-na1-example-token-1234");
  EXPECT_TRUE(h.sync.contacts && h.sync.companies && h.sync.deals && h.sync.tickets && h.sync.engagements);
  EXPECT_EQ(h.direction, SyncDirection::kBidirectional);
  ASSERT_EQ(h.lists.size(), 3u);
  EXPECT_EQ(h.lists[0].key, "all_contacts");
  EXPECT_EQ(h.lists[0].kind, ListAssignment::Kind::kListId);
  EXPECT_EQ(h.lists[0].list_id, 10);
  EXPECT_EQ(h.lists[1].key, "qualified_leads");
  EXPECT_EQ(h.lists[1].list_id, 11);
  EXPECT_EQ(h.lists[2].key, "customers");
  EXPECT_EQ(h.lists[2].list_id, 12);
  std::vector<std::string> mapping;
  for (const FieldMapping& f : h.field_mapping) {
    mapping.push_back(f.hubspot_property + "=" + f.brevo_attribute + (f.identity ? "*" : ""));
  }
  EXPECT_THAT(mapping, ElementsAre("email=EMAIL*", "firstname=FIRSTNAME", "lastname=LASTNAME",
                                   "phone=SMS", "lifecyclestage=LIFECYCLE_STAGE",
                                   "hs_lead_status=LEAD_STATUS", "company=COMPANY_NAME",
                                   "hs_total_deal_value=DEAL_VALUE", "num_associated_deals=DEAL_COUNT",
                                   "preferred_channel=PREFERRED_CHANNEL", "customer_segment=SEGMENT"));
  EXPECT_FALSE(h.debug);
  EXPECT_EQ(h.log_level, LogLevel::kInfo);
  EXPECT_FALSE(h.log_webhooks);
  EXPECT_EQ(c.brevo.api_key, "xkeysib-example-key-5678");
  EXPECT_EQ(c.store.engine, StoreConfig::Engine::kSqlite);
  EXPECT_EQ(c.store.location, "tajo.db");
}

TEST_F(ConfigTest, ExampleFileWithoutItsVariablesNamesThemAndWhere) {
  const std::string path = kSourceDir + "/examples/tajo.yaml";
  Result<Config> r = LoadConfigFile(path, Options());
  ASSERT_FALSE(r.ok());
  // access_token: "${HUBSPOT_ACCESS_TOKEN}" is line 11 and the reference starts after the quote.
  EXPECT_THAT(r.status().message(),
              HasSubstr(path + ":11:20: connectors.hubspot.access_token: environment variable "
                               "HUBSPOT_ACCESS_TOKEN is not set"));
  EXPECT_THAT(r.status().message(),
              HasSubstr(path + ":66:13: brevo.api_key: environment variable BREVO_API_KEY is not set"));
}

TEST_F(ConfigTest, EveryKeyIsRead) {
  Result<Config> r = LoadConfigFile(kTestdata + "full.yaml", Options());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Config& c = *r;
  const HubSpotConfig& h = c.connectors.hubspot;
  EXPECT_TRUE(h.enabled);
  EXPECT_EQ(h.access_token, kToken);
  EXPECT_EQ(h.plan, HubSpotPlan::kProfessional);
  EXPECT_EQ(h.rate_limits, (HubSpotRateLimits{.per_10s = 120, .daily = 625'000, .search_per_second = 5}));
  EXPECT_EQ(h.base_url, "http://127.0.0.1:18080");  // trailing '/' removed
  EXPECT_EQ(h.app_id, 4242);
  EXPECT_EQ(h.client_secret, kClientSecret);
  ASSERT_TRUE(h.oauth.has_value());
  EXPECT_EQ(h.oauth->client_id, "client-id-1");
  EXPECT_EQ(h.oauth->client_secret, kOAuthSecret);
  EXPECT_EQ(h.oauth->redirect_uri, "https://tajo.example.com/oauth/callback");
  EXPECT_THAT(h.oauth->scopes, ElementsAre("crm.objects.contacts.read", "crm.objects.contacts.write"));
  EXPECT_TRUE(h.sync.contacts && h.sync.companies && h.sync.deals && h.sync.engagements);
  EXPECT_FALSE(h.sync.tickets);
  EXPECT_EQ(h.direction, SyncDirection::kHubSpotToBrevo);
  EXPECT_EQ(h.schedule.interval, std::chrono::seconds(5400));
  ASSERT_EQ(h.lists.size(), 5u);
  EXPECT_EQ(h.lists[0].kind, ListAssignment::Kind::kListId);
  EXPECT_EQ(h.lists[1].kind, ListAssignment::Kind::kListName);
  EXPECT_EQ(h.lists[1].list_name, "Monthly newsletter");
  EXPECT_EQ(h.lists[2].kind, ListAssignment::Kind::kRule);
  EXPECT_EQ(h.lists[2].rule.property, "lifecyclestage");
  EXPECT_EQ(h.lists[2].rule.op, ListRuleOperator::kEq);
  EXPECT_THAT(h.lists[2].rule.values, ElementsAre("customer"));
  EXPECT_EQ(h.lists[3].rule.op, ListRuleOperator::kIn);
  EXPECT_THAT(h.lists[3].rule.values, ElementsAre("NEW", "OPEN"));
  EXPECT_EQ(h.lists[4].rule.op, ListRuleOperator::kExists);
  EXPECT_TRUE(h.lists[4].rule.values.empty());
  // Identity first although the file wrote it second; FirstName upper-cased.
  ASSERT_EQ(h.field_mapping.size(), 3u);
  EXPECT_EQ(h.field_mapping[0].hubspot_property, "email");
  EXPECT_TRUE(h.field_mapping[0].identity);
  EXPECT_EQ(h.field_mapping[1].brevo_attribute, "FIRSTNAME");
  EXPECT_FALSE(h.field_mapping[1].identity);
  EXPECT_EQ(h.field_mapping[2].brevo_attribute, "SMS");
  EXPECT_TRUE(h.debug);
  EXPECT_EQ(h.log_level, LogLevel::kWarn);
  EXPECT_EQ(h.EffectiveLogLevel(), LogLevel::kDebug);  // debug: true raises warn to debug
  EXPECT_TRUE(h.log_webhooks);
  EXPECT_EQ(c.brevo.api_key, kBrevoKey);
  EXPECT_EQ(c.brevo.base_url, "http://127.0.0.1:18081/v3");
  EXPECT_EQ(c.brevo.plan, BrevoPlan::kAdvanced);
  EXPECT_EQ(c.brevo.rate_limits, (BrevoRateLimits{.contacts_per_second = 20, .contacts_per_hour = 72'000,
                                                  .events_per_second = 20, .other_per_hour = 150}));
  EXPECT_EQ(c.store.engine, StoreConfig::Engine::kPostgres);
  EXPECT_EQ(c.store.location, "postgresql://tajo:" + kDbPassword + "@127.0.0.1:5432/tajo");
  EXPECT_EQ(c.server.listen, "[::1]:9090");
  EXPECT_EQ(c.server.host, "::1");
  EXPECT_EQ(c.server.port, 9090);
  EXPECT_EQ(c.server.api_key, kServerKey);
  EXPECT_EQ(c.server.public_url, "https://tajo.example.com");
}

TEST_F(ConfigTest, DefaultsFillEverythingNotWritten) {
  Result<Config> r = Load(kMinimal);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const HubSpotConfig& h = r->connectors.hubspot;
  EXPECT_TRUE(h.enabled);  // the section exists
  EXPECT_TRUE(h.sync.contacts);
  EXPECT_FALSE(h.sync.companies || h.sync.deals || h.sync.tickets || h.sync.engagements);
  EXPECT_EQ(h.direction, SyncDirection::kBidirectional);
  EXPECT_TRUE(h.lists.empty());
  ASSERT_EQ(h.field_mapping.size(), DefaultFieldMapping().size());
  EXPECT_EQ(h.field_mapping[3].hubspot_property, "phone");
  EXPECT_EQ(h.field_mapping[3].brevo_attribute, "SMS");
  EXPECT_EQ(h.plan, HubSpotPlan::kFree);
  EXPECT_EQ(h.rate_limits, DefaultHubSpotRateLimits(HubSpotPlan::kFree));
  EXPECT_EQ(h.base_url, "https://api.hubapi.com");
  EXPECT_FALSE(h.app_id.has_value());
  EXPECT_FALSE(h.oauth.has_value());
  EXPECT_EQ(h.schedule.interval, std::chrono::minutes(15));
  EXPECT_EQ(h.EffectiveLogLevel(), LogLevel::kInfo);
  EXPECT_EQ(r->brevo.base_url, "https://api.brevo.com/v3");
  EXPECT_EQ(r->brevo.plan, BrevoPlan::kStandard);
  EXPECT_EQ(r->brevo.rate_limits, DefaultBrevoRateLimits(BrevoPlan::kStandard));
  EXPECT_EQ(r->store.engine, StoreConfig::Engine::kSqlite);
  EXPECT_EQ(r->store.location, "tajo.db");
  EXPECT_EQ(r->server.listen, "127.0.0.1:8080");
  EXPECT_EQ(r->server.host, "127.0.0.1");
  EXPECT_EQ(r->server.port, 8080);
}

TEST_F(ConfigTest, EmptyFileMeansNoConnectorAndNothingRequired) {
  for (const std::string text : {"", "# only a comment\n", "---\n"}) {
    Result<Config> r = Load(text);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(r->connectors.hubspot.enabled);
  }
}

TEST_F(ConfigTest, DisabledConnectorNeedsNoCredentials) {
  Result<Config> r = Load("connectors:\n  hubspot:\n    enabled: false\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->connectors.hubspot.enabled);
}

TEST_F(ConfigTest, OAuthReplacesTheAccessToken) {
  Result<Config> r = Load(
      "connectors:\n"
      "  hubspot:\n"
      "    oauth:\n"
      "      client_id: abc\n"
      "      client_secret: oauth-secret-value-1\n"
      "      redirect_uri: http://localhost:8080/oauth/callback\n"
      "brevo:\n"
      "  api_key: xkeysib-minimal-key-0001\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->connectors.hubspot.oauth.has_value());
  EXPECT_EQ(r->connectors.hubspot.oauth->scopes, DefaultHubSpotScopes());
  EXPECT_TRUE(r->connectors.hubspot.access_token.empty());
}

// ----- plans -----------------------------------------------------------------------------------

TEST_F(ConfigTest, PlanSetsBudgetsAndEachNumberCanBeOverridden) {
  Result<Config> r = Load(kMinimal +
                          "  plan: advanced\n"
                          "  rate_limits:\n"
                          "    contacts_per_second: 15\n"
                          "    events_per_second: 5\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->brevo.rate_limits, (BrevoRateLimits{.contacts_per_second = 15, .contacts_per_hour = 72'000,
                                                   .events_per_second = 5, .other_per_hour = 200}));

  for (auto [name, plan] : {std::pair{"free", HubSpotPlan::kFree}, {"starter", HubSpotPlan::kStarter},
                            {"professional", HubSpotPlan::kProfessional},
                            {"enterprise", HubSpotPlan::kEnterprise}, {"api_addon", HubSpotPlan::kApiAddon}}) {
    Result<Config> p = Load(std::string("connectors:\n  hubspot:\n    access_token: pat-na1-x-000000\n"
                                        "    plan: ") + name + "\n    rate_limits:\n      daily: 7\n"
                            "brevo:\n  api_key: k\n");
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    HubSpotRateLimits want = DefaultHubSpotRateLimits(plan);
    want.daily = 7;
    EXPECT_EQ(p->connectors.hubspot.plan, plan);
    EXPECT_EQ(p->connectors.hubspot.rate_limits, want) << name;
  }
}

TEST_F(ConfigTest, RateLimitOverridesMustBePositiveIntegersUnderKnownKeys) {
  const std::string text =
      "connectors:\n"
      "  hubspot:\n"
      "    access_token: pat-na1-minimal-token-0001\n"
      "    rate_limits:\n"
      "      per_10s: 0\n"
      "      daily: lots\n"
      "      per_10_s: 5\n"
      "brevo:\n"
      "  api_key: k\n"
      "  rate_limits: 10\n";
  EXPECT_EQ(Errors(text),
            "tajo.yaml:5:16: connectors.hubspot.rate_limits.per_10s: expected a positive integer, got \"0\"\n"
            "tajo.yaml:6:14: connectors.hubspot.rate_limits.daily: expected a positive integer, got \"lots\"\n"
            "tajo.yaml:7:7: connectors.hubspot.rate_limits.per_10_s: unknown key; did you mean 'per_10s'?\n"
            "tajo.yaml:10:16: brevo.rate_limits: expected a mapping (indented `key: value` lines), got a single value");
}

// ----- environment -----------------------------------------------------------------------------

TEST_F(ConfigTest, EnvironmentReferencesAreExpanded) {
  Result<Config> r = Load(
      "connectors:\n"
      "  hubspot:\n"
      "    access_token: ${TOKEN}\n"
      "    base_url: ${HUBSPOT_URL:-http://127.0.0.1:9999}\n"
      "    plan: ${PLAN:-starter}\n"
      "    sync:\n"
      "      deals: ${SYNC_DEALS}\n"
      "    lists:\n"
      "      all_contacts: ${ALL_LIST}\n"
      "brevo:\n"
      "  api_key: \"pre$$fix-${KEY}\"\n",
      {{"TOKEN", "pat-na1-from-env-0001"}, {"PLAN", ""}, {"SYNC_DEALS", "true"}, {"ALL_LIST", "42"},
       {"KEY", "xyz"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->connectors.hubspot.access_token, "pat-na1-from-env-0001");
  EXPECT_EQ(r->connectors.hubspot.base_url, "http://127.0.0.1:9999");  // unset: default
  EXPECT_EQ(r->connectors.hubspot.plan, HubSpotPlan::kStarter);        // empty: default
  EXPECT_TRUE(r->connectors.hubspot.sync.deals);
  EXPECT_EQ(r->connectors.hubspot.lists.at(0).list_id, 42);
  EXPECT_EQ(r->brevo.api_key, "pre$fix-xyz");
}

TEST_F(ConfigTest, MissingVariablesAreEachNamedWithTheirPosition) {
  EXPECT_EQ(Errors("connectors:\n"
                   "  hubspot:\n"
                   "    access_token: \"${A}-and-${B}\"\n"
                   "brevo:\n"
                   "  api_key: ${C:-fine}\n"
                   "server:\n"
                   "  api_key: x${D\n"),
            "tajo.yaml:3:20: connectors.hubspot.access_token: environment variable A is not set (set "
            "it, or write ${A:-default})\n"
            "tajo.yaml:3:29: connectors.hubspot.access_token: environment variable B is not set (set "
            "it, or write ${B:-default})\n"
            "tajo.yaml:7:13: server.api_key: '${' without a closing '}' (write '$$' for a literal '$')");
}

TEST_F(ConfigTest, AVariableThatExpandsToNothingIsCalledOut) {
  EXPECT_EQ(Errors("connectors:\n"
                   "  hubspot:\n"
                   "    access_token: ${TOKEN}\n"
                   "brevo:\n"
                   "  api_key: k\n",
                   {{"TOKEN", ""}}),
            "tajo.yaml:3:5: connectors.hubspot.access_token: required when connectors.hubspot is "
            "enabled (a private app token; or configure connectors.hubspot.oauth) (\"${TOKEN}\" "
            "expanded to an empty string)");
}

// ----- errors ----------------------------------------------------------------------------------

TEST_F(ConfigTest, WrongBooleanNamesFileLineColumnAndKeyPath) {
  EXPECT_EQ(Errors("connectors:\n"
                   " hubspot:\n"
                   "  enabled: true\n"
                   "  access_token: pat-na1-minimal-token-0001\n"
                   "  direction: bidirectional\n"
                   "  sync:\n"
                   "    deals: maybe\n"
                   "brevo:\n"
                   "  api_key: k\n"),
            "tajo.yaml:7:12: connectors.hubspot.sync.deals: expected a boolean (true/false), got \"maybe\"");
}

TEST_F(ConfigTest, EveryErrorIsReportedSortedOnePerLine) {
  Result<Config> r = LoadConfigFile(kTestdata + "errors.yaml", Options());
  ASSERT_FALSE(r.ok());
  const std::string f = kTestdata + "errors.yaml";
  EXPECT_EQ(r.status().message(),
            f + ":3:5: connectors.hubspot.enabld: unknown key; did you mean 'enabled'?\n" +
            f + ":4:19: connectors.hubspot.access_token: environment variable NO_SUCH_TOKEN is not set "
                "(set it, or write ${NO_SUCH_TOKEN:-default})\n" +
            f + ":6:14: connectors.hubspot.sync.deals: expected a boolean (true/false), got \"maybe\"\n" +
            f + ":7:11: connectors.hubspot.plan: expected one of free, starter, professional, "
                "enterprise, api_addon, got \"pro\"; did you mean 'professional'?\n" +
            f + ":9:13: connectors.hubspot.lists.zero: expected a positive integer (a Brevo list id), got \"0\"\n" +
            f + ":11:3: brevo.api_key: required when connectors.hubspot is enabled "
                "(\"${BREVO_KEY:-}\" expanded to an empty string)");
}

TEST_F(ConfigTest, UnknownKeysSuggestTheClosestKnownKey) {
  EXPECT_EQ(Errors("conectors:\n"
                   "  hubspot: {}\n"
                   "brevo:\n"
                   "  apikey: x\n"
                   "  colour: blue\n"
                   "server:\n"
                   "  listen: 127.0.0.1:1\n"
                   "  lisen: 127.0.0.1:2\n"),
            "tajo.yaml:1:1: conectors: unknown key; did you mean 'connectors'?\n"
            "tajo.yaml:4:3: brevo.apikey: unknown key; did you mean 'api_key'?\n"
            "tajo.yaml:5:3: brevo.colour: unknown key (known keys: api_key, base_url, plan, rate_limits)\n"
            "tajo.yaml:8:3: server.lisen: unknown key; did you mean 'listen'?");
  EXPECT_THAT(Errors("connectors:\n  hubspt: {}\n"),
              HasSubstr("tajo.yaml:2:3: connectors.hubspt: unknown key; did you mean 'hubspot'?"));
  EXPECT_EQ(Errors(kMinimal.substr(0, kMinimal.find("brevo:")) +
                   "    syncc: {contacts: true}\n    Enabled: true\nbrevo:\n  api_key: k\n"),
            "tajo.yaml:4:5: connectors.hubspot.syncc: unknown key; did you mean 'sync'?\n"
            "tajo.yaml:5:5: connectors.hubspot.Enabled: unknown key; did you mean 'enabled'?");
}

TEST_F(ConfigTest, WrongTypesSayWhatWasExpectedAndWhatWasFound) {
  EXPECT_EQ(Errors("connectors:\n"
                   "  hubspot:\n"
                   "    enabled: {yes: 1}\n"
                   "    access_token: [a, b]\n"
                   "    sync: true\n"
                   "    lists: [1, 2]\n"
                   "    field_mapping: email\n"
                   "    app_id: abc\n"
                   "    base_url: api.hubapi.com\n"
                   "brevo: xkeysib-as-a-scalar\n"
                   "store: {path: x}\n"),
            "tajo.yaml:3:14: connectors.hubspot.enabled: expected a boolean (true/false), got a mapping\n"
            "tajo.yaml:4:19: connectors.hubspot.access_token: expected a string, got a list\n"
            "tajo.yaml:5:11: connectors.hubspot.sync: expected a mapping (indented `key: value` lines), got a single value\n"
            "tajo.yaml:6:12: connectors.hubspot.lists: expected a mapping (indented `key: value` lines), got a list\n"
            "tajo.yaml:7:20: connectors.hubspot.field_mapping: expected a mapping (indented `key: value` lines), got a single value\n"
            "tajo.yaml:8:13: connectors.hubspot.app_id: expected a positive integer (the HubSpot app id), got \"abc\"\n"
            "tajo.yaml:9:15: connectors.hubspot.base_url: expected an http:// or https:// URL, got \"api.hubapi.com\"\n"
            "tajo.yaml:10:8: brevo: expected a mapping (indented `key: value` lines), got a single value\n"
            "tajo.yaml:11:8: store: expected a SQLite file path or a postgresql:// URL, got a mapping");
}

TEST_F(ConfigTest, RequiredValuesAreRequiredOnlyWhenEnabled) {
  EXPECT_EQ(Errors("connectors:\n  hubspot:\n    enabled: true\n"),
            "tajo.yaml:2:3: connectors.hubspot.access_token: required when connectors.hubspot is "
            "enabled (a private app token; or configure connectors.hubspot.oauth)\n"
            "tajo.yaml:2:3: brevo.api_key: required when connectors.hubspot is enabled");
  EXPECT_EQ(Errors("connectors:\n  hubspot:\n    access_token: \"\"\nbrevo:\n  api_key:\n"),
            "tajo.yaml:3:5: connectors.hubspot.access_token: required when connectors.hubspot is "
            "enabled (a private app token; or configure connectors.hubspot.oauth)\n"
            "tajo.yaml:5:3: brevo.api_key: required when connectors.hubspot is enabled");
  EXPECT_EQ(Errors("connectors:\n  hubspot:\n    access_token: pat-na1-xxxxxxxx\nbrevo: {}\n"),
            "tajo.yaml:4:1: brevo.api_key: required when connectors.hubspot is enabled");
}

TEST_F(ConfigTest, PartialOAuthNamesEachMissingKey) {
  EXPECT_EQ(Errors("connectors:\n"
                   "  hubspot:\n"
                   "    oauth:\n"
                   "      client_id: abc\n"
                   "      redirect_uri: not-a-url\n"
                   "      scopes: []\n"
                   "brevo:\n"
                   "  api_key: k\n"),
            "tajo.yaml:3:5: connectors.hubspot.oauth.client_secret: required when connectors.hubspot.oauth is set\n"
            "tajo.yaml:5:21: connectors.hubspot.oauth.redirect_uri: expected an http:// or https:// URL, got \"not-a-url\"\n"
            "tajo.yaml:6:15: connectors.hubspot.oauth.scopes: expected a list of HubSpot scopes, e.g. "
            "[crm.objects.contacts.read], got a list");
}

TEST_F(ConfigTest, EmptyOAuthSectionNamesAllThreeKeys) {
  EXPECT_EQ(Errors("connectors:\n  hubspot:\n    oauth:\nbrevo:\n  api_key: k\n"),
            "tajo.yaml:3:5: connectors.hubspot.oauth.client_id: required when connectors.hubspot.oauth is set\n"
            "tajo.yaml:3:5: connectors.hubspot.oauth.client_secret: required when connectors.hubspot.oauth is set\n"
            "tajo.yaml:3:5: connectors.hubspot.oauth.redirect_uri: required when connectors.hubspot.oauth is set");
}

TEST_F(ConfigTest, AWrongSectionIsReportedOnceNotAsMissingValues) {
  EXPECT_EQ(Errors("connectors:\n  hubspot: yes\n"),
            "tajo.yaml:2:12: connectors.hubspot: expected a mapping (indented `key: value` lines), got "
            "a single value");
}

TEST_F(ConfigTest, UnknownEnumValuesListTheChoices) {
  EXPECT_EQ(Errors(kMinimal.substr(0, kMinimal.find("brevo:")) +
                   "    direction: hubspot_2_brevo\n"
                   "    log_level: verbos\n"
                   "    schedule:\n"
                   "      interval: 15 minutes\n"
                   "brevo:\n"
                   "  api_key: k\n"
                   "  plan: premium\n"),
            "tajo.yaml:4:16: connectors.hubspot.direction: expected one of bidirectional, "
            "hubspot_to_brevo, brevo_to_hubspot, got \"hubspot_2_brevo\"; did you mean 'hubspot_to_brevo'?\n"
            "tajo.yaml:5:16: connectors.hubspot.log_level: expected one of error, warn, info, debug, "
            "verbose, got \"verbos\"; did you mean 'verbose'?\n"
            "tajo.yaml:7:17: connectors.hubspot.schedule.interval: expected a duration like 15m, 30s "
            "or 1h, got \"15 minutes\"\n"
            "tajo.yaml:10:9: brevo.plan: expected one of standard, advanced, got \"premium\"");
}

TEST_F(ConfigTest, ListIdsMustBePositiveIntegers) {
  EXPECT_EQ(Errors("connectors:\n"
                   "  hubspot:\n"
                   "    access_token: pat-na1-minimal-token-0001\n"
                   "    lists:\n"
                   "      zero: 0\n"
                   "      negative: -3\n"
                   "      fraction: 1.5\n"
                   "      huge: 99999999999999999999\n"
                   "      blank: \"  \"\n"
                   "      empty:\n"
                   "      customers: 7\n"
                   "brevo:\n"
                   "  api_key: k\n"),
            "tajo.yaml:5:13: connectors.hubspot.lists.zero: expected a positive integer (a Brevo list id), got \"0\"\n"
            "tajo.yaml:6:17: connectors.hubspot.lists.negative: expected a positive integer (a Brevo list id), got \"-3\"\n"
            "tajo.yaml:7:17: connectors.hubspot.lists.fraction: expected a positive integer (a Brevo list id), got \"1.5\"\n"
            "tajo.yaml:8:13: connectors.hubspot.lists.huge: expected a positive integer (a Brevo list id), got \"99999999999999999999\"\n"
            "tajo.yaml:9:14: connectors.hubspot.lists.blank: expected a Brevo list id (a positive "
            "integer), a list name, or a rule {property, operator, value}, got \"  \"\n"
            "tajo.yaml:10:7: connectors.hubspot.lists.empty: expected a Brevo list id (a positive "
            "integer), a list name, or a rule {property, operator, value}, got nothing");
}

TEST_F(ConfigTest, ListRulesAreValidated) {
  EXPECT_EQ(Errors("connectors:\n"
                   "  hubspot:\n"
                   "    access_token: pat-na1-minimal-token-0001\n"
                   "    lists:\n"
                   "      a: {property: lifecyclestage, operator: like, value: x}\n"
                   "      b: {property: lifecyclestage, operator: in, value: customer}\n"
                   "      c: {property: lifecyclestage, operator: exists, value: x}\n"
                   "      d: {property: lifecyclestage, operator: eq}\n"
                   "      e: {operator: eq, value: x, values: [y]}\n"
                   "      f: {property: \"life cycle\", operator: gt, value: 3}\n"
                   "brevo:\n"
                   "  api_key: k\n"),
            "tajo.yaml:5:47: connectors.hubspot.lists.a.operator: expected one of eq, neq, in, "
            "not_in, exists, gt, lt, got \"like\"\n"
            "tajo.yaml:6:58: connectors.hubspot.lists.b.value: operator 'in' needs a list of values, "
            "e.g. [a, b], got \"customer\"\n"
            "tajo.yaml:7:62: connectors.hubspot.lists.c.value: operator 'exists' takes no value\n"
            "tajo.yaml:8:7: connectors.hubspot.lists.d.value: operator 'eq' needs a value\n"
            "tajo.yaml:9:7: connectors.hubspot.lists.e.property: a rule needs a HubSpot property\n"
            "tajo.yaml:9:35: connectors.hubspot.lists.e.values: unknown key; did you mean 'value'?\n"
            "tajo.yaml:10:21: connectors.hubspot.lists.f.property: expected a HubSpot property name "
            "(letters, digits and '_', starting with a letter), got \"life cycle\"");
}

TEST_F(ConfigTest, FieldMappingTargetsMustBeBrevoAttributeNames) {
  EXPECT_EQ(Errors("connectors:\n"
                   "  hubspot:\n"
                   "    access_token: pat-na1-minimal-token-0001\n"
                   "    field_mapping:\n"
                   "      email: mail\n"
                   "      firstname: FIRST NAME\n"
                   "      lastname: 2NAME\n"
                   "      work_email: EMAIL\n"
                   "      phone: SMS\n"
                   "      mobilephone: sms\n"
                   "      \"hs lead\": LEAD\n"
                   "      company:\n"
                   "brevo:\n"
                   "  api_key: k\n"),
            "tajo.yaml:5:14: connectors.hubspot.field_mapping.email: email is the identity key both "
            "sides match contacts on; it can only map to email (EMAIL), got \"mail\"\n"
            "tajo.yaml:6:18: connectors.hubspot.field_mapping.firstname: expected a Brevo attribute "
            "name (letters, digits and '_', starting with a letter), got \"FIRST NAME\"\n"
            "tajo.yaml:7:17: connectors.hubspot.field_mapping.lastname: expected a Brevo attribute "
            "name (letters, digits and '_', starting with a letter), got \"2NAME\"\n"
            "tajo.yaml:8:19: connectors.hubspot.field_mapping.work_email: EMAIL is Brevo's identity "
            "attribute; only the HubSpot property 'email' maps to it\n"
            "tajo.yaml:10:20: connectors.hubspot.field_mapping.mobilephone: Brevo attribute SMS is "
            "already mapped from 'phone' on line 9\n"
            "tajo.yaml:11:7: connectors.hubspot.field_mapping.hs lead: a HubSpot property name is "
            "letters, digits and '_', starting with a letter\n"
            "tajo.yaml:12:7: connectors.hubspot.field_mapping.company: expected a Brevo attribute "
            "name, got nothing");
}

TEST_F(ConfigTest, EmailMapsToEmailAsTheIdentityInEitherCase) {
  for (const char* target : {"email", "EMAIL", "Email"}) {
    Result<Config> r = Load(kMinimal.substr(0, kMinimal.find("brevo:")) +
                            "    field_mapping:\n      firstname: fn\n      email: " + target +
                            "\nbrevo:\n  api_key: k\n");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const auto& m = r->connectors.hubspot.field_mapping;
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0].hubspot_property, "email");
    EXPECT_EQ(m[0].brevo_attribute, "EMAIL");
    EXPECT_TRUE(m[0].identity);
    EXPECT_EQ(m[1].brevo_attribute, "FN");  // upper-cased
  }
  // Without an email line the identity is still there, first.
  Result<Config> r = Load(kMinimal.substr(0, kMinimal.find("brevo:")) +
                          "    field_mapping:\n      firstname: FIRSTNAME\nbrevo:\n  api_key: k\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->connectors.hubspot.field_mapping.size(), 2u);
  EXPECT_TRUE(r->connectors.hubspot.field_mapping[0].identity);
}

TEST_F(ConfigTest, MalformedYamlReportsTheParserPosition) {
  Result<Config> r = LoadConfigFile(kTestdata + "truncated.yaml", Options());
  ASSERT_FALSE(r.ok());
  // yaml-cpp 0.7 accepts a double-quoted scalar cut off by the end of the file; the reader does not.
  EXPECT_EQ(r.status().message(), kTestdata + "truncated.yaml:4:19: connectors.hubspot.access_token: "
                                              "invalid YAML: a quoted string without its closing quote "
                                              "(is the file truncated?)");
  EXPECT_EQ(Errors("store: 'x.db\n"),
            "tajo.yaml:1:8: store: invalid YAML: a quoted string without its closing quote (is the "
            "file truncated?)");
  EXPECT_EQ(Errors("a: \"abc"), "tajo.yaml:1:8: invalid YAML: illegal EOF in scalar");
  EXPECT_EQ(Errors("connectors:\n  hubspot: {enabled: true\nbrevo: x\n"),
            "tajo.yaml:3:6: invalid YAML: end of map flow not found");
  EXPECT_EQ(Errors("connectors:\n  hubspot:\n    enabled: true\n   bad: 1\n"),
            "tajo.yaml:4:4: invalid YAML: end of map not found");
  EXPECT_EQ(Errors("a: *nowhere\n"), "tajo.yaml:1:4: invalid YAML: the referenced anchor is not defined");
}

TEST_F(ConfigTest, TopLevelMustBeAMapping) {
  EXPECT_EQ(Errors("- connectors\n- brevo\n"),
            "tajo.yaml:1:1: expected a mapping at the top level (connectors:, brevo:, store:, "
            "server:), got a list");
  EXPECT_EQ(Errors("just text\n"),
            "tajo.yaml:1:1: expected a mapping at the top level (connectors:, brevo:, store:, "
            "server:), got \"just text\"");
}

TEST_F(ConfigTest, DuplicateKeysAreErrors) {
  EXPECT_EQ(Errors(kMinimal + "store: a.db\nstore: b.db\n" +
                   "server:\n  listen: 127.0.0.1:1\n  listen: 127.0.0.1:2\n"),
            "tajo.yaml:7:1: store: duplicate key (first set on line 6)\n"
            "tajo.yaml:10:3: server.listen: duplicate key (first set on line 9)");
  EXPECT_EQ(Errors(kMinimal.substr(0, kMinimal.find("brevo:")) +
                   "    lists:\n      customers: 1\n      customers: 2\nbrevo:\n  api_key: k\n"),
            "tajo.yaml:6:7: connectors.hubspot.lists.customers: duplicate key (first set on line 5)");
}

TEST_F(ConfigTest, MoreThanOneDocumentIsAnError) {
  EXPECT_EQ(Errors(kMinimal + "---\nstore: x.db\n"), "tajo.yaml:7:1: expected one YAML document, found 2");
}

TEST_F(ConfigTest, StoreIsASqlitePathOrAPostgresUrl) {
  Result<Config> r = Load(kMinimal + "store: /var/lib/tajo/state.db\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->store.engine, StoreConfig::Engine::kSqlite);
  EXPECT_EQ(r->store.location, "/var/lib/tajo/state.db");
  r = Load(kMinimal + "store: postgres://db.internal/tajo\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->store.engine, StoreConfig::Engine::kPostgres);
  // Another scheme is an error; the URL (which may hold a password) is not quoted.
  const std::string message = Errors(kMinimal + "store: mysql://root:hunter2-secret@db/tajo\n");
  EXPECT_EQ(message, "tajo.yaml:6:8: store: unsupported store URL scheme 'mysql' (expected a SQLite "
                     "file path, or a postgresql:// or postgres:// URL)");
  EXPECT_EQ(Errors(kMinimal + "store: \"\"\n"),
            "tajo.yaml:6:8: store: expected a SQLite file path or a postgresql:// URL, got \"\"");
}

TEST_F(ConfigTest, ServerListenIsHostAndPort) {
  Result<Config> r = Load(kMinimal + "server:\n  listen: 0.0.0.0:0\n  public_url: \"\"\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->server.host, "0.0.0.0");
  EXPECT_EQ(r->server.port, 0);
  EXPECT_EQ(r->server.public_url, "");
  for (const char* bad : {"8080", "localhost:", "localhost:65536", ":80", "::1:80", "[::1]80", "h:8o"}) {
    EXPECT_THAT(Errors(kMinimal + "server:\n  listen: \"" + bad + "\"\n"),
                HasSubstr("tajo.yaml:7:11: server.listen: expected host:port with a port from 0 to 65535"))
        << bad;
  }
}

TEST_F(ConfigTest, ScheduleIntervalIsADuration) {
  for (auto [text, seconds] : {std::pair{"30s", 30}, {"15m", 900}, {"1h", 3600}, {"1h30m", 5400}}) {
    Result<Config> r = Load(kMinimal.substr(0, kMinimal.find("brevo:")) +
                            "    schedule:\n      interval: " + text + "\nbrevo:\n  api_key: k\n");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->connectors.hubspot.schedule.interval, std::chrono::seconds(seconds));
  }
}

// ----- secrets ---------------------------------------------------------------------------------

TEST_F(ConfigTest, SecretsAreRegisteredAsSoonAsRead) {
  ASSERT_TRUE(LoadConfigFile(kTestdata + "full.yaml", Options()).ok());
  for (const std::string& s : {kToken, kBrevoKey, kClientSecret, kOAuthSecret, kServerKey, kDbPassword}) {
    EXPECT_EQ(Redact("value=" + s + ";"), "value=" + std::string(kRedacted) + ";") << "not registered";
  }
}

TEST_F(ConfigTest, SecretsAreRegisteredEvenWhenTheFileHasErrors) {
  EXPECT_FALSE(Load(kMinimal + "  unknown: 1\nserver:\n  api_key: server-key-with-errors\n").ok());
  EXPECT_EQ(Redact("server-key-with-errors"), kRedacted);
}

TEST_F(ConfigTest, SecretsCanBeLeftUnregistered) {
  ConfigLoadOptions o = Options();
  o.register_secrets = false;
  ASSERT_TRUE(LoadConfigFile(kTestdata + "full.yaml", o).ok());
  EXPECT_EQ(Redact("x " + kClientSecret), "x " + kClientSecret);
}

TEST_F(ConfigTest, ErrorsNeverQuoteASecret) {
  const std::string message = Errors("connectors:\n"
                                     "  hubspot:\n"
                                     "    access_token: pat-na1-secret-in-errors-1\n"
                                     "    client_secret: {nested: hs-secret-in-errors-2}\n"
                                     "brevo:\n"
                                     "  api_key: [xkeysib-secret-in-errors-3]\n"
                                     "store: postgresql://u:pw-secret-in-errors-4@h/db\n"
                                     "server: {listen: nope}\n");
  for (const char* s : {"pat-na1-secret-in-errors-1", "hs-secret-in-errors-2",
                        "xkeysib-secret-in-errors-3", "pw-secret-in-errors-4"}) {
    EXPECT_THAT(message, Not(HasSubstr(s)));
  }
  EXPECT_THAT(message, HasSubstr("connectors.hubspot.client_secret: expected a string, got a mapping"));
}

// ----- describe --------------------------------------------------------------------------------

void ExpectSameExceptSecrets(const Config& a, const Config& b) {
  const HubSpotConfig& x = a.connectors.hubspot;
  const HubSpotConfig& y = b.connectors.hubspot;
  EXPECT_EQ(x.enabled, y.enabled);
  EXPECT_EQ(x.plan, y.plan);
  EXPECT_EQ(x.rate_limits, y.rate_limits);
  EXPECT_EQ(x.base_url, y.base_url);
  EXPECT_EQ(x.app_id, y.app_id);
  EXPECT_EQ(x.oauth.has_value(), y.oauth.has_value());
  if (x.oauth && y.oauth) {
    EXPECT_EQ(x.oauth->client_id, y.oauth->client_id);
    EXPECT_EQ(x.oauth->redirect_uri, y.oauth->redirect_uri);
    EXPECT_EQ(x.oauth->scopes, y.oauth->scopes);
  }
  EXPECT_EQ(x.sync.contacts, y.sync.contacts);
  EXPECT_EQ(x.sync.companies, y.sync.companies);
  EXPECT_EQ(x.sync.deals, y.sync.deals);
  EXPECT_EQ(x.sync.tickets, y.sync.tickets);
  EXPECT_EQ(x.sync.engagements, y.sync.engagements);
  EXPECT_EQ(x.direction, y.direction);
  EXPECT_EQ(x.schedule.interval, y.schedule.interval);
  ASSERT_EQ(x.lists.size(), y.lists.size());
  for (size_t i = 0; i < x.lists.size(); ++i) {
    EXPECT_EQ(x.lists[i].key, y.lists[i].key);
    EXPECT_EQ(x.lists[i].kind, y.lists[i].kind);
    EXPECT_EQ(x.lists[i].list_id, y.lists[i].list_id);
    EXPECT_EQ(x.lists[i].list_name, y.lists[i].list_name);
    EXPECT_EQ(x.lists[i].rule.property, y.lists[i].rule.property);
    EXPECT_EQ(x.lists[i].rule.op, y.lists[i].rule.op);
    EXPECT_EQ(x.lists[i].rule.values, y.lists[i].rule.values);
  }
  ASSERT_EQ(x.field_mapping.size(), y.field_mapping.size());
  for (size_t i = 0; i < x.field_mapping.size(); ++i) {
    EXPECT_EQ(x.field_mapping[i].hubspot_property, y.field_mapping[i].hubspot_property);
    EXPECT_EQ(x.field_mapping[i].brevo_attribute, y.field_mapping[i].brevo_attribute);
    EXPECT_EQ(x.field_mapping[i].identity, y.field_mapping[i].identity);
  }
  EXPECT_EQ(x.debug, y.debug);
  EXPECT_EQ(x.log_level, y.log_level);
  EXPECT_EQ(x.log_webhooks, y.log_webhooks);
  EXPECT_EQ(x.create_missing_attributes, y.create_missing_attributes);
  EXPECT_EQ(x.enumerations, y.enumerations);
  EXPECT_EQ(x.default_country, y.default_country);
  EXPECT_EQ(x.on_delete, y.on_delete);
  EXPECT_EQ(a.brevo.base_url, b.brevo.base_url);
  EXPECT_EQ(a.brevo.plan, b.brevo.plan);
  EXPECT_EQ(a.brevo.rate_limits, b.brevo.rate_limits);
  EXPECT_EQ(a.store.engine, b.store.engine);
  EXPECT_EQ(a.server.listen, b.server.listen);
  EXPECT_EQ(a.server.public_url, b.server.public_url);
}

TEST_F(ConfigTest, DescriptionLoadsBackToTheSameConfig) {
  Result<Config> full = LoadConfigFile(kTestdata + "full.yaml", Options());
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  const std::string described = DescribeEffectiveConfig(*full);
  Result<Config> again = LoadConfigString(described, "described.yaml", Options());
  ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << described;
  ExpectSameExceptSecrets(*full, *again);
  // Secrets come back masked.
  EXPECT_EQ(again->connectors.hubspot.access_token, MaskSecret(kToken));
  EXPECT_EQ(again->brevo.api_key, MaskSecret(kBrevoKey));

  // The defaults too, and values holding '$' survive.
  Result<Config> defaults = Load(kMinimal + "  base_url: https://x.test/$${HOME}/a$$b\n");
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_EQ(defaults->brevo.base_url, "https://x.test/${HOME}/a$b");
  Result<Config> defaults_again = Load(DescribeEffectiveConfig(*defaults));
  ASSERT_TRUE(defaults_again.ok()) << defaults_again.status().ToString();
  ExpectSameExceptSecrets(*defaults, *defaults_again);
}

TEST_F(ConfigTest, DescriptionShowsEffectiveValuesAndNoSecret) {
  Result<Config> full = LoadConfigFile(kTestdata + "full.yaml", Options());
  ASSERT_TRUE(full.ok());
  const std::string d = DescribeEffectiveConfig(*full);
  for (const std::string& s : {kToken, kBrevoKey, kClientSecret, kOAuthSecret, kServerKey, kDbPassword}) {
    EXPECT_THAT(d, Not(HasSubstr(s)));
  }
  EXPECT_THAT(d, HasSubstr("access_token: " + MaskSecret(kToken)));
  EXPECT_THAT(d, HasSubstr("postgresql://tajo:[REDACTED]@127.0.0.1:5432/tajo"));
  EXPECT_THAT(d, HasSubstr("per_10s: 120  # overridden; plan default 150"));
  EXPECT_THAT(d, HasSubstr("daily: 625000  # plan default"));
  EXPECT_THAT(d, HasSubstr("interval: 1h30m"));
  EXPECT_THAT(d, HasSubstr("email: EMAIL  # identity key"));
  EXPECT_THAT(d, HasSubstr("log_level: warn  # effective: debug (debug: true)"));

  // An empty config describes every default.
  Result<Config> empty = Load("");
  ASSERT_TRUE(empty.ok());
  const std::string e = DescribeEffectiveConfig(*empty);
  EXPECT_THAT(e, AllOf(HasSubstr("enabled: false"), HasSubstr("base_url: https://api.hubapi.com"),
                       HasSubstr("base_url: https://api.brevo.com/v3"), HasSubstr("store: tajo.db"),
                       HasSubstr("listen: 127.0.0.1:8080"), HasSubstr("interval: 15m"),
                       HasSubstr("plan: free"), HasSubstr("plan: standard"),
                       HasSubstr("phone: SMS")));
}

// ----- files and paths -------------------------------------------------------------------------

class ConfigPathTest : public ConfigTest {
 protected:
  void SetUp() override {
    ConfigTest::SetUp();
    dir_ = std::filesystem::temp_directory_path() /
           ("tajo-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    old_cwd_ = std::filesystem::current_path();
  }
  void TearDown() override {
    std::filesystem::current_path(old_cwd_);
    std::filesystem::remove_all(dir_);
    ConfigTest::TearDown();
  }
  void Write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

  std::filesystem::path dir_;
  std::filesystem::path old_cwd_;
};

TEST_F(ConfigPathTest, FlagThenEnvironmentThenWorkingDirectory) {
  const std::string a = (dir_ / "a.yaml").string(), b = (dir_ / "b.yaml").string();
  Write(a, "");
  Write(b, "");
  const EnvLookup env = MapEnvironment({{"TAJO_CONFIG", b}});
  EXPECT_EQ(*ResolveConfigPath(a, env), a);
  EXPECT_EQ(*ResolveConfigPath("", env), b);

  std::filesystem::current_path(dir_);
  Result<std::string> none = ResolveConfigPath("", MapEnvironment({{"TAJO_CONFIG", ""}}));
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("pass --config FILE or set TAJO_CONFIG"));
  Write(dir_ / "tajo.yaml", "");
  EXPECT_EQ(*ResolveConfigPath("", MapEnvironment({})), "tajo.yaml");
}

TEST_F(ConfigPathTest, MissingFilesSayWhereTheNameCameFrom) {
  const std::string missing = (dir_ / "nope.yaml").string();
  Result<std::string> r = ResolveConfigPath(missing, MapEnvironment({}));
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "--config " + missing + ": no such file");
  r = ResolveConfigPath("", MapEnvironment({{"TAJO_CONFIG", missing}}));
  EXPECT_EQ(r.status().message(), "TAJO_CONFIG=" + missing + ": no such file");

  Result<Config> c = LoadConfigFile(missing, Options());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(c.status().message(), missing + ": no such file");
  c = LoadConfigFile(dir_.string(), Options());
  EXPECT_EQ(c.status().code(), StatusCode::kIOError);
  EXPECT_EQ(c.status().message(), dir_.string() + ": not a regular file");
}

// ----- small parsers ---------------------------------------------------------------------------

TEST(DurationTest, ParsesAndFormats) {
  EXPECT_EQ(*ParseDuration("45s"), std::chrono::seconds(45));
  EXPECT_EQ(*ParseDuration("2h5m10s"), std::chrono::seconds(7510));
  for (const char* bad : {"", "15", "m", "15x", "-5m", "0s", "1.5h", "15m ", "9999999999h"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatDuration(std::chrono::seconds(900)), "15m");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(5400)), "1h30m");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(3661)), "1h1m1s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(30)), "30s");
}

TEST(ConfigNamesTest, EnumNamesMatchTheSchema) {
  EXPECT_EQ(SyncDirectionName(SyncDirection::kBrevoToHubSpot), "brevo_to_hubspot");
  EXPECT_EQ(ListRuleOperatorName(ListRuleOperator::kNotIn), "not_in");
  EXPECT_EQ(SyncDirectionNames().size(), 3u);
  EXPECT_EQ(ListRuleOperatorNames().size(), 7u);
}

}  // namespace
}  // namespace tajo
