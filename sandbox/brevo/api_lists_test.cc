// Attributes, lists, folders, events and the account endpoint over HTTP (in-process router).
#include <gtest/gtest.h>

#include "sandbox/brevo/api_test_util.h"

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;
using testing::BrevoApiTest;
using testing::Reply;

class ListsApiTest : public BrevoApiTest {};

TEST_F(ListsApiTest, AttributesDefaultsCreateUpdateDelete) {
  Reply list = Call("GET", "/v3/contacts/attributes");
  ASSERT_EQ(list.status, 200);
  std::vector<std::string> names;
  for (const auto& a : list.body["attributes"]) names.push_back(a["name"]);
  for (const char* wanted : {"EMAIL", "FIRSTNAME", "LASTNAME", "SMS", "EXT_ID", "WHATSAPP", "LANDLINE_NUMBER"})
    EXPECT_NE(std::find(names.begin(), names.end(), wanted), names.end()) << wanted;

  EXPECT_EQ(Call("POST", "/v3/contacts/attributes/normal/AGE", {{"type", "float"}}).status, 201);
  Reply dup = Call("POST", "/v3/contacts/attributes/normal/AGE", {{"type", "float"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(dup.body["code"], "duplicate_parameter");
  EXPECT_EQ(Call("POST", "/v3/contacts/attributes/nonsense/X", {{"type", "text"}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/contacts/attributes/normal/ORDER_ID", {{"type", "id"}}).status, 400);  // id: transactional only
  EXPECT_EQ(Call("POST", "/v3/contacts/attributes/transactional/ORDER_ID", {{"type", "id"}}).status, 201);
  EXPECT_EQ(Call("POST", "/v3/contacts/attributes/category/GENDER", {{"type", "category"}}).status, 400);  // no enumeration
  EXPECT_EQ(Call("POST", "/v3/contacts/attributes/category/GENDER",
                 {{"type", "category"}, {"enumeration", {{{"value", 1}, {"label", "Men"}}, {{"value", 2}, {"label", "Women"}}}}})
                .status,
            201);
  EXPECT_EQ(Call("POST", "/v3/contacts/attributes/calculated/TOTAL", {{"value", "SUM[ORDER_PRICE]"}}).status, 201);
  EXPECT_EQ(Call("POST", "/v3/contacts/attributes/global/G", {{"value", "1"}, {"isRecurring", "yes"}}).status, 400);
  json gender;
  Reply all = Call("GET", "/v3/contacts/attributes");
  for (const auto& a : all.body["attributes"])
    if (a["name"] == "GENDER") gender = a;
  EXPECT_EQ(gender["category"], "category");
  EXPECT_EQ(gender["enumeration"][1]["label"], "Women");

  EXPECT_EQ(Call("PUT", "/v3/contacts/attributes/category/GENDER",
                 {{"enumeration", {{{"value", 1}, {"label", "Men"}}, {{"value", 2}, {"label", "Women"}}, {{"value", 3}, {"label", "Other"}}}}})
                .status,
            204);
  EXPECT_EQ(Call("PUT", "/v3/contacts/attributes/category/NOPE", {{"enumeration", {{{"value", 1}, {"label", "x"}}}}}).status, 404);
  CreateContact({{"email", "g@example.com"}, {"attributes", {{"GENDER", "Other"}, {"AGE", 41.5}}}});
  json attrs = Call("GET", "/v3/contacts/g%40example.com").body["attributes"];
  EXPECT_EQ(attrs["GENDER"], "Other");
  EXPECT_EQ(attrs["AGE"], 41.5);
  EXPECT_EQ(Call("DELETE", "/v3/contacts/attributes/normal/AGE").status, 204);
  EXPECT_EQ(Call("DELETE", "/v3/contacts/attributes/normal/AGE").status, 404);
  EXPECT_FALSE(Call("GET", "/v3/contacts/g%40example.com").body["attributes"].contains("AGE"));
  EXPECT_EQ(Call("DELETE", "/v3/contacts/attributes/normal/EMAIL").status, 400);
}

TEST_F(ListsApiTest, FoldersListsAndMembership) {
  Reply folder = Call("POST", "/v3/contacts/folders", {{"name", "Marketing"}});
  ASSERT_EQ(folder.status, 201);
  EXPECT_EQ(folder.body, json({{"id", 1}}));
  Reply list = Call("POST", "/v3/contacts/lists", {{"name", "Newsletter"}, {"folderId", 1}});
  ASSERT_EQ(list.status, 201);
  EXPECT_EQ(Call("POST", "/v3/contacts/lists", {{"name", "No folder"}}).body["code"], "missing_parameter");
  for (int i = 1; i <= 3; ++i) CreateContact({{"email", "m" + std::to_string(i) + "@example.com"}});

  Reply add = Call("POST", "/v3/contacts/lists/1/contacts/add", {{"emails", {"m1@example.com", "m2@example.com", "ghost@example.com"}}});
  ASSERT_EQ(add.status, 201) << add.raw;
  EXPECT_EQ(add.body, json({{"contacts", {{"success", {"m1@example.com", "m2@example.com"}}, {"failure", {"ghost@example.com"}}}}}));
  add = Call("POST", "/v3/contacts/lists/1/contacts/add", {{"ids", {1, 3}}});
  EXPECT_EQ(add.body["contacts"]["success"], json::array({3}));
  EXPECT_EQ(add.body["contacts"]["failure"], json::array({1}));  // already in the list
  json too_many = json::array();
  for (int i = 0; i < 151; ++i) too_many.push_back("x" + std::to_string(i) + "@example.com");
  EXPECT_EQ(Call("POST", "/v3/contacts/lists/1/contacts/add", {{"emails", too_many}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/contacts/lists/1/contacts/add", {{"emails", {"a@x.com"}}, {"ids", {1}}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/contacts/lists/9/contacts/add", {{"ids", {1}}}).status, 404);

  Reply got = Call("GET", "/v3/contacts/lists/1");
  EXPECT_EQ(got.body["totalSubscribers"], 3);
  EXPECT_EQ(got.body["folderId"], 1);
  EXPECT_TRUE(got.body.contains("createdAt"));
  Reply lists = Call("GET", "/v3/contacts/lists");
  EXPECT_EQ(lists.body["count"], 1);
  EXPECT_EQ(lists.body["lists"][0]["name"], "Newsletter");
  EXPECT_EQ(Call("GET", "/v3/contacts/lists?limit=51").status, 400);
  Reply members = Call("GET", "/v3/contacts/lists/1/contacts?limit=2");
  EXPECT_EQ(members.body["count"], 3);
  EXPECT_EQ(members.body["contacts"].size(), 2u);
  EXPECT_EQ(Call("GET", "/v3/contacts/lists/1/contacts?limit=501").status, 400);
  EXPECT_EQ(Call("GET", "/v3/contacts?listIds=1").body["count"], 3);
  EXPECT_EQ(Call("GET", "/v3/contacts/folders/1").body["totalSubscribers"], 3);
  EXPECT_EQ(Call("GET", "/v3/contacts/folders/1/lists").body["lists"][0]["id"], 1);

  Reply removed = Call("POST", "/v3/contacts/lists/1/contacts/remove", {{"emails", {"m1@example.com", "nope@example.com"}}});
  EXPECT_EQ(removed.status, 201);
  EXPECT_EQ(removed.body["contacts"]["success"], json::array({"m1@example.com"}));
  Reply all = Call("POST", "/v3/contacts/lists/1/contacts/remove", {{"all", true}});
  EXPECT_EQ(all.status, 201);
  EXPECT_EQ(all.body["contacts"]["total"], 2);
  EXPECT_TRUE(all.body["contacts"]["processId"].is_number_integer());
  EXPECT_EQ(Call("GET", "/v3/contacts/lists/1").body["totalSubscribers"], 0);

  EXPECT_EQ(Call("PUT", "/v3/contacts/lists/1", {{"name", "Renamed"}}).status, 204);
  EXPECT_EQ(Call("PUT", "/v3/contacts/lists/1", {{"name", "X"}, {"folderId", 1}}).status, 400);
  EXPECT_EQ(Call("PUT", "/v3/contacts/folders/1", {{"name", "Sales"}}).status, 204);
  EXPECT_EQ(Call("GET", "/v3/contacts/folders").body["folders"][0]["name"], "Sales");
  EXPECT_EQ(Call("DELETE", "/v3/contacts/lists/1").status, 204);
  EXPECT_EQ(Call("GET", "/v3/contacts/lists/1").status, 404);
  EXPECT_EQ(Call("DELETE", "/v3/contacts/folders/1").status, 204);
  EXPECT_EQ(Call("GET", "/v3/contacts/folders/1").status, 404);
  EXPECT_EQ(Call("GET", "/v3/contacts/folders/abc").status, 400);
}

TEST_F(ListsApiTest, EventsArePostedAndReadBack) {
  CreateContact({{"email", "buyer@example.com"}});
  Reply posted = Call("POST", "/v3/events",
                      {{"event_name", "deal_stage_changed"},
                       {"identifiers", {{"email_id", "buyer@example.com"}}},
                       {"contact_properties", {{"FIRSTNAME", "Bea"}}},
                       {"event_properties", {{"stage", "closedwon"}, {"amount", 1200}}}});
  EXPECT_EQ(posted.status, 204) << posted.raw;
  EXPECT_TRUE(posted.raw.empty());
  EXPECT_EQ(Call("GET", "/v3/contacts/1").body["attributes"]["FIRSTNAME"], "Bea");
  EXPECT_EQ(Call("POST", "/v3/events", {{"event_name", "bad name!"}, {"identifiers", {{"email_id", "a@x.com"}}}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/events", {{"event_name", "ok"}}).body["code"], "missing_parameter");
  EXPECT_EQ(Call("POST", "/v3/events", {{"event_name", "ok"}, {"identifiers", json::object()}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/events", {{"event_name", "ok"}, {"identifiers", {{"email_id", "b@x.com"}}}, {"event_date", "soon"}}).status,
            400);
  // An unknown identifier creates the contact (a setting; UNCONFIRMED in the reference).
  EXPECT_EQ(Call("POST", "/v3/events", {{"event_name", "signup"}, {"identifiers", {{"email_id", "new@example.com"}}}}).status, 204);
  EXPECT_EQ(Call("GET", "/v3/contacts/new%40example.com").status, 200);
  Reply read = Call("GET", "/v3/events?contact_id=1");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["count"], 1);
  EXPECT_EQ(read.body["events"][0]["event_name"], "deal_stage_changed");
  EXPECT_EQ(read.body["events"][0]["event_properties"]["stage"], "closedwon");
  EXPECT_EQ(Call("GET", "/v3/events?event_name=signup").body["count"], 1);
}

TEST_F(ListsApiTest, AccountEndpointShowsThePlan) {
  Reply r = Call("GET", "/v3/account");
  ASSERT_EQ(r.status, 200);
  for (const char* key : {"email", "firstName", "lastName", "companyName", "address", "plan", "relay"})
    EXPECT_TRUE(r.body.contains(key)) << key;
}

}  // namespace
}  // namespace tajo::sandbox::brevo
