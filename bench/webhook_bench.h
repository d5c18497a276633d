// webhook_bench's parts (bench/webhook_bench*.cc): the processes of one phase (tajo-sandbox,
// tajo serve, their configuration), and the two phases — ingest (webhook_bench_ingest.cc) and
// end to end (webhook_bench_e2e.cc). What the benchmark measures: bench/webhook_bench.cc.
#pragma once

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

namespace tajo::webhook_bench {

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

inline constexpr const char* kControlApiKey = "webhook-bench-control-key-0123456789";
inline constexpr double kAimEventsPerSecond = 20'000;
inline constexpr double kAimAckP99Ms = 50;
inline constexpr double kAimE2eP95Ms = 2'000;
inline constexpr int kPollIntervalMs = 50;

struct BenchFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }
inline double Millis(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// ---- the processes of one phase (webhook_bench_processes.cc)

struct Paths {
  std::string tajo;
  std::string sandbox;
  fs::path work;
};

struct Serve {
  pid_t pid = -1;
  std::string url;  // "http://127.0.0.1:PORT"
  fs::path out, err;
};

int64_t UnixMillis();

double SelfCpuSeconds();

// tajo's log level (`tajo --log-level`, and log_level in the configurations, which tajo does not
// apply at the time of writing): $TAJO_BENCH_LOG_LEVEL, default info.
std::string LogLevel();

pid_t StartSandbox(const Paths& p, const std::string& tag, const std::vector<std::string>& extra, int64_t latency_ms,
                   SandboxUrls* urls);

// A configuration for both the sync and `tajo serve`: the sandbox's URLs and credentials.
fs::path WriteConfig(const Paths& p, const std::string& tag, const SandboxUrls& urls);

Serve StartServe(const Paths& p, const std::string& tag, const fs::path& config);

// The control API's status document (inbox counts, runs).
json ServeStatus(Http& http, const Serve& s);

// Throws BenchFailure when `s` has exited (it is reaped then).
void CheckServeAlive(Serve& s, const std::string& phase);

// SIGTERM, then waits (at most 60 s, then SIGKILL). Returns the seconds it took; `exit_code` gets
// the exit status (128 + signal when killed).
double StopServe(Serve& s, int* exit_code);

// Log lines of tajo serve at warn or error, counted, and the first few of them.
std::string LogProblems(const fs::path& err, int64_t* count);

// ---- 1. ingest (webhook_bench_ingest.cc)

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

void RunIngest(const Paths& paths, int64_t events_wanted, int64_t clients, int64_t latency_ms, double rate,
               IngestResult& r);

void PrintIngest(const IngestResult& r);

// ---- 2. end to end (webhook_bench_e2e.cc)

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

void RunE2e(const Paths& paths, int64_t contacts, int64_t rate, int64_t seconds, int64_t drain_s, int64_t latency_ms,
            E2eResult& r);

void PrintE2e(const E2eResult& r);

}  // namespace tajo::webhook_bench
