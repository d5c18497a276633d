#include "http/message.h"

#include <gtest/gtest.h>

namespace tajo::http {
namespace {

TEST(HeadersTest, LookupIsCaseInsensitiveAndSetReplaces) {
  Headers h;
  h.Add("Content-Type", "text/plain");
  h.Add("X-A", "1");
  h.Add("x-a", "2");
  EXPECT_EQ(h.Get("content-type"), "text/plain");
  EXPECT_EQ(h.GetAll("X-A"), (std::vector<std::string>{"1", "2"}));
  h.Set("X-a", "3");
  EXPECT_EQ(h.GetAll("x-A"), (std::vector<std::string>{"3"}));
  h.Remove("CONTENT-TYPE");
  EXPECT_FALSE(h.Has("content-type"));
}

TEST(UrlTest, EncodeDecodeRoundTrip) {
  std::string s = "a b&c=d/é~._-";
  EXPECT_EQ(UrlEncode(s), "a%20b%26c%3Dd%2F%C3%A9~._-");
  EXPECT_EQ(UrlDecode(UrlEncode(s)), s);
  EXPECT_EQ(UrlDecode("a+b", true), "a b");
  EXPECT_EQ(UrlDecode("a+b", false), "a+b");
}

TEST(UrlTest, MalformedPercentSequencesAreKept) {
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(UrlDecode("%41"), "A");
}

TEST(UrlTest, ParseQueryKeepsRepeatsAndOrder) {
  auto q = ParseQuery("properties=a&properties=b&limit=100&empty&x=%20y+z");
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"properties", "a"}));
  EXPECT_EQ(q[1].second, "b");
  EXPECT_EQ(q[3], (std::pair<std::string, std::string>{"empty", ""}));
  EXPECT_EQ(q[4].second, " y z");
  EXPECT_EQ(BuildQuery({{"a b", "c&d"}}), "a%20b=c%26d");
}

TEST(HttpRequestTest, SplitsTargetIntoPathAndQuery) {
  HttpRequest r;
  r.target = "/crm/v3/objects/contacts%2Fx?limit=10&properties=email,firstname&properties=phone";
  EXPECT_EQ(r.RawPath(), "/crm/v3/objects/contacts%2Fx");
  EXPECT_EQ(r.Path(), "/crm/v3/objects/contacts/x");
  EXPECT_EQ(r.Query("limit"), "10");
  EXPECT_EQ(r.QueryAll("properties"), (std::vector<std::string>{"email,firstname", "phone"}));
  EXPECT_FALSE(r.Query("after").has_value());
  r.target = "/nothing";
  EXPECT_EQ(r.RawQuery(), "");
}

}  // namespace
}  // namespace tajo::http
