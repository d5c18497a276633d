// End to end over a real loopback socket: the sandbox behind http::HttpServer, called with the
// libcurl transport.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/client.h"
#include "http/server.h"
#include "sandbox/hubspot/hubspot_sandbox.h"
#include "sandbox/hubspot/webhook_signature.h"

#include <chrono>
#include <mutex>
#include <thread>

namespace tajo::sandbox::hubspot {
namespace {

TEST(EndToEndTest, ServesTheApiOverHttp) {
  HubSpotSandboxOptions options;
  HubSpotSandbox sandbox(options, SystemClock());
  sandbox.Seed(ParseSeedSpec("contacts=20,companies=3").value(), 1);
  http::Router router;
  sandbox.RegisterRoutes(router);
  http::ServerOptions so;
  so.host = "127.0.0.1";
  so.port = 0;
  auto server = http::HttpServer::Start(so, router.AsHandler());
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  std::string base = (*server)->base_url();
  auto transport = http::NewCurlTransport();

  http::ClientRequest req;
  req.url = base + "/crm/v3/objects/contacts?limit=5&properties=email&properties=firstname";
  req.headers.Set("Authorization", std::string("Bearer ") + kDefaultToken);
  auto resp = transport->Send(req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 200);
  auto body = nlohmann::json::parse(resp->body);
  EXPECT_EQ(body["results"].size(), 5u);
  EXPECT_TRUE(body.contains("paging"));
  EXPECT_TRUE(resp->headers.Has("X-HubSpot-RateLimit-Remaining"));
  EXPECT_NE(resp->headers.Get("Content-Type").value_or("").find("application/json"), std::string::npos);

  http::ClientRequest create;
  create.method = "POST";
  create.url = base + "/crm/v3/objects/contacts";
  create.headers.Set("Authorization", std::string("Bearer ") + kDefaultToken);
  create.headers.Set("Content-Type", "application/json");
  create.body = R"({"properties":{"email":"wire@example.com","firstname":"Władysław"}})";
  resp = transport->Send(create);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 201) << resp->body;
  EXPECT_EQ(nlohmann::json::parse(resp->body)["properties"]["firstname"], "Władysław");
  resp = transport->Send(create);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 409);

  http::ClientRequest del;
  del.method = "DELETE";
  del.url = base + "/crm/v3/objects/contacts/" + nlohmann::json::parse(transport->Send(req)->body)["results"][0]["id"].get<std::string>();
  del.headers.Set("Authorization", std::string("Bearer ") + kDefaultToken);
  resp = transport->Send(del);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 204);
  EXPECT_TRUE(resp->body.empty());

  http::ClientRequest anonymous;
  anonymous.url = base + "/crm/v3/objects/contacts";
  resp = transport->Send(anonymous);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 401);

  http::ClientRequest stats;
  stats.url = base + "/_sandbox/stats";
  resp = transport->Send(stats);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(nlohmann::json::parse(resp->body)["requests"]["byStatus"]["201"], 1);
  (*server)->Shutdown(1000);
}

TEST(EndToEndTest, DeliversSignedWebhooksToALoopbackReceiver) {
  std::mutex mu;
  std::vector<http::HttpRequest> received;
  http::ServerOptions so;
  auto receiver = http::HttpServer::Start(so, [&](http::HttpRequest& r) {
    std::lock_guard lock(mu);
    received.push_back(r);
    return http::HttpResponse::Empty(204);
  });
  ASSERT_TRUE(receiver.ok());
  std::string target = (*receiver)->base_url() + "/hubspot/webhooks";

  HubSpotSandbox sandbox(HubSpotSandboxOptions{}, SystemClock());
  http::Router router;
  sandbox.RegisterRoutes(router);
  sandbox.StartWebhookDelivery();
  auto call = [&](const std::string& method, const std::string& path, const nlohmann::json& body) {
    http::HttpRequest req;
    req.method = method;
    req.target = path;
    req.body = body.dump();
    req.headers.Set("Authorization", std::string("Bearer ") + kDefaultToken);
    return router.Handle(req);
  };
  ASSERT_EQ(call("PUT", "/webhooks/v3/54321/settings",
                 {{"targetUrl", target}, {"throttling", {{"maxConcurrentRequests", 10}, {"period", "SECONDLY"}}}}).status, 200);
  ASSERT_EQ(call("POST", "/webhooks/v3/54321/subscriptions", {{"eventType", "contact.creation"}, {"active", true}}).status, 201);
  ASSERT_EQ(call("POST", "/crm/v3/objects/contacts", {{"properties", {{"email", "hook@example.com"}}}}).status, 201);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu);
      if (!received.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::vector<http::HttpRequest> copy;
  {
    std::lock_guard lock(mu);
    copy = received;
  }
  ASSERT_EQ(copy.size(), 1u);
  const http::HttpRequest& got = copy[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.RawPath(), "/hubspot/webhooks");
  auto events = nlohmann::json::parse(got.body);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["subscriptionType"], "contact.creation");
  EXPECT_EQ(got.headers.Get("X-HubSpot-Signature"), SignatureV1(kDefaultClientSecret, got.body));
  std::string ts = got.headers.Get("X-HubSpot-Request-Timestamp").value_or("");
  EXPECT_EQ(got.headers.Get("X-HubSpot-Signature-v3"), SignatureV3(kDefaultClientSecret, "POST", target, got.body, ts));
  (*receiver)->Shutdown(1000);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
