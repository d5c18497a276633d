// webhook_bench, phase 2: edit -> Brevo latency at a steady edit rate (see bench/webhook_bench.cc).
#include "bench/webhook_bench.h"

namespace tajo::webhook_bench {

namespace {

std::string IsoMillis(int64_t unix_ms) {
  time_t secs = static_cast<time_t>(unix_ms / 1000);
  tm t{};
  gmtime_r(&secs, &t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour,
                     t.tm_min, t.tm_sec, unix_ms % 1000);
}


std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void RunE2e(const Paths& paths, int64_t contacts, int64_t rate, int64_t seconds, int64_t drain_s, int64_t latency_ms,
            E2eResult& r) {
  r.ran = true;
  r.contacts = contacts;
  r.rate = rate;
  SandboxUrls urls;
  const pid_t sandbox_pid =
      StartSandbox(paths, "e2e", {"--seed", fmt::format("contacts={},email_missing=0", contacts)}, latency_ms, &urls);
  const fs::path config = WriteConfig(paths, "e2e", urls);
  Http http;
  const std::vector<std::pair<std::string, std::string>> hubspot_auth = {
      {"Authorization", std::string("Bearer ") + hs::kDefaultToken}};
  const std::vector<std::pair<std::string, std::string>> brevo_auth = {
      {"api-key", tajo::sandbox::brevo::kDefaultApiKey}};

  // HubSpot's contacts and their emails (before the sync: these calls are in the 10 s window).
  std::vector<std::pair<std::string, std::string>> hubspot_contacts;  // id, email (lower case)
  for (std::string after;;) {
    json page = http.Call("GET",
                          urls.hubspot + "/crm/v3/objects/contacts?limit=100&properties=email" +
                              (after.empty() ? "" : "&after=" + after),
                          nullptr, hubspot_auth);
    for (const json& c : page.value("results", json::array())) {
      const json& props = c.value("properties", json::object());
      if (props.contains("email") && props["email"].is_string())
        hubspot_contacts.emplace_back(c.value("id", ""), Lower(props["email"].get<std::string>()));
    }
    if (!page.contains("paging")) break;
    after = page["paging"]["next"].value("after", "");
    if (after.empty()) break;
  }

  std::cout << fmt::format("e2e: sandbox seeded with {} contacts; running tajo connectors sync hubspot --type full ...\n",
                           contacts)
            << std::flush;
  r.full_sync = tajo::bench::RunTajo(
      {paths.tajo, "--config", config.string(), "connectors", "sync", "hubspot", "--type", "full", "--progress", "none"},
      {}, paths.work, "e2e-full-sync", static_cast<double>(EnvInt("TAJO_BENCH_TIMEOUT_S", 300)));
  {
    std::istringstream lines(r.full_sync.out);
    for (std::string line; std::getline(lines, line);) r.full_sync_summary += "    " + line + "\n";
  }
  if (r.full_sync.exit_code != 0)
    throw BenchFailure(fmt::format("e2e: the full sync failed (exit {}): {}", r.full_sync.exit_code,
                                   r.full_sync.err.substr(r.full_sync.err.size() > 1500 ? r.full_sync.err.size() - 1500 : 0)));

  // The benchmark's Brevo reads must not use tajo's Brevo budget: the sandbox stops enforcing.
  http.Call("PUT", urls.brevo_root + "/_sandbox/settings", json{{"enforceRateLimits", false}});
  std::unordered_map<std::string, bool> in_brevo;
  for (int64_t offset = 0;; offset += 1000) {
    json page = http.Call("GET", fmt::format("{}/contacts?limit=1000&offset={}", urls.brevo, offset), nullptr, brevo_auth);
    const json& cs = page["contacts"];
    for (const json& c : cs) in_brevo[Lower(c.value("email", ""))] = true;
    if (cs.size() < 1000) break;
  }
  std::vector<std::string> ids;  // the contacts to edit, each once
  for (const auto& [id, email] : hubspot_contacts) {
    if (in_brevo.count(email)) ids.push_back(id);
  }
  r.eligible = static_cast<int64_t>(ids.size());
  r.edits_planned = std::min<int64_t>(rate * seconds, r.eligible);
  if (r.edits_planned < rate * seconds)
    std::cout << fmt::format("e2e: only {} contacts are in both HubSpot and Brevo: {} edits instead of {}\n", r.eligible,
                             r.edits_planned, rate * seconds);
  if (r.edits_planned == 0) throw BenchFailure("e2e: no contact is in both HubSpot and Brevo after the full sync");

  Serve serve = StartServe(paths, "e2e", config);
  // The app's webhooks, pointed at tajo serve (developer key, as HubSpot's own client sends it).
  const std::string app = fmt::format("{}/webhooks/v3/{}", urls.hubspot, hs::kDefaultAppId);
  const std::string hapikey = std::string("?hapikey=") + hs::kDefaultDeveloperApiKey;
  http.Call("PUT", app + "/settings" + hapikey,
            json{{"targetUrl", serve.url + "/webhooks/hubspot"},
                 {"throttling", {{"maxConcurrentRequests", 10}, {"period", "SECONDLY"}}}});
  for (const json& sub : {json{{"eventType", "contact.propertyChange"}, {"propertyName", "firstname"}, {"active", true}},
                          json{{"eventType", "contact.creation"}, {"active", true}},
                          json{{"eventType", "contact.deletion"}, {"active", true}}}) {
    http.Call("POST", app + "/subscriptions" + hapikey, sub);
  }
  std::cout << fmt::format("e2e: tajo serve on {}, webhooks subscribed; {} edits at {}/s ...\n", serve.url,
                           r.edits_planned, rate)
            << std::flush;

  const std::string tag = std::to_string(getpid());
  std::unordered_map<std::string, size_t> value_index;
  std::vector<std::string> values(static_cast<size_t>(r.edits_planned));
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = fmt::format("wb{}x{}", tag, i);
    value_index[values[i]] = i;
  }
  std::vector<std::optional<SteadyClock::time_point>> seen(values.size());
  std::vector<std::optional<SteadyClock::time_point>> edited(values.size());
  std::atomic<int64_t> arrived{0};
  std::atomic<int64_t> poller_calls{0};
  std::string poller_error;

  const json hs0_json = http.Call("GET", urls.hubspot + "/_sandbox/stats");
  const Stats h0 = ParseStats(hs0_json);
  const Stats b0 = ParseStats(http.Call("GET", urls.brevo_root + "/_sandbox/stats"));
  const double serve_cpu0 = tajo::bench::ProcessCpuSeconds(serve.pid);
  const int64_t since0 = UnixMillis() - 1000;
  SteadyClock::time_point last_edit;
  {
    std::jthread poller([&](std::stop_token stop) {
      Http poll_http;
      auto transport = tajo::http::NewCurlTransport();
      int64_t since = since0;
      auto next = SteadyClock::now();
      while (!stop.stop_requested()) {
        std::this_thread::sleep_until(next);
        next += std::chrono::milliseconds(kPollIntervalMs);
        const int64_t poll_start_ms = UnixMillis();
        for (int64_t offset = 0;; offset += 1000) {
          tajo::http::ClientRequest q;
          q.url = fmt::format("{}/contacts?limit=1000&offset={}&modifiedSince={}", urls.brevo, offset,
                              tajo::http::UrlEncode(IsoMillis(since)));
          q.headers.Set("api-key", tajo::sandbox::brevo::kDefaultApiKey);
          auto resp = transport->Send(q);
          ++poller_calls;
          const auto got = SteadyClock::now();
          if (!resp.ok() || resp->status != 200) {
            if (poller_error.empty())
              poller_error = resp.ok() ? fmt::format("HTTP {}: {}", resp->status, resp->body.substr(0, 200))
                                       : resp.status().message();
            break;
          }
          json page = json::parse(resp->body, nullptr, false);
          if (page.is_discarded() || !page.contains("contacts")) break;
          const json& cs = page["contacts"];
          for (const json& c : cs) {
            const json& attrs = c.value("attributes", json::object());
            auto it = attrs.find("FIRSTNAME");
            if (it == attrs.end() || !it->is_string()) continue;
            auto idx = value_index.find(it->get<std::string>());
            if (idx == value_index.end() || seen[idx->second]) continue;
            seen[idx->second] = got;
            ++arrived;
          }
          if (cs.size() < 1000) break;
        }
        since = poll_start_ms - 1000;  // margin: writes committed around the previous poll
      }
    });

    Http edit_http;
    const auto start = SteadyClock::now();
    for (int64_t i = 0; i < r.edits_planned; ++i) {
      std::this_thread::sleep_until(start + std::chrono::microseconds(i * 1'000'000 / rate));
      const auto c0 = SteadyClock::now();
      json res = edit_http.Call("POST", urls.hubspot + "/_sandbox/mutate",
                                json{{"actions",
                                      {{{"op", "update"},
                                        {"objectType", "contacts"},
                                        {"id", ids[static_cast<size_t>(i)]},
                                        {"properties", {{"firstname", values[static_cast<size_t>(i)]}}}}}}});
      const auto c1 = SteadyClock::now();
      r.edit_call_max_ms = std::max(r.edit_call_max_ms, Millis(c1 - c0));
      const json& results = res.value("results", json::array());
      if (results.size() == 1 && results[0].value("status", 0) == 200) {
        edited[static_cast<size_t>(i)] = c1;
        ++r.edits_done;
      } else {
        ++r.edits_failed;
      }
    }
    last_edit = SteadyClock::now();
    r.edit_wall_s = Seconds(last_edit - start);
    std::cout << fmt::format("e2e: {} edits sent in {:.1f} s; waiting for them in Brevo ...\n", r.edits_done,
                             r.edit_wall_s)
              << std::flush;
    while (arrived.load() < r.edits_done && Seconds(SteadyClock::now() - last_edit) < static_cast<double>(drain_s)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    poller.request_stop();
  }  // joins the poller
  r.poller_calls = poller_calls.load();
  r.serve_cpu_s = tajo::bench::ProcessCpuSeconds(serve.pid) - serve_cpu0;
  std::optional<SteadyClock::time_point> last_seen;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!seen[i] || !edited[i]) continue;
    r.latency_ms.push_back(Millis(*seen[i] - *edited[i]));
    if (!last_seen || *seen[i] > *last_seen) last_seen = seen[i];
  }
  r.arrived = static_cast<int64_t>(r.latency_ms.size());
  r.drain_s = last_seen ? Seconds(*last_seen - last_edit) : static_cast<double>(drain_s);
  const json hs1_json = http.Call("GET", urls.hubspot + "/_sandbox/stats");
  r.hubspot = Delta(ParseStats(hs1_json), h0);
  r.brevo = Delta(ParseStats(http.Call("GET", urls.brevo_root + "/_sandbox/stats")), b0);
  // The poller's reads are not tajo's.
  if (auto it = r.brevo.by_endpoint.find("GET /v3/contacts"); it != r.brevo.by_endpoint.end()) {
    const int64_t mine = std::min(it->second, r.poller_calls);
    it->second -= mine;
    r.brevo.total -= mine;
    if (it->second == 0) r.brevo.by_endpoint.erase(it);
  }
  const json& w0 = hs0_json.value("webhooks", json::object());
  const json& w1 = hs1_json.value("webhooks", json::object());
  r.webhook_requests = w1.value("requestsSent", int64_t{0}) - w0.value("requestsSent", int64_t{0});
  r.webhook_events = w1.value("eventsDelivered", int64_t{0}) - w0.value("eventsDelivered", int64_t{0});
  r.webhook_failed = w1.value("requestsFailed", int64_t{0}) - w0.value("requestsFailed", int64_t{0});
  CheckServeAlive(serve, "e2e");
  json status = ServeStatus(http, serve);
  if (status.contains("lastRun") && status["lastRun"].is_object()) {
    const json& lr = status["lastRun"];
    r.last_run = fmt::format("#{} {} {}: counts {}, calls {}", lr.value("id", int64_t{0}), lr.value("type", ""),
                             lr.value("state", ""), lr.value("counts", json::object()).dump(),
                             lr.value("calls", json::object()).dump());
  }
  r.shutdown_s = StopServe(serve, &r.shutdown_exit);
  r.log_sample = LogProblems(serve.err, &r.log_problems);
  tajo::bench::StopChild(sandbox_pid);
  if (!poller_error.empty()) throw BenchFailure("e2e: the Brevo poller failed: " + poller_error);
  if (r.edits_failed > 0) throw BenchFailure(fmt::format("e2e: {} edits were refused by the sandbox", r.edits_failed));
  if (r.arrived < r.edits_done)
    throw BenchFailure(fmt::format("e2e: {} of {} edits never reached Brevo within {} s of the last edit",
                                   r.edits_done - r.arrived, r.edits_done, drain_s));
  if (r.shutdown_exit != 0) throw BenchFailure(fmt::format("e2e: tajo serve exited {} on SIGTERM", r.shutdown_exit));
}

void PrintE2e(const E2eResult& r) {
  if (!r.ran) return;
  std::cout << fmt::format("== 2. end to end: {} contacts synced first, then {} edits of distinct contacts' firstname at {}/s\n",
                           r.contacts, r.edits_planned, r.rate);
  std::cout << fmt::format("  full sync: exit {}, {:.1f} s\n{}", r.full_sync.exit_code, r.full_sync.wall_s,
                           r.full_sync_summary);
  if (r.edits_planned == 0) return;
  std::vector<double> lat = r.latency_ms;
  const double p50 = Percentile(lat, 0.50), p95 = Percentile(lat, 0.95), p99 = Percentile(lat, 0.99);
  const double max = lat.empty() ? 0 : lat.back();
  std::cout << fmt::format("  edits: {} made ({} refused) in {:.1f} s ({:.1f}/s; slowest mutate call {:.1f} ms); {} of them in Brevo\n",
                           r.edits_done, r.edits_failed, r.edit_wall_s,
                           r.edit_wall_s > 0 ? static_cast<double>(r.edits_done) / r.edit_wall_s : 0.0,
                           r.edit_call_max_ms, r.arrived);
  std::cout << fmt::format("  edit -> Brevo latency (poll every {} ms: upper bounds): p50 {:.0f} ms, p95 {:.0f} ms, p99 {:.0f} ms, "
                           "max {:.0f} ms — aim p95 < {:.0f} ms: {}\n",
                           kPollIntervalMs, p50, p95, p99, max, kAimE2eP95Ms,
                           !lat.empty() && p95 < kAimE2eP95Ms ? "met" : "NOT met");
  std::cout << fmt::format("  last arrival {:.2f} s after the last edit\n", r.drain_s);
  std::cout << fmt::format("  webhooks delivered by the sandbox: {} requests, {} events, {} failed\n", r.webhook_requests,
                           r.webhook_events, r.webhook_failed);
  const int64_t batch_reads = Count(r.hubspot, "POST", "/batch/read");
  std::cout << fmt::format("  tajo's API calls during the phase: HubSpot {} ({} contact batch reads for {} edits: {:.1f} edits a "
                           "read), Brevo {} (the poller's {} reads left out); 429s: {}\n",
                           r.hubspot.total, batch_reads, r.edits_done,
                           batch_reads > 0 ? static_cast<double>(r.edits_done) / static_cast<double>(batch_reads) : 0.0,
                           r.brevo.total, r.poller_calls, r.hubspot.limited + r.brevo.limited);
  PrintEndpoints("HubSpot", r.hubspot);
  PrintEndpoints("Brevo", r.brevo);
  std::cout << fmt::format("  tajo serve CPU during the phase: {:.2f} s; its last run: {}\n", r.serve_cpu_s,
                           r.last_run.empty() ? "-" : r.last_run);
  if (r.shutdown_s >= 0)
    std::cout << fmt::format("  tajo serve stopped {:.2f} s after SIGTERM (exit {})\n", r.shutdown_s, r.shutdown_exit);
  std::cout << fmt::format("  tajo serve log: {} warn/error lines\n{}", r.log_problems, r.log_sample);
}

}  // namespace tajo::webhook_bench
