// The `server:` keys of tajo.yaml for `tajo serve`: max_body_bytes, webhooks (signature versions,
// timestamp age, the Brevo token) and worker; their defaults, errors, description and round trip.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>

#include "core/config.h"
#include "core/redact.h"

namespace tajo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSourceDir = TAJO_SOURCE_DIR;

// hubspot enabled with a token (no oauth) and a Brevo key: 5 lines, so `server:` is line 6.
const std::string kMinimal =
    "connectors:\n"
    "  hubspot:\n"
    "    access_token: pat-na1-server-token-0001\n"
    "brevo:\n"
    "  api_key: xkeysib-server-key-0001\n";

// The same with a public app (oauth) instead: 9 lines.
const std::string kOAuth =
    "connectors:\n"
    "  hubspot:\n"
    "    oauth:\n"
    "      client_id: client-id-1\n"
    "      client_secret: oauth-secret-for-server-test-1\n"
    "      redirect_uri: https://tajo.example.com/oauth/callback\n"
    "    log_webhooks: true\n"
    "brevo:\n"
    "  api_key: xkeysib-server-key-0001\n";

const std::string kBrevoToken = "brevo-webhook-token-0123456789";

// Every server key, each set to something other than its default.
const std::string kFullServer =
    "server:\n"
    "  listen: 127.0.0.1:9000\n"
    "  max_body_bytes: 2048\n"
    "  webhooks:\n"
    "    hubspot_signature_versions: [v1]\n"
    "    max_timestamp_age: 1h\n"
    "    brevo_token: \"${BREVO_WEBHOOK_TOKEN}\"\n"
    "  worker:\n"
    "    window_ms: 0\n"
    "    max_objects: 1000\n"
    "    max_attempts: 3\n"
    "    retry_base_ms: 250\n"
    "    retry_max_ms: 250\n";

class ConfigServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearRegisteredSecrets(); }
  void TearDown() override { ClearRegisteredSecrets(); }

  static ConfigLoadOptions Options() {
    ConfigLoadOptions o;
    o.env = MapEnvironment({{"BREVO_WEBHOOK_TOKEN", kBrevoToken}, {"TAJO_API_KEY", "server-api-key-0001"}});
    return o;
  }
  static Result<Config> Load(const std::string& text) { return LoadConfigString(text, "tajo.yaml", Options()); }

  // The error message of a config that must fail.
  static std::string Errors(const std::string& text) {
    Result<Config> r = Load(text);
    EXPECT_FALSE(r.ok()) << "expected errors for:\n" << text;
    if (r.ok()) return "";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    return r.status().message();
  }
};

void ExpectDefaultsExceptSignatureVersions(const ServerConfig& s) {
  const ServerConfig d;
  EXPECT_EQ(s.max_body_bytes, 1024 * 1024);
  EXPECT_EQ(s.max_body_bytes, d.max_body_bytes);
  EXPECT_EQ(s.webhooks.max_timestamp_age_ms, 300'000);
  EXPECT_EQ(s.webhooks.brevo_token, "");
  EXPECT_EQ(s.worker.window_ms, 1000);
  EXPECT_EQ(s.worker.max_objects, 100);
  EXPECT_EQ(s.worker.max_attempts, 8);
  EXPECT_EQ(s.worker.retry_base_ms, 1000);
  EXPECT_EQ(s.worker.retry_max_ms, 600'000);
}

// ----- defaults --------------------------------------------------------------------------------

TEST_F(ConfigServerTest, DefaultsWithAPrivateAppAcceptV3AndV1) {
  Result<Config> r = Load(kMinimal);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectDefaultsExceptSignatureVersions(r->server);
  EXPECT_THAT(r->server.webhooks.hubspot_signature_versions,
              ElementsAre(SignatureVersion::kV3, SignatureVersion::kV1));
  EXPECT_FALSE(r->server.webhooks.log_webhooks);

  // No connector at all: the same.
  Result<Config> empty = Load("");
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  ExpectDefaultsExceptSignatureVersions(empty->server);
  EXPECT_THAT(empty->server.webhooks.hubspot_signature_versions,
              ElementsAre(SignatureVersion::kV3, SignatureVersion::kV1));
}

TEST_F(ConfigServerTest, DefaultsWithOAuthAcceptV3Only) {
  Result<Config> r = Load(kOAuth);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectDefaultsExceptSignatureVersions(r->server);
  EXPECT_THAT(r->server.webhooks.hubspot_signature_versions, ElementsAre(SignatureVersion::kV3));
  // The server section is present but says nothing about versions: still the oauth default.
  r = Load(kOAuth + "server:\n  webhooks:\n    max_timestamp_age: 1m\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->server.webhooks.hubspot_signature_versions, ElementsAre(SignatureVersion::kV3));
  // A null value is absent, as everywhere in the file.
  r = Load(kOAuth + "server:\n  webhooks:\n    hubspot_signature_versions:\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->server.webhooks.hubspot_signature_versions, ElementsAre(SignatureVersion::kV3));
}

TEST_F(ConfigServerTest, SignatureVersionNamesAreInEnumOrder) {
  EXPECT_THAT(SignatureVersionNames(), ElementsAre("v1", "v3"));
  EXPECT_EQ(SignatureVersionNames()[static_cast<size_t>(SignatureVersion::kV1)], "v1");
  EXPECT_EQ(SignatureVersionNames()[static_cast<size_t>(SignatureVersion::kV3)], "v3");
}

// ----- every key -------------------------------------------------------------------------------

TEST_F(ConfigServerTest, EveryKeyIsRead) {
  Result<Config> r = Load(kMinimal + kFullServer);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const ServerConfig& s = r->server;
  EXPECT_EQ(s.port, 9000);
  EXPECT_EQ(s.max_body_bytes, 2048);
  EXPECT_THAT(s.webhooks.hubspot_signature_versions, ElementsAre(SignatureVersion::kV1));
  EXPECT_EQ(s.webhooks.max_timestamp_age_ms, 3'600'000);
  EXPECT_EQ(s.webhooks.brevo_token, kBrevoToken);  // ${VAR} expanded
  EXPECT_EQ(s.worker.window_ms, 0);
  EXPECT_EQ(s.worker.max_objects, 1000);
  EXPECT_EQ(s.worker.max_attempts, 3);
  EXPECT_EQ(s.worker.retry_base_ms, 250);
  EXPECT_EQ(s.worker.retry_max_ms, 250);
}

TEST_F(ConfigServerTest, WrittenVersionsOverrideEitherDefaultInFileOrder) {
  Result<Config> r = Load(kOAuth + "server:\n  webhooks: {hubspot_signature_versions: [v1, v3]}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->server.webhooks.hubspot_signature_versions,
              ElementsAre(SignatureVersion::kV1, SignatureVersion::kV3));
  r = Load(kMinimal + "server:\n  webhooks: {hubspot_signature_versions: [v3]}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r->server.webhooks.hubspot_signature_versions, ElementsAre(SignatureVersion::kV3));
}

TEST_F(ConfigServerTest, RangeLimitsAreAccepted) {
  Result<Config> r = Load(kMinimal +
                          "server:\n"
                          "  max_body_bytes: 1024\n"
                          "  webhooks: {max_timestamp_age: 1s}\n"
                          "  worker: {window_ms: 60000, max_objects: 1, max_attempts: 100, "
                          "retry_base_ms: 3600000, retry_max_ms: 86400000}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->server.max_body_bytes, 1024);
  EXPECT_EQ(r->server.webhooks.max_timestamp_age_ms, 1000);
  EXPECT_EQ(r->server.worker.window_ms, 60'000);
  EXPECT_EQ(r->server.worker.max_objects, 1);
  EXPECT_EQ(r->server.worker.max_attempts, 100);
  EXPECT_EQ(r->server.worker.retry_base_ms, 3'600'000);
  EXPECT_EQ(r->server.worker.retry_max_ms, 86'400'000);
  r = Load(kMinimal + "server: {max_body_bytes: 67108864, webhooks: {max_timestamp_age: 1h}}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->server.max_body_bytes, 64 * 1024 * 1024);
}

TEST_F(ConfigServerTest, LogWebhooksMirrorsTheHubSpotSwitchAndIsNotAKeyOfItsOwn) {
  Result<Config> r = Load(kOAuth);  // log_webhooks: true
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->server.webhooks.log_webhooks);
  EXPECT_EQ(Errors(kMinimal + "server:\n  webhooks:\n    log_webhooks: true\n"),
            "tajo.yaml:8:5: server.webhooks.log_webhooks: unknown key (known keys: "
            "hubspot_signature_versions, max_timestamp_age, brevo_token)");
}

TEST_F(ConfigServerTest, HubSpotWebhookSecretPrefersTheAppsClientSecret) {
  Config c;
  EXPECT_EQ(HubSpotWebhookSecret(c), "");
  c.connectors.hubspot.oauth.emplace();
  c.connectors.hubspot.oauth->client_secret = "oauth-secret";
  EXPECT_EQ(HubSpotWebhookSecret(c), "oauth-secret");
  c.connectors.hubspot.client_secret = "app-secret";
  EXPECT_EQ(HubSpotWebhookSecret(c), "app-secret");
  c.connectors.hubspot.oauth.reset();
  EXPECT_EQ(HubSpotWebhookSecret(c), "app-secret");

  // Not a load error when missing (the CLI sync does not need it): `tajo serve` checks it.
  Result<Config> r = Load(kMinimal);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(HubSpotWebhookSecret(*r), "");
  r = Load(kOAuth);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(HubSpotWebhookSecret(*r), "oauth-secret-for-server-test-1");
}

// ----- bad values ------------------------------------------------------------------------------

TEST_F(ConfigServerTest, MaxBodyBytesIsAnIntegerFrom1KiBTo64MiB) {
  for (const char* bad : {"1023", "67108865", "0", "-1", "1MB", "1.5", "99999999999999999999"}) {
    EXPECT_EQ(Errors(kMinimal + "server:\n  max_body_bytes: " + bad + "\n"),
              std::string("tajo.yaml:7:19: server.max_body_bytes: expected a number of bytes from 1024 "
                          "(1 KiB) to 67108864 (64 MiB), got \"") + bad + "\"")
        << bad;
  }
  EXPECT_THAT(Errors(kMinimal + "server:\n  max_body_bytes: [1]\n"),
              HasSubstr("tajo.yaml:7:19: server.max_body_bytes: expected a number of bytes from 1024 (1 KiB) "
                        "to 67108864 (64 MiB), got a list"));
}

TEST_F(ConfigServerTest, SignatureVersionsMustBeANonEmptyListOfKnownVersionsOnce) {
  const std::string prefix = kMinimal + "server:\n  webhooks:\n    hubspot_signature_versions: ";
  const std::string expected =
      "server.webhooks.hubspot_signature_versions: expected a non-empty list of HubSpot signature "
      "versions (v1, v3), e.g. [v3], got ";
  EXPECT_EQ(Errors(prefix + "[]\n"), "tajo.yaml:8:33: " + expected + "a list");
  EXPECT_EQ(Errors(prefix + "v3\n"), "tajo.yaml:8:33: " + expected + "\"v3\"");
  EXPECT_EQ(Errors(prefix + "{v3: true}\n"), "tajo.yaml:8:33: " + expected + "a mapping");
  EXPECT_EQ(Errors(prefix + "[v3, v2]\n"),
            "tajo.yaml:8:38: server.webhooks.hubspot_signature_versions[1]: expected one of v1, v3, "
            "got \"v2\"; did you mean 'v1'?");
  EXPECT_EQ(Errors(prefix + "[V3]\n"),
            "tajo.yaml:8:34: server.webhooks.hubspot_signature_versions[0]: expected one of v1, v3, "
            "got \"V3\"; did you mean 'v3'?");
  EXPECT_EQ(Errors(prefix + "[v3, v1, v3]\n"),
            "tajo.yaml:8:42: server.webhooks.hubspot_signature_versions[2]: v3 is listed twice (first on line 8)");
  EXPECT_EQ(Errors(prefix + "\n      - v1\n      - v1\n"),
            "tajo.yaml:10:9: server.webhooks.hubspot_signature_versions[1]: v1 is listed twice (first on line 9)");
  EXPECT_THAT(Errors(prefix + "[v3, ~]\n"),
              HasSubstr("server.webhooks.hubspot_signature_versions[1]: expected a signature version "
                        "(v1, v3), got nothing"));
}

TEST_F(ConfigServerTest, MaxTimestampAgeIsADurationFrom1sTo1h) {
  for (const char* bad : {"0s", "61m", "2h", "300", "5 minutes", "-5m", "1h1s"}) {
    EXPECT_EQ(Errors(kMinimal + "server:\n  webhooks:\n    max_timestamp_age: \"" + bad + "\"\n"),
              std::string("tajo.yaml:8:24: server.webhooks.max_timestamp_age: expected a duration from "
                          "1s to 1h, like 5m or 30s, got \"") + bad + "\"")
        << bad;
  }
  for (auto [text, ms] : {std::pair{"1s", 1000}, {"90s", 90'000}, {"5m", 300'000}, {"59m59s", 3'599'000}}) {
    Result<Config> r = Load(kMinimal + "server:\n  webhooks:\n    max_timestamp_age: " + text + "\n");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->server.webhooks.max_timestamp_age_ms, ms) << text;
  }
}

TEST_F(ConfigServerTest, WorkerNumbersAreIntegersInTheirRanges) {
  struct Case {
    const char* key;
    const char* value;
    const char* expected;
  };
  const Case cases[] = {
      {"window_ms", "-1", "a number of milliseconds from 0 to 60000"},
      {"window_ms", "60001", "a number of milliseconds from 0 to 60000"},
      {"window_ms", "1s", "a number of milliseconds from 0 to 60000"},
      {"max_objects", "0", "a number of objects from 1 to 1000"},
      {"max_objects", "1001", "a number of objects from 1 to 1000"},
      {"max_attempts", "0", "a number of attempts from 1 to 100"},
      {"max_attempts", "101", "a number of attempts from 1 to 100"},
      {"max_attempts", "ten", "a number of attempts from 1 to 100"},
      {"retry_base_ms", "0", "a number of milliseconds from 1 to 3600000 (1h)"},
      {"retry_base_ms", "3600001", "a number of milliseconds from 1 to 3600000 (1h)"},
      {"retry_max_ms", "0", "a positive number of milliseconds"},
      {"retry_max_ms", "1e6", "a positive number of milliseconds"},
  };
  for (const Case& c : cases) {
    const std::string line = std::string("    ") + c.key + ": ";
    EXPECT_EQ(Errors(kMinimal + "server:\n  worker:\n" + line + "\"" + c.value + "\"\n"),
              fmt::format("tajo.yaml:8:{}: server.worker.{}: expected {}, got \"{}\"", line.size() + 1, c.key,
                          c.expected, c.value))
        << c.key << "=" << c.value;
  }
}

TEST_F(ConfigServerTest, RetryMaxMustBeAtLeastRetryBase) {
  EXPECT_EQ(Errors(kMinimal + "server:\n  worker:\n    retry_base_ms: 5000\n    retry_max_ms: 4999\n"),
            "tajo.yaml:9:19: server.worker.retry_max_ms: retry_max_ms (4999) must be at least "
            "retry_base_ms (5000)");
  // Against the default base (1000).
  EXPECT_EQ(Errors(kMinimal + "server:\n  worker:\n    retry_max_ms: 999\n"),
            "tajo.yaml:8:19: server.worker.retry_max_ms: retry_max_ms (999) must be at least "
            "retry_base_ms (1000)");
  // Against the default max (600000): said at the base, which is the value written.
  EXPECT_EQ(Errors(kMinimal + "server:\n  worker:\n    retry_base_ms: 600001\n"),
            "tajo.yaml:8:20: server.worker.retry_base_ms: retry_base_ms (600001) must be at most "
            "retry_max_ms (600000, its default; raise it too)");
  // A value already wrong is not compared.
  EXPECT_EQ(Errors(kMinimal + "server:\n  worker:\n    retry_base_ms: 5000\n    retry_max_ms: x\n"),
            "tajo.yaml:9:19: server.worker.retry_max_ms: expected a positive number of milliseconds, got \"x\"");
}

TEST_F(ConfigServerTest, UnknownKeysSuggestTheClosestKnownKey) {
  EXPECT_EQ(Errors(kMinimal + "server:\n  webhook: {}\n"),
            "tajo.yaml:7:3: server.webhook: unknown key; did you mean 'webhooks'?");
  EXPECT_EQ(Errors(kMinimal + "server:\n  max_body: 2048\n"),
            "tajo.yaml:7:3: server.max_body: unknown key; did you mean 'max_body_bytes'?");
  EXPECT_EQ(Errors(kMinimal + "server:\n  webhooks:\n    max_timestamp: 5m\n"),
            "tajo.yaml:8:5: server.webhooks.max_timestamp: unknown key; did you mean 'max_timestamp_age'?");
  EXPECT_EQ(Errors(kMinimal + "server:\n  worker:\n    window: 10\n"),
            "tajo.yaml:8:5: server.worker.window: unknown key; did you mean 'window_ms'?");
  EXPECT_EQ(Errors(kMinimal + "server:\n  worker: 10\n"),
            "tajo.yaml:7:11: server.worker: expected a mapping (indented `key: value` lines), got a "
            "single value");
}

TEST_F(ConfigServerTest, EveryProblemIsReportedAtOnce) {
  const std::string message = Errors(kMinimal +
                                     "server:\n"
                                     "  max_body_bytes: 10\n"
                                     "  webhooks: {hubspot_signature_versions: [v4], max_timestamp_age: 0s}\n"
                                     "  worker: {max_objects: 0, max_attempts: 0}\n");
  EXPECT_THAT(message, HasSubstr("tajo.yaml:7:19: server.max_body_bytes:"));
  EXPECT_THAT(message, HasSubstr("server.webhooks.hubspot_signature_versions[0]:"));
  EXPECT_THAT(message, HasSubstr("server.webhooks.max_timestamp_age:"));
  EXPECT_THAT(message, HasSubstr("server.worker.max_objects:"));
  EXPECT_THAT(message, HasSubstr("server.worker.max_attempts:"));
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 4) << message;
}

// ----- the Brevo token is a secret -------------------------------------------------------------

TEST_F(ConfigServerTest, BrevoTokenIsRegisteredAsASecret) {
  ASSERT_TRUE(Load(kMinimal + kFullServer).ok());
  EXPECT_EQ(Redact("token=" + kBrevoToken + ";"), "token=" + std::string(kRedacted) + ";");
  // Even when the file has errors elsewhere.
  ClearRegisteredSecrets();
  EXPECT_FALSE(Load(kMinimal + "server:\n  webhooks: {brevo_token: brevo-token-with-errors-1}\n  worker: x\n").ok());
  EXPECT_EQ(Redact("brevo-token-with-errors-1"), kRedacted);
}

TEST_F(ConfigServerTest, ErrorsNeverQuoteTheBrevoToken) {
  std::string message = Errors(kMinimal + "server:\n  webhooks:\n    brevo_token: {nested: brevo-secret-in-errors-1}\n");
  EXPECT_EQ(message, "tajo.yaml:8:18: server.webhooks.brevo_token: expected a string, got a mapping");
  message = Errors(kMinimal + "server:\n  webhooks:\n    brevo_token: [brevo-secret-in-errors-2]\n");
  EXPECT_THAT(message, Not(HasSubstr("brevo-secret-in-errors-2")));
  // A good token beside errors in the same section.
  message = Errors(kMinimal + "server:\n  webhooks:\n    brevo_token: brevo-secret-in-errors-3\n"
                              "    hubspot_signature_versions: [v9]\n    max_timestamp_age: 0s\n");
  EXPECT_THAT(message, HasSubstr("server.webhooks.hubspot_signature_versions[0]: expected one of v1, v3"));
  EXPECT_THAT(message, Not(HasSubstr("brevo-secret-in-errors-3")));
  // An unset variable names the variable, not a value.
  ConfigLoadOptions o;
  o.env = MapEnvironment({});
  Result<Config> r = LoadConfigString(kMinimal + "server:\n  webhooks:\n    brevo_token: ${BREVO_WEBHOOK_TOKEN}\n",
                                      "tajo.yaml", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "tajo.yaml:8:18: server.webhooks.brevo_token: environment variable BREVO_WEBHOOK_TOKEN is not "
            "set (set it, or write ${BREVO_WEBHOOK_TOKEN:-default})");
}

// ----- describe and round trip -----------------------------------------------------------------

void ExpectSameServerExceptSecrets(const ServerConfig& a, const ServerConfig& b) {
  EXPECT_EQ(a.listen, b.listen);
  EXPECT_EQ(a.host, b.host);
  EXPECT_EQ(a.port, b.port);
  EXPECT_EQ(a.public_url, b.public_url);
  EXPECT_EQ(a.max_body_bytes, b.max_body_bytes);
  EXPECT_EQ(a.webhooks.hubspot_signature_versions, b.webhooks.hubspot_signature_versions);
  EXPECT_EQ(a.webhooks.max_timestamp_age_ms, b.webhooks.max_timestamp_age_ms);
  EXPECT_EQ(a.webhooks.log_webhooks, b.webhooks.log_webhooks);
  EXPECT_EQ(a.worker.window_ms, b.worker.window_ms);
  EXPECT_EQ(a.worker.max_objects, b.worker.max_objects);
  EXPECT_EQ(a.worker.max_attempts, b.worker.max_attempts);
  EXPECT_EQ(a.worker.retry_base_ms, b.worker.retry_base_ms);
  EXPECT_EQ(a.worker.retry_max_ms, b.worker.retry_max_ms);
}

TEST_F(ConfigServerTest, DescriptionShowsEveryServerKeyAndNoSecret) {
  Result<Config> r = Load(kMinimal + kFullServer);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string d = DescribeEffectiveConfig(*r);
  EXPECT_THAT(d, Not(HasSubstr(kBrevoToken)));
  EXPECT_THAT(d, HasSubstr("brevo_token: " + MaskSecret(kBrevoToken)));
  EXPECT_THAT(d, HasSubstr("max_body_bytes: 2048"));
  EXPECT_THAT(d, HasSubstr("hubspot_signature_versions: [v1]"));
  EXPECT_THAT(d, HasSubstr("max_timestamp_age: 1h"));
  EXPECT_THAT(d, HasSubstr("window_ms: 0"));
  EXPECT_THAT(d, HasSubstr("max_objects: 1000"));
  EXPECT_THAT(d, HasSubstr("max_attempts: 3"));
  EXPECT_THAT(d, HasSubstr("retry_base_ms: 250"));
  EXPECT_THAT(d, HasSubstr("retry_max_ms: 250"));

  // The defaults, with the signature default that applies.
  Result<Config> defaults = Load(kMinimal);
  ASSERT_TRUE(defaults.ok());
  const std::string e = DescribeEffectiveConfig(*defaults);
  for (const char* line : {"max_body_bytes: 1048576", "hubspot_signature_versions: [v3, v1]",
                           "max_timestamp_age: 5m", "brevo_token: \"\"  # not set: Brevo webhooks are refused",
                           "window_ms: 1000", "max_objects: 100", "max_attempts: 8", "retry_base_ms: 1000",
                           "retry_max_ms: 600000"}) {
    EXPECT_THAT(e, HasSubstr(line)) << e;
  }
  Result<Config> oauth = Load(kOAuth);
  ASSERT_TRUE(oauth.ok());
  EXPECT_THAT(DescribeEffectiveConfig(*oauth), HasSubstr("hubspot_signature_versions: [v3]"));
}

TEST_F(ConfigServerTest, DescriptionLoadsBackToTheSameServerConfig) {
  for (const std::string& text : {kMinimal + kFullServer, kMinimal, kOAuth, std::string(""),
                                  kOAuth + "server: {webhooks: {hubspot_signature_versions: [v3, v1], "
                                           "max_timestamp_age: 59m59s}, worker: {retry_max_ms: 86400000}}\n"}) {
    Result<Config> first = Load(text);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    const std::string described = DescribeEffectiveConfig(*first);
    Result<Config> again = LoadConfigString(described, "described.yaml", Options());
    ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << described;
    ExpectSameServerExceptSecrets(first->server, again->server);
    // The token comes back masked, never as itself.
    EXPECT_EQ(again->server.webhooks.brevo_token, MaskSecret(first->server.webhooks.brevo_token));
    // And describing again changes nothing (but the first line, which names the source).
    const std::string twice = DescribeEffectiveConfig(*again);
    EXPECT_EQ(twice.substr(twice.find('\n')), described.substr(described.find('\n')));
  }
}

// ----- the example file ------------------------------------------------------------------------

// examples/tajo.yaml shows the server section commented out, every value at its default: with
// the comment marks removed, it loads and gives exactly the defaults (so the two cannot drift).
TEST_F(ConfigServerTest, ExampleServerSectionDocumentsTheDefaults) {
  std::ifstream in(kSourceDir + "/examples/tajo.yaml");
  ASSERT_TRUE(in) << "examples/tajo.yaml";
  std::string line, server;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line == "# server:") inside = true;
    if (!inside) continue;
    if (!line.starts_with("#")) break;
    server += (line.starts_with("# ") ? line.substr(2) : line.substr(1)) + "\n";
  }
  ASSERT_FALSE(server.empty()) << "no '# server:' block in examples/tajo.yaml";
  ConfigLoadOptions o;
  o.env = MapEnvironment({{"TAJO_API_KEY", "server-api-key-0001"}, {"BREVO_WEBHOOK_TOKEN", ""}});
  Result<Config> r = LoadConfigString(kMinimal + server, "tajo.yaml", o);
  ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << server;
  ExpectDefaultsExceptSignatureVersions(r->server);
  EXPECT_THAT(r->server.webhooks.hubspot_signature_versions,
              ElementsAre(SignatureVersion::kV3, SignatureVersion::kV1));
  EXPECT_EQ(r->server.listen, ServerConfig().listen);
}

}  // namespace
}  // namespace tajo
