// ConnectorClients: the outbound side of one HubSpot <-> Brevo connection, built from the
// configuration — one libcurl transport, one RateBudget holding every bucket of both plans, one
// RetryPolicy, one ApiCaller, and the typed HubSpot and Brevo clients on top. Every call of a
// run goes through here, so the budget and the per-bucket counts cover the whole run.
//
// Thread-safe as its parts are (the clients may be used from several threads).
#pragma once

#include <memory>

#include "brevo/client.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "http/api_caller.h"
#include "http/client.h"
#include "http/rate_budget.h"
#include "http/retry.h"
#include "hubspot/client.h"

namespace tajo::sync {

struct ConnectorClientsOptions {
  Clock* clock = nullptr;      // nullptr = SystemClock(); must outlive the clients
  int max_attempts = 6;        // per call, including the first
  int64_t base_delay_micros = 500'000;
  int max_connections_per_host = 16;
};

class ConnectorClients {
 public:
  // Fails with kInvalidArgument when a plan number is not positive.
  static Result<std::unique_ptr<ConnectorClients>> Create(const Config& config,
                                                          const ConnectorClientsOptions& options = {});
  ConnectorClients(const ConnectorClients&) = delete;
  ConnectorClients& operator=(const ConnectorClients&) = delete;

  hubspot::HubSpotClient& hubspot() { return *hubspot_; }
  brevo::BrevoClient& brevo() { return *brevo_; }
  http::ApiCaller& caller() { return *caller_; }

  // Calls made so far per service: "hubspot" (both HubSpot buckets) and "brevo" (every Brevo one).
  int64_t HubSpotCalls() const;
  int64_t BrevoCalls() const;
  // 429 responses received so far per service.
  int64_t HubSpotRateLimited() const;
  int64_t BrevoRateLimited() const;

 private:
  ConnectorClients() = default;

  Clock* clock_ = nullptr;
  std::unique_ptr<http::Transport> transport_;
  std::unique_ptr<http::RateBudget> budget_;
  std::unique_ptr<http::RetryPolicy> retry_;
  std::unique_ptr<http::ApiCaller> caller_;
  std::unique_ptr<hubspot::HubSpotClient> hubspot_;
  std::unique_ptr<brevo::BrevoClient> brevo_;
};

}  // namespace tajo::sync
