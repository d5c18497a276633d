#include "store/records.h"

#include "store/inbox_records.h"

#include <gtest/gtest.h>

namespace tajo::store {
namespace {

TEST(RecordsTest, EnumNamesRoundTrip) {
  for (auto s :
       {ConnectionStatus::kDisconnected, ConnectionStatus::kConnected, ConnectionStatus::kError}) {
    EXPECT_EQ(ParseConnectionStatus(ConnectionStatusName(s)), s);
  }
  for (auto t : {SyncType::kFull, SyncType::kIncremental, SyncType::kWebhook}) {
    EXPECT_EQ(ParseSyncType(SyncTypeName(t)), t);
  }
  for (auto d : {SyncDirection::kBidirectional, SyncDirection::kHubSpotToBrevo,
                 SyncDirection::kBrevoToHubSpot}) {
    EXPECT_EQ(ParseSyncDirection(SyncDirectionName(d)), d);
  }
  for (auto r :
       {RunState::kRunning, RunState::kSucceeded, RunState::kFailed, RunState::kCancelled}) {
    EXPECT_EQ(ParseRunState(RunStateName(r)), r);
  }
  for (auto i : {InboxState::kPending, InboxState::kDone, InboxState::kDead}) {
    EXPECT_EQ(ParseInboxState(InboxStateName(i)), i);
  }
}

TEST(RecordsTest, NamesOnDiskAreStable) {
  // These strings are stored in databases and must never change.
  EXPECT_EQ(SyncDirectionName(SyncDirection::kHubSpotToBrevo), "hubspot_to_brevo");
  EXPECT_EQ(SyncDirectionName(SyncDirection::kBrevoToHubSpot), "brevo_to_hubspot");
  EXPECT_EQ(RunStateName(RunState::kCancelled), "cancelled");
  EXPECT_EQ(SyncTypeName(SyncType::kIncremental), "incremental");
  EXPECT_EQ(SyncTypeName(SyncType::kWebhook), "webhook");
  EXPECT_EQ(InboxStateName(InboxState::kPending), "pending");
  EXPECT_EQ(InboxStateName(InboxState::kDone), "done");
  EXPECT_EQ(InboxStateName(InboxState::kDead), "dead");
  EXPECT_EQ(ConnectionStatusName(ConnectionStatus::kConnected), "connected");
}

TEST(RecordsTest, UnknownNamesAreRejected) {
  EXPECT_FALSE(ParseRunState("Running"));
  EXPECT_FALSE(ParseRunState(""));
  EXPECT_FALSE(ParseSyncType("partial"));
  EXPECT_FALSE(ParseSyncType("Webhook"));
  EXPECT_FALSE(ParseInboxState("failed"));
  EXPECT_FALSE(ParseInboxState(""));
  EXPECT_FALSE(ParseSyncDirection("both"));
  EXPECT_FALSE(ParseConnectionStatus("ok"));
}

TEST(RecordsTest, CountsAddUpPerField) {
  RunCounts a{1, 2, 3, 4, 5, 6};
  a += RunCounts{10, 20, 30, 40, 50, 60};
  EXPECT_EQ(a, (RunCounts{11, 22, 33, 44, 55, 66}));

  SyncRun run;
  run.counts["contacts"] = {1, 0, 0, 0, 0, 2};
  run.counts["companies"] = {0, 3, 0, 1, 0, 0};
  EXPECT_EQ(run.TotalCounts(), (RunCounts{1, 3, 0, 1, 0, 2}));
}

}  // namespace
}  // namespace tajo::store
