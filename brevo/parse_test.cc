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

TEST(BrevoParseTest, AttributesWithOptions) {
  auto attrs = ParseAttributes("GET /v3/contacts/attributes", R"({"attributes":[
      {"name":"LASTNAME","category":"normal","type":"text"},
      {"name":"GENDER","category":"category","type":"text",
       "enumeration":[{"value":1,"label":"Men","valueStr":"1"},{"value":"2","label":"Women"},
                      {"value":0,"valueStr":"7","label":"Other"},{"label":"NoValue"}]},
      {"name":"COUNTRIES","category":"normal","type":"multiple-choice","multiCategoryOptions":["USA","INDIA"]},
      {"name":"EMPTY","category":"normal","type":"multiple-choice","multiCategoryOptions":null,"enumeration":null},
      {"name":"X","category":"calculated","calculatedValue":"COUNT[ORDER_ID]"}]})");
  ASSERT_TRUE(attrs.ok()) << attrs.status().ToString();
  ASSERT_EQ(attrs->size(), 5u);
  EXPECT_TRUE((*attrs)[0].enumeration.empty());
  EXPECT_TRUE((*attrs)[0].multi_options.empty());
  const Attribute& gender = (*attrs)[1];
  ASSERT_EQ(gender.enumeration.size(), 4u);
  EXPECT_EQ(gender.enumeration[0].value, 1);
  EXPECT_EQ(gender.enumeration[0].label, "Men");
  EXPECT_EQ(gender.enumeration[1].value, 2);  // a string of digits
  EXPECT_EQ(gender.enumeration[1].label, "Women");
  EXPECT_EQ(gender.enumeration[2].value, 0);  // "value" wins when it is an integer
  EXPECT_EQ(gender.enumeration[3].value, 0);
  EXPECT_EQ((*attrs)[2].multi_options, (std::vector<std::string>{"USA", "INDIA"}));
  EXPECT_TRUE((*attrs)[3].multi_options.empty());
  EXPECT_EQ((*attrs)[4].category, "calculated");
  EXPECT_EQ((*attrs)[4].type, "");

  struct Case {
    const char* body;
    const char* expect;
  } cases[] = {
      {R"({"attributes":[{"name":"G","enumeration":{}}]})", "attributes[0].enumeration: expected an array"},
      {R"({"attributes":[{"name":"G","enumeration":[3]}]})", "attributes[0].enumeration[0]: expected an object"},
      {R"({"attributes":[{"name":"G","enumeration":[{"value":1}]}]})", "attributes[0].enumeration[0].label: missing"},
      {R"({"attributes":[{"name":"C","multiCategoryOptions":"USA"}]})",
       "attributes[0].multiCategoryOptions: expected an array"},
      {R"({"attributes":[{"name":"C","multiCategoryOptions":[{}]}]})", "attributes[0].multiCategoryOptions[0]"},
  };
  for (const auto& c : cases) {
    auto r = ParseAttributes("GET /v3/contacts/attributes", c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().message();
  }
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

TEST(BrevoParseTest, AccountIsReadDefensively) {
  auto a = ParseAccount("GET /v3/account",
                        R"({"email":"ops@example.com","companyName":"Acme","plan":[{"type":"free","credits":300}]})");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->email, "ops@example.com");
  EXPECT_EQ(a->company_name, "Acme");
  EXPECT_EQ(a->plan_type, "free");
  // Odd fields are left empty rather than failing the connection check.
  auto odd = ParseAccount("GET /v3/account", R"({"email":42,"plan":"pro"})");
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  EXPECT_EQ(odd->email, "");
  EXPECT_EQ(odd->plan_type, "");
  auto bad = ParseAccount("GET /v3/account", "<html>");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("GET /v3/account"), std::string::npos);
}

TEST(BrevoParseTest, Webhooks) {
  auto w = ParseWebhooks("GET /v3/webhooks", R"({"webhooks":[{"id":3,"url":"https://h.example/webhooks/brevo",
      "description":"tajo","type":"marketing","events":["unsubscribed","hardBounce"],"batched":true}]})");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->size(), 1u);
  EXPECT_EQ((*w)[0].id, 3);
  EXPECT_EQ((*w)[0].url, "https://h.example/webhooks/brevo");
  EXPECT_EQ((*w)[0].type, "marketing");
  EXPECT_EQ((*w)[0].events, (std::vector<std::string>{"unsubscribed", "hardBounce"}));
  auto none = ParseWebhooks("GET /v3/webhooks", "{}");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto no_url = ParseWebhooks("GET /v3/webhooks", R"({"webhooks":[{"id":3}]})");
  EXPECT_EQ(no_url.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_url.status().message().find("webhooks[0]"), std::string::npos) << no_url.status().message();
}

}  // namespace
}  // namespace tajo::brevo
