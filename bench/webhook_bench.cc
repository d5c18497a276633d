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
#include "bench/webhook_bench.h"

using namespace tajo::webhook_bench;  // main is the benchmark's own driver

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
