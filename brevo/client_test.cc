// BrevoClient against the Brevo emulator over a real loopback socket: the client is checked
// against tajo-sandbox, which is written from the reference, not from this client.
#include "brevo/client.h"

#include <gtest/gtest.h>

#include "http/api_caller.h"
#include "http/client.h"
#include "http/plan_budgets.h"
#include "http/server.h"
#include "sandbox/brevo/brevo_sandbox.h"

namespace tajo::brevo {
namespace {

namespace sb = ::tajo::sandbox::brevo;

class BrevoClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sb::BrevoSandboxOptions options;
    options.plan = "advanced";
    sandbox_ = std::make_unique<sb::BrevoSandbox>(options, sandbox_clock_);
    sb::SeedSpec seed;
    seed.contacts = 1200;
    seed.lists = 2;
    sandbox_->Seed(seed, 5);
    sandbox_->RegisterRoutes(router_);
    auto server = http::HttpServer::Start(http::ServerOptions{}, router_.AsHandler());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    ASSERT_TRUE(http::AddBrevoBuckets(budget_, DefaultBrevoRateLimits(BrevoPlan::kAdvanced)).ok());
    client_ = MakeClient(sb::kDefaultApiKey);
  }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<BrevoClient> MakeClient(const std::string& key) {
    return std::make_unique<BrevoClient>(caller_, BrevoClientOptions{server_->base_url() + "/v3", key, 10'000});
  }
  int64_t ContactCalls() { return caller_.Stats(std::string(http::kBrevoContactsBucket)).calls; }

  ManualClock sandbox_clock_;  // the sandbox's own time: import processes advance only when told
  std::unique_ptr<sb::BrevoSandbox> sandbox_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> server_;
  std::unique_ptr<http::Transport> transport_ = http::NewCurlTransport();
  http::RateBudget budget_{SystemClock()};
  http::RetryPolicy retry_{http::RetryOptions{.max_attempts = 2, .base_delay_micros = 1000, .seed = 1}};
  http::ApiCaller caller_{*transport_, budget_, retry_, SystemClock()};
  std::unique_ptr<BrevoClient> client_;
};

TEST_F(BrevoClientTest, ListsEveryContactInPagesOfAThousand) {
  std::set<int64_t> ids;
  ContactListOptions o;
  int64_t count = -1;
  int pages = 0;
  while (true) {
    auto page = client_->ListContacts(o);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ++pages;
    count = page->count;
    for (const auto& c : page->contacts) EXPECT_TRUE(ids.insert(c.id).second) << "contact " << c.id << " twice";
    if (page->contacts.size() < static_cast<size_t>(o.limit)) break;
    o.offset += o.limit;
  }
  EXPECT_EQ(count, 1200);
  EXPECT_EQ(ids.size(), 1200u);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(ContactCalls(), 2);
}

TEST_F(BrevoClientTest, UpsertGetBatchUpdateAndTheAllOrNothingRule) {
  ContactWrite w;
  w.email = "ana.lopez@example.com";
  w.attributes = {{"FIRSTNAME", "Ana"}, {"LASTNAME", "López"}};
  auto id = client_->UpsertContact(w);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_GT(*id, 0);
  w.attributes["FIRSTNAME"] = "Ána";
  auto again = client_->UpsertContact(w);  // exists now: updated, Brevo answers 204
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, 0);
  auto got = client_->GetContactByEmail("ana.lopez@example.com");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, *id);
  EXPECT_EQ(got->attributes["FIRSTNAME"], "Ána");

  ContactWrite u{.email = "ana.lopez@example.com", .attributes = {{"LASTNAME", "Pérez"}}};
  ASSERT_TRUE(client_->BatchUpdate({u}).ok());
  EXPECT_EQ(client_->GetContactByEmail("ana.lopez@example.com")->attributes["LASTNAME"], "Pérez");

  ContactWrite unknown{.email = "nobody.here@example.com", .attributes = {{"LASTNAME", "X"}}};
  u.attributes = {{"LASTNAME", "Changed"}};
  Status s = client_->BatchUpdate({u, unknown});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("POST /v3/contacts/batch"), std::string::npos) << s.message();
  EXPECT_EQ(client_->GetContactByEmail("ana.lopez@example.com")->attributes["LASTNAME"], "Pérez")
      << "nothing of a rejected batch is applied";

  EXPECT_EQ(client_->GetContactByEmail("nobody.here@example.com").status().code(), StatusCode::kNotFound);
}

TEST_F(BrevoClientTest, ImportRunsAsAProcessUntilCompleted) {
  std::vector<ContactWrite> rows;
  for (int i = 0; i < 300; ++i)
    rows.push_back({.email = "import" + std::to_string(i) + "@example.com", .attributes = {{"FIRSTNAME", "I"}}});
  auto lists = client_->ListLists();
  ASSERT_TRUE(lists.ok()) << lists.status().ToString();
  ASSERT_FALSE(lists->empty());
  auto process = client_->ImportContacts(rows, {lists->front().id}, true, false);
  ASSERT_TRUE(process.ok()) << process.status().ToString();
  auto p = client_->GetProcess(*process);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_NE(p->status, "completed");
  sandbox_clock_.Advance(60'000'000);
  p = client_->GetProcess(*process);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, "completed");
  auto c = client_->GetContactByEmail("import299@example.com");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_NE(std::find(c->list_ids.begin(), c->list_ids.end(), lists->front().id), c->list_ids.end());
  EXPECT_EQ(caller_.Stats(std::string(http::kBrevoOtherBucket)).calls, 2);  // /processes is "other"
}

TEST_F(BrevoClientTest, AttributesListsFoldersAndMembershipInCallsOf150) {
  auto attrs = client_->ListAttributes();
  ASSERT_TRUE(attrs.ok()) << attrs.status().ToString();
  EXPECT_TRUE(std::any_of(attrs->begin(), attrs->end(), [](const Attribute& a) { return a.name == "FIRSTNAME"; }));
  ASSERT_TRUE(client_->CreateAttribute("normal", "LIFECYCLE_STAGE", "text").ok());
  attrs = client_->ListAttributes();
  EXPECT_TRUE(std::any_of(attrs->begin(), attrs->end(), [](const Attribute& a) { return a.name == "LIFECYCLE_STAGE"; }));
  EXPECT_FALSE(client_->CreateAttribute("normal", "LIFECYCLE_STAGE", "text").ok()) << "already exists";

  auto folder = client_->CreateFolder("tajo");
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  auto list = client_->CreateList("qualified_leads", *folder);
  ASSERT_TRUE(list.ok()) << list.status().ToString();

  auto page = client_->ListContacts({.limit = 400, .offset = 0, .modified_since = "", .ascending = true});
  ASSERT_TRUE(page.ok());
  std::vector<std::string> emails;
  for (const auto& c : page->contacts)
    if (!c.email.empty()) emails.push_back(c.email);
  ASSERT_GT(emails.size(), 300u);
  emails.resize(301);
  emails.push_back("not.a.contact@example.com");
  const int64_t before = ContactCalls();
  auto added = client_->AddToList(*list, emails);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(ContactCalls() - before, 3);  // 302 emails: 150 + 150 + 2
  EXPECT_EQ(added->success.size(), 301u);
  EXPECT_EQ(added->failure, std::vector<std::string>{"not.a.contact@example.com"});
  auto removed = client_->RemoveFromList(*list, {emails[0]});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->success.size(), 1u);
}

TEST_F(BrevoClientTest, WrongKeyIsUnauthenticatedWithTheFixAndNoKey) {
  const std::string key = "xkeysib-0000000000000000000000000000000000000000-WrongKey00000000";
  auto r = MakeClient(key)->ListContacts({});
  ASSERT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(r.status().message().find("brevo.api_key"), std::string::npos);
  EXPECT_EQ(r.status().message().find(key), std::string::npos);
}

TEST_F(BrevoClientTest, WebhooksAreCreatedWithTheBearerTokenAndUpdatedInPlace) {
  WebhookWrite w;
  w.url = "https://tajo.example.com/webhooks/brevo";
  w.description = "tajo";
  w.events = {"unsubscribed", "hardBounce"};
  w.bearer_token = "brevo-webhook-token-0123456789";
  auto id = client_->CreateWebhook(w);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto stored = sandbox_->webhooks().Get(*id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored.value()["type"], "marketing");
  EXPECT_EQ(stored.value()["auth"]["type"], "bearer");
  EXPECT_EQ(stored.value()["auth"]["token"], "brevo-webhook-token-0123456789");

  w.events = {"unsubscribed", "hardBounce", "contactDeleted"};
  w.bearer_token = "brevo-webhook-token-rotated-98765";
  ASSERT_TRUE(client_->UpdateWebhook(*id, w).ok());
  auto hooks = client_->ListWebhooks("marketing");
  ASSERT_TRUE(hooks.ok()) << hooks.status().ToString();
  ASSERT_EQ(hooks->size(), 1u);
  EXPECT_EQ(hooks->front().id, *id);
  EXPECT_EQ(hooks->front().events, (std::vector<std::string>{"unsubscribed", "hardBounce", "contactDeleted"}));
  EXPECT_EQ(sandbox_->webhooks().Get(*id).value()["auth"]["token"], "brevo-webhook-token-rotated-98765");

  EXPECT_EQ(client_->UpdateWebhook(*id + 100, w).code(), StatusCode::kNotFound);
}

TEST_F(BrevoClientTest, AWebhookEventBrevoDoesNotKnowIsRefusedWithoutTheToken) {
  WebhookWrite w;
  w.url = "https://tajo.example.com/webhooks/brevo";
  w.events = {"unsubscribed", "contactCreated"};
  w.bearer_token = "brevo-webhook-token-0123456789";
  auto id = client_->CreateWebhook(w);
  ASSERT_EQ(id.status().code(), StatusCode::kInvalidArgument) << id.status().ToString();
  EXPECT_NE(id.status().message().find("POST /v3/webhooks"), std::string::npos) << id.status().message();
  EXPECT_NE(id.status().message().find("contactCreated"), std::string::npos) << id.status().message();
  EXPECT_EQ(id.status().message().find(w.bearer_token), std::string::npos);
}

}  // namespace
}  // namespace tajo::brevo
