// Test fixture for the Brevo sandbox's HTTP layer: a sandbox on a ManualClock behind a Router,
// called in-process (no sockets), and a Transport that records notifyUrl / webhook calls.
//
// Test-only; not thread-safe.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/client.h"
#include "http/server.h"
#include "sandbox/brevo/brevo_sandbox.h"

namespace tajo::sandbox::brevo::testing {

// Records every request; answers each with `status` (or a Status error when `fail` is set).
class RecordingTransport : public http::Transport {
 public:
  Result<http::HttpResponse> Send(const http::ClientRequest& request) override {
    std::lock_guard lock(mu_);
    requests.push_back(request);
    if (fail) return Status::DeadlineExceeded("timed out (test)");
    if (!statuses.empty()) {
      int next = statuses.front();
      statuses.pop_front();
      return http::HttpResponse::Empty(next);
    }
    return http::HttpResponse::Empty(status);
  }
  std::vector<http::ClientRequest> Requests() {
    std::lock_guard lock(mu_);
    return requests;
  }
  int status = 200;
  std::deque<int> statuses;  // answered first, in order
  bool fail = false;
  std::vector<http::ClientRequest> requests;

 private:
  std::mutex mu_;
};

struct Reply {
  int status = 0;
  nlohmann::json body;  // null when empty or not JSON
  http::Headers headers;
  std::string raw;
  http::ConnectionFault fault = http::ConnectionFault::kNone;  // what the server is asked to do
};

class BrevoApiTest : public ::testing::Test {
 protected:
  explicit BrevoApiTest(BrevoSandboxOptions options = {}) : sandbox_(options, clock_, &transport_) {
    sandbox_.RegisterRoutes(router_);
  }

  // Calls the API with the default key; the clock moves 101 ms first so a test never trips the
  // 10-per-second contacts limit by accident (RawCall does not move it).
  Reply Call(const std::string& method, const std::string& target, const nlohmann::json& body = nullptr,
             const std::string& key = kDefaultApiKey) {
    clock_.Advance(101'000);
    return RawCall(method, target, body.is_null() ? "" : body.dump(), key);
  }
  Reply RawCall(const std::string& method, const std::string& target, const std::string& body,
                const std::string& key = kDefaultApiKey) {
    http::HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    if (!key.empty()) request.headers.Set("api-key", key);
    if (!body.empty()) request.headers.Set("Content-Type", "application/json");
    http::HttpResponse response = router_.Handle(request);
    Reply reply;
    reply.status = response.status;
    reply.headers = response.headers;
    reply.raw = response.body;
    reply.fault = response.fault;
    if (!response.body.empty()) {
      reply.body = nlohmann::json::parse(response.body, nullptr, false);
      if (reply.body.is_discarded()) reply.body = nullptr;
    }
    return reply;
  }
  int64_t CreateContact(const nlohmann::json& body) {
    Reply r = Call("POST", "/v3/contacts", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.is_object() ? r.body.value("id", int64_t{0}) : 0;
  }

  ManualClock clock_{1'700'000'000'000'000};
  RecordingTransport transport_;
  BrevoSandbox sandbox_;
  http::Router router_;
};

}  // namespace tajo::sandbox::brevo::testing
