// `tajo dlq list|show|replay|drop` in-process against a store file holding dead letters.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/serve_commands.h"
#include "core/redact.h"
#include "store/state_store.h"

namespace tajo::cli {
namespace {

class DlqCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tajo_dlq_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string store = (dir_ / "tajo.db").string();
    global_.config_path = (dir_ / "tajo.yaml").string();
    std::ofstream(global_.config_path) << "connectors:\n  hubspot:\n    access_token: pat-na1-dlq-test-token\n"
                                       << "brevo:\n  api_key: xkeysib-dlq-test-key\nstore: \"" << store << "\"\n";
    auto s = store::OpenStore(store);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->UpsertConnection({.name = "hubspot", .kind = "hubspot"}).ok());
    std::vector<store::InboxEvent> events;
    for (int i = 0; i < 3; ++i) {
      store::InboxEvent e;
      e.connection = "hubspot";
      e.source = "hubspot";
      e.dedup_key = "k" + std::to_string(i);
      e.event_type = "contact.propertyChange";
      e.object_type = "contact";
      e.object_id = std::to_string(100 + i);
      e.occurred_ms = 1700000000000;
      e.payload = R"({"objectId":)" + std::to_string(100 + i) + R"(,"propertyName":"firstname"})";
      events.push_back(e);
    }
    ASSERT_EQ(store_->EnqueueInbox(events).value(), 3);
    auto claimed = store_->ClaimInbox("hubspot", "test", 10, 1);
    ASSERT_TRUE(claimed.ok());
    for (const auto& e : *claimed) {
      ids_.push_back(e.id);
      if (e.object_id == "102") continue;
      ASSERT_TRUE(store_->DeadLetterInbox(e.id, "Unavailable: POST /v3/contacts/batch: HTTP 503").ok());
    }
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
    ClearRegisteredSecrets();
  }
  int Run(DlqCommandOptions o) {
    out_.str("");
    err_.str("");
    return RunDlq(global_, o, out_, err_);
  }
  std::filesystem::path dir_;
  GlobalOptions global_;
  std::unique_ptr<store::StateStore> store_;
  std::vector<int64_t> ids_;
  std::ostringstream out_, err_;
};

TEST_F(DlqCommandTest, ListShowsTheDeadLettersWithTheirReason) {
  ASSERT_EQ(Run({.action = "list"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("contact/100"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("contact/101"), std::string::npos);
  EXPECT_EQ(out_.str().find("contact/102"), std::string::npos) << "a pending event is not a dead letter";
  EXPECT_NE(out_.str().find("HTTP 503"), std::string::npos);
  ASSERT_EQ(Run({.action = "list", .json = true}), 0);
  auto j = nlohmann::json::parse(out_.str());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0].value("attempts", 0), 1);
}

TEST_F(DlqCommandTest, ShowPrintsTheEventAsReceived) {
  ASSERT_EQ(Run({.action = "show", .id = ids_[0]}), 0) << err_.str();
  EXPECT_NE(out_.str().find("\"propertyName\": \"firstname\""), std::string::npos) << out_.str();
  EXPECT_EQ(Run({.action = "show", .id = ids_[2]}), 1);  // pending, not dead
  EXPECT_NE(err_.str().find("no dead letter with id"), std::string::npos);
  EXPECT_EQ(Run({.action = "show"}), 2);
}

TEST_F(DlqCommandTest, ReplayPutsThemBackAndDropDeletesThem) {
  ASSERT_EQ(Run({.action = "replay", .id = ids_[0]}), 0) << err_.str();
  auto e = store_->GetInboxEvent(ids_[0]).value();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->state, store::InboxState::kPending);
  EXPECT_EQ(e->attempts, 0);
  EXPECT_EQ(Run({.action = "replay", .id = ids_[0]}), 1) << "no longer dead";
  ASSERT_EQ(Run({.action = "drop", .all = true}), 0);
  EXPECT_NE(out_.str().find("Dropped 1 dead letter."), std::string::npos) << out_.str();
  EXPECT_FALSE(store_->GetInboxEvent(ids_[1]).value().has_value());
  EXPECT_EQ(store_->CountInbox("hubspot").value().dead, 0);
  EXPECT_EQ(Run({.action = "drop", .id = 12345}), 1);
  EXPECT_EQ(Run({.action = "replay"}), 2) << "neither an id nor --all";
  EXPECT_EQ(Run({.action = "replay", .id = ids_[0], .all = true}), 2) << "both";
  EXPECT_EQ(Run({.action = "purge"}), 2);
}

}  // namespace
}  // namespace tajo::cli
