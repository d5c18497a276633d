// Test helpers for the HubSpot sandbox: a sandbox on a ManualClock with its routes, and a Call()
// that drives a request through the full pipeline (auth, limits, scopes, handler) without a socket.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "http/client.h"
#include "http/server.h"
#include "sandbox/hubspot/hubspot_sandbox.h"

namespace tajo::sandbox::hubspot::testing {

// A webhook transport that records requests and answers with `status` (or fails when `fail`).
class FakeTransport final : public http::Transport {
 public:
  struct State {
    std::mutex mu;
    std::vector<http::ClientRequest> requests;
    int status = 200;
    bool fail = false;
  };
  explicit FakeTransport(std::shared_ptr<State> state) : state_(std::move(state)) {}
  Result<http::HttpResponse> Send(const http::ClientRequest& request) override {
    std::lock_guard lock(state_->mu);
    state_->requests.push_back(request);
    if (state_->fail) return Status::Unavailable("connection refused (fake)");
    http::HttpResponse r;
    r.status = state_->status;
    return r;
  }

 private:
  std::shared_ptr<State> state_;
};

struct Reply {
  int status = 0;
  nlohmann::json json;
  http::Headers headers;
  std::string body;
  http::ConnectionFault fault = http::ConnectionFault::kNone;  // what the server is asked to do
};

class SandboxHarness {
 public:
  explicit SandboxHarness(HubSpotSandboxOptions options = {}, int64_t start_micros = 1'717'000'000'000'000)
      : clock(start_micros), webhook_state(std::make_shared<FakeTransport::State>()) {
    sandbox = std::make_unique<HubSpotSandbox>(options, clock, std::make_unique<FakeTransport>(webhook_state));
    sandbox->RegisterRoutes(router);
  }

  Reply Call(const std::string& method, const std::string& target, const nlohmann::json& body = nullptr,
             const std::string& token = kDefaultToken) {
    http::HttpRequest req;
    req.method = method;
    req.target = target;
    if (!token.empty()) req.headers.Set("Authorization", "Bearer " + token);
    if (!body.is_null()) {
      req.body = body.dump();
      req.headers.Set("Content-Type", "application/json");
    }
    http::HttpResponse resp = router.Handle(req);
    Reply r;
    r.status = resp.status;
    r.headers = resp.headers;
    r.body = resp.body;
    r.fault = resp.fault;
    if (!resp.body.empty()) r.json = nlohmann::json::parse(resp.body, nullptr, false);
    return r;
  }
  Reply Raw(const std::string& method, const std::string& target, const std::string& body,
            const std::string& token = kDefaultToken) {
    http::HttpRequest req;
    req.method = method;
    req.target = target;
    if (!token.empty()) req.headers.Set("Authorization", "Bearer " + token);
    req.body = body;
    http::HttpResponse resp = router.Handle(req);
    Reply r;
    r.status = resp.status;
    r.headers = resp.headers;
    r.body = resp.body;
    r.fault = resp.fault;
    if (!resp.body.empty()) r.json = nlohmann::json::parse(resp.body, nullptr, false);
    return r;
  }
  // Creates a contact and returns its id (asserting success).
  std::string CreateContact(const nlohmann::json& properties) {
    Reply r = Call("POST", "/crm/v3/objects/contacts", {{"properties", properties}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.value("id", "");
  }
  std::string Create(const std::string& type, const nlohmann::json& properties) {
    Reply r = Call("POST", "/crm/v3/objects/" + type, {{"properties", properties}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.value("id", "");
  }

  ManualClock clock;
  std::shared_ptr<FakeTransport::State> webhook_state;  // what webhooks were sent
  http::Router router;
  std::unique_ptr<HubSpotSandbox> sandbox;
};

// Options with rate limits off, for tests that are not about them.
inline HubSpotSandboxOptions Unlimited() {
  HubSpotSandboxOptions o;
  o.enforce_rate_limits = false;
  return o;
}

}  // namespace tajo::sandbox::hubspot::testing
