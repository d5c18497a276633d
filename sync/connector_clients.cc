#include "sync/connector_clients.h"

#include "http/plan_budgets.h"

namespace tajo::sync {

Result<std::unique_ptr<ConnectorClients>> ConnectorClients::Create(const Config& config,
                                                                   const ConnectorClientsOptions& options) {
  std::unique_ptr<ConnectorClients> c(new ConnectorClients());
  c->clock_ = options.clock != nullptr ? options.clock : &SystemClock();
  http::CurlOptions curl;
  curl.max_connections_per_host = options.max_connections_per_host;
  c->transport_ = http::NewCurlTransport(curl);
  c->budget_ = std::make_unique<http::RateBudget>(*c->clock_);
  TAJO_RETURN_IF_ERROR(http::AddHubSpotBuckets(*c->budget_, config.connectors.hubspot.rate_limits));
  TAJO_RETURN_IF_ERROR(http::AddBrevoBuckets(*c->budget_, config.brevo.rate_limits));
  http::RetryOptions retry;
  retry.max_attempts = options.max_attempts;
  retry.base_delay_micros = options.base_delay_micros;
  c->retry_ = std::make_unique<http::RetryPolicy>(retry);
  c->caller_ = std::make_unique<http::ApiCaller>(*c->transport_, *c->budget_, *c->retry_, *c->clock_);
  c->hubspot_ = std::make_unique<hubspot::HubSpotClient>(
      *c->caller_, hubspot::HubSpotClientOptions{config.connectors.hubspot.base_url,
                                                 config.connectors.hubspot.access_token, 30'000});
  c->brevo_ = std::make_unique<brevo::BrevoClient>(
      *c->caller_, brevo::BrevoClientOptions{config.brevo.base_url, config.brevo.api_key, 60'000});
  return c;
}

namespace {
int64_t Sum(const http::ApiCaller& caller, std::initializer_list<std::string_view> buckets,
            int64_t http::CallStats::*field) {
  int64_t n = 0;
  for (std::string_view b : buckets) n += caller.Stats(std::string(b)).*field;
  return n;
}
}  // namespace

int64_t ConnectorClients::HubSpotCalls() const {
  return Sum(*caller_, {http::kHubSpotBucket, http::kHubSpotSearchBucket}, &http::CallStats::calls);
}
int64_t ConnectorClients::BrevoCalls() const {
  return Sum(*caller_, {http::kBrevoContactsBucket, http::kBrevoEventsBucket, http::kBrevoOtherBucket},
             &http::CallStats::calls);
}
int64_t ConnectorClients::HubSpotRateLimited() const {
  return Sum(*caller_, {http::kHubSpotBucket, http::kHubSpotSearchBucket}, &http::CallStats::rate_limited);
}
int64_t ConnectorClients::BrevoRateLimited() const {
  return Sum(*caller_, {http::kBrevoContactsBucket, http::kBrevoEventsBucket, http::kBrevoOtherBucket},
             &http::CallStats::rate_limited);
}

}  // namespace tajo::sync
