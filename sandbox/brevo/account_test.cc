#include "sandbox/brevo/account.h"

#include <gtest/gtest.h>

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;

ContactInput Input(const json& body) {
  auto in = ParseContactInput(body);
  EXPECT_TRUE(in.ok());
  return in.ok() ? in.value() : ContactInput{};
}

ContactRef Ref(const std::string& value, ContactRef::Kind kind = ContactRef::Kind::kAutoRead) { return {kind, value}; }

class AccountTest : public ::testing::Test {
 protected:
  AccountTest() : account_(clock_, Behaviour{}, "owner@example.com") {
    account_.SetListener([this](const std::vector<AccountEvent>& events) {
      events_.insert(events_.end(), events.begin(), events.end());
    });
  }
  int64_t Create(const json& body) {
    auto r = account_.CreateContact(Input(body), false, writer_);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->id : 0;
  }
  json Get(const std::string& identifier) {
    auto r = account_.GetContact(Ref(identifier), 0, INT64_MAX);
    EXPECT_TRUE(r.ok()) << identifier;
    return r.ok() ? r.value() : json();
  }

  ManualClock clock_{1'700'000'000'000'000};
  Account account_;
  Writer writer_{"sync-key"};
  std::vector<AccountEvent> events_;
};

TEST_F(AccountTest, CreateGetsIdsAndStampsTimes) {
  int64_t a = Create({{"email", "Ana.Lima@Example.com"}, {"attributes", {{"FIRSTNAME", "Ana"}}}});
  clock_.Advance(5'000'000);
  int64_t b = Create({{"email", "bo@example.com"}});
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  json ana = Get("ana.lima@example.com");  // emails are case-insensitive and stored lower case
  EXPECT_EQ(ana["email"], "ana.lima@example.com");
  EXPECT_EQ(ana["attributes"]["FIRSTNAME"], "Ana");
  EXPECT_EQ(ana["createdAt"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(ana["createdAt"], ana["modifiedAt"]);
  EXPECT_EQ(ana["listIds"], json::array());
  EXPECT_TRUE(ana.contains("statistics"));
  EXPECT_FALSE(ana["attributes"].contains("EMAIL"));
  EXPECT_EQ(Get("2")["email"], "bo@example.com");  // digits: the contact id
}

TEST_F(AccountTest, DuplicatesAreRejectedUnlessUpdateEnabled) {
  Create({{"email", "ana@example.com"}, {"attributes", {{"FIRSTNAME", "Ana"}}}});
  auto again = account_.CreateContact(Input({{"email", "ANA@example.com"}}), false, writer_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().status, 400);
  EXPECT_EQ(again.error().code, "duplicate_parameter");
  EXPECT_EQ(again.error().message, "Contact already exist");

  auto upsert = account_.CreateContact(Input({{"email", "ana@example.com"}, {"attributes", {{"LASTNAME", "Lima"}}}}),
                                       true, writer_);
  ASSERT_TRUE(upsert.ok());
  EXPECT_FALSE(upsert->created);
  EXPECT_EQ(upsert->id, 1);
  EXPECT_EQ(Get("1")["attributes"]["LASTNAME"], "Lima");
  EXPECT_EQ(Get("1")["attributes"]["FIRSTNAME"], "Ana");
}

TEST_F(AccountTest, IdentifiersAreRequiredValidatedAndUnique) {
  auto none = account_.CreateContact(Input({{"attributes", {{"FIRSTNAME", "X"}}}}), false, writer_);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "missing_parameter");
  auto bad_email = account_.CreateContact(Input({{"email", "not-an-email"}}), false, writer_);
  ASSERT_FALSE(bad_email.ok());
  EXPECT_EQ(bad_email.error().code, "invalid_parameter");
  // SMS needs a country code; national numbers are refused.
  auto national = account_.CreateContact(Input({{"attributes", {{"SMS", "06 12 34 56 78"}}}}), false, writer_);
  ASSERT_FALSE(national.ok());
  EXPECT_EQ(national.error().code, "invalid_parameter");
  int64_t sms_only = Create({{"attributes", {{"SMS", "+33 6 12 34 56 78"}}}});
  json c = Get("33612345678");  // digits that are no contact id: the SMS number
  EXPECT_EQ(c["id"], sms_only);
  EXPECT_FALSE(c.contains("email"));
  EXPECT_EQ(c["attributes"]["SMS"], "33612345678");
  // 0033... is the same number.
  auto dup_sms = account_.CreateContact(Input({{"email", "x@example.com"}, {"attributes", {{"SMS", "0033612345678"}}}}),
                                        false, writer_);
  ASSERT_FALSE(dup_sms.ok());
  EXPECT_EQ(dup_sms.error().message, "Contact already exist");
  int64_t other = Create({{"email", "y@example.com"}, {"ext_id", "crm-1"}});
  auto taken = account_.UpdateContact(Ref(std::to_string(other), ContactRef::Kind::kId),
                                      Input({{"attributes", {{"SMS", "33612345678"}}}}), writer_);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, "duplicate_parameter");
  EXPECT_EQ(taken.error().message, "SMS is already associated with another Contact");
  EXPECT_EQ(taken.error().ToJson()["metadata"]["duplicate_identifiers"], json::array({"SMS"}));
  EXPECT_EQ(Get(std::to_string(other))["attributes"]["EXT_ID"], "crm-1");
  EXPECT_EQ(account_.FindContact(Ref("crm-1", ContactRef::Kind::kExtId)), other);
}

TEST_F(AccountTest, WrongTypedValuesAreIgnoredAndTypesRendered) {
  ASSERT_TRUE(account_.CreateAttribute("normal", "AGE", {{"type", "float"}}).ok());
  ASSERT_TRUE(account_.CreateAttribute("normal", "DOB", {{"type", "date"}}).ok());
  ASSERT_TRUE(account_.CreateAttribute("normal", "VIP", {{"type", "boolean"}}).ok());
  ASSERT_TRUE(account_.CreateAttribute("category", "GENDER",
                                       {{"enumeration", {{{"value", 1}, {"label", "Men"}}, {{"value", 2}, {"label", "Women"}}}}})
                  .ok());
  ASSERT_TRUE(account_.CreateAttribute("normal", "COUNTRIES",
                                       {{"type", "multiple-choice"}, {"multiCategoryOptions", {"USA", "INDIA"}}})
                  .ok());
  Create({{"email", "a@example.com"},
          {"attributes",
           {{"AGE", "thirty"}, {"DOB", "1986-04-13"}, {"VIP", true}, {"GENDER", 2}, {"COUNTRIES", {"INDIA", "MARS"}},
            {"NOPE", "x"}, {"FIRSTNAME", "Zoé"}}}});
  json a = Get("a@example.com")["attributes"];
  EXPECT_FALSE(a.contains("AGE"));  // not a number: ignored
  EXPECT_FALSE(a.contains("NOPE"));  // unknown attribute: ignored by default
  EXPECT_EQ(a["DOB"], "1986-04-13");
  EXPECT_EQ(a["VIP"], true);
  EXPECT_EQ(a["GENDER"], "Women");
  EXPECT_EQ(a["COUNTRIES"], json::array({"INDIA"}));
  EXPECT_EQ(a["FIRSTNAME"], "Zoé");
  ASSERT_TRUE(account_.UpdateContact(Ref("a@example.com"), Input({{"attributes", {{"AGE", 37}, {"DOB", "1986-02-30"}}}}),
                                     writer_)
                  .ok());
  a = Get("a@example.com")["attributes"];
  EXPECT_EQ(a["AGE"], 37);
  EXPECT_EQ(a["DOB"], "1986-04-13");  // 30 February is no date: ignored

  Behaviour strict;
  strict.unknown_attribute_is_error = true;
  account_.set_behaviour(strict);
  auto rejected = account_.UpdateContact(Ref("a@example.com"), Input({{"attributes", {{"NOPE", 1}}}}), writer_);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, "invalid_parameter");
}

TEST_F(AccountTest, UpdateRenamesThroughEmailAttributeAndResubscribes) {
  Create({{"email", "old@example.com"}, {"emailBlacklisted", true}});
  Create({{"email", "taken@example.com"}});
  events_.clear();
  clock_.Advance(1'000'000);
  ASSERT_TRUE(account_.UpdateContact(Ref("old@example.com", ContactRef::Kind::kAutoWrite),
                                     Input({{"attributes", {{"EMAIL", "New@Example.com"}}}}), writer_)
                  .ok());
  json c = Get("new@example.com");
  EXPECT_EQ(c["id"], 1);
  EXPECT_EQ(c["emailBlacklisted"], false);
  EXPECT_NE(c["modifiedAt"], c["createdAt"]);
  EXPECT_FALSE(account_.GetContact(Ref("old@example.com"), 0, 1).ok());
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, AccountEvent::Kind::kContactUpdated);
  EXPECT_EQ(events_[0].api_key_name, "sync-key");
  EXPECT_EQ(events_[0].content["EMAIL"], "new@example.com");

  auto clash = account_.UpdateContact(Ref("new@example.com"), Input({{"attributes", {{"EMAIL", "TAKEN@example.com"}}}}),
                                      writer_);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().message, "email is already associated with another Contact");
  auto missing = account_.UpdateContact(Ref("ghost@example.com"), Input({{"attributes", {{"FIRSTNAME", "G"}}}}), writer_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().status, 404);
  EXPECT_EQ(missing.error().message, "Contact does not exist");
}

TEST_F(AccountTest, NoOpUpdateKeepsModifiedAtUnlessConfigured) {
  Create({{"email", "a@example.com"}, {"attributes", {{"FIRSTNAME", "A"}}}});
  std::string before = Get("1")["modifiedAt"];
  clock_.Advance(2'000'000);
  ASSERT_TRUE(account_.UpdateContact(Ref("1"), Input({{"attributes", {{"FIRSTNAME", "A"}}}}), writer_).ok());
  EXPECT_EQ(Get("1")["modifiedAt"], before);
  Behaviour touch;
  touch.touch_on_noop_update = true;
  account_.set_behaviour(touch);
  ASSERT_TRUE(account_.UpdateContact(Ref("1"), Input({{"attributes", {{"FIRSTNAME", "A"}}}}), writer_).ok());
  EXPECT_NE(Get("1")["modifiedAt"], before);
}

TEST_F(AccountTest, DeleteUnindexesAndProtectsTheOwner) {
  Create({{"email", "a@example.com"}, {"attributes", {{"SMS", "+4915112345678"}}}});
  Create({{"email", "owner@example.com"}});
  ASSERT_TRUE(account_.DeleteContact(Ref("a@example.com", ContactRef::Kind::kAutoWrite), writer_).ok());
  EXPECT_FALSE(account_.FindContact(Ref("4915112345678", ContactRef::Kind::kSms)));
  auto again = account_.DeleteContact(Ref("a@example.com", ContactRef::Kind::kAutoWrite), writer_);
  EXPECT_EQ(again.error().status, 404);
  auto owner = account_.DeleteContact(Ref("owner@example.com", ContactRef::Kind::kAutoWrite), writer_);
  ASSERT_FALSE(owner.ok());
  EXPECT_EQ(owner.error().status, 405);
  // The SMS is free again.
  Create({{"email", "b@example.com"}, {"attributes", {{"SMS", "4915112345678"}}}});
  EXPECT_EQ(account_.Counts().contacts, 2);
}

TEST_F(AccountTest, ListingPagesNewestFirstWithModifiedAndCreatedSince) {
  for (int i = 0; i < 30; ++i) {
    Create({{"email", "c" + std::to_string(i) + "@example.com"}});
    clock_.Advance(1'000'000);
  }
  int64_t t0 = clock_.NowMillis();
  clock_.Advance(1'000'000);
  ASSERT_TRUE(account_.UpdateContact(Ref("5"), Input({{"attributes", {{"FIRSTNAME", "Five"}}}}), writer_).ok());
  ASSERT_TRUE(account_.UpdateContact(Ref("17"), Input({{"attributes", {{"FIRSTNAME", "Seventeen"}}}}), writer_).ok());
  ContactQuery q;
  q.limit = 10;
  json page = account_.ListContacts(q).value();
  EXPECT_EQ(page["count"], 30);
  ASSERT_EQ(page["contacts"].size(), 10u);
  EXPECT_EQ(page["contacts"][0]["id"], 30);
  EXPECT_FALSE(page["contacts"][0].contains("statistics"));
  q.offset = 25;
  q.descending = false;
  page = account_.ListContacts(q).value();
  ASSERT_EQ(page["contacts"].size(), 5u);
  EXPECT_EQ(page["contacts"][0]["id"], 26);
  q = ContactQuery{};
  q.modified_since_ms = t0;
  page = account_.ListContacts(q).value();
  EXPECT_EQ(page["count"], 2);
  EXPECT_EQ(page["contacts"][0]["id"], 17);
  EXPECT_EQ(page["contacts"][1]["id"], 5);
  q = ContactQuery{};
  q.created_since_ms = 1'700'000'000'000 + 19'500;  // contacts 21..30 were created later
  page = account_.ListContacts(q).value();
  EXPECT_EQ(page["count"], 10);
  q.filter = std::pair<std::string, std::string>{"FIRSTNAME", "seventeen"};
  q.created_since_ms.reset();
  page = account_.ListContacts(q).value();
  EXPECT_EQ(page["count"], 1);
  q.ids = {3, 4, 99};
  q.filter.reset();
  EXPECT_EQ(account_.ListContacts(q).value()["count"], 2);
}

TEST_F(AccountTest, BatchUpdateIsAllOrNothing) {
  Create({{"email", "a@example.com"}});
  Create({{"email", "b@example.com"}, {"attributes", {{"SMS", "+447700900123"}}}});
  std::vector<BatchItem> items = {
      {Ref("a@example.com", ContactRef::Kind::kEmail), Input({{"attributes", {{"FIRSTNAME", "A"}}}})},
      {Ref("2", ContactRef::Kind::kId), Input({{"attributes", {{"FIRSTNAME", "B"}}}})},
      {Ref("447700900123", ContactRef::Kind::kSms), Input({{"attributes", {{"LASTNAME", "Bee"}}}})},
      {Ref("ghost@example.com", ContactRef::Kind::kEmail), Input({{"attributes", {{"FIRSTNAME", "G"}}}})},
      {Ref("99", ContactRef::Kind::kId), Input({{"attributes", {{"FIRSTNAME", "H"}}}})},
  };
  auto r = account_.BatchUpdate(items, writer_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status, 404);
  EXPECT_EQ(r.error().code, "document_not_found");
  EXPECT_EQ(r.error().message, "No contact found for indexes 3,4");
  EXPECT_FALSE(Get("1")["attributes"].contains("FIRSTNAME"));  // nothing applied
  items.resize(3);
  ASSERT_TRUE(account_.BatchUpdate(items, writer_).ok());
  EXPECT_EQ(Get("1")["attributes"]["FIRSTNAME"], "A");
  EXPECT_EQ(Get("2")["attributes"]["LASTNAME"], "Bee");
  // Two items claiming the same new email: rejected as a whole.
  items = {{Ref("1", ContactRef::Kind::kId), Input({{"attributes", {{"EMAIL", "same@example.com"}}}})},
           {Ref("2", ContactRef::Kind::kId), Input({{"attributes", {{"EMAIL", "same@example.com"}}}})}};
  r = account_.BatchUpdate(items, writer_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "duplicate_parameter");
  EXPECT_EQ(Get("1")["email"], "a@example.com");
}

TEST_F(AccountTest, ListsTrackMembersBlocklistedAndLimits) {
  int64_t folder = account_.CreateFolder("Imports").value();
  int64_t list = account_.CreateList("Newsletter", folder).value();
  EXPECT_FALSE(account_.CreateList("Orphan", 77).ok());
  Create({{"email", "a@example.com"}, {"listIds", {list}}});
  Create({{"email", "b@example.com"}, {"emailBlacklisted", true}});
  Create({{"email", "c@example.com"}, {"ext_id", "e-3"}});
  ListMembersInput add;
  add.emails_or_ext_ids = {"a@example.com", "B@example.com", "nobody@example.com"};
  json r = account_.AddToList(list, add, writer_).value();
  EXPECT_EQ(r["contacts"]["success"], json::array({"B@example.com"}));
  EXPECT_EQ(r["contacts"]["failure"], json::array({"a@example.com", "nobody@example.com"}));
  ListMembersInput by_ext;
  by_ext.by = ListMembersInput::By::kExtIds;
  by_ext.emails_or_ext_ids = {"e-3"};
  EXPECT_EQ(account_.AddToList(list, by_ext, writer_).value()["contacts"]["success"], json::array({"e-3"}));
  json l = account_.GetList(list).value();
  EXPECT_EQ(l["totalSubscribers"], 3);
  EXPECT_EQ(l["totalBlacklisted"], 1);
  EXPECT_EQ(l["folderId"], folder);
  EXPECT_EQ(Get("2")["listIds"], json::array({list}));
  ContactQuery q;
  EXPECT_EQ(account_.ListMembers(list, q).value()["count"], 3);

  ListMembersInput too_many;
  too_many.by = ListMembersInput::By::kIds;
  for (int64_t i = 1; i <= 151; ++i) too_many.ids.push_back(i);
  auto over = account_.AddToList(list, too_many, writer_);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().status, 400);
  too_many.ids.resize(150);
  json removed = account_.RemoveFromList(list, too_many, writer_).value();
  EXPECT_EQ(removed["contacts"]["success"], json::array({1, 2, 3}));
  EXPECT_EQ(removed["contacts"]["failure"].size(), 147u);
  EXPECT_EQ(account_.GetList(list).value()["totalSubscribers"], 0);
  EXPECT_EQ(account_.AddToList(999, add, writer_).error().status, 404);
  // Deleting the folder deletes its lists and unlinks their contacts.
  Create({{"email", "d@example.com"}, {"listIds", {list}}});
  ASSERT_TRUE(account_.DeleteFolder(folder).ok());
  EXPECT_FALSE(account_.ListExists(list));
  EXPECT_EQ(Get("d@example.com")["listIds"], json::array());
}

TEST_F(AccountTest, ImportCreatesUpdatesAndCounts) {
  int64_t folder = account_.CreateFolder("F").value();
  int64_t list = account_.CreateList("L", folder).value();
  Create({{"email", "known@example.com"}, {"attributes", {{"FIRSTNAME", "Keep"}, {"LASTNAME", "Old"}}}});
  ImportJob job;
  job.list_ids = {list};
  job.rows = {json{{"email", "new@example.com"}, {"attributes", {{"FIRSTNAME", "New"}, {"UNKNOWN", "x"}}}},
              json{{"attributes", {{"EMAIL", "KNOWN@example.com"}, {"FIRSTNAME", ""}, {"LASTNAME", "Updated"}}}},
              json{{"email", "new@example.com"}},
              json{{"email", "broken"}},
              json{{"attributes", {{"FIRSTNAME", "Nobody"}}}}};
  ImportOutcome out = account_.ApplyImport(job, Writer{});
  EXPECT_EQ(out.created, 1);
  EXPECT_EQ(out.updated, 1);
  EXPECT_EQ(out.duplicate_email, 1);
  EXPECT_EQ(out.invalid, 2);
  json known = Get("known@example.com");
  EXPECT_EQ(known["attributes"]["FIRSTNAME"], "Keep");  // empty cells do not erase by default
  EXPECT_EQ(known["attributes"]["LASTNAME"], "Updated");
  EXPECT_EQ(known["listIds"], json::array({list}));
  job.rows = {json{{"email", "known@example.com"}, {"attributes", {{"FIRSTNAME", ""}}}}};
  job.empty_attributes = true;
  account_.ApplyImport(job, Writer{});
  EXPECT_FALSE(Get("known@example.com")["attributes"].contains("FIRSTNAME"));
  job.update_existing = false;
  job.rows = {json{{"email", "known@example.com"}, {"attributes", {{"LASTNAME", "Ignored"}}}}};
  out = account_.ApplyImport(job, Writer{});
  EXPECT_EQ(out.unchanged, 1);
  EXPECT_EQ(Get("known@example.com")["attributes"]["LASTNAME"], "Updated");
}

TEST_F(AccountTest, CampaignEventsBlocklistAndShowInStatistics) {
  Create({{"email", "r@example.com"}});
  events_.clear();
  ASSERT_TRUE(account_.RecordCampaignEvent(Ref("r@example.com"), AccountEvent::Kind::kOpened, 7, "Spring", "", "").ok());
  ASSERT_TRUE(account_.RecordCampaignEvent(Ref("r@example.com"), AccountEvent::Kind::kOpened, 7, "Spring", "", "").ok());
  ASSERT_TRUE(account_.RecordCampaignEvent(Ref("r@example.com"), AccountEvent::Kind::kClick, 7, "Spring",
                                           "https://shop.example/x", "")
                  .ok());
  ASSERT_TRUE(
      account_.RecordCampaignEvent(Ref("r@example.com"), AccountEvent::Kind::kHardBounce, 8, "Fall", "", "mailbox full").ok());
  json c = Get("r@example.com");
  EXPECT_EQ(c["emailBlacklisted"], true);
  EXPECT_EQ(c["statistics"]["opened"][0]["count"], 2);
  EXPECT_EQ(c["statistics"]["clicked"][0]["links"][0]["url"], "https://shop.example/x");
  EXPECT_EQ(c["statistics"]["hardBounces"][0]["campaignId"], 8);
  ASSERT_EQ(events_.size(), 4u);
  EXPECT_EQ(std::string(AccountEventName(events_[3].kind)), "hard_bounce");
  EXPECT_EQ(account_.Counts().email_blacklisted, 1);
}

TEST_F(AccountTest, EventsUpsertContacts) {
  auto id = account_.ContactForEvent({{"email_id", "ev@example.com"}}, {{"FIRSTNAME", "Eve"}}, true, writer_);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(Get("ev@example.com")["attributes"]["FIRSTNAME"], "Eve");
  auto again = account_.ContactForEvent({{"contact_id", id.value()}, {"email_id", "other@example.com"}},
                                        {{"LASTNAME", "Adams"}}, true, writer_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), id.value());
  EXPECT_EQ(Get("ev@example.com")["attributes"]["LASTNAME"], "Adams");
  EXPECT_FALSE(account_.ContactForEvent({{"ext_id", "none"}}, json::object(), false, writer_).ok());
}

}  // namespace
}  // namespace tajo::sandbox::brevo
