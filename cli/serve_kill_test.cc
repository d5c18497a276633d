// `tajo serve` as a real process, killed with SIGKILL twice while a stream of 10,000 HubSpot edits
// arrives as signed webhooks (both emulators run in this test process; the HubSpot one delivers
// with its real batching and retries, 600 times faster). Acknowledged events are in the store's
// inbox, unacknowledged ones are redelivered, so after the stream Brevo must equal the final
// HubSpot state: every edit's last value, creations present, deletions gone, no contact twice,
// one link per contact. Then SIGTERM stops it gracefully (exit 0).
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "cli/sync_test_config.h"
#include "http/client.h"
#include "sandbox/hubspot/options.h"
#include "sync/sync_test_env.h"

namespace tajo::cli {
namespace {

using sync::testing::EnvOptions;
using sync::testing::SyncTestEnv;

constexpr int kEdits = 10'000;
constexpr int kCreated = 40;
constexpr int kArchived = 30;

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A port nothing listens on right now.
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof(a);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

class ServeKillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTestDir("tajo_serve_kill");
    store_path_ = (dir_ / "tajo.db").string();
    env_ = std::make_unique<SyncTestEnv>(EnvOptions{.hubspot_seed = "contacts=300",
                                                    .extra_yaml = testing::kSyncTestLists,
                                                    .store = store_path_,
                                                    .deliver_webhooks = true,
                                                    .time_scale = 600});
    port_ = FreePort();
    ASSERT_GT(port_, 0);
    config_path_ = testing::WriteSyncConfig(
        *env_, dir_ / "tajo.yaml", store_path_,
        testing::kSyncTestLists + "    client_secret: \"" + sandbox::hubspot::kDefaultClientSecret + "\"\n");
    std::ofstream(config_path_, std::ios::app) << "server:\n"
                                               << "  listen: 127.0.0.1:" << port_ << "\n"
                                               << "  worker: {window_ms: 200, retry_base_ms: 200, max_attempts: 30}\n";
    transport_ = http::NewCurlTransport();
  }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    env_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  void StartServe() {
    ++starts_;
    pid_ = testing::SpawnProcess({TAJO_BINARY, "--config", config_path_, "serve"},
                                 (dir_ / ("out" + std::to_string(starts_))).string(),
                                 (dir_ / ("err" + std::to_string(starts_))).string());
    ASSERT_GT(pid_, 0);
    const bool ready = WaitUntil(
        [&] {
          http::ClientRequest r;
          r.method = "GET";
          r.url = Url("/readyz");
          auto resp = transport_->Send(r);
          return resp.ok() && resp->status == 200;
        },
        std::chrono::seconds(30));
    ASSERT_TRUE(ready) << ReadFile(dir_ / ("err" + std::to_string(starts_)));
  }

  void Kill() {
    ASSERT_EQ(::kill(pid_, SIGKILL), 0);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::filesystem::path dir_;
  std::string store_path_, config_path_;
  std::unique_ptr<SyncTestEnv> env_;
  std::unique_ptr<http::Transport> transport_;
  int port_ = 0;
  pid_t pid_ = -1;
  int starts_ = 0;
};

TEST_F(ServeKillTest, TenThousandEditsWithTwoKillsArriveExactlyOnce) {
  ASSERT_TRUE(env_->Full().ok());
  StartServe();
  auto& hooks = env_->hubspot_sandbox().webhooks();
  ASSERT_TRUE(hooks.PutSettings(Url("/webhooks/hubspot"), 10, "SECONDLY").ok());
  for (const char* t : {"contact.creation", "contact.deletion"}) ASSERT_TRUE(hooks.CreateSubscription(t, "", true).ok());
  for (const char* p : {"firstname", "lastname", "lifecyclestage"}) {
    ASSERT_TRUE(hooks.CreateSubscription("contact.propertyChange", p, true).ok());
  }

  auto contacts = env_->HubSpotContacts({"email"});
  ASSERT_GE(contacts.size(), 250u);
  const size_t editable = contacts.size() - kArchived;
  std::set<std::string> archived_emails;
  nlohmann::json actions = nlohmann::json::array();
  auto flush = [&] {
    if (actions.empty()) return;
    env_->HubSpotAdmin("POST", "/_sandbox/mutate", {{"actions", actions}});
    actions = nlohmann::json::array();
  };
  static const char* kStages[] = {"subscriber", "lead", "marketingqualifiedlead", "customer"};
  for (int i = 0; i < kEdits; ++i) {
    if (i == 3000 || i == 6500) {
      flush();
      Kill();  // mid-stream: some deliveries fail and are retried by HubSpot
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      StartServe();
    }
    if (i % 250 == 0 && i / 250 < kCreated) {
      actions.push_back({{"op", "create"},
                         {"objectType", "contacts"},
                         {"properties", {{"email", "stream." + std::to_string(i) + "@example.org"},
                                         {"firstname", "Stream"}}}});
    } else if (i % 333 == 0 && static_cast<int>(archived_emails.size()) < kArchived) {
      const auto& c = contacts[editable + archived_emails.size()];
      archived_emails.insert(c.Get("email").value_or(""));
      actions.push_back({{"op", "archive"}, {"objectType", "contacts"}, {"id", c.id}});
    } else {
      const auto& c = contacts[static_cast<size_t>(i * 7919) % editable];
      nlohmann::json props = {{"firstname", "F" + std::to_string(i)}};
      if (i % 3 == 0) props["lifecyclestage"] = kStages[i % 4];
      if (i % 5 == 0) props["lastname"] = "L" + std::to_string(i);
      actions.push_back({{"op", "update"}, {"objectType", "contacts"}, {"id", c.id}, {"properties", props}});
    }
    if (actions.size() == 100) flush();
  }
  flush();

  // Everything delivered and applied.
  const bool drained = WaitUntil(
      [&] {
        if (hooks.stats().pending > 0) return false;
        auto c = env_->store().CountInbox(sync::kConnectionName);
        return c.ok() && c->pending == 0;
      },
      std::chrono::seconds(180));
  ASSERT_TRUE(drained) << "sandbox pending " << hooks.stats().pending << "\n" << ReadFile(dir_ / "err3");
  EXPECT_EQ(hooks.stats().events_dropped, 0);
  // The kills happened while events flowed: some deliveries failed and were sent again.
  EXPECT_GT(hooks.stats().requests_failed, 0);
  auto counts = env_->store().CountInbox(sync::kConnectionName);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->dead, 0);

  sync::testing::ExpectMirrored(*env_);
  auto brevo = env_->BrevoContacts();
  for (const std::string& e : archived_emails) EXPECT_EQ(brevo.count(e), 0u) << e << " was deleted in HubSpot";
  for (int i = 0; i < kCreated; ++i) {
    EXPECT_EQ(brevo.count("stream." + std::to_string(i * 250) + "@example.org"), 1u);
  }
  // No contact twice, one link per contact that has an email.
  size_t with_email = 0;
  for (const auto& c : env_->HubSpotContacts({"email"})) with_email += c.Get("email").has_value();
  EXPECT_EQ(brevo.size(), with_email);
  EXPECT_EQ(env_->store().CountLinks(sync::kConnectionName).value(), static_cast<int64_t>(with_email));

  // SIGTERM: a graceful stop, exit 0.
  ASSERT_EQ(::kill(pid_, SIGTERM), 0);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReadFile(dir_ / "err3");
  EXPECT_NE(ReadFile(dir_ / "out3").find("tajo serve: stopped"), std::string::npos);
}

}  // namespace
}  // namespace tajo::cli
