// Sync benchmark: the real `tajo` binary against the real `tajo-sandbox`, as a user runs them.
//
//   1. full         N HubSpot contacts (default 100,000) into an EMPTY Brevo account, HubSpot plan
//                   `free` (100 requests / rolling 10 s), Brevo `standard`, every API request of
//                   both services delayed by the latency (default 100 ms);
//   2. incremental  then C contacts (default 1,000) are changed in HubSpot through the sandbox's
//                   admin API (each a distinct contact, each a mapped field) and synced.
//
// For each: HubSpot and Brevo calls (sandbox /_sandbox/stats, before/after deltas) against the
// minimum, 429s, wall time against the time the rate limits allow and against the latency floor
// (dependent pages one after another), CPU time (user + sys) and peak RSS of the tajo process
// (wait4's rusage). Between the two runs the Brevo account is read back (with latency and rate
// limits switched off, not counted) to check the contacts arrived and to measure the least
// number of imports: Brevo applies one listIds to a whole import, so one import per distinct set
// of lists (per 10 MB) is the minimum.
//
// Environment: TAJO_BENCH_CONTACTS (default 100000), TAJO_BENCH_CHANGES (1000),
// TAJO_BENCH_LATENCY_MS (100), TAJO_BENCH_CONFIG (default examples/tajo-sandbox.yaml),
// TAJO_BENCH_BUILD_DIR (default: the build directory this binary is in, i.e. build/release),
// TAJO_BENCH_BATCH_SIZE (passed as `--batch-size`, tajo's flush size; default: tajo's),
// TAJO_BENCH_TIMEOUT_S (900: a sync still running then is stopped and the benchmark fails),
// TAJO_BENCH_KEEP=1 keeps the work directory. Arguments are ignored (scripts/bench passes Google
// Benchmark flags to every binary). Exit status 0 when both syncs succeed, whatever the figures;
// 1 (after printing what was measured) when one fails.
//
// Single-threaded; spawns and reaps its own children only.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "sandbox/brevo/options.h"

#ifndef TAJO_BENCH_SOURCE_DIR
#define TAJO_BENCH_SOURCE_DIR "."
#endif

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using tajo::bench::CeilDiv;
using tajo::bench::Count;
using tajo::bench::CountPath;
using tajo::bench::Delta;
using tajo::bench::Die;
using tajo::bench::EnvInt;
using tajo::bench::Http;
using tajo::bench::ParseStats;
using tajo::bench::PrintEndpoints;
using tajo::bench::ReadFile;
using tajo::bench::Spawn;
using tajo::bench::Stats;
using tajo::bench::TajoRun;

// The sandbox's default private-app token (docs/sandbox-hubspot.md).
constexpr const char* kHubSpotToken = "pat-na1-11111111-2222-4333-8444-555555555555";
constexpr int64_t kFirstHubSpotId = 1001;       // the sandbox's first record id (contacts seeded alone)
constexpr int64_t kImportMaxBytes = 10'000'000;  // Brevo import body limit
constexpr int64_t kBrevoBatchMax = 1000;         // contacts per POST /contacts/batch (tajo's batch)
constexpr double kImportProcessingS = 3.0;       // sandbox: 1 s queued + 2 s processing

TajoRun RunTajo(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                const fs::path& dir, const std::string& tag) {
  return tajo::bench::RunTajo(argv, env, dir, tag, static_cast<double>(EnvInt("TAJO_BENCH_TIMEOUT_S", 900)));
}

// ---- figures

// Least time `calls` take through a bucket of `per_window` calls a rolling `window_s`: the first
// window's worth at once, then one window per window's worth.
double RateLimitSeconds(int64_t calls, int64_t per_window, double window_s) {
  if (calls <= per_window) return 0;
  return static_cast<double>((calls - 1) / per_window) * window_s;
}

struct Scenario {
  std::string name;
  TajoRun run;
  Stats hubspot;
  Stats brevo;
  int64_t hubspot_min = 0;
  std::string hubspot_min_note;
  int64_t brevo_min = 0;
  std::string brevo_min_note;
  double rate_limit_s = 0;
  std::string rate_limit_note;
  double latency_floor_s = 0;
  std::string latency_note;
  double floor_s = 0;  // max(rate limit, latency floor) + inherent waits
  std::string tajo_summary;
};

std::string SummaryLine(const std::string& out) {
  std::string s;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("API calls") != std::string::npos || line.find("created") != std::string::npos ||
        line.find("updated") != std::string::npos || line.find("skipped") != std::string::npos ||
        line.find("failed") != std::string::npos) {
      s += line + "\n";
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  (void)argc;
  tajo::bench::ProgramName() = "sync_bench";
  const int64_t contacts = EnvInt("TAJO_BENCH_CONTACTS", 100'000);
  const int64_t changes = EnvInt("TAJO_BENCH_CHANGES", 1'000);
  const int64_t latency_ms = EnvInt("TAJO_BENCH_LATENCY_MS", 100);
  if (contacts < 1 || changes < 1 || changes > contacts || latency_ms < 0) {
    Die("need 1 <= TAJO_BENCH_CHANGES <= TAJO_BENCH_CONTACTS and TAJO_BENCH_LATENCY_MS >= 0");
  }
  const double latency_s = latency_ms / 1000.0;
  const fs::path release = tajo::bench::BuildDir();
  const std::string tajo = (release / "cli" / "tajo").string();
  const std::string sandbox = (release / "sandbox" / "tajo-sandbox").string();
  const char* cfg_env = std::getenv("TAJO_BENCH_CONFIG");
  const std::string config = cfg_env && *cfg_env ? cfg_env : std::string(TAJO_BENCH_SOURCE_DIR) + "/examples/tajo-sandbox.yaml";
  for (const std::string& p : {tajo, sandbox, config}) {
    if (!fs::exists(p)) Die(p + " not found (run `make build` first)");
  }
  char tmpl[] = "/tmp/tajo-sync-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  const fs::path work = tmpl;
  (void)argv;

  std::cout << fmt::format("sync_bench: {} HubSpot contacts (plan free) -> empty Brevo (plan standard), {} ms latency "
                           "on every API request; then {} changes, incremental\n",
                           contacts, latency_ms, changes);

  // ---- the sandbox
  const fs::path sandbox_log = work / "sandbox.log";
  const auto seed_t0 = std::chrono::steady_clock::now();
  const pid_t sandbox_pid =
      Spawn({sandbox, "--hubspot-port", "0", "--brevo-port", "0", "--seed", fmt::format("contacts={}", contacts),
             "--hubspot-plan", "free", "--brevo-plan", "standard", "--latency-ms", std::to_string(latency_ms)},
            {}, sandbox_log, work / "sandbox.err");
  tajo::bench::RegisterChild(sandbox_pid);  // stopped by Die too
  struct Reaper {
    pid_t pid;
    fs::path work;
    ~Reaper() {
      tajo::bench::StopChild(pid);
      const char* keep = std::getenv("TAJO_BENCH_KEEP");
      if (keep == nullptr || std::string(keep) != "1") {
        std::error_code ec;
        fs::remove_all(work, ec);
      } else {
        std::cout << "work directory kept: " << work << "\n";
      }
    }
  } reaper{sandbox_pid, work};
  const tajo::bench::SandboxUrls urls = tajo::bench::WaitForSandbox(sandbox_pid, sandbox_log, work / "sandbox.err");
  const std::string& hubspot_url = urls.hubspot;
  const std::string& brevo_url = urls.brevo;
  std::cout << fmt::format("sandbox ready in {:.1f} s: {} | {}\n",
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - seed_t0).count(),
                           hubspot_url, brevo_url);
  const std::string& brevo_root = urls.brevo_root;
  Http http;
  auto hubspot_stats = [&] { return ParseStats(http.Call("GET", hubspot_url + "/_sandbox/stats")); };
  auto brevo_stats = [&] { return ParseStats(http.Call("GET", brevo_root + "/_sandbox/stats")); };

  const std::map<std::string, std::string> env = {
      {"HUBSPOT_BASE_URL", hubspot_url},   {"BREVO_BASE_URL", brevo_url},
      {"TAJO_STORE", (work / "tajo.db").string()}, {"HUBSPOT_ACCESS_TOKEN", kHubSpotToken},
      {"BREVO_API_KEY", tajo::sandbox::brevo::kDefaultApiKey}};
  const int64_t batch_size = EnvInt("TAJO_BENCH_BATCH_SIZE", 0);
  auto sync = [&](const std::string& type) {
    std::vector<std::string> a{tajo, "--config", config, "connectors", "sync", "hubspot", "--type", type, "--progress", "none"};
    if (batch_size > 0) {
      a.push_back("--batch-size");
      a.push_back(std::to_string(batch_size));
    }
    return a;
  };

  std::vector<Scenario> scenarios;

  // ---- 1. full
  {
    Scenario s;
    s.name = fmt::format("full, {} contacts", contacts);
    Stats h0 = hubspot_stats(), b0 = brevo_stats();
    std::cout << "running: tajo connectors sync hubspot --type full ...\n" << std::flush;
    s.run = RunTajo(sync("full"), env, work, "full");
    s.hubspot = Delta(hubspot_stats(), h0);
    s.brevo = Delta(brevo_stats(), b0);
    s.tajo_summary = SummaryLine(s.run.out);
    scenarios.push_back(std::move(s));
  }

  // ---- read Brevo back (not measured): contacts arrived, distinct list sets and their import bytes
  int64_t brevo_contacts = 0;
  int64_t import_min = 0;
  std::map<std::string, int64_t> groups;  // list set -> bytes (jsonBody row estimate)
  {
    http.Call("PUT", brevo_root + "/_sandbox/settings", json{{"latencyMs", 0}, {"enforceRateLimits", false}});
    const std::vector<std::pair<std::string, std::string>> key = {{"api-key", tajo::sandbox::brevo::kDefaultApiKey}};
    for (int64_t offset = 0;; offset += 1000) {
      json page = http.Call("GET", fmt::format("{}/contacts?limit=1000&offset={}", brevo_url, offset), nullptr, key);
      const json& cs = page["contacts"];
      for (const json& c : cs) {
        std::vector<int64_t> lists = c.value("listIds", std::vector<int64_t>{});
        std::sort(lists.begin(), lists.end());
        std::string k;
        for (int64_t l : lists) k += std::to_string(l) + ",";
        json row = {{"email", c.value("email", "")}, {"attributes", c.value("attributes", json::object())}};
        groups[k] += static_cast<int64_t>(row.dump().size()) + 1;
        ++brevo_contacts;
      }
      if (cs.size() < 1000) break;
    }
    for (const auto& [k, bytes] : groups) import_min += CeilDiv(bytes, kImportMaxBytes);
    http.Call("PUT", brevo_root + "/_sandbox/settings",
              json{{"latencyMs", latency_ms}, {"enforceRateLimits", true}});
  }
  {
    Scenario& s = scenarios.back();
    s.hubspot_min = CeilDiv(contacts, 100);
    s.hubspot_min_note = fmt::format("ceil({}/100) list pages", contacts);
    const int64_t creations = Count(s.brevo, "POST", "/contacts/attributes") + Count(s.brevo, "POST", "/contacts/lists") +
                              Count(s.brevo, "POST", "/contacts/folders");
    s.brevo_min = 3 + creations + 1 + import_min + 1;
    s.brevo_min_note = fmt::format(
        "3 reads (attributes, lists, folders) + {} creations (attributes/lists/folder) + 1 contacts page + {} imports ({} distinct "
        "list sets, <=10 MB each) + 1 process read",
        creations, import_min, groups.size());
    const int64_t hs_window = s.hubspot.total - Count(s.hubspot, "POST", "/search");
    const int64_t hs_search = Count(s.hubspot, "POST", "/search");
    const double rl_hs = RateLimitSeconds(hs_window, 100, 10.0);
    const double rl_search = RateLimitSeconds(hs_search, 5, 1.0);
    const double rl_brevo = RateLimitSeconds(CountPath(s.brevo, "/contacts"), 10, 1.0);
    s.rate_limit_s = std::max({rl_hs, rl_search, rl_brevo});
    s.rate_limit_note = fmt::format("HubSpot {} calls in the 10 s window: {:.0f} s", hs_window, rl_hs);
    s.latency_floor_s = static_cast<double>(s.hubspot_min) * latency_s;
    s.latency_note = fmt::format("{} dependent list pages x {} ms", s.hubspot_min, latency_ms);
    s.floor_s = std::max(s.rate_limit_s, s.latency_floor_s) + kImportProcessingS;
  }

  if (scenarios.front().run.exit_code != 0) {
    const TajoRun& r = scenarios.front().run;
    std::cout << fmt::format("\nthe full sync FAILED (exit {}) after {:.1f} s; tajo CPU {:.2f} s, peak RSS {:.0f} MB\n{}{}",
                             r.exit_code, r.wall_s, r.user_s + r.sys_s, r.max_rss_kb / 1024.0, r.out, r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0));
    PrintEndpoints("HubSpot", scenarios.front().hubspot);
    PrintEndpoints("Brevo", scenarios.front().brevo);
    return 1;
  }

  // ---- 2. incremental: `changes` distinct contacts, spread over the portal, each a mapped field
  {
    json actions = json::array();
    const int64_t stride = contacts / changes;
    for (int64_t k = 0; k < changes; ++k) {
      json props = {{"firstname", fmt::format("Bench{}", k)}};
      if (k % 5 == 0) props["lifecyclestage"] = "customer";  // some list moves too
      actions.push_back({{"op", "update"},
                         {"objectType", "contacts"},
                         {"id", std::to_string(kFirstHubSpotId + k * stride)},
                         {"properties", props}});
    }
    json res = http.Call("POST", hubspot_url + "/_sandbox/mutate", json{{"actions", actions}});
    int64_t ok = 0;
    for (const json& r : res.value("results", json::array())) {
      if (r.value("status", 0) == 200) ++ok;
    }
    if (ok != changes) Die(fmt::format("mutate: {} of {} updates succeeded: {}", ok, changes, res.dump().substr(0, 400)));
  }
  {
    // The read-back above used Brevo's 10-a-second contacts window; a fresh tajo process cannot
    // know that (its budget starts empty), so let the window pass before measuring.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    Scenario s;
    s.name = fmt::format("incremental, {} changes", changes);
    Stats h0 = hubspot_stats(), b0 = brevo_stats();
    std::cout << "running: tajo connectors sync hubspot --type incremental ...\n" << std::flush;
    s.run = RunTajo(sync("incremental"), env, work, "incremental");
    s.hubspot = Delta(hubspot_stats(), h0);
    s.brevo = Delta(brevo_stats(), b0);
    s.tajo_summary = SummaryLine(s.run.out);
    s.hubspot_min = CeilDiv(changes, 200);
    s.hubspot_min_note = fmt::format("ceil({}/200) search pages", changes);
    s.brevo_min = 2 + CeilDiv(changes, kBrevoBatchMax);
    s.brevo_min_note = fmt::format("2 reads (attributes, lists) + ceil({}/{}) batch updates", changes, kBrevoBatchMax);
    const int64_t hs_search = Count(s.hubspot, "POST", "/search");
    const int64_t hs_window = s.hubspot.total - hs_search;
    s.rate_limit_s = std::max(RateLimitSeconds(hs_window, 100, 10.0), RateLimitSeconds(hs_search, 5, 1.0));
    s.rate_limit_note = fmt::format("{} search calls at 5/s, {} others in the 10 s window", hs_search, hs_window);
    s.latency_floor_s = static_cast<double>(s.hubspot_min) * latency_s;
    s.latency_note = fmt::format("{} dependent search pages x {} ms", s.hubspot_min, latency_ms);
    s.floor_s = std::max(s.rate_limit_s, s.latency_floor_s);
    scenarios.push_back(std::move(s));
  }

  // ---- report
  std::cout << "\n";
  for (const Scenario& s : scenarios) {
    std::cout << "== " << s.name << "\n" << s.tajo_summary;
    if (s.run.exit_code != 0) std::cout << fmt::format("  FAILED (exit {}):\n{}", s.run.exit_code, s.run.err);
    PrintEndpoints("HubSpot", s.hubspot);
    PrintEndpoints("Brevo", s.brevo);
    std::cout << fmt::format("  HubSpot minimum: {}\n  Brevo minimum: {}\n  rate-limit time: {}\n  latency floor: {}\n",
                             s.hubspot_min_note, s.brevo_min_note, s.rate_limit_note, s.latency_note);
  }
  std::cout << fmt::format("\nBrevo after the full sync: {} contacts, {} distinct list sets\n\n", brevo_contacts,
                           groups.size());
  std::cout << "| run | HubSpot calls (min) | Brevo calls (min) | 429s | wall | rate-limit time | latency floor | "
               "wall / max(both) | tajo CPU (user+sys) | tajo peak RSS |\n";
  std::cout << "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const Scenario& s : scenarios) {
    const double bound = std::max(s.rate_limit_s, s.latency_floor_s);
    std::cout << fmt::format(
        "| {}{} | {} ({}, {:+.1f}%) | {} ({}, {:+.1f}%) | {} | {:.1f} s | {:.1f} s | {:.1f} s | {} | {:.2f} s ({:.2f} + {:.2f}) | "
        "{:.0f} MB |\n",
        s.name, s.run.exit_code == 0 ? "" : " (FAILED)", s.hubspot.total, s.hubspot_min, 100.0 * (s.hubspot.total - s.hubspot_min) / s.hubspot_min, s.brevo.total,
        s.brevo_min, 100.0 * (s.brevo.total - s.brevo_min) / s.brevo_min, s.hubspot.limited + s.brevo.limited, s.run.wall_s,
        s.rate_limit_s, s.latency_floor_s, bound > 0 ? fmt::format("{:.2f}", s.run.wall_s / bound) : std::string("-"),
        s.run.user_s + s.run.sys_s, s.run.user_s, s.run.sys_s, s.run.max_rss_kb / 1024.0);
  }
  std::cout << fmt::format(
      "\nAims (issue): calls within 2% of the minimum, no 429, wall within 10% of the rate-limit time.\n"
      "Full: the Brevo import still needs {:.0f} s of processing after the last call (sandbox), so its floor is "
      "max(rate limit, latency) + {:.0f} s = {:.1f} s.\n",
      kImportProcessingS, kImportProcessingS, scenarios.front().floor_s);
  return scenarios.back().run.exit_code == 0 ? 0 : 1;
}
