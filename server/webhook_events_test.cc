// Webhook bodies -> inbox events: HubSpot and Brevo payload shapes from the references,
// deduplication keys, malformed bodies, and the log line.
#include "server/webhook_events.h"

#include <set>
#include <tuple>

#include <gmock/gmock.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tajo::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;
using nlohmann::ordered_json;

// hubspot-api.md §6.3 example (the v1 signature vector body).
constexpr char kCreation[] =
    R"([{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}])";

ordered_json PropertyChange(int attempt = 0, const std::string& value = "jane@example.com") {
  return {{"eventId", 1001},          {"subscriptionId", 2001},    {"portalId", 62515},
          {"appId", 54321},           {"occurredAt", 1700000000123}, {"subscriptionType", "contact.propertyChange"},
          {"attemptNumber", attempt}, {"objectId", 501},           {"propertyName", "email"},
          {"propertyValue", value},   {"changeSource", "CRM_UI"},  {"sourceId", "userId:45678"}};
}

std::vector<store::InboxEvent> ParseHubSpot(const ordered_json& body) {
  auto r = ParseHubSpotWebhook(body.dump(), "hubspot");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : std::vector<store::InboxEvent>{};
}

std::string HubSpotKey(const ordered_json& event) {
  auto events = ParseHubSpot(ordered_json::array({event}));
  return events.empty() ? "" : events[0].dedup_key;
}

Status HubSpotError(const std::string& body) {
  auto r = ParseHubSpotWebhook(body, "hubspot");
  EXPECT_FALSE(r.ok()) << body;
  return r.status();
}

// ---- HubSpot: shapes --------------------------------------------------------------------------

TEST(ParseHubSpotWebhookTest, ContactCreation) {
  auto r = ParseHubSpotWebhook(kCreation, "hubspot-main");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  const store::InboxEvent& e = (*r)[0];
  EXPECT_EQ(e.connection, "hubspot-main");
  EXPECT_EQ(e.source, "hubspot");
  EXPECT_EQ(e.event_type, "contact.creation");
  EXPECT_EQ(e.object_type, "contact");
  EXPECT_EQ(e.object_id, "123");
  EXPECT_EQ(e.occurred_ms, 1564113600000);
  // The element as received, keys in their original order.
  EXPECT_EQ(e.payload,
            R"({"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321})");
  EXPECT_EQ(e.dedup_key.size(), 45u);
  EXPECT_EQ(e.dedup_key.find_first_not_of("0123456789abcdef"), std::string::npos);
  // It starts with the event's time, so the store's index grows at its end.
  EXPECT_EQ(e.dedup_key.substr(0, 13), fmt::format("{:013x}", e.occurred_ms));
  EXPECT_EQ(e.state, store::InboxState::kPending);
  EXPECT_EQ(e.id, 0);
}

TEST(ParseHubSpotWebhookTest, MixedBatchOfObjectTypesAndEvents) {
  ordered_json batch = ordered_json::array();
  batch.push_back(PropertyChange());
  batch.push_back({{"eventId", 1002}, {"portalId", 62515}, {"occurredAt", 1700000000200},
                   {"subscriptionType", "contact.deletion"}, {"attemptNumber", 0}, {"objectId", 502},
                   {"changeSource", "CRM_UI"}, {"changeFlag", "DELETED"}});
  batch.push_back({{"eventId", 1003}, {"portalId", 62515}, {"occurredAt", 1700000000300},
                   {"subscriptionType", "contact.privacyDeletion"}, {"attemptNumber", 0}, {"objectId", 502},
                   {"changeSource", "GDPR"}});
  batch.push_back({{"eventId", 1004}, {"portalId", 62515}, {"occurredAt", 1700000000400},
                   {"subscriptionType", "contact.merge"}, {"attemptNumber", 0}, {"objectId", 601},
                   {"primaryObjectId", 601}, {"mergedObjectIds", {602, 603}}, {"newObjectId", 601},
                   {"numberOfPropertiesMoved", 12}, {"changeSource", "CRM_UI"}});
  batch.push_back({{"eventId", 1005}, {"portalId", 62515}, {"occurredAt", 1700000000500},
                   {"subscriptionType", "contact.associationChange"}, {"attemptNumber", 0}, {"objectId", 501},
                   {"associationType", "CONTACT_TO_COMPANY"}, {"fromObjectId", 501}, {"toObjectId", 9001},
                   {"associationRemoved", false}, {"isPrimaryAssociation", true}, {"changeSource", "USER"}});
  batch.push_back({{"eventId", 1006}, {"portalId", 62515}, {"occurredAt", 1700000000600},
                   {"subscriptionType", "company.propertyChange"}, {"attemptNumber", 0}, {"objectId", 9001},
                   {"propertyName", "name"}, {"propertyValue", "Acme"}, {"changeSource", "CRM_UI"}});
  batch.push_back({{"eventId", 1007}, {"portalId", 62515}, {"occurredAt", 1700000000700},
                   {"subscriptionType", "deal.creation"}, {"attemptNumber", 0}, {"objectId", 7001},
                   {"changeSource", "CRM_UI"}, {"changeFlag", "CREATED"}});
  batch.push_back({{"eventId", 1008}, {"portalId", 62515}, {"occurredAt", 1700000000800},
                   {"subscriptionType", "deal.propertyChange"}, {"attemptNumber", 0}, {"objectId", 7001},
                   {"propertyName", "dealstage"}, {"propertyValue", "closedwon"}, {"changeSource", "CRM_UI"}});
  batch.push_back({{"eventId", 1009}, {"portalId", 62515}, {"occurredAt", 1700000000900},
                   {"subscriptionType", "object.creation"}, {"objectTypeId", "2-123456"}, {"attemptNumber", 0},
                   {"objectId", 3001}, {"changeFlag", "CREATED"}});
  auto events = ParseHubSpot(batch);
  ASSERT_EQ(events.size(), 9u);
  const std::vector<std::tuple<std::string, std::string, std::string, int64_t>> want = {
      {"contact.propertyChange", "contact", "501", 1700000000123},
      {"contact.deletion", "contact", "502", 1700000000200},
      {"contact.privacyDeletion", "contact", "502", 1700000000300},
      {"contact.merge", "contact", "601", 1700000000400},
      {"contact.associationChange", "contact", "501", 1700000000500},
      {"company.propertyChange", "company", "9001", 1700000000600},
      {"deal.creation", "deal", "7001", 1700000000700},
      {"deal.propertyChange", "deal", "7001", 1700000000800},
      {"object.creation", "object", "3001", 1700000000900},
  };
  std::set<std::string> keys;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(events[i].event_type, std::get<0>(want[i])) << i;
    EXPECT_EQ(events[i].object_type, std::get<1>(want[i])) << i;
    EXPECT_EQ(events[i].object_id, std::get<2>(want[i])) << i;
    EXPECT_EQ(events[i].occurred_ms, std::get<3>(want[i])) << i;
    EXPECT_EQ(json::parse(events[i].payload), json::parse(batch[i].dump())) << i;
    keys.insert(events[i].dedup_key);
  }
  EXPECT_EQ(keys.size(), want.size()) << "every event has its own key";
}

TEST(ParseHubSpotWebhookTest, LargeObjectIdsKeepEveryDigit) {
  ordered_json e = PropertyChange();
  e["objectId"] = 123456789012345678LL;
  auto events = ParseHubSpot(ordered_json::array({e}));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].object_id, "123456789012345678");
  EXPECT_THAT(events[0].payload, HasSubstr("123456789012345678"));
}

TEST(ParseHubSpotWebhookTest, EventTypeIsReadWhenSubscriptionTypeIsAbsent) {
  ordered_json e = PropertyChange();
  e.erase("subscriptionType");
  e["eventType"] = "contact.propertyChange";
  auto events = ParseHubSpot(ordered_json::array({e}));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event_type, "contact.propertyChange");
  EXPECT_EQ(events[0].dedup_key, HubSpotKey(PropertyChange())) << "the same event under either field name";
}

TEST(ParseHubSpotWebhookTest, ExactlyOneHundredEventsAreAccepted) {
  ordered_json batch = ordered_json::array();
  for (int i = 0; i < 100; ++i) {
    ordered_json e = PropertyChange();
    e["eventId"] = 5000 + i;
    batch.push_back(e);
  }
  EXPECT_EQ(ParseHubSpot(batch).size(), 100u);
}

// ---- HubSpot: dedup keys ----------------------------------------------------------------------

TEST(HubSpotDedupKeyTest, RetriesWithAnotherAttemptNumberShareTheKey) {
  EXPECT_EQ(HubSpotKey(PropertyChange(0)), HubSpotKey(PropertyChange(1)));
  EXPECT_EQ(HubSpotKey(PropertyChange(0)), HubSpotKey(PropertyChange(9)));
}

TEST(HubSpotDedupKeyTest, KeyOrderAndDeliveryMetadataDoNotMatter) {
  ordered_json reordered;
  const ordered_json original = PropertyChange();
  std::vector<std::pair<std::string, ordered_json>> items;
  for (const auto& [k, v] : original.items()) items.emplace_back(k, v);
  for (auto it = items.rbegin(); it != items.rend(); ++it) reordered[it->first] = it->second;
  EXPECT_EQ(HubSpotKey(reordered), HubSpotKey(original));

  ordered_json other_subscription = original;
  other_subscription["subscriptionId"] = 9999;
  other_subscription["appId"] = 1;
  EXPECT_EQ(HubSpotKey(other_subscription), HubSpotKey(original));
}

TEST(HubSpotDedupKeyTest, IdentityFieldsChangeTheKey) {
  const std::string base = HubSpotKey(PropertyChange());
  EXPECT_NE(HubSpotKey(PropertyChange(0, "john@example.com")), base) << "propertyValue";
  // eventId is not unique across events: same eventId, other object -> other key.
  ordered_json e = PropertyChange();
  e["objectId"] = 502;
  EXPECT_NE(HubSpotKey(e), base) << "objectId";
  e = PropertyChange();
  e["occurredAt"] = 1700000000124;
  EXPECT_NE(HubSpotKey(e), base) << "occurredAt";
  e = PropertyChange();
  e["propertyName"] = "firstname";
  EXPECT_NE(HubSpotKey(e), base) << "propertyName";
  e = PropertyChange();
  e["eventId"] = 1002;
  EXPECT_NE(HubSpotKey(e), base) << "eventId";
  e = PropertyChange();
  e["portalId"] = 1;
  EXPECT_NE(HubSpotKey(e), base) << "portalId";
  e = PropertyChange();
  e["changeSource"] = "IMPORT";
  EXPECT_NE(HubSpotKey(e), base) << "changeSource";
}

TEST(HubSpotDedupKeyTest, AssociationAndMergeFieldsChangeTheKey) {
  const ordered_json assoc = {{"eventId", 7}, {"portalId", 1}, {"occurredAt", 1}, {"objectId", 5},
                              {"subscriptionType", "contact.associationChange"}, {"fromObjectId", 5},
                              {"toObjectId", 6}, {"associationType", "CONTACT_TO_COMPANY"},
                              {"associationRemoved", false}};
  const std::string base = HubSpotKey(assoc);
  ordered_json e = assoc;
  e["associationRemoved"] = true;
  EXPECT_NE(HubSpotKey(e), base);
  e = assoc;
  e["toObjectId"] = 7;
  EXPECT_NE(HubSpotKey(e), base);
  e = assoc;
  e["associationType"] = "COMPANY_TO_CONTACT";
  EXPECT_NE(HubSpotKey(e), base);

  const ordered_json merge = {{"eventId", 8}, {"portalId", 1}, {"occurredAt", 1}, {"objectId", 5},
                              {"subscriptionType", "contact.merge"}, {"primaryObjectId", 5},
                              {"mergedObjectIds", {6, 7}}};
  e = merge;
  e["mergedObjectIds"] = {6, 8};
  EXPECT_NE(HubSpotKey(e), HubSpotKey(merge));
}

// ---- HubSpot: malformed bodies ----------------------------------------------------------------

TEST(ParseHubSpotWebhookTest, NotJsonOrNotAnArray) {
  EXPECT_EQ(HubSpotError("not json").code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(HubSpotError("not json").message(), HasSubstr("HubSpot webhook: the body is not JSON"));
  EXPECT_THAT(HubSpotError("").message(), HasSubstr("not JSON"));
  EXPECT_THAT(HubSpotError("[{\"eventId\":1").message(), HasSubstr("not JSON"));
  EXPECT_THAT(HubSpotError(PropertyChange().dump()).message(),
              HasSubstr("HubSpot webhook: body: expected an array of events, got an object"));
  EXPECT_THAT(HubSpotError("[]").message(), HasSubstr("empty"));
  EXPECT_THAT(HubSpotError("[1]").message(), HasSubstr("[0]: expected an event object, got 1"));
  EXPECT_THAT(HubSpotError("[" + PropertyChange().dump() + ",null]").message(),
              HasSubstr("[1]: expected an event object, got null"));
}

TEST(ParseHubSpotWebhookTest, OneHundredAndOneEventsAreRefused) {
  ordered_json batch = ordered_json::array();
  for (int i = 0; i < 101; ++i) batch.push_back(PropertyChange());
  Status s = HubSpotError(batch.dump());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("101 events, more than the 100"));
}

TEST(ParseHubSpotWebhookTest, MissingOrIllTypedFieldsNameIndexAndField) {
  struct Case {
    const char* field;
    ordered_json value;  // null = remove the field
    const char* message;
  };
  const Case cases[] = {
      {"subscriptionType", nullptr, "HubSpot webhook: [2].subscriptionType: missing"},
      {"subscriptionType", 5, "[2].subscriptionType: expected a string like \"contact.creation\", got 5"},
      {"subscriptionType", "contact", "[2].subscriptionType: expected \"<object>.<event>\", got \"contact\""},
      {"subscriptionType", ".creation", "[2].subscriptionType: expected \"<object>.<event>\""},
      {"objectId", nullptr, "HubSpot webhook: [2].objectId: missing"},
      {"objectId", "501", "[2].objectId: expected a non-negative integer, got a string of 3 bytes"},
      {"objectId", 1.5, "[2].objectId: expected a non-negative integer, got 1.5"},
      {"objectId", -3, "[2].objectId: expected a non-negative integer, got -3"},
      {"objectId", ordered_json::array(), "[2].objectId: expected a non-negative integer, got an array"},
      {"occurredAt", nullptr, "HubSpot webhook: [2].occurredAt: missing"},
      {"occurredAt", "2024-01-01", "[2].occurredAt: expected milliseconds since 1970 (an integer), got a string"},
      {"occurredAt", true, "[2].occurredAt: expected milliseconds since 1970 (an integer), got true"},
  };
  for (const Case& c : cases) {
    ordered_json batch = ordered_json::array({PropertyChange(), PropertyChange(), PropertyChange()});
    if (c.value.is_null()) {
      batch[2].erase(c.field);
    } else {
      batch[2][c.field] = c.value;
    }
    Status s = HubSpotError(batch.dump());
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(s.message(), HasSubstr(c.message));
    EXPECT_THAT(s.message(), Not(HasSubstr("jane@example.com"))) << "no personal data in errors";
  }
}

TEST(ParseHubSpotWebhookTest, NullCountsAsMissing) {
  ordered_json e = PropertyChange();
  e["objectId"] = nullptr;
  EXPECT_THAT(HubSpotError(ordered_json::array({e}).dump()).message(), HasSubstr("[0].objectId: missing"));
}

// ---- Brevo ------------------------------------------------------------------------------------

// brevo-api.md §7.2 marketing "unsubscribed".
ordered_json Unsubscribed() {
  return {{"id", 123456},
          {"camp_id", 42},
          {"email", "  Jane.Doe@Example.COM "},
          {"campaign name", "Spring newsletter"},
          {"date_sent", "2024-03-01 10:00:00"},
          {"date_event", "2024-03-01 11:00:00"},
          {"event", "unsubscribed"},
          {"tag", ""},
          {"ts_sent", 1709283600},
          {"ts_event", 1709287200},
          {"ts", 1709287200},
          {"sending_ip", "185.41.28.109"},
          {"list_id", {3, 7}}};
}

std::vector<store::InboxEvent> ParseBrevo(const std::string& body) {
  auto r = ParseBrevoWebhook(body, "brevo");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : std::vector<store::InboxEvent>{};
}

Status BrevoError(const std::string& body) {
  auto r = ParseBrevoWebhook(body, "brevo");
  EXPECT_FALSE(r.ok()) << body;
  return r.status();
}

TEST(ParseBrevoWebhookTest, MarketingUnsubscribed) {
  const ordered_json body = Unsubscribed();
  auto events = ParseBrevo(body.dump());
  ASSERT_EQ(events.size(), 1u);
  const store::InboxEvent& e = events[0];
  EXPECT_EQ(e.connection, "brevo");
  EXPECT_EQ(e.source, "brevo");
  EXPECT_EQ(e.object_type, "brevo_contact");
  EXPECT_EQ(e.object_id, "jane.doe@example.com");
  EXPECT_EQ(e.event_type, "unsubscribed");
  EXPECT_EQ(e.occurred_ms, 1709287200000);
  EXPECT_EQ(e.payload, body.dump()) << "the element as received, key order kept";
  EXPECT_EQ(e.dedup_key.size(), 45u);
}

TEST(ParseBrevoWebhookTest, HardBounceAndContactEvents) {
  ordered_json hard = {{"id", 1}, {"camp_id", 42}, {"email", "bob@example.org"}, {"event", "hard_bounced"},
                       {"reason", "mailbox does not exist"}, {"ts_event", 1709287300}, {"ts", 1709287300}};
  ordered_json list_addition = {{"id", 1}, {"email", "carol@example.org"}, {"event", "list_addition"},
                                {"key", "abc"}, {"list_id", {34, 12}}, {"date", "2020-10-09 00:00:00"},
                                {"ts", 1604937111}, {"api_key_name", ""}};
  ordered_json contact_updated = {{"id", 1}, {"email", "dave@example.org"}, {"event", "contact_updated"},
                                  {"key", "k"}, {"content", {{{"FIRSTNAME", "Dave"}}}}, {"ts", 1604937112}};
  // Transactional: ts_epoch in milliseconds, and no ts_event.
  ordered_json transactional = {{"event", "hard_bounce"}, {"email", "erin@example.org"}, {"id", 9},
                                {"message-id", "<2024@smtp-relay.mailin.fr>"}, {"ts_epoch", 1709287400123LL},
                                {"ts", 1709287400}};
  ordered_json batch = ordered_json::array({hard, list_addition, contact_updated, transactional});
  auto events = ParseBrevo(batch.dump());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].event_type, "hard_bounced");
  EXPECT_EQ(events[0].object_id, "bob@example.org");
  EXPECT_EQ(events[0].occurred_ms, 1709287300000);
  EXPECT_EQ(events[1].event_type, "list_addition");
  EXPECT_EQ(events[1].occurred_ms, 1604937111000) << "ts (seconds) when there is no ts_event";
  EXPECT_EQ(events[2].event_type, "contact_updated");
  EXPECT_EQ(events[3].occurred_ms, 1709287400123) << "ts_epoch in milliseconds";
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].payload, batch[i].dump()) << i;
}

TEST(ParseBrevoWebhookTest, TimeFieldVariants) {
  auto at = [](ordered_json e) {
    auto events = ParseBrevo(e.dump());
    return events.empty() ? -1 : events[0].occurred_ms;
  };
  const ordered_json base = {{"email", "a@b.c"}, {"event", "opened"}};
  ordered_json e = base;
  EXPECT_EQ(at(e), 0) << "no time field";
  e["ts_epoch"] = 1709287400;  // seconds, as Brevo's examples show
  EXPECT_EQ(at(e), 1709287400000);
  e["ts_event"] = "1709287500";  // a string of digits
  EXPECT_EQ(at(e), 1709287500000) << "ts_event comes first";
  e = base;
  e["ts"] = 1709287600.0;
  EXPECT_EQ(at(e), 1709287600000);
  e = base;
  e["ts_event"] = nullptr;
  e["ts"] = 10;
  EXPECT_EQ(at(e), 10000) << "null counts as absent";
}

TEST(ParseBrevoWebhookTest, RetriesShareTheKeyAndOtherEventsDoNot) {
  const std::string key = ParseBrevo(Unsubscribed().dump())[0].dedup_key;
  EXPECT_EQ(ParseBrevo(Unsubscribed().dump(2))[0].dedup_key, key) << "same payload, other formatting";
  ordered_json other = Unsubscribed();
  other["ts_event"] = 1709287201;
  EXPECT_NE(ParseBrevo(other.dump())[0].dedup_key, key);
  other = Unsubscribed();
  other["camp_id"] = 43;
  EXPECT_NE(ParseBrevo(other.dump())[0].dedup_key, key);
  // A HubSpot event never shares a key with a Brevo one (domain-separated hashes).
  EXPECT_NE(ParseBrevo(Unsubscribed().dump())[0].dedup_key, HubSpotKey(PropertyChange()));
}

TEST(ParseBrevoWebhookTest, MalformedBodies) {
  EXPECT_THAT(BrevoError("{").message(), HasSubstr("Brevo webhook: the body is not JSON"));
  EXPECT_THAT(BrevoError("\"x\"").message(), HasSubstr("body: expected an event object or an array of events"));
  EXPECT_THAT(BrevoError("[]").message(), HasSubstr("empty"));
  EXPECT_THAT(BrevoError("[1]").message(), HasSubstr("[0]: expected an event object, got 1"));

  ordered_json e = Unsubscribed();
  e.erase("email");
  EXPECT_THAT(BrevoError(e.dump()).message(), HasSubstr("Brevo webhook: email: missing"));
  EXPECT_THAT(BrevoError(ordered_json::array({Unsubscribed(), e}).dump()).message(),
              HasSubstr("Brevo webhook: [1].email: missing"));
  e["email"] = 5;
  EXPECT_THAT(BrevoError(e.dump()).message(), HasSubstr("email: expected a string, got 5"));
  e["email"] = "   ";
  EXPECT_THAT(BrevoError(e.dump()).message(), HasSubstr("email: empty"));

  e = Unsubscribed();
  e.erase("event");
  EXPECT_THAT(BrevoError(e.dump()).message(), HasSubstr("event: missing"));
  e["event"] = "";
  EXPECT_THAT(BrevoError(e.dump()).message(), HasSubstr("event: expected a non-empty string"));

  e = Unsubscribed();
  e["ts_event"] = "yesterday";
  Status s = BrevoError(e.dump());
  EXPECT_THAT(s.message(), HasSubstr("ts_event: expected a Unix time (an integer), got a string"));
  EXPECT_THAT(s.message(), Not(HasSubstr("jane")));
  e["ts_event"] = -5;
  EXPECT_THAT(BrevoError(e.dump()).message(), HasSubstr("ts_event: expected a Unix time"));
}

// ---- DescribeInboxEvent -----------------------------------------------------------------------

TEST(DescribeInboxEventTest, HubSpotEventLine) {
  auto events = ParseHubSpot(ordered_json::array({PropertyChange(2)}));
  ASSERT_EQ(events.size(), 1u);
  const std::string line = DescribeInboxEvent(events[0]);
  EXPECT_THAT(line, HasSubstr("hubspot contact.propertyChange contact 501 occurred=2023-11-14T22:13:20.123Z"));
  EXPECT_THAT(line, HasSubstr("property=email"));
  EXPECT_THAT(line, HasSubstr("attempt=2"));
  EXPECT_THAT(line, HasSubstr("connection=hubspot key=" + events[0].dedup_key.substr(13, 12)));
  EXPECT_THAT(line, Not(HasSubstr("jane"))) << "property values are never shown";
}

TEST(DescribeInboxEventTest, BrevoEmailIsMasked) {
  auto events = ParseBrevo(Unsubscribed().dump());
  ASSERT_EQ(events.size(), 1u);
  const std::string line = DescribeInboxEvent(events[0]);
  EXPECT_THAT(line, HasSubstr("brevo unsubscribed brevo_contact j***@example.com occurred=2024-03-01T10:00:00.000Z"));
  EXPECT_THAT(line, Not(HasSubstr("jane.doe")));
}

TEST(DescribeInboxEventTest, HostileFieldsStayOnOneLine) {
  store::InboxEvent e;
  e.source = "brevo";
  e.event_type = "evil\nINJECTED line";
  e.object_type = "brevo_contact";
  e.object_id = "no-at-sign";
  e.dedup_key = "abc";
  e.connection = "brevo";
  const std::string line = DescribeInboxEvent(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_THAT(line, HasSubstr("evil?INJECTED line brevo_contact *** occurred=0ms"));
  e.object_id = "@example.com";
  EXPECT_THAT(DescribeInboxEvent(e), HasSubstr(" ***@example.com "));
  e.object_id = "\xC3\xA9lodie@example.com";  // "élodie": the first character is two bytes
  EXPECT_THAT(DescribeInboxEvent(e), HasSubstr(" \xC3\xA9***@example.com "));
  e.event_type = std::string(500, 'x');
  EXPECT_LT(DescribeInboxEvent(e).size(), 300u);
}

}  // namespace
}  // namespace tajo::server
