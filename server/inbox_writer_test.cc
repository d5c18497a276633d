#include "server/inbox_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace tajo::server {
namespace {

store::InboxEvent Event(const std::string& key) {
  store::InboxEvent e;
  e.connection = "hubspot";
  e.source = "hubspot";
  e.dedup_key = key;
  e.event_type = "contact.propertyChange";
  e.object_type = "contact";
  e.object_id = "1";
  e.payload = "{}";
  return e;
}

class InboxWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("tajo-inbox-writer-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    auto s = store::OpenStore(path_.string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->UpsertConnection({.name = "hubspot", .kind = "hubspot"}).ok());
  }
  void TearDown() override {
    store_.reset();
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + ext);
  }
  std::filesystem::path path_;
  std::unique_ptr<store::StateStore> store_;
};

TEST_F(InboxWriterTest, ConcurrentRequestsAreAllSavedInFewerTransactions) {
  InboxWriter writer(*store_);
  constexpr int kThreads = 8, kRequests = 40, kEvents = 20;
  std::atomic<int64_t> added{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRequests; ++r) {
        std::vector<store::InboxEvent> events;
        for (int e = 0; e < kEvents; ++e) {
          events.push_back(Event(std::to_string(t) + "/" + std::to_string(r) + "/" + std::to_string(e)));
        }
        events.push_back(Event("shared"));  // the same event in every request: saved once
        auto n = writer.Save(events);
        if (n.ok()) added += *n; else ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(added.load(), kThreads * kRequests * kEvents + 1);
  EXPECT_EQ(store_->CountInbox("hubspot").value().pending, kThreads * kRequests * kEvents + 1);
  EXPECT_LE(writer.transactions(), kThreads * kRequests);
}

TEST_F(InboxWriterTest, ABadRequestFailsAloneAndNothingOfItIsSaved) {
  InboxWriter writer(*store_);
  std::vector<store::InboxEvent> bad = {Event("ok-but-in-a-bad-request"), Event("")};  // empty key
  auto n = writer.Save(bad);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CountInbox("hubspot").value().pending, 0);
  // Concurrently with good ones: the good ones are saved.
  std::atomic<int> good_saved{0}, bad_failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < 30; ++r) {
        if (t == 0) {
          if (!writer.Save(bad).ok()) ++bad_failed;
        } else {
          auto n = writer.Save({Event(std::to_string(t) + "-" + std::to_string(r))});
          if (n.ok() && *n == 1) ++good_saved;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad_failed.load(), 30);
  EXPECT_EQ(good_saved.load(), 5 * 30);
  EXPECT_EQ(store_->CountInbox("hubspot").value().pending, 5 * 30);
}

}  // namespace
}  // namespace tajo::server
