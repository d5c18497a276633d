// Webhook benchmark (issue #6): the real `tajo serve` against the real `tajo-sandbox`, as a user
// runs them. Two phases, each with its own sandbox and its own store:
//
//   1. ingest      `tajo serve` (server.listen on a free port, store in a temp dir) receives signed
//                  batches of 100 distinct HubSpot events (contact.propertyChange of firstname, each
//                  event a distinct contact id that does not exist in the — empty — HubSpot sandbox,
//                  so the worker's effect is small but real: batch reads that find nothing) from N
//                  client threads (default 8), each with its own libcurl transport and keep-alive
//                  connection. Bodies and v3 signatures are prepared before the clock starts.
//                  Reported: events/s over the whole run, acknowledgement latency p50/p95/p99/max,
//                  the sum of the answers' "new" against the events sent (all must be in the
//                  inbox), CPU of tajo serve, the sandbox and this client, the inbox left to the
//                  worker, and how long `tajo serve` takes to stop on SIGTERM afterwards.
//                  Aims: >= 20,000 events/s and p99 ack < 50 ms (printed against the figures; they
//                  do not fail the run). Run twice: (1a) at saturation, every client sending its
//                  next request as soon as the last is answered (throughput; the latency there is
//                  mostly queueing), and (1b) paced at 20,000 events/s offered (the aim's load;
//                  each request's latency counts from when it was due, so a client running late
//                  shows) for half the events.
//   2. end to end  a sandbox seeded with K contacts (default 2,000, every one with an email), a
//                  first full sync (`tajo connectors sync hubspot --type full`, same configuration),
//                  then `tajo serve` with the sandbox's app webhooks pointed at it (webhooks v3 API:
//                  contact.propertyChange of firstname, contact.creation, contact.deletion). Then
//                  edits at a steady rate (default 100/s for 20 s), each a DISTINCT contact's
//                  firstname set to a unique value, through /_sandbox/mutate (one action per call,
//                  timestamped when the call returns), while a poller reads Brevo every 50 ms
//                  (GET /v3/contacts?modifiedSince=<last poll - 1 s>&limit=1000, paged) and records
//                  when each value first appears (when that poll's answer arrived: latencies are
//                  upper bounds, late by at most the 50 ms poll interval plus one poll). Reported:
//                  latency p50/p95/p99/max, edits arrived, webhook deliveries, and tajo's API calls
//                  during the phase from the sandboxes' /_sandbox/stats deltas (HubSpot batch reads
//                  against edits: what coalescing saves; the poller's own Brevo reads subtracted).
//                  Aim: p95 < 2 s at 100 edits/s.
//
// Choices: both sandboxes have latency 0 (TAJO_BENCH_LATENCY_MS changes it) and the rate limits
// of realistic plans — HubSpot `professional` (sandbox: 190 / 10 s; tajo budgets 150 / 10 s),
// Brevo `standard` (contacts 10/s) — in tajo's configuration and in the sandboxes. At 100 edits/s
// the worker needs about 1 HubSpot batch read and 1 Brevo batch write a second, well inside both
// plans, so the limits do not make the phase meaningless. The HubSpot limits stay enforced all
// along; the Brevo sandbox stops enforcing its limits once the full sync is done, so that this
// benchmark's own reads (the read-back and the 20-a-second poller) draw no 429s: tajo still paces
// itself to the standard plan. Caveat: the sandbox, like Brevo, counts every call of the account
// even when not enforcing, and its x-sib-ratelimit-remaining (0 while the poller runs) is adopted
// by tajo's budget, so a Brevo write right after other Brevo calls can wait up to 1 s for the
// per-second window (seen once, on the worker's first pass, which also reads attributes and
// lists). Polling less often would blur the latencies more, so the poller stays at 50 ms. server.webhooks.max_timestamp_age is 1h so that
// signatures prepared before a slow ingest run cannot expire (a real sender signs each request
// as it sends it). Everything else is tajo's default (server.worker.window_ms 1000, max_objects
// 100, log level info).
//
// Environment: TAJO_BENCH_EVENTS (200000, rounded up to whole batches of 100),
// TAJO_BENCH_CLIENTS (8), TAJO_BENCH_E2E_CONTACTS (2000), TAJO_BENCH_E2E_RATE (100 edits/s),
// TAJO_BENCH_E2E_SECONDS (20), TAJO_BENCH_E2E_DRAIN_S (30: how long edits may take to arrive after
// the last one), TAJO_BENCH_LATENCY_MS (0), TAJO_BENCH_BUILD_DIR (default: the build directory
// this binary is in), TAJO_BENCH_TIMEOUT_S (300: the full sync is stopped after it),
// TAJO_BENCH_PHASES (ingest,paced,e2e: the phases run; "paced" offers TAJO_BENCH_PACED_RATE
// events/s (default 20,000, the aim) for half of TAJO_BENCH_EVENTS, to read the ack latency at
// that load rather than at saturation), TAJO_BENCH_LOG_LEVEL (info: tajo's log level),
// TAJO_BENCH_KEEP=1 keeps the work directory (configurations, logs, stores). Arguments are ignored
// (scripts/bench passes Google Benchmark flags to every binary).
// Exit status 0 when both phases worked (every request acknowledged, every event new in the
// inbox, the full sync succeeded, every edit reached Brevo, tajo serve stopped cleanly), whatever
// the figures; 1 (after printing what was measured) when something failed.
//
// The main thread spawns and reaps the children (registered, so every exit path stops them);
// the ingest client threads and the poller share nothing but atomics and their own results.
#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <latch>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench/bench_util.h"
#include "core/crypto.h"
#include "http/client.h"
#include "http/message.h"
#include "sandbox/brevo/options.h"
#include "sandbox/hubspot/options.h"

namespace {

namespace fs = std::filesystem;
namespace hs = tajo::sandbox::hubspot;
using nlohmann::json;
using tajo::bench::Count;
using tajo::bench::Delta;
using tajo::bench::Die;
using tajo::bench::EnvInt;
using tajo::bench::Http;
using tajo::bench::ParseStats;
using tajo::bench::Percentile;
using tajo::bench::PrintEndpoints;
using tajo::bench::ReadFile;
using tajo::bench::SandboxUrls;
using tajo::bench::Spawn;
using tajo::bench::Stats;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kControlApiKey = "webhook-bench-control-key-0123456789";
constexpr double kAimEventsPerSecond = 20'000;
constexpr double kAimAckP99Ms = 50;
constexpr double kAimE2eP95Ms = 2'000;
constexpr int kPollIntervalMs = 50;

struct BenchFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }
double Millis(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int64_t UnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double SelfCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// tajo's log level (`tajo --log-level`, and log_level in the configurations, which tajo does not
// apply at the time of writing): $TAJO_BENCH_LOG_LEVEL, default info.
std::string LogLevel() {
  const char* v = std::getenv("TAJO_BENCH_LOG_LEVEL");
  return v != nullptr && *v != '\0' ? v : "info";
}

// ---- the processes of one phase

struct Paths {
  std::string tajo;
  std::string sandbox;
  fs::path work;
};

pid_t StartSandbox(const Paths& p, const std::string& tag, const std::vector<std::string>& extra, int64_t latency_ms,
                   SandboxUrls* urls) {
  std::vector<std::string> argv{p.sandbox,         "--hubspot-port", "0",        "--brevo-port", "0",
                                "--hubspot-plan",  "professional",   "--brevo-plan", "standard",
                                "--latency-ms",    std::to_string(latency_ms)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  const fs::path log = p.work / (tag + "-sandbox.log"), err = p.work / (tag + "-sandbox.err");
  pid_t pid = Spawn(argv, {}, log, err);
  tajo::bench::RegisterChild(pid);
  *urls = tajo::bench::WaitForSandbox(pid, log, err);
  return pid;
}

// A configuration for both the sync and `tajo serve`: the sandbox's URLs and credentials.
fs::path WriteConfig(const Paths& p, const std::string& tag, const SandboxUrls& urls) {
  const fs::path path = p.work / (tag + ".yaml");
  std::ofstream out(path);
  out << fmt::format(R"(# written by webhook_bench
connectors:
  hubspot:
    access_token: "{token}"
    base_url: "{hubspot}"
    plan: professional
    client_secret: "{secret}"
    app_id: {app_id}
    direction: hubspot_to_brevo
    sync:
      contacts: true
    lists:
      all_contacts: "HubSpot contacts"
      qualified_leads: "Qualified leads"
      customers: "Customers"
    default_country: US
    on_delete: delete
    create_missing_attributes: true
    log_level: {log_level}
brevo:
  api_key: "{brevo_key}"
  base_url: "{brevo}"
  plan: standard
store: "{store}"
server:
  listen: "127.0.0.1:0"
  api_key: "{control_key}"
  webhooks:
    max_timestamp_age: 1h
)",
                     fmt::arg("token", hs::kDefaultToken), fmt::arg("hubspot", urls.hubspot),
                     fmt::arg("secret", hs::kDefaultClientSecret), fmt::arg("app_id", hs::kDefaultAppId),
                     fmt::arg("brevo_key", tajo::sandbox::brevo::kDefaultApiKey), fmt::arg("brevo", urls.brevo),
                     fmt::arg("store", (p.work / (tag + ".db")).string()), fmt::arg("control_key", kControlApiKey),
                     fmt::arg("log_level", LogLevel()));
  if (!out) Die("cannot write " + path.string());
  return path;
}

struct Serve {
  pid_t pid = -1;
  std::string url;  // "http://127.0.0.1:PORT"
  fs::path out, err;
};

Serve StartServe(const Paths& p, const std::string& tag, const fs::path& config) {
  Serve s;
  s.out = p.work / (tag + "-serve.out");
  s.err = p.work / (tag + "-serve.err");
  s.pid = Spawn({p.tajo, "--log-level", LogLevel(), "serve", "--config", config.string()}, {}, s.out, s.err);
  tajo::bench::RegisterChild(s.pid);
  const std::string prefix = "tajo serve: listening on ";
  const auto t0 = SteadyClock::now();
  while (s.url.empty()) {
    std::istringstream lines(ReadFile(s.out));
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind(prefix, 0) == 0) s.url = line.substr(prefix.size());
    }
    int st = 0;
    if (waitpid(s.pid, &st, WNOHANG) == s.pid) {
      tajo::bench::ForgetChild(s.pid);
      Die("tajo serve exited at start: " + ReadFile(s.err).substr(0, 2000));
    }
    if (Seconds(SteadyClock::now() - t0) > 60) Die("tajo serve did not start within 60 s");
    if (s.url.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Http http;
  while (http.Status("GET", s.url + "/readyz") != 200) {
    if (Seconds(SteadyClock::now() - t0) > 60) Die("tajo serve not ready within 60 s (/readyz)");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return s;
}

// The control API's status document (inbox counts, runs).
json ServeStatus(Http& http, const Serve& s) {
  return http.Call("GET", s.url + "/v1/connectors/hubspot/status", nullptr,
                   {{"Authorization", std::string("Bearer ") + kControlApiKey}});
}

// Throws BenchFailure when `s` has exited (it is reaped then).
void CheckServeAlive(Serve& s, const std::string& phase) {
  int status = 0;
  if (waitpid(s.pid, &status, WNOHANG) != s.pid) return;
  tajo::bench::ForgetChild(s.pid);
  s.pid = -1;
  throw BenchFailure(fmt::format("{}: tajo serve died during the phase ({}): {}", phase,
                                 WIFEXITED(status) ? fmt::format("exit {}", WEXITSTATUS(status))
                                                   : fmt::format("signal {}", WTERMSIG(status)),
                                 ReadFile(s.err).substr(0, 1000)));
}

// SIGTERM, then waits (at most 60 s, then SIGKILL). Returns the seconds it took; `exit_code` gets
// the exit status (128 + signal when killed).
double StopServe(Serve& s, int* exit_code) {
  const auto t0 = SteadyClock::now();
  kill(s.pid, SIGTERM);
  int status = 0;
  bool killed = false;
  while (waitpid(s.pid, &status, WNOHANG) != s.pid) {
    if (!killed && Seconds(SteadyClock::now() - t0) > 60) {
      kill(s.pid, SIGKILL);
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  tajo::bench::ForgetChild(s.pid);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  s.pid = -1;
  return Seconds(SteadyClock::now() - t0);
}

// Log lines of tajo serve at warn or error, counted, and the first few of them.
std::string LogProblems(const fs::path& err, int64_t* count) {
  std::istringstream lines(ReadFile(err));
  std::string line, first;
  int shown = 0;
  *count = 0;
  while (std::getline(lines, line)) {
    if (line.find("WARN") == std::string::npos && line.find("ERROR") == std::string::npos &&
        line.find("warn") == std::string::npos && line.find("error") == std::string::npos)
      continue;
    ++*count;
    if (shown++ < 5) first += "    " + line.substr(0, 300) + "\n";
  }
  return first;
}

// ---- 1. ingest

struct IngestResult {
  bool ran = false;
  double rate = 0;  // offered events/s; 0 = as fast as the clients can (saturation)
  int64_t clients = 0;
  int64_t requests = 0;
  int64_t events = 0;
  int64_t acked = 0;        // 200 answers
  int64_t failed = 0;       // anything else
  std::string first_error;
  int64_t received_sum = 0;  // of the answers' "received"
  int64_t new_sum = 0;       // of the answers' "new"
  double prepare_s = 0;
  double wall_s = 0;
  std::vector<double> latency_ms;
  double serve_cpu_s = 0, sandbox_cpu_s = 0, bench_cpu_s = 0;
  int64_t inbox_pending = -1, inbox_dead = -1;
  double shutdown_s = -1;
  int shutdown_exit = -1;
  int64_t log_problems = 0;
  std::string log_sample;
  Stats hubspot;  // the worker's calls during the run
};

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

// ---- 2. end to end

struct E2eResult {
  bool ran = false;
  int64_t contacts = 0;
  int64_t eligible = 0;  // in both HubSpot and Brevo after the full sync
  int64_t rate = 0;
  int64_t edits_planned = 0;
  int64_t edits_done = 0;
  int64_t edits_failed = 0;
  double edit_wall_s = 0;     // first to last edit
  double edit_call_max_ms = 0;
  int64_t arrived = 0;
  std::vector<double> latency_ms;
  double drain_s = 0;         // last edit -> last arrival (or the drain timeout)
  tajo::bench::TajoRun full_sync;
  std::string full_sync_summary;
  Stats hubspot, brevo;
  int64_t poller_calls = 0;
  int64_t webhook_requests = 0, webhook_events = 0, webhook_failed = 0;
  double serve_cpu_s = 0;
  std::string last_run;  // the status document's lastRun
  double shutdown_s = -1;
  int shutdown_exit = -1;
  int64_t log_problems = 0;
  std::string log_sample;
};

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

}  // namespace

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  tajo::bench::ProgramName() = "webhook_bench";
  const int64_t events = EnvInt("TAJO_BENCH_EVENTS", 200'000);
  const int64_t clients = EnvInt("TAJO_BENCH_CLIENTS", 8);
  const int64_t contacts = EnvInt("TAJO_BENCH_E2E_CONTACTS", 2'000);
  const int64_t rate = EnvInt("TAJO_BENCH_E2E_RATE", 100);
  const int64_t seconds = EnvInt("TAJO_BENCH_E2E_SECONDS", 20);
  const int64_t drain_s = EnvInt("TAJO_BENCH_E2E_DRAIN_S", 30);
  const int64_t latency_ms = EnvInt("TAJO_BENCH_LATENCY_MS", 0);
  const char* phases_env = std::getenv("TAJO_BENCH_PHASES");
  const std::string phases = phases_env != nullptr && *phases_env != '\0' ? phases_env : "ingest,paced,e2e";
  const int64_t paced_rate = EnvInt("TAJO_BENCH_PACED_RATE", 20'000);
  if (events < 200 || paced_rate < 100 || clients < 1 || contacts < 1 || rate < 1 || seconds < 1 || drain_s < 1 || latency_ms < 0) {
    Die("need TAJO_BENCH_EVENTS >= 200, TAJO_BENCH_PACED_RATE >= 100, TAJO_BENCH_CLIENTS, TAJO_BENCH_E2E_CONTACTS, _RATE, _SECONDS, _DRAIN_S >= 1 "
        "and TAJO_BENCH_LATENCY_MS >= 0");
  }
  Paths paths;
  const fs::path build = tajo::bench::BuildDir();
  paths.tajo = (build / "cli" / "tajo").string();
  paths.sandbox = (build / "sandbox" / "tajo-sandbox").string();
  for (const std::string& p : {paths.tajo, paths.sandbox}) {
    if (!fs::exists(p)) Die(p + " not found (run `make build` first)");
  }
  char tmpl[] = "/tmp/tajo-webhook-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  paths.work = tmpl;
  struct Cleanup {
    fs::path work;
    ~Cleanup() {
      tajo::bench::StopAllChildren();
      const char* keep = std::getenv("TAJO_BENCH_KEEP");
      if (keep == nullptr || std::string(keep) != "1") {
        std::error_code ec;
        fs::remove_all(work, ec);
      } else {
        std::cout << "work directory kept: " << work << "\n";
      }
    }
  } cleanup{paths.work};
  // From here a failure is reported with what was measured, then the children are stopped.
  tajo::bench::SetDieHook([](const std::string& message) { throw BenchFailure(message); });
  std::signal(SIGPIPE, SIG_IGN);

  std::cout << fmt::format(
      "webhook_bench: tajo serve on a 2-core machine; sandbox latency {} ms, HubSpot plan professional, Brevo plan "
      "standard\n",
      latency_ms);
  IngestResult ingest, paced;
  E2eResult e2e;
  std::string failure;
  const auto t0 = SteadyClock::now();
  try {
    if (phases.find("ingest") != std::string::npos) RunIngest(paths, events, clients, latency_ms, 0, ingest);
    if (phases.find("paced") != std::string::npos) {
      RunIngest(paths, events / 2, clients, latency_ms, static_cast<double>(paced_rate), paced);
    }
    if (phases.find("e2e") != std::string::npos) RunE2e(paths, contacts, rate, seconds, drain_s, latency_ms, e2e);
  } catch (const BenchFailure& e) {
    failure = e.what();
  } catch (const std::exception& e) {
    failure = std::string("unexpected: ") + e.what();
  }
  tajo::bench::StopAllChildren();
  std::cout << "\n";
  PrintIngest(ingest);
  PrintIngest(paced);
  PrintE2e(e2e);
  std::cout << fmt::format("\nbenchmark wall time {:.0f} s\n", Seconds(SteadyClock::now() - t0));
  if (!failure.empty()) {
    std::cout << "webhook_bench: FAILED: " << failure << "\n";
    return 1;
  }
  return 0;
}
