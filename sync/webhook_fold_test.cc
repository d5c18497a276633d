// FoldEvents: what a batch of webhook events means, per object, in occurredAt order.
#include "sync/webhook_fold.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace tajo::sync {
namespace {

using nlohmann::json;

store::InboxEvent Event(int64_t id, const std::string& type, const std::string& object_id, int64_t occurred,
                        json extra = json::object(), const std::string& source = "hubspot") {
  store::InboxEvent e;
  e.id = id;
  e.connection = "hubspot";
  e.source = source;
  e.event_type = type;
  e.object_type = type.substr(0, type.find('.'));
  e.object_id = object_id;
  e.occurred_ms = occurred;
  extra["subscriptionType"] = type;
  if (!object_id.empty() && object_id.find_first_not_of("0123456789") == std::string::npos) {
    extra["objectId"] = std::stoll(object_id);
  }
  extra["occurredAt"] = occurred;
  e.payload = extra.dump();
  return e;
}

TEST(FoldEvents, EditsOfOneContactBecomeOneRefresh) {
  EventFold f = FoldEvents({Event(1, "contact.propertyChange", "10", 100), Event(2, "contact.propertyChange", "10", 101),
                            Event(3, "contact.creation", "11", 102), Event(4, "contact.deletion", "12", 103),
                            Event(5, "contact.restore", "13", 104)});
  EXPECT_EQ(f.refresh, (std::set<std::string>{"10", "11", "12", "13"}));
  EXPECT_TRUE(f.ignored.empty());
  EXPECT_TRUE(f.invalid.empty());
}

TEST(FoldEvents, APrivacyDeletionWinsOverEverythingAfterIt) {
  // Out of arrival order on purpose: occurredAt decides.
  EventFold f = FoldEvents({Event(2, "contact.propertyChange", "10", 300), Event(1, "contact.privacyDeletion", "10", 200),
                            Event(3, "contact.propertyChange", "10", 100)});
  EXPECT_TRUE(f.refresh.empty());
  EXPECT_EQ(f.privacy_deleted, (std::set<std::string>{"10"}));
}

TEST(FoldEvents, AMergeMovesEveryMergedIdToTheSurvivor) {
  EventFold f = FoldEvents({Event(1, "contact.propertyChange", "20", 100),
                            Event(2, "contact.merge", "10", 200,
                                  {{"primaryObjectId", 10}, {"mergedObjectIds", {20}}, {"newObjectId", 30}})});
  EXPECT_EQ(f.refresh, (std::set<std::string>{"30"}));
  EXPECT_EQ(f.merged_into, (std::map<std::string, std::string>{{"10", "30"}, {"20", "30"}}));
  // Without a new id the primary survives.
  f = FoldEvents({Event(1, "contact.merge", "10", 200, {{"primaryObjectId", 10}, {"mergedObjectIds", {20}}})});
  EXPECT_EQ(f.refresh, (std::set<std::string>{"10"}));
  EXPECT_EQ(f.merged_into, (std::map<std::string, std::string>{{"20", "10"}}));
}

TEST(FoldEvents, ChainedMergesEndAtTheLastSurvivor) {
  EventFold f = FoldEvents({Event(1, "contact.merge", "10", 100, {{"primaryObjectId", 10}, {"mergedObjectIds", {20}}}),
                            Event(2, "contact.merge", "30", 200, {{"primaryObjectId", 30}, {"mergedObjectIds", {10}}})});
  EXPECT_EQ(f.refresh, (std::set<std::string>{"30"}));
  EXPECT_EQ(f.merged_into, (std::map<std::string, std::string>{{"10", "30"}, {"20", "30"}}));
}

TEST(FoldEvents, CompaniesAndDealsReachTheirContacts) {
  EventFold f = FoldEvents({Event(1, "company.propertyChange", "500", 100, {{"propertyName", "name"}}),
                            Event(2, "deal.creation", "600", 100),
                            Event(3, "deal.associationChange", "601", 100,
                                  {{"associationType", "DEAL_TO_CONTACT"}, {"fromObjectId", 601}, {"toObjectId", 42}}),
                            Event(4, "deal.associationChange", "602", 100,
                                  {{"associationType", "DEAL_TO_COMPANY"}, {"fromObjectId", 602}, {"toObjectId", 7}}),
                            Event(5, "deal.deletion", "603", 100)});
  EXPECT_EQ(f.companies, (std::set<std::string>{"500"}));
  EXPECT_EQ(f.deals, (std::set<std::string>{"600"}));
  EXPECT_EQ(f.refresh, (std::set<std::string>{"42"}));
  EXPECT_EQ(f.ignored.count(4), 1u);
  EXPECT_EQ(f.ignored.count(5), 1u);
}

TEST(FoldEvents, WhatNothingSyncsIsIgnoredAndWhatCannotApplyIsInvalid) {
  store::InboxEvent broken = Event(3, "contact.creation", "12", 100);
  broken.payload = "{not json";
  store::InboxEvent no_object = Event(4, "contact.creation", "13", 100);
  no_object.object_id.clear();
  EventFold f = FoldEvents({Event(1, "ticket.creation", "10", 100), Event(2, "unsubscribed", "a@b.c", 100, json::object(), "brevo"),
                            broken, no_object});
  EXPECT_EQ(f.ignored.size(), 2u);
  EXPECT_NE(f.ignored.at(2).find("Brevo -> HubSpot"), std::string::npos);
  EXPECT_EQ(f.invalid.size(), 2u);
  EXPECT_TRUE(f.refresh.empty());
}

}  // namespace
}  // namespace tajo::sync
