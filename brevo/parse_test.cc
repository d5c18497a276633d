#include "brevo/parse.h"

#include <gtest/gtest.h>

#include "brevo/errors.h"

namespace tajo::brevo {
namespace {

TEST(BrevoParseTest, ContactPage) {
  auto page = ParseContactPage("GET /v3/contacts", R"({"contacts":[{"id":7,"email":"a@b.c","emailBlacklisted":true,
      "smsBlacklisted":false,"createdAt":"2024-01-24T17:39:57.123+01:00","modifiedAt":"2024-01-25T17:39:57.123Z",
      "listIds":[2,3],"attributes":{"FIRSTNAME":"Ana","DEAL_VALUE":12.5,"OPT":true}}],"count":31})");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->count, 31);
  ASSERT_EQ(page->contacts.size(), 1u);
  EXPECT_EQ(page->contacts[0].id, 7);
  EXPECT_TRUE(page->contacts[0].email_blacklisted);
  EXPECT_EQ(page->contacts[0].list_ids, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(page->contacts[0].attributes["DEAL_VALUE"], 12.5);
  // An empty account may answer without "contacts".
  auto empty = ParseContactPage("GET /v3/contacts", R"({"count":0})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->contacts.empty());
}

TEST(BrevoParseTest, MalformedAnswersNameEndpointAndPath) {
  struct Case {
    const char* body;
    const char* expect;
  } cases[] = {
      {"", "not JSON"},
      {"[]", "body: expected an object"},
      {R"({"contacts":{}})", "contacts: expected an array"},
      {R"({"contacts":[{"email":"x"}]})", "contacts[0].id: missing"},
      {R"({"contacts":[{"id":"seven"}]})", "contacts[0].id: expected an integer"},
      {R"({"contacts":[{"id":1,"listIds":["a"]}]})", "contacts[0].listIds[0]: expected an integer"},
      {R"({"contacts":[{"id":1,"attributes":[]}]})", "contacts[0].attributes: expected an object"},
      {R"({"contacts":[],"count":"x"})", "count: expected an integer"},
  };
  for (const auto& c : cases) {
    auto page = ParseContactPage("GET /v3/contacts", c.body);
    ASSERT_FALSE(page.ok()) << c.body;
    EXPECT_NE(page.status().message().find("GET /v3/contacts"), std::string::npos);
    EXPECT_NE(page.status().message().find(c.expect), std::string::npos) << page.status().message();
  }
  EXPECT_FALSE(ParseProcessId("POST /v3/contacts/import", R"({"id":3})").ok());
  EXPECT_FALSE(ParseMembership("POST /x", R"({"contacts":{"success":{}}})").ok());
}

TEST(BrevoErrorsTest, CodesMapWithTheFix) {
  auto err = [](int status, const std::string& body) {
    http::HttpResponse r;
    r.status = status;
    r.body = body;
    return ErrorFromResponse("GET /v3/contacts", r);
  };
  Status s = err(401, R"({"code":"unauthorized","message":"Key not found"})");
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("check brevo.api_key"), std::string::npos);
  s = err(401, R"({"code":"unauthorized","message":"We have detected you are using an unrecognised IP address 1.2.3.4."})");
  EXPECT_NE(s.message().find("Authorised IPs"), std::string::npos);
  EXPECT_EQ(err(404, R"({"code":"document_not_found","message":"Contact does not exist"})").code(), StatusCode::kNotFound);
  EXPECT_EQ(err(400, R"({"code":"duplicate_parameter","message":"Contact already exist"})").code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(err(400, R"({"code":"invalid_parameter","message":"bad"})").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(err(429, "").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(err(503, "<html>").code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tajo::brevo
