// tajo-sandbox: local emulators of the HubSpot and Brevo APIs for tests, benchmarks and the demo.
// Parses the command line, starts one HTTP server per service, prints where each listens, and
// runs until SIGINT or SIGTERM. Everything else lives in sandbox/hubspot/ and sandbox/brevo/.
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/clock.h"
#include "core/log.h"
#include "http/server.h"
#include "sandbox/brevo/brevo_sandbox.h"
#include "sandbox/brevo/options.h"
#include "sandbox/hubspot/hubspot_sandbox.h"
#include "sandbox/hubspot/options.h"

namespace {

using namespace tajo;
using namespace tajo::sandbox;

// Blocks SIGINT/SIGTERM in every thread (call before any thread starts) and waits for one.
class ShutdownSignal {
 public:
  ShutdownSignal() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  int Wait() {
    int sig = 0;
    sigwait(&set_, &sig);
    return sig;
  }

 private:
  sigset_t set_;
};

}  // namespace

int main(int argc, char** argv) {
  hubspot::HubSpotSandboxOptions hs;
  std::string host = "127.0.0.1";
  int hubspot_port = 0;
  std::string seed_text;
  std::vector<std::string> token_texts;
  std::string log_level = "warn";
  brevo::BrevoSandboxOptions bv;
  int brevo_port = 0;
  std::string brevo_seed_text;
  std::vector<std::string> brevo_key_texts;

  CLI::App app{
      "tajo-sandbox: faithful local emulators of the HubSpot and Brevo APIs (see docs/sandbox.md).\n"
      "Defaults: HubSpot private-app token " +
          std::string(hubspot::kDefaultToken) + " (every scope), client secret " +
          hubspot::kDefaultClientSecret + ", app id " + std::to_string(hubspot::kDefaultAppId) +
          ", developer API key " + hubspot::kDefaultDeveloperApiKey + ".\nDefault Brevo API key " + brevo::kDefaultApiKey + ".",
      "tajo-sandbox"};
  app.add_option("--host", host, "Address to listen on (loopback by default)")->capture_default_str();
  app.add_option("--hubspot-port", hubspot_port, "HubSpot API port; 0 picks a free port")->capture_default_str();
  app.add_option("--seed", seed_text,
                 "Seed the HubSpot portal: contacts=N,companies=N,deals=N,tickets=N,engagements=N,...");
  app.add_option("--seed-number", hs.seed_number, "Seed of the deterministic data")->capture_default_str();
  app.add_option("--hubspot-plan", hs.plan, "free|starter|professional|enterprise|api_addon")
      ->capture_default_str();
  app.add_option("--hubspot-token", token_texts,
                 "Accepted private-app token, TOKEN or TOKEN:scope1,scope2 (repeatable; replaces the default)");
  app.add_option("--client-secret", hs.client_secret, "The app's client secret (webhook signatures, OAuth)");
  app.add_option("--app-id", hs.app_id, "The app id (webhooks v3 API)")->capture_default_str();
  app.add_option("--developer-api-key", hs.developer_api_key,
                 "The app developer's API key, accepted as ?hapikey= by the webhooks v3 API");
  app.add_option("--latency-ms", hs.latency_ms, "Latency added to every API request")->capture_default_str();
  app.add_option("--time-scale", hs.time_scale, "Rate windows and retry delays pass X times faster")
      ->capture_default_str();
  app.add_option("--brevo-port", brevo_port, "Brevo API port (served under /v3); 0 picks a free port")
      ->capture_default_str();
  app.add_option("--brevo-api-key", brevo_key_texts,
                 "Accepted Brevo API key, KEY or NAME:KEY (repeatable; replaces the default)");
  app.add_option("--brevo-plan", bv.plan, "standard|advanced")->capture_default_str();
  app.add_option("--brevo-seed", brevo_seed_text,
                 "Seed the Brevo account: contacts=N,overlap=0.6,blocklisted=0.05,lists=3,... "
                 "(overlap is with the --seed HubSpot contacts, by email)");
  app.add_option("--log-level", log_level, "error|warn|info|debug|verbose")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto level = ParseLogLevel(log_level);
  if (!level.ok()) {
    std::cerr << "error: --log-level: " << level.status().message() << "\n";
    return 2;
  }
  Log().SetLevel(*level);
  if (hubspot_port < 0 || hubspot_port > 65535) {
    std::cerr << "error: --hubspot-port: " << hubspot_port << " is not a port (0..65535)\n";
    return 2;
  }
  if (!(hs.time_scale > 0)) {
    std::cerr << "error: --time-scale: must be greater than 0\n";
    return 2;
  }
  if (hs.latency_ms < 0) {
    std::cerr << "error: --latency-ms: must be 0 or more\n";
    return 2;
  }
  if (auto plan = hubspot::LimitsForPlan(hs.plan); !plan.ok()) {
    std::cerr << "error: --hubspot-plan: " << plan.status().message() << "\n";
    return 2;
  }
  for (const auto& text : token_texts) {
    auto token = hubspot::ParseTokenSpec(text);
    if (!token.ok()) {
      std::cerr << "error: --hubspot-token: " << token.status().message() << "\n";
      return 2;
    }
    hs.tokens.push_back(*token);
  }
  if (auto seed = hubspot::ParseSeedSpec(seed_text); !seed.ok()) {
    std::cerr << "error: --seed: " << seed.status().message() << "\n";
    return 2;
  } else {
    hs.seed = *seed;
  }
  if (brevo_port < 0 || brevo_port > 65535) {
    std::cerr << "error: --brevo-port: " << brevo_port << " is not a port (0..65535)\n";
    return 2;
  }
  if (auto plan = brevo::LimitsForPlan(bv.plan); !plan.ok()) {
    std::cerr << "error: --brevo-plan: " << plan.status().message() << "\n";
    return 2;
  }
  for (size_t i = 0; i < brevo_key_texts.size(); ++i) {
    auto key = brevo::ParseApiKeySpec(brevo_key_texts[i], i);
    if (!key.ok()) {
      std::cerr << "error: --brevo-api-key: " << key.status().message() << "\n";
      return 2;
    }
    bv.api_keys.push_back(*key);
  }
  if (auto seed = brevo::ParseSeedSpec(brevo_seed_text); !seed.ok()) {
    std::cerr << "error: --brevo-seed: " << seed.status().message() << "\n";
    return 2;
  } else {
    bv.seed = *seed;
  }
  // The Brevo seed overlaps the HubSpot one by email: it replays the HubSpot seeder's draws.
  bv.seed_number = hs.seed_number;
  bv.latency_ms = hs.latency_ms;
  bv.time_scale = hs.time_scale;
  bv.seed.hubspot_contacts = hs.seed.contacts;
  bv.seed.hubspot_companies = hs.seed.companies;
  bv.seed.hubspot_email_missing_share = hs.seed.email_missing_share;
  bv.seed.hubspot_email_duplicate_share = hs.seed.email_duplicate_share;

  ShutdownSignal shutdown;  // before any thread starts

  hubspot::HubSpotSandbox hubspot_sandbox(hs, SystemClock());
  if (!hs.seed.empty()) {
    auto seeded = hubspot_sandbox.SeedFromOptions();
    std::cerr << "hubspot seeded " << hubspot::FormatSeedSpec(hs.seed) << " in " << seeded.millis << " ms\n";
  }
  http::Router hubspot_router;
  hubspot_sandbox.RegisterRoutes(hubspot_router);

  http::ServerOptions server_options;
  server_options.host = host;
  server_options.port = static_cast<uint16_t>(hubspot_port);
  server_options.server_name = "tajo-sandbox";
  server_options.worker_threads = 8;
  auto hubspot_server = http::HttpServer::Start(server_options, hubspot_router.AsHandler());
  if (!hubspot_server.ok()) {
    std::cerr << "error: hubspot server: " << hubspot_server.status().message() << "\n";
    return 1;
  }
  hubspot_sandbox.StartWebhookDelivery();
  std::cout << "hubspot listening on " << (*hubspot_server)->base_url() << std::endl;


  brevo::BrevoSandbox brevo_sandbox(bv, SystemClock());
  if (!bv.seed.empty()) {
    auto seeded = brevo_sandbox.SeedFromOptions();
    std::cerr << "brevo seeded " << brevo::FormatSeedSpec(bv.seed) << " in " << seeded.millis << " ms\n";
  }
  http::Router brevo_router;
  brevo_sandbox.RegisterRoutes(brevo_router);
  server_options.port = static_cast<uint16_t>(brevo_port);
  auto brevo_server = http::HttpServer::Start(server_options, brevo_router.AsHandler());
  if (!brevo_server.ok()) {
    std::cerr << "error: brevo server: " << brevo_server.status().message() << "\n";
    (*hubspot_server)->Shutdown(0);
    return 1;
  }
  brevo_sandbox.StartBackground();
  std::cout << "brevo listening on " << (*brevo_server)->base_url() << "/v3" << std::endl;

  int sig = shutdown.Wait();
  std::cerr << "tajo-sandbox: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down\n";
  // Servers first: the emulators must outlive every request in flight.
  (*hubspot_server)->Shutdown(2000);
  (*brevo_server)->Shutdown(2000);
  brevo_sandbox.StopBackground();
  return 0;
}
