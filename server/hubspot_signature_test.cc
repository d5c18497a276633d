// HubSpot signatures: the published vectors, the v3 URI decoding rule, and request verification
// (versions, timestamps, URIs, headers, messages).
#include "server/hubspot_signature.h"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tajo::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
constexpr char kUri[] = "https://www.example.com/webhook_uri";
constexpr char kSingleQuoted[] = "{'example_field':'example_value'}";
constexpr char kN1Body[] =
    R"([{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}])";

// ---- Published vectors ------------------------------------------------------------------------

TEST(HubSpotSignatureTest, HardCodedVectors) {
  // N1: HubSpot docs v1 example.
  EXPECT_EQ(HubSpotSignatureV1(kSecret, kN1Body), "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de");
  // P3: hubspot-api-python test_get_signature__v3.
  EXPECT_EQ(HubSpotSignatureV3(kSecret, "POST", kUri, kSingleQuoted, "1693657560000"),
            "K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=");
  // R3: hubspot-api-ruby TEST_DATA[:v3_hash].
  EXPECT_EQ(HubSpotSignatureV3(kSecret, "POST", kUri, kSingleQuoted, "1700000300000"),
            "RnbPH7+UMKVkbV32P8bz450N4M56aPmcru1+D3kSDtw=");
  // L1: computed locally with the node SDK and openssl.
  EXPECT_EQ(HubSpotSignatureV3(kSecret, "POST", kUri, R"({"example_field":"example_value"})", "1700000000000"),
            "rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=");
}

TEST(HubSpotSignatureTest, EveryV1AndV3VectorOfTheSharedFile) {
  const std::string path = std::string(TAJO_SOURCE_DIR) + "/../shared/reference/specs/signature_vectors.json";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  ASSERT_TRUE(doc.is_object()) << path << " is not a JSON object";
  const std::string secret = doc.at("client_secret").get<std::string>();
  int checked = 0;
  for (const auto& v : doc.at("vectors")) {
    const std::string id = v.at("id").get<std::string>();
    const std::string version = v.at("version").get<std::string>();
    const std::string body = v.at("body").get<std::string>();
    const std::string expected = v.at("expected").get<std::string>();
    if (version == "v1") {
      EXPECT_EQ(HubSpotSignatureV1(secret, body), expected) << id;
      ++checked;
    } else if (version == "v3") {
      EXPECT_EQ(HubSpotSignatureV3(secret, v.at("method").get<std::string>(),
                                   HubSpotSignedUri(v.at("url").get<std::string>()), body,
                                   v.at("timestamp").get<std::string>()),
                expected)
          << id;
      ++checked;
    }
  }
  EXPECT_GE(checked, 5) << "expected N1, P1, P3, R3 and L1 at least";
}

// ---- URI decoding (hubspot-api.md §7.2 table) -------------------------------------------------

TEST(HubSpotSignedUriTest, DecodesExactlyTheListedEscapes) {
  const std::pair<const char*, const char*> cases[] = {
      {"%3A", ":"}, {"%2F", "/"}, {"%3F", "?"}, {"%40", "@"}, {"%21", "!"}, {"%24", "$"},
      {"%27", "'"}, {"%28", "("}, {"%29", ")"}, {"%2A", "*"}, {"%2C", ","}, {"%3B", ";"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(HubSpotSignedUri(in), out) << in;
}

TEST(HubSpotSignedUriTest, HexIsCaseInsensitive) {
  EXPECT_EQ(HubSpotSignedUri("%3a%2f%2a%2c%3b"), ":/*,;");
  EXPECT_EQ(HubSpotSignedUri("%3A%3a"), "::");
}

TEST(HubSpotSignedUriTest, KeepsEveryOtherEscapeAndByte) {
  EXPECT_EQ(HubSpotSignedUri("%20%25%26%3D%2B%23%7E%C3%A9"), "%20%25%26%3D%2B%23%7E%C3%A9");
  EXPECT_EQ(HubSpotSignedUri("%253A"), "%253A");  // decoded once: "%25" stays, "3A" is plain text
  EXPECT_EQ(HubSpotSignedUri("a+b c"), "a+b c");
}

TEST(HubSpotSignedUriTest, MalformedEscapesStayAsTheyAre) {
  EXPECT_EQ(HubSpotSignedUri("%"), "%");
  EXPECT_EQ(HubSpotSignedUri("%3"), "%3");
  EXPECT_EQ(HubSpotSignedUri("x%3"), "x%3");
  EXPECT_EQ(HubSpotSignedUri("%zz%3"), "%zz%3");
  EXPECT_EQ(HubSpotSignedUri("%%3A"), "%:");
  EXPECT_EQ(HubSpotSignedUri(""), "");
}

TEST(HubSpotSignedUriTest, FullUrlWithQuery) {
  EXPECT_EQ(HubSpotSignedUri("https://tajo.example.com/webhooks/hubspot?portal=62515&next=%2Fa%20b%3Fc%3Dd"),
            "https://tajo.example.com/webhooks/hubspot?portal=62515&next=/a%20b?c%3Dd");
  EXPECT_EQ(HubSpotSignedUri(kUri), kUri);
}

// ---- VerifyHubSpotRequest ---------------------------------------------------------------------

constexpr char kAppSecret[] = "app-client-secret-0f4c9a7e";
constexpr char kOrigin[] = "https://tajo.example.com";
constexpr char kTarget[] = "/webhooks/hubspot?connection=hubspot";
constexpr int64_t kNow = 1'700'000'000'000;

http::HttpRequest BaseRequest() {
  http::HttpRequest r;
  r.method = "POST";
  r.target = kTarget;
  r.body = kN1Body;
  r.headers.Set("Host", "127.0.0.1:8080");
  r.headers.Set("Content-Type", "application/json");
  return r;
}

// Signed with v3 over `origin + target` (as HubSpot would: the registered URL).
http::HttpRequest V3Request(int64_t ts = kNow - 1000, const std::string& origin = kOrigin,
                            const std::string& secret = kAppSecret) {
  http::HttpRequest r = BaseRequest();
  const std::string timestamp = std::to_string(ts);
  r.headers.Set("X-HubSpot-Request-Timestamp", timestamp);
  r.headers.Set("X-HubSpot-Signature-v3",
                HubSpotSignatureV3(secret, r.method, HubSpotSignedUri(origin + r.target), r.body, timestamp));
  return r;
}

http::HttpRequest V1Request(const std::string& secret = kAppSecret) {
  http::HttpRequest r = BaseRequest();
  r.headers.Set("X-HubSpot-Signature-Version", "v1");
  r.headers.Set("X-HubSpot-Signature", HubSpotSignatureV1(secret, r.body));
  return r;
}

HubSpotVerifyOptions Options(std::vector<SignatureVersion> accepted = {SignatureVersion::kV3, SignatureVersion::kV1}) {
  HubSpotVerifyOptions o;
  o.client_secret = kAppSecret;
  o.accepted = std::move(accepted);
  o.public_url = kOrigin;
  return o;
}

// Every refusal is Unauthenticated and never quotes the secret or the signature it expected.
void ExpectRefused(const Status& s, const http::HttpRequest& r, const HubSpotVerifyOptions& o,
                   const std::string& reason) {
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr(reason));
  EXPECT_THAT(s.message(), Not(HasSubstr(o.client_secret)));
  if (auto ts = r.headers.Get("X-HubSpot-Request-Timestamp")) {
    const std::string expected_v3 =
        HubSpotSignatureV3(o.client_secret, r.method, HubSpotSignedUri(o.public_url + r.target), r.body, *ts);
    EXPECT_THAT(s.message(), Not(HasSubstr(expected_v3)));
  }
  EXPECT_THAT(s.message(), Not(HasSubstr(HubSpotSignatureV1(o.client_secret, r.body))));
}

TEST(VerifyHubSpotRequestTest, GoodV3) {
  EXPECT_TRUE(VerifyHubSpotRequest(V3Request(), Options(), kNow).ok());
  EXPECT_TRUE(VerifyHubSpotRequest(V3Request(), Options({SignatureVersion::kV3}), kNow).ok());
}

TEST(VerifyHubSpotRequestTest, PublishedV3VectorThroughTheVerifier) {
  // L1 as a request: https://www.example.com/webhook_uri, POST, fixed timestamp.
  http::HttpRequest r;
  r.method = "POST";
  r.target = "/webhook_uri";
  r.body = R"({"example_field":"example_value"})";
  r.headers.Set("X-HubSpot-Request-Timestamp", "1700000000000");
  r.headers.Set("X-HubSpot-Signature-v3", "rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=");
  HubSpotVerifyOptions o;
  o.client_secret = kSecret;
  o.accepted = {SignatureVersion::kV3};
  o.public_url = "https://www.example.com";
  EXPECT_TRUE(VerifyHubSpotRequest(r, o, 1'700'000'000'000 + 60'000).ok());
}

TEST(VerifyHubSpotRequestTest, GoodV1) {
  EXPECT_TRUE(VerifyHubSpotRequest(V1Request(), Options(), kNow).ok());
  EXPECT_TRUE(VerifyHubSpotRequest(V1Request(), Options({SignatureVersion::kV1}), kNow).ok());
}

TEST(VerifyHubSpotRequestTest, V1SignatureInUpperCaseHexIsAccepted) {
  http::HttpRequest r = V1Request();
  std::string sig = *r.headers.Get("X-HubSpot-Signature");
  for (char& c : sig) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  r.headers.Set("X-HubSpot-Signature", sig);
  EXPECT_TRUE(VerifyHubSpotRequest(r, Options(), kNow).ok());
}

TEST(VerifyHubSpotRequestTest, V1WithoutVersionHeaderIsTakenAsV1) {
  http::HttpRequest r = V1Request();
  r.headers.Remove("X-HubSpot-Signature-Version");
  EXPECT_TRUE(VerifyHubSpotRequest(r, Options(), kNow).ok());
}

TEST(VerifyHubSpotRequestTest, WrongSecret) {
  const HubSpotVerifyOptions o = Options();
  http::HttpRequest v3 = V3Request(kNow - 1000, kOrigin, "another-secret");
  ExpectRefused(VerifyHubSpotRequest(v3, o, kNow), v3, o, "signature v3 does not match");
  http::HttpRequest v1 = V1Request("another-secret");
  ExpectRefused(VerifyHubSpotRequest(v1, o, kNow), v1, o, "signature v1 does not match");
}

TEST(VerifyHubSpotRequestTest, TamperedBody) {
  const HubSpotVerifyOptions o = Options();
  http::HttpRequest v3 = V3Request();
  v3.body.replace(v3.body.find("123"), 3, "124");
  ExpectRefused(VerifyHubSpotRequest(v3, o, kNow), v3, o, "does not match");
  http::HttpRequest v1 = V1Request();
  v1.body += " ";
  ExpectRefused(VerifyHubSpotRequest(v1, o, kNow), v1, o, "does not match");
}

TEST(VerifyHubSpotRequestTest, TamperedUriNamesTheSignedUri) {
  // HubSpot signed https://other.example.com/...; tajo believes it is https://tajo.example.com.
  const HubSpotVerifyOptions o = Options();
  http::HttpRequest other_origin = V3Request(kNow - 1000, "https://other.example.com");
  Status s = VerifyHubSpotRequest(other_origin, o, kNow);
  ExpectRefused(s, other_origin, o, "signature v3 does not match");
  EXPECT_THAT(s.message(), HasSubstr("POST https://tajo.example.com/webhooks/hubspot?connection=hubspot"));

  http::HttpRequest other_target = V3Request();
  other_target.target = "/webhooks/hubspot?connection=other";
  ExpectRefused(VerifyHubSpotRequest(other_target, o, kNow), other_target, o,
                "https://tajo.example.com/webhooks/hubspot?connection=other");

  http::HttpRequest other_method = V3Request();
  other_method.method = "PUT";
  ExpectRefused(VerifyHubSpotRequest(other_method, o, kNow), other_method, o, "does not match");
}

TEST(VerifyHubSpotRequestTest, MismatchMessageRedactsTokensInTheQuery) {
  const HubSpotVerifyOptions o = Options();
  http::HttpRequest r = V3Request(kNow, kOrigin, "wrong");
  r.target = "/webhooks/hubspot?token=query-token-123456";
  r.headers.Set("X-HubSpot-Signature-v3", HubSpotSignatureV3("wrong", "POST", kOrigin + r.target, r.body,
                                                             *r.headers.Get("X-HubSpot-Request-Timestamp")));
  Status s = VerifyHubSpotRequest(r, o, kNow);
  ExpectRefused(s, r, o, "signature v3 does not match");
  EXPECT_THAT(s.message(), Not(HasSubstr("query-token-123456")));
}

TEST(VerifyHubSpotRequestTest, TrailingSlashOfPublicUrlIsIgnored) {
  HubSpotVerifyOptions o = Options();
  o.public_url = std::string(kOrigin) + "/";
  EXPECT_TRUE(VerifyHubSpotRequest(V3Request(), o, kNow).ok());
}

TEST(VerifyHubSpotRequestTest, EncodedCharactersInTheTargetAreDecodedAsHubSpotDoes) {
  // HubSpot hashes the decoded URI; the request line carries the encoded one.
  http::HttpRequest r = BaseRequest();
  r.target = "/webhooks/hubspot?next=%2Fa%3Ab%20c";
  const std::string ts = std::to_string(kNow);
  r.headers.Set("X-HubSpot-Request-Timestamp", ts);
  r.headers.Set("X-HubSpot-Signature-v3",
                HubSpotSignatureV3(kAppSecret, "POST", std::string(kOrigin) + "/webhooks/hubspot?next=/a:b%20c",
                                   r.body, ts));
  EXPECT_TRUE(VerifyHubSpotRequest(r, Options(), kNow).ok());
}

TEST(VerifyHubSpotRequestTest, OriginFromHostHeaderWhenNoPublicUrl) {
  HubSpotVerifyOptions o = Options();
  o.public_url = "";
  EXPECT_TRUE(VerifyHubSpotRequest(V3Request(kNow, "http://127.0.0.1:8080"), o, kNow).ok());
  EXPECT_FALSE(VerifyHubSpotRequest(V3Request(kNow, "https://127.0.0.1:8080"), o, kNow).ok());
}

TEST(VerifyHubSpotRequestTest, OriginFromForwardedHeaders) {
  HubSpotVerifyOptions o = Options();
  o.public_url = "";
  http::HttpRequest r = V3Request(kNow, "https://hooks.example.org");
  r.headers.Set("X-Forwarded-Proto", "https");
  r.headers.Set("X-Forwarded-Host", "hooks.example.org, proxy.internal");
  EXPECT_TRUE(VerifyHubSpotRequest(r, o, kNow).ok());

  // Only the scheme is forwarded: the host comes from Host.
  http::HttpRequest proto_only = V3Request(kNow, "https://127.0.0.1:8080");
  proto_only.headers.Set("X-Forwarded-Proto", "https");
  EXPECT_TRUE(VerifyHubSpotRequest(proto_only, o, kNow).ok());
}

TEST(VerifyHubSpotRequestTest, NoHostAndNoPublicUrl) {
  HubSpotVerifyOptions o = Options();
  o.public_url = "";
  http::HttpRequest r = V3Request(kNow, "http://127.0.0.1:8080");
  r.headers.Remove("Host");
  ExpectRefused(VerifyHubSpotRequest(r, o, kNow), r, o, "no Host header");
}

TEST(VerifyHubSpotRequestTest, TimestampWindow) {
  const HubSpotVerifyOptions o = Options();
  // Exactly 5 minutes old: accepted (the SDKs refuse only now - ts > 300000).
  EXPECT_TRUE(VerifyHubSpotRequest(V3Request(kNow - 300'000), o, kNow).ok());
  // One millisecond more: refused.
  http::HttpRequest just_over = V3Request(kNow - 300'001);
  ExpectRefused(VerifyHubSpotRequest(just_over, o, kNow), just_over, o, "300001 ms old");
  // Six minutes old: refused, even though the signature is right.
  http::HttpRequest old = V3Request(kNow - 360'000);
  Status s = VerifyHubSpotRequest(old, o, kNow);
  ExpectRefused(s, old, o, "360000 ms old");
  EXPECT_THAT(s.message(), HasSubstr("300000 ms allowed"));
  // The future is allowed, like the SDKs.
  EXPECT_TRUE(VerifyHubSpotRequest(V3Request(kNow + 600'000), o, kNow).ok());
}

TEST(VerifyHubSpotRequestTest, MaxAgeIsConfigurable) {
  HubSpotVerifyOptions o = Options();
  o.max_age_ms = 60'000;
  EXPECT_TRUE(VerifyHubSpotRequest(V3Request(kNow - 60'000), o, kNow).ok());
  EXPECT_FALSE(VerifyHubSpotRequest(V3Request(kNow - 60'001), o, kNow).ok());
}

TEST(VerifyHubSpotRequestTest, TimestampNotANumber) {
  const HubSpotVerifyOptions o = Options();
  for (const char* bad : {"abc", "1700000000000.5", "-5", "1.7e12", "99999999999999999999999", "0x10"}) {
    http::HttpRequest r = V3Request();
    r.headers.Set("X-HubSpot-Request-Timestamp", bad);
    ExpectRefused(VerifyHubSpotRequest(r, o, kNow), r, o, "is not a number of milliseconds");
  }
}

TEST(VerifyHubSpotRequestTest, MissingHeaders) {
  const HubSpotVerifyOptions o = Options();
  http::HttpRequest no_ts = V3Request();
  no_ts.headers.Remove("X-HubSpot-Request-Timestamp");
  ExpectRefused(VerifyHubSpotRequest(no_ts, o, kNow), no_ts, o, "missing X-HubSpot-Request-Timestamp header");

  http::HttpRequest none = BaseRequest();
  ExpectRefused(VerifyHubSpotRequest(none, o, kNow), none, o,
                "missing HubSpot signature header (X-HubSpot-Signature-v3 or X-HubSpot-Signature");
  ExpectRefused(VerifyHubSpotRequest(none, Options({SignatureVersion::kV3}), kNow), none, o,
                "missing HubSpot signature header (X-HubSpot-Signature-v3;");
}

TEST(VerifyHubSpotRequestTest, HeaderNamesAreCaseInsensitive) {
  http::HttpRequest r = BaseRequest();
  const std::string ts = std::to_string(kNow);
  r.headers.Set("x-hubspot-request-timestamp", ts);
  r.headers.Set("X-HUBSPOT-SIGNATURE-V3",
                HubSpotSignatureV3(kAppSecret, "POST", std::string(kOrigin) + kTarget, r.body, ts));
  EXPECT_TRUE(VerifyHubSpotRequest(r, Options({SignatureVersion::kV3}), kNow).ok());
}

TEST(VerifyHubSpotRequestTest, V1NotAcceptedWhenOnlyV3Allowed) {
  const HubSpotVerifyOptions o = Options({SignatureVersion::kV3});
  http::HttpRequest r = V1Request();
  ExpectRefused(VerifyHubSpotRequest(r, o, kNow), r, o, "signed only with v1");
}

TEST(VerifyHubSpotRequestTest, V3NotAcceptedWhenOnlyV1AllowedFallsBackToV1) {
  const HubSpotVerifyOptions o = Options({SignatureVersion::kV1});
  http::HttpRequest only_v3 = V3Request();
  ExpectRefused(VerifyHubSpotRequest(only_v3, o, kNow), only_v3, o, "signed only with v3");

  http::HttpRequest both = V1Request();
  both.headers.Set("X-HubSpot-Signature-v3", "not-checked");
  EXPECT_TRUE(VerifyHubSpotRequest(both, o, kNow).ok());
}

TEST(VerifyHubSpotRequestTest, V3WinsWhenBothArePresent) {
  const HubSpotVerifyOptions o = Options();
  // A valid v1 does not rescue a stale v3.
  http::HttpRequest r = V3Request(kNow - 360'000);
  r.headers.Set("X-HubSpot-Signature-Version", "v1");
  r.headers.Set("X-HubSpot-Signature", HubSpotSignatureV1(kAppSecret, r.body));
  ExpectRefused(VerifyHubSpotRequest(r, o, kNow), r, o, "ms old");
  // ... nor a wrong v3.
  r = V3Request(kNow, kOrigin, "wrong");
  r.headers.Set("X-HubSpot-Signature-Version", "v1");
  r.headers.Set("X-HubSpot-Signature", HubSpotSignatureV1(kAppSecret, r.body));
  ExpectRefused(VerifyHubSpotRequest(r, o, kNow), r, o, "signature v3 does not match");
}

TEST(VerifyHubSpotRequestTest, V2IsNotSupported) {
  const HubSpotVerifyOptions o = Options();
  http::HttpRequest r = V1Request();
  r.headers.Set("X-HubSpot-Signature-Version", "v2");
  ExpectRefused(VerifyHubSpotRequest(r, o, kNow), r, o, "version \"v2\" is not supported");
}

TEST(VerifyHubSpotRequestTest, NothingConfigured) {
  HubSpotVerifyOptions no_secret = Options();
  no_secret.client_secret = "";
  http::HttpRequest r = V3Request(kNow, kOrigin, "");
  EXPECT_EQ(VerifyHubSpotRequest(r, no_secret, kNow).code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(VerifyHubSpotRequest(r, no_secret, kNow).message(), HasSubstr("no HubSpot client secret"));

  HubSpotVerifyOptions no_version = Options({});
  EXPECT_THAT(VerifyHubSpotRequest(V3Request(), no_version, kNow).message(),
              HasSubstr("no HubSpot signature version is accepted"));
}

TEST(VerifyHubSpotRequestTest, EmptyOrTruncatedSignatureIsRefused) {
  const HubSpotVerifyOptions o = Options();
  http::HttpRequest r = V3Request();
  const std::string good = *r.headers.Get("X-HubSpot-Signature-v3");
  for (const std::string& bad : {std::string(), good.substr(0, 43), good + "=", good.substr(1)}) {
    r.headers.Set("X-HubSpot-Signature-v3", bad);
    ExpectRefused(VerifyHubSpotRequest(r, o, kNow), r, o, "does not match");
  }
}

}  // namespace
}  // namespace tajo::server
