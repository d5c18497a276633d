// The Brevo sandbox behind the real HttpServer on 127.0.0.1, called with the libcurl transport:
// routing, headers and bodies survive the wire, and notifyUrl calls reach a receiver.
#include <mutex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/client.h"
#include "http/server.h"
#include "sandbox/brevo/brevo_sandbox.h"

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;

TEST(BrevoServerTest, ServesTheApiAndCallsNotifyUrlOverLoopback) {
  std::unique_ptr<http::Transport> curl = http::NewCurlTransport();
  // A receiver for notifyUrl.
  std::mutex mu;
  std::vector<std::string> received;
  auto receiver = http::HttpServer::Start({}, [&](http::HttpRequest& r) {
    std::lock_guard lock(mu);
    received.push_back(r.method + " " + r.target + " " + r.body);
    return http::HttpResponse::Empty(200);
  });
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();

  ManualClock clock;
  BrevoSandbox sandbox(BrevoSandboxOptions{}, clock, curl.get());
  http::Router router;
  sandbox.RegisterRoutes(router);
  auto server = http::HttpServer::Start({}, router.AsHandler());
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const std::string base = (*server)->base_url();

  auto send = [&](const std::string& method, const std::string& path, const json& body, bool with_key = true) {
    clock.Advance(200'000);
    http::ClientRequest req;
    req.method = method;
    req.url = base + path;
    req.timeout_ms = 10'000;
    if (with_key) req.headers.Set("api-key", kDefaultApiKey);
    if (!body.is_null()) {
      req.body = body.dump();
      req.headers.Set("Content-Type", "application/json");
    }
    auto r = curl->Send(req);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : http::HttpResponse::Empty(0);
  };

  http::HttpResponse unauthorized = send("GET", "/v3/contacts", nullptr, false);
  EXPECT_EQ(unauthorized.status, 401);
  EXPECT_EQ(json::parse(unauthorized.body), json({{"code", "unauthorized"}, {"message", "Key not found"}}));

  http::HttpResponse created = send("POST", "/v3/contacts", {{"email", "wire@example.com"}});
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(json::parse(created.body)["id"], 1);
  EXPECT_EQ(created.headers.Get("x-sib-ratelimit-limit"), "10");
  http::HttpResponse got = send("GET", "/v3/contacts/wire%40example.com", nullptr);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body)["email"], "wire@example.com");
  EXPECT_EQ(send("PUT", "/v3/contacts/1", {{"attributes", {{"FIRSTNAME", "W"}}}}).status, 204);

  ASSERT_EQ(send("POST", "/v3/contacts/folders", {{"name", "F"}}).status, 201);
  ASSERT_EQ(send("POST", "/v3/contacts/lists", {{"name", "L"}, {"folderId", 1}}).status, 201);
  http::HttpResponse import = send("POST", "/v3/contacts/import",
                                   {{"jsonBody", {{{"email", "imported@example.com"}}}},
                                    {"listIds", {1}},
                                    {"notifyUrl", (*receiver)->base_url() + "/import-done?x=1"}});
  ASSERT_EQ(import.status, 202) << import.body;
  http::HttpResponse complete = send("POST", "/_sandbox/processes/complete", nullptr);
  EXPECT_EQ(complete.status, 200);
  {
    std::lock_guard lock(mu);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].rfind("POST /import-done?x=1 ", 0), 0u) << received[0];
  }
  EXPECT_EQ(send("GET", "/v3/contacts/imported%40example.com", nullptr).status, 200);
  (*server)->Shutdown(1000);
  (*receiver)->Shutdown(1000);
}

}  // namespace
}  // namespace tajo::sandbox::brevo
