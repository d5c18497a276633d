// The contacts endpoints over HTTP (in-process router): paths, status codes, bodies and errors.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "http/message.h"
#include "sandbox/brevo/api_test_util.h"
#include "sandbox/common/time_format.h"

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;
using testing::BrevoApiTest;
using testing::Reply;

class ContactsApiTest : public BrevoApiTest {};

TEST_F(ContactsApiTest, MissingOrUnknownKeyIs401KeyNotFound) {
  for (const std::string& key : {std::string(), std::string("xkeysib-wrong")}) {
    Reply r = Call("GET", "/v3/contacts", nullptr, key);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, json({{"code", "unauthorized"}, {"message", "Key not found"}}));
  }
  EXPECT_EQ(Call("GET", "/v3/contacts").status, 200);
}

TEST_F(ContactsApiTest, AnUnsupportedMethodIsABrevo405) {
  Reply r = Call("PATCH", "/v3/contacts");  // the path has GET and POST only
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("Allow").value_or(""), "GET, POST");
  EXPECT_EQ(r.body["code"], "method_not_allowed") << r.raw;
  EXPECT_TRUE(r.body["message"].is_string());
}

TEST_F(ContactsApiTest, CreateGetUpdateDeleteHappyPathAndErrors) {
  Reply created = Call("POST", "/v3/contacts",
                       {{"email", "Elodie.Lefevre@Example.com"},
                        {"ext_id", "hs-42"},
                        {"attributes", {{"FIRSTNAME", "Élodie"}, {"SMS", "+33 6 12 34 56 78"}}}});
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body, json({{"id", 1}}));
  EXPECT_EQ(created.headers.Get("Content-Type"), "application/json; charset=utf-8");

  Reply dup = Call("POST", "/v3/contacts", {{"email", "elodie.lefevre@example.com"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(dup.body, json({{"code", "duplicate_parameter"}, {"message", "Contact already exist"}}));
  Reply upsert = Call("POST", "/v3/contacts",
                      {{"email", "elodie.lefevre@example.com"}, {"updateEnabled", true}, {"attributes", {{"LASTNAME", "Lefèvre"}}}});
  EXPECT_EQ(upsert.status, 204);
  EXPECT_TRUE(upsert.raw.empty());

  // Every way to name the contact.
  for (const std::string& target : std::vector<std::string>{
           "/v3/contacts/1", "/v3/contacts/" + http::UrlEncode("elodie.lefevre@example.com"),
        "/v3/contacts/hs-42?identifierType=ext_id", "/v3/contacts/" + http::UrlEncode("+33612345678") + "?identifierType=phone_id",
        "/v3/contacts/33612345678", "/v3/contacts/1?identifierType=contact_id"}) {
    Reply got = Call("GET", target);
    ASSERT_EQ(got.status, 200) << target << " " << got.raw;
    EXPECT_EQ(got.body["id"], 1) << target;
    EXPECT_EQ(got.body["email"], "elodie.lefevre@example.com");
    EXPECT_EQ(got.body["attributes"]["LASTNAME"], "Lefèvre");
    EXPECT_EQ(got.body["attributes"]["EXT_ID"], "hs-42");
    EXPECT_EQ(got.body["attributes"]["SMS"], "33612345678");
    for (const char* key : {"emailBlacklisted", "smsBlacklisted", "createdAt", "modifiedAt", "listIds", "statistics"})
      EXPECT_TRUE(got.body.contains(key)) << key;
  }
  EXPECT_EQ(Call("GET", "/v3/contacts/1?identifierType=nope").status, 400);
  Reply missing = Call("GET", "/v3/contacts/nobody%40example.com");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, json({{"code", "document_not_found"}, {"message", "Contact does not exist"}}));

  Reply put = Call("PUT", "/v3/contacts/hs-42?identifierType=ext_id",
                   {{"attributes", {{"EMAIL", "elodie@example.org"}, {"FIRSTNAME", "Elodie"}}}, {"emailBlacklisted", true}});
  EXPECT_EQ(put.status, 204) << put.raw;
  Reply after = Call("GET", "/v3/contacts/elodie%40example.org");
  EXPECT_EQ(after.body["attributes"]["FIRSTNAME"], "Elodie");
  EXPECT_EQ(after.body["emailBlacklisted"], true);
  Reply put_unknown = Call("PUT", "/v3/contacts/ghost%40example.com", {{"attributes", {{"FIRSTNAME", "G"}}}});
  EXPECT_EQ(put_unknown.status, 404);
  EXPECT_EQ(put_unknown.body["message"], "Contact does not exist");
  EXPECT_EQ(Call("GET", "/v3/contacts/ghost%40example.com").status, 404);  // PUT never creates

  EXPECT_EQ(Call("DELETE", "/v3/contacts/elodie%40example.org").status, 204);
  EXPECT_EQ(Call("DELETE", "/v3/contacts/elodie%40example.org").status, 404);
  EXPECT_EQ(Call("GET", "/v3/contacts/1").status, 404);
}

TEST_F(ContactsApiTest, BadBodiesAreClear400s) {
  Reply r = RawCall("POST", "/v3/contacts", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["code"], "bad_request");
  r = Call("POST", "/v3/contacts", {{"email", 42}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["message"], "email must be a string");
  r = Call("POST", "/v3/contacts", {{"attributes", {{"FIRSTNAME", "Nobody"}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["code"], "missing_parameter");
  r = Call("POST", "/v3/contacts", {{"email", "a@example.com"}, {"listIds", {99}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["code"], "invalid_parameter");
  r = Call("POST", "/v3/contacts", {{"email", "a@example.com"}, {"attributes", {{"SMS", "0612345678"}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body["message"].get<std::string>().find("country code"), std::string::npos);
}

TEST_F(ContactsApiTest, ListPagesAndFilters) {
  for (int i = 1; i <= 12; ++i) CreateContact({{"email", "p" + std::to_string(i) + "@example.com"}});
  int64_t cutoff = clock_.NowMillis();
  clock_.Advance(1'000'000);
  ASSERT_EQ(Call("PUT", "/v3/contacts/4", {{"attributes", {{"FIRSTNAME", "Four"}}}}).status, 204);

  Reply page = Call("GET", "/v3/contacts?limit=5&offset=0");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body["count"], 12);
  ASSERT_EQ(page.body["contacts"].size(), 5u);
  EXPECT_EQ(page.body["contacts"][0]["id"], 12);  // newest first by default
  EXPECT_FALSE(page.body["contacts"][0].contains("statistics"));
  page = Call("GET", "/v3/contacts?limit=5&offset=10&sort=asc");
  ASSERT_EQ(page.body["contacts"].size(), 2u);
  EXPECT_EQ(page.body["contacts"][0]["id"], 11);
  EXPECT_EQ(Call("GET", "/v3/contacts").body["contacts"].size(), 12u);  // default limit 50

  std::string since = http::UrlEncode(FormatIsoMillis(cutoff));
  page = Call("GET", "/v3/contacts?modifiedSince=" + since);
  EXPECT_EQ(page.body["count"], 1);
  EXPECT_EQ(page.body["contacts"][0]["id"], 4);
  // The same instant written with an offset, its '+' sent unencoded (it arrives as a space).
  std::string local = FormatBrevoTime(cutoff, 60);
  local.replace(local.find('+'), 1, "%2B");
  EXPECT_EQ(Call("GET", "/v3/contacts?modifiedSince=" + local).body["count"], 1);
  std::string raw_plus = FormatBrevoTime(cutoff, 60);
  EXPECT_EQ(Call("GET", "/v3/contacts?modifiedSince=" + raw_plus).body["count"], 1);

  EXPECT_EQ(Call("GET", "/v3/contacts?limit=1001").status, 400);
  EXPECT_EQ(Call("GET", "/v3/contacts?limit=1001").body["code"], "out_of_range");
  EXPECT_EQ(Call("GET", "/v3/contacts?limit=ten").status, 400);
  EXPECT_EQ(Call("GET", "/v3/contacts?sort=sideways").status, 400);
  EXPECT_EQ(Call("GET", "/v3/contacts?modifiedSince=yesterday").status, 400);
  EXPECT_EQ(Call("GET", "/v3/contacts?ids=1,2,3").body["count"], 3);
  EXPECT_EQ(Call("GET", "/v3/contacts?filter=" + http::UrlEncode("equals(FIRSTNAME,\"Four\")")).body["count"], 1);
  EXPECT_EQ(Call("GET", "/v3/contacts?filter=bogus").status, 400);
}

TEST_F(ContactsApiTest, BatchUpdateAllOrNothing) {
  CreateContact({{"email", "a@example.com"}});
  CreateContact({{"email", "b@example.com"}});
  json body = {{"contacts",
                {{{"email", "a@example.com"}, {"attributes", {{"FIRSTNAME", "A"}}}},
                 {{"id", 2}, {"attributes", {{"FIRSTNAME", "B"}}}},
                 {{"email", "c@example.com"}, {"attributes", {{"FIRSTNAME", "C"}}}},
                 {{"id", 77}, {"attributes", {{"FIRSTNAME", "D"}}}}}}};
  Reply r = Call("POST", "/v3/contacts/batch", body);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, json({{"code", "document_not_found"}, {"message", "No contact found for indexes 2,3"}}));
  EXPECT_FALSE(Call("GET", "/v3/contacts/1").body["attributes"].contains("FIRSTNAME"));
  body["contacts"].erase(2);
  body["contacts"].erase(2);
  r = Call("POST", "/v3/contacts/batch", body);
  EXPECT_EQ(r.status, 204) << r.raw;
  EXPECT_EQ(Call("GET", "/v3/contacts/2").body["attributes"]["FIRSTNAME"], "B");
  r = Call("POST", "/v3/contacts/batch", {{"contacts", {{{"email", "a@example.com"}, {"id", 1}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Call("POST", "/v3/contacts/batch", {{"contacts", json::array()}}).status, 400);
}

TEST_F(ContactsApiTest, ImportLifecycleIsDrivenByTheClock) {
  ASSERT_EQ(Call("POST", "/v3/contacts/folders", {{"name", "Imports"}}).status, 201);
  ASSERT_EQ(Call("POST", "/v3/contacts/lists", {{"name", "Imported"}, {"folderId", 1}}).status, 201);
  CreateContact({{"email", "known@example.com"}, {"attributes", {{"FIRSTNAME", "Known"}}}});
  json body = {{"fileBody", "EMAIL;FIRSTNAME;LASTNAME\n\"new@example.com\";\"Ana\";\"Lima\"\nknown@example.com;;Updated\nbroken;x;y\n"},
               {"listIds", {1}},
               {"notifyUrl", "http://127.0.0.1:9/import-done"}};
  Reply accepted = Call("POST", "/v3/contacts/import", body);
  ASSERT_EQ(accepted.status, 202) << accepted.raw;
  int64_t id = accepted.body["processId"];
  // GET /processes is in the "other" bucket (100 an hour): a handful of calls here.
  EXPECT_EQ(Call("GET", "/v3/processes/" + std::to_string(id)).body["status"], "queued");
  EXPECT_EQ(Call("GET", "/v3/contacts/new%40example.com").status, 404);
  clock_.Advance(1'000'000);  // past the queue time (1 s by default)
  EXPECT_EQ(Call("GET", "/v3/processes/" + std::to_string(id)).body["status"], "in_process");
  clock_.Advance(2'000'000);
  Reply done = Call("GET", "/v3/processes/" + std::to_string(id));
  EXPECT_EQ(done.body["status"], "completed");
  EXPECT_EQ(done.body["name"], "IMPORTUSER");
  EXPECT_TRUE(done.body["info"]["import"].contains("invalid_emails"));
  Reply ana = Call("GET", "/v3/contacts/new%40example.com");
  ASSERT_EQ(ana.status, 200);
  EXPECT_EQ(ana.body["attributes"]["FIRSTNAME"], "Ana");
  EXPECT_EQ(ana.body["listIds"], json::array({1}));
  json known = Call("GET", "/v3/contacts/known%40example.com").body;
  EXPECT_EQ(known["attributes"]["FIRSTNAME"], "Known");
  EXPECT_EQ(known["attributes"]["LASTNAME"], "Updated");
  EXPECT_TRUE(transport_.Requests().empty());  // notifyUrl calls wait for Pump()
  sandbox_.Pump();
  auto sent = transport_.Requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].url, "http://127.0.0.1:9/import-done");
  EXPECT_EQ(json::parse(sent[0].body)["status"], "completed");
  Reply list = Call("GET", "/v3/processes?limit=5");
  EXPECT_EQ(list.body["count"], 1);
  EXPECT_EQ(Call("GET", "/v3/processes/999").status, 404);

  json jbody = {{"jsonBody", {{{"email", "j@example.com"}, {"attributes", {{"FIRSTNAME", "Jay"}}}}}},
                {"newList", {{"listName", "From JSON"}, {"folderId", 1}}}};
  Reply json_import = Call("POST", "/v3/contacts/import", jbody);
  ASSERT_EQ(json_import.status, 202);
  Reply complete = Call("POST", "/_sandbox/processes/complete");
  EXPECT_EQ(complete.body["completed"], 1);
  EXPECT_EQ(Call("GET", "/v3/contacts/j%40example.com").body["listIds"], json::array({2}));
}

TEST_F(ContactsApiTest, ImportRejectsBadRequests) {
  ASSERT_EQ(Call("POST", "/v3/contacts/folders", {{"name", "F"}}).status, 201);
  ASSERT_EQ(Call("POST", "/v3/contacts/lists", {{"name", "L"}, {"folderId", 1}}).status, 201);
  EXPECT_EQ(Call("POST", "/v3/contacts/import", {{"listIds", {1}}}).body["code"], "missing_parameter");
  EXPECT_EQ(Call("POST", "/v3/contacts/import", {{"fileBody", "EMAIL\na@x.com"}}).body["code"], "missing_parameter");
  EXPECT_EQ(Call("POST", "/v3/contacts/import", {{"fileUrl", "https://x.example/f.csv"}, {"listIds", {1}}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/contacts/import", {{"fileBody", "EMAIL"}, {"jsonBody", json::array()}, {"listIds", {1}}}).status, 400);
  EXPECT_EQ(Call("POST", "/v3/contacts/import", {{"fileBody", "EMAIL\na@x.com"}, {"listIds", {9}}}).status, 400);
  Reply bad_csv = Call("POST", "/v3/contacts/import", {{"fileBody", "EMAIL;NAME\na@x.com;b;c\n"}, {"listIds", {1}}});
  EXPECT_EQ(bad_csv.status, 400);
  EXPECT_NE(bad_csv.body["message"].get<std::string>().find("line 2"), std::string::npos);
}

TEST_F(ContactsApiTest, ConcurrentClientsKeepTheIndexesConsistent) {
  ASSERT_EQ(Call("PUT", "/_sandbox/settings", {{"enforceRateLimits", false}}).status, 200);
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        std::string email = "t" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
        if (RawCall("POST", "/v3/contacts", json({{"email", email}}).dump()).status == 201) ++created;
        RawCall("PUT", "/v3/contacts/" + http::UrlEncode(email), json({{"attributes", {{"FIRSTNAME", "T"}}}}).dump());
        RawCall("GET", "/v3/contacts?limit=5&offset=" + std::to_string(i), "");
        if (i % 3 == 0) RawCall("DELETE", "/v3/contacts/" + http::UrlEncode(email), "");
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), 400);
  Reply page = Call("GET", "/v3/contacts?limit=1000");
  EXPECT_EQ(page.body["count"], 400 - 4 * 34);
  EXPECT_EQ(page.body["contacts"].size(), page.body["count"].get<size_t>());
  for (const auto& c : page.body["contacts"]) EXPECT_EQ(c["attributes"]["FIRSTNAME"], "T");
}

TEST_F(ContactsApiTest, UnknownRouteIsA404InBrevoShape) {
  Reply r = Call("GET", "/v3/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["code"], "document_not_found");
}

}  // namespace
}  // namespace tajo::sandbox::brevo
