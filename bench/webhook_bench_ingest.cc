// webhook_bench, phase 1: webhook ingest at saturation and paced (see bench/webhook_bench.cc).
#include "bench/webhook_bench.h"

namespace tajo::webhook_bench {

namespace {

std::string HubSpotEventsBody(int64_t first, int64_t count, int64_t occurred_ms) {
  std::string body = "[";
  for (int64_t i = first; i < first + count; ++i) {
    if (i > first) body += ',';
    body += fmt::format(
        R"({{"eventId":{},"subscriptionId":424242,"portalId":{},"appId":{},"occurredAt":{},)"
        R"("subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":{},)"
        R"("propertyName":"firstname","propertyValue":"Ingest {}","changeSource":"CRM_UI","sourceId":"userId:9586504"}})",
        3'000'000'000 + i, hs::kDefaultPortalId, hs::kDefaultAppId, occurred_ms + i / 100, 900'000'000 + i, i);
  }
  body += "]";
  return body;
}

}  // namespace

void RunIngest(const Paths& paths, int64_t events_wanted, int64_t clients, int64_t latency_ms, double rate,
               IngestResult& r) {
  const char* phase = rate > 0 ? "paced" : "ingest";
  r.ran = true;
  r.rate = rate;
  r.clients = clients;
  r.requests = tajo::bench::CeilDiv(events_wanted, 100);
  r.events = r.requests * 100;
  SandboxUrls urls;
  const pid_t sandbox_pid = StartSandbox(paths, phase, {}, latency_ms, &urls);
  const fs::path config = WriteConfig(paths, phase, urls);
  Serve serve = StartServe(paths, phase, config);
  std::cout << fmt::format("ingest: tajo serve on {}; preparing {} signed requests of 100 events ...\n", serve.url,
                           r.requests)
            << std::flush;

  // Bodies and signatures before the clock starts.
  const auto p0 = SteadyClock::now();
  const std::string target = serve.url + "/webhooks/hubspot";
  const std::string timestamp = std::to_string(UnixMillis());
  std::vector<tajo::http::ClientRequest> requests(static_cast<size_t>(r.requests));
  for (int64_t k = 0; k < r.requests; ++k) {
    tajo::http::ClientRequest& q = requests[static_cast<size_t>(k)];
    q.method = "POST";
    q.url = target;
    q.timeout_ms = 30'000;
    q.body = HubSpotEventsBody(k * 100, 100, UnixMillis() - 60'000);
    q.headers.Set("Content-Type", "application/json");
    q.headers.Set("X-HubSpot-Signature-v3",
                  tajo::Base64Encode(tajo::HmacSha256(hs::kDefaultClientSecret, "POST" + target + q.body + timestamp)));
    q.headers.Set("X-HubSpot-Request-Timestamp", timestamp);
  }
  r.prepare_s = Seconds(SteadyClock::now() - p0);

  Http http;
  const Stats h0 = ParseStats(http.Call("GET", urls.hubspot + "/_sandbox/stats"));
  struct PerThread {
    std::vector<double> latency_ms;
    int64_t acked = 0, failed = 0, received = 0, added = 0;
    std::string first_error;
  };
  std::vector<PerThread> per(static_cast<size_t>(clients));
  std::atomic<int64_t> next{0};
  std::latch warmed(clients);
  std::latch go(1);
  std::atomic<int64_t> done_ns{0};
  std::atomic<int64_t> start_ns{0};  // when `go` opened, on the p0 scale
  {
    std::vector<std::jthread> threads;
    for (int64_t t = 0; t < clients; ++t) {
      threads.emplace_back([&, t] {
        PerThread& mine = per[static_cast<size_t>(t)];
        auto transport = tajo::http::NewCurlTransport();
        tajo::http::ClientRequest warm;
        warm.url = serve.url + "/healthz";
        (void)transport->Send(warm);  // opens this thread's keep-alive connection
        warmed.count_down();
        go.wait();
        while (true) {
          const int64_t k = next.fetch_add(1);
          if (k >= r.requests) break;
          auto t0 = SteadyClock::now();
          if (rate > 0) {
            // Paced: request k is due k * 100 / rate s after the start; its latency counts from
            // then, so a client running behind schedule shows (no coordinated omission).
            const auto due = p0 + std::chrono::nanoseconds(start_ns.load()) +
                             std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(k) * 100.0 / rate * 1e9));
            std::this_thread::sleep_until(due);
            t0 = due;
          }
          auto resp = transport->Send(requests[static_cast<size_t>(k)]);
          const auto t1 = SteadyClock::now();
          mine.latency_ms.push_back(Millis(t1 - t0));
          std::string error;
          if (!resp.ok()) {
            error = resp.status().message();
          } else if (resp->status != 200) {
            error = fmt::format("HTTP {}: {}", resp->status, resp->body.substr(0, 200));
          } else {
            json j = json::parse(resp->body, nullptr, false);
            if (j.is_discarded() || !j.contains("new") || !j.contains("received")) {
              error = "answer not {\"received\",\"new\"}: " + resp->body.substr(0, 200);
            } else {
              ++mine.acked;
              mine.received += j["received"].get<int64_t>();
              mine.added += j["new"].get<int64_t>();
            }
          }
          if (!error.empty()) {
            ++mine.failed;
            if (mine.first_error.empty()) mine.first_error = error;
          }
          int64_t now_ns = (t1 - p0).count();
          int64_t prev = done_ns.load();
          while (prev < now_ns && !done_ns.compare_exchange_weak(prev, now_ns)) {
          }
        }
      });
    }
    warmed.wait();
    std::cout << fmt::format("ingest: {} client threads connected; sending {} events ...\n", clients, r.events)
              << std::flush;
    const double serve_cpu0 = tajo::bench::ProcessCpuSeconds(serve.pid);
    const double sandbox_cpu0 = tajo::bench::ProcessCpuSeconds(sandbox_pid);
    const double bench_cpu0 = SelfCpuSeconds();
    const auto t_start = SteadyClock::now();
    start_ns = (t_start - p0).count();
    go.count_down();
    for (std::jthread& th : threads) th.join();
    r.wall_s = static_cast<double>(done_ns.load()) / 1e9 - Seconds(t_start - p0);
    r.serve_cpu_s = tajo::bench::ProcessCpuSeconds(serve.pid) - serve_cpu0;
    r.sandbox_cpu_s = tajo::bench::ProcessCpuSeconds(sandbox_pid) - sandbox_cpu0;
    r.bench_cpu_s = SelfCpuSeconds() - bench_cpu0;
  }
  for (PerThread& t : per) {
    r.latency_ms.insert(r.latency_ms.end(), t.latency_ms.begin(), t.latency_ms.end());
    r.acked += t.acked;
    r.failed += t.failed;
    r.received_sum += t.received;
    r.new_sum += t.added;
    if (r.first_error.empty()) r.first_error = t.first_error;
  }
  r.hubspot = Delta(ParseStats(http.Call("GET", urls.hubspot + "/_sandbox/stats")), h0);
  CheckServeAlive(serve, phase);
  json status = ServeStatus(http, serve);
  r.inbox_pending = status["inbox"].value("pending", int64_t{-1});
  r.inbox_dead = status["inbox"].value("deadLetters", int64_t{-1});
  r.shutdown_s = StopServe(serve, &r.shutdown_exit);
  r.log_sample = LogProblems(serve.err, &r.log_problems);
  tajo::bench::StopChild(sandbox_pid);
  if (r.failed > 0) throw BenchFailure(fmt::format("ingest: {} requests failed, the first: {}", r.failed, r.first_error));
  if (r.new_sum != r.events)
    throw BenchFailure(fmt::format("ingest: the answers say {} new events of {} sent", r.new_sum, r.events));
  if (r.shutdown_exit != 0) throw BenchFailure(fmt::format("ingest: tajo serve exited {} on SIGTERM", r.shutdown_exit));
}

void PrintIngest(const IngestResult& r) {
  if (!r.ran) return;
  std::vector<double> lat = r.latency_ms;
  const double eps = r.wall_s > 0 ? static_cast<double>(r.acked) * 100 / r.wall_s : 0;
  const double p50 = Percentile(lat, 0.50), p95 = Percentile(lat, 0.95), p99 = Percentile(lat, 0.99);
  const double max = lat.empty() ? 0 : lat.back();
  std::cout << fmt::format("== 1{}. ingest{}: {} events in {} signed requests of 100, {} client threads (keep-alive)\n",
                           r.rate > 0 ? "b" : "a",
                           r.rate > 0 ? fmt::format(" paced at {:.0f} events/s", r.rate) : std::string(" at saturation"),
                           r.events, r.requests, r.clients);
  std::cout << fmt::format("  prepared (bodies + v3 signatures) in {:.1f} s, before timing\n", r.prepare_s);
  std::cout << fmt::format("  acknowledged: {} requests (200), failed: {}{}\n", r.acked, r.failed,
                           r.first_error.empty() ? "" : " — first: " + r.first_error);
  std::cout << fmt::format("  answers: received {} / new {} of {} sent: {}\n", r.received_sum, r.new_sum, r.events,
                           r.new_sum == r.events ? "all in the inbox" : "MISSING EVENTS");
  if (r.rate > 0) {
    std::cout << fmt::format("  throughput: {:.0f} events/s offered, {:.0f} acknowledged over {:.2f} s\n", r.rate, eps,
                             r.wall_s);
  } else {
    std::cout << fmt::format("  throughput: {:.0f} events/s ({:.0f} requests/s) over {:.2f} s — aim >= {:.0f}: {}\n", eps,
                             eps / 100, r.wall_s, kAimEventsPerSecond, eps >= kAimEventsPerSecond ? "met" : "NOT met");
  }
  std::cout << fmt::format("  ack latency: p50 {:.1f} ms, p95 {:.1f} ms, p99 {:.1f} ms, max {:.1f} ms — aim p99 < {:.0f} ms: {}\n",
                           p50, p95, p99, max, kAimAckP99Ms, p99 < kAimAckP99Ms ? "met" : "NOT met");
  std::cout << fmt::format("  CPU during the run ({:.2f} s wall, 2 cores = {:.2f} core-s): tajo serve {:.2f} s, sandbox {:.2f} s, "
                           "this client {:.2f} s\n",
                           r.wall_s, 2 * r.wall_s, r.serve_cpu_s, r.sandbox_cpu_s, r.bench_cpu_s);
  std::cout << fmt::format("  worker meanwhile: {} HubSpot calls ({} batch reads); inbox afterwards: {} pending, {} dead "
                           "letters\n",
                           r.hubspot.total, Count(r.hubspot, "POST", "/batch/read"), r.inbox_pending, r.inbox_dead);
  if (r.shutdown_s >= 0)
    std::cout << fmt::format("  tajo serve stopped {:.2f} s after SIGTERM (exit {})\n", r.shutdown_s, r.shutdown_exit);
  std::cout << fmt::format("  tajo serve log: {} warn/error lines\n{}", r.log_problems, r.log_sample);
}

}  // namespace tajo::webhook_bench
