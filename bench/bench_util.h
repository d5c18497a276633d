// Shared pieces of the benchmarks that drive the real binaries (sync_bench, webhook_bench):
// environment numbers, the build directory, child processes (spawned, registered, stopped on
// every exit path), a small HTTP helper for the sandboxes' admin APIs, starting tajo-sandbox,
// the sandboxes' /_sandbox/stats as per-endpoint deltas, and percentiles.
//
// Failures: Die() prints "<program>: message" on stderr, stops every registered child and exits 1,
// unless a hook is installed (SetDieHook) — webhook_bench's hook throws, so it can print what it
// measured before exiting. Children get SIGTERM when the benchmark process dies (PR_SET_PDEATHSIG).
//
// Header-only. Not thread-safe: the process registry, Die() and Spawn() belong to the main
// thread; an Http object to one thread at a time (each thread makes its own).
#pragma once

#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/client.h"

namespace tajo::bench {

namespace fs = std::filesystem;
using nlohmann::json;

// ---- environment and files

inline int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::stoll(v);
}

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The build directory holding cli/tajo and sandbox/tajo-sandbox: $TAJO_BENCH_BUILD_DIR, else the
// one this binary is in (build/release for `make bench`).
inline fs::path BuildDir() {
  const char* build_env = std::getenv("TAJO_BENCH_BUILD_DIR");
  if (build_env != nullptr && *build_env != '\0') return fs::path(build_env);
  return fs::canonical("/proc/self/exe").parent_path().parent_path();
}

// ---- failure and child processes

inline std::string& ProgramName() {
  static std::string name = "bench";
  return name;
}

// Children stopped (SIGTERM, then reaped) by Die() and StopChild(), newest first.
inline std::vector<pid_t>& Children() {
  static std::vector<pid_t> children;
  return children;
}

inline void RegisterChild(pid_t pid) { Children().push_back(pid); }
inline void ForgetChild(pid_t pid) {
  auto& c = Children();
  c.erase(std::remove(c.begin(), c.end(), pid), c.end());
}

// Sends SIGTERM to `pid` (when it is alive), waits for it, forgets it. Returns its wait status.
inline int StopChild(pid_t pid) {
  if (pid <= 0) return 0;
  int status = 0;
  kill(pid, SIGTERM);
  waitpid(pid, &status, 0);
  ForgetChild(pid);
  return status;
}

inline void StopAllChildren() {
  std::vector<pid_t> c = Children();
  for (auto it = c.rbegin(); it != c.rend(); ++it) StopChild(*it);
}

using DieHook = std::function<void(const std::string& message)>;
inline DieHook& DieHookSlot() {
  static DieHook hook;
  return hook;
}
// Installs `hook`, called by Die() instead of exiting (it should throw); nullptr removes it.
inline void SetDieHook(DieHook hook) { DieHookSlot() = std::move(hook); }

[[noreturn]] inline void Die(const std::string& message) {
  if (DieHookSlot()) DieHookSlot()(message);  // normally does not return
  std::cerr << ProgramName() << ": " << message << "\n";
  StopAllChildren();
  std::exit(1);
}

// Starts `argv` (argv[0] a path) with `env` added, stdout and stderr to the files. The child gets
// SIGTERM should this process die. Not registered: the caller decides (RegisterChild).
inline pid_t Spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                   const fs::path& out, const fs::path& err) {
  std::cout << std::flush;  // or the child inherits unwritten output
  std::cerr << std::flush;
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(127);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// A process run to its end (a `tajo` command), with its resource use.
struct TajoRun {
  int exit_code = -1;
  double wall_s = 0;
  double user_s = 0;
  double sys_s = 0;
  int64_t max_rss_kb = 0;
  std::string out;
  std::string err;
};

// Runs `argv` to its end (output in DIR/TAG.out and .err); after `timeout_s` it is sent SIGTERM
// (and the run reports the exit that follows).
inline TajoRun RunTajo(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                       const fs::path& dir, const std::string& tag, double timeout_s) {
  const fs::path out = dir / (tag + ".out");
  const fs::path err = dir / (tag + ".err");
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = Spawn(argv, env, out, err);
  RegisterChild(pid);
  int status = 0;
  rusage ru{};
  bool timed_out = false;
  while (true) {
    pid_t w = wait4(pid, &status, WNOHANG, &ru);
    if (w == pid) break;
    if (w < 0) Die("wait4 failed");
    if (!timed_out && std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > timeout_s) {
      std::cerr << ProgramName() << ": " << tag << " sync still running after " << timeout_s << " s: stopping it\n";
      kill(pid, SIGTERM);
      timed_out = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ForgetChild(pid);
  const auto t1 = std::chrono::steady_clock::now();
  TajoRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.wall_s = std::chrono::duration<double>(t1 - t0).count();
  r.user_s = static_cast<double>(ru.ru_utime.tv_sec) + ru.ru_utime.tv_usec / 1e6;
  r.sys_s = static_cast<double>(ru.ru_stime.tv_sec) + ru.ru_stime.tv_usec / 1e6;
  r.max_rss_kb = ru.ru_maxrss;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

// CPU seconds (user + system) a live process used so far (/proc/PID/stat); 0 when unreadable.
inline double ProcessCpuSeconds(pid_t pid) {
  std::string stat = ReadFile(fmt::format("/proc/{}/stat", pid));
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream in(stat.substr(close + 2));
  std::string field;
  int64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// ---- HTTP to the sandboxes (admin API, read-backs) and to tajo serve

class Http {
 public:
  Http() : transport_(tajo::http::NewCurlTransport()) {}
  // The parsed JSON answer ({} for an empty body); Die() on a transport failure, a non-2xx
  // status or a body that is not JSON.
  json Call(const std::string& method, const std::string& url, const json& body = nullptr,
            const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    tajo::http::ClientRequest r;
    r.method = method;
    r.url = url;
    r.timeout_ms = 300'000;
    for (const auto& [k, v] : headers) r.headers.Set(k, v);
    if (!body.is_null()) {
      r.body = body.dump();
      r.headers.Set("Content-Type", "application/json");
    }
    auto resp = transport_->Send(r);
    if (!resp.ok()) Die(method + " " + url + ": " + resp.status().message());
    if (resp->status / 100 != 2) Die(fmt::format("{} {}: HTTP {}: {}", method, url, resp->status, resp->body.substr(0, 300)));
    if (resp->body.empty()) return json::object();
    json j = json::parse(resp->body, nullptr, false);
    if (j.is_discarded()) Die(method + " " + url + ": not JSON");
    return j;
  }
  // The status code (0 on a transport failure), never dies.
  int Status(const std::string& method, const std::string& url, int timeout_ms = 2'000) {
    tajo::http::ClientRequest r;
    r.method = method;
    r.url = url;
    r.timeout_ms = timeout_ms;
    auto resp = transport_->Send(r);
    return resp.ok() ? resp->status : 0;
  }
  tajo::http::Transport& transport() { return *transport_; }

 private:
  std::unique_ptr<tajo::http::Transport> transport_;
};

// ---- tajo-sandbox

struct SandboxUrls {
  std::string hubspot;     // "http://127.0.0.1:PORT"
  std::string brevo;       // "http://127.0.0.1:PORT/v3"
  std::string brevo_root;  // "http://127.0.0.1:PORT" (its /_sandbox/ admin API)
};

// Waits (up to 300 s) for the sandbox `pid` writing `log` to print both "listening on" lines.
// Die() when it exits or does not start.
inline SandboxUrls WaitForSandbox(pid_t pid, const fs::path& log, const fs::path& err) {
  SandboxUrls u;
  for (int i = 0; i < 3000 && u.brevo.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::istringstream lines(ReadFile(log));
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("hubspot listening on ", 0) == 0) u.hubspot = line.substr(21);
      if (line.rfind("brevo listening on ", 0) == 0) u.brevo = line.substr(19);
    }
    int st = 0;
    if (waitpid(pid, &st, WNOHANG) == pid) {
      ForgetChild(pid);
      Die("tajo-sandbox exited: " + ReadFile(err));
    }
  }
  if (u.brevo.empty() || u.hubspot.empty()) Die("tajo-sandbox did not start");
  u.brevo_root = u.brevo.substr(0, u.brevo.rfind("/v3"));
  return u;
}

// ---- sandbox statistics: deltas per endpoint

struct Stats {
  int64_t total = 0;
  int64_t limited = 0;  // 429s
  std::map<std::string, int64_t> by_endpoint;
};

inline Stats ParseStats(const json& j) {
  Stats s;
  const json& req = j.at("requests");
  s.total = req.value("total", int64_t{0});
  if (req.contains("byStatus")) s.limited = req["byStatus"].value("429", int64_t{0});
  if (req.contains("byEndpoint")) {
    for (const auto& [k, v] : req["byEndpoint"].items()) s.by_endpoint[k] = v.value("total", int64_t{0});
  }
  return s;
}

inline Stats Delta(const Stats& after, const Stats& before) {
  Stats d;
  d.total = after.total - before.total;
  d.limited = after.limited - before.limited;
  for (const auto& [k, v] : after.by_endpoint) {
    int64_t b = before.by_endpoint.count(k) ? before.by_endpoint.at(k) : 0;
    if (v - b != 0) d.by_endpoint[k] = v - b;
  }
  return d;
}

// Calls of `needle_method` whose path contains `needle_path`.
inline int64_t Count(const Stats& s, const std::string& needle_method, const std::string& needle_path) {
  int64_t n = 0;
  for (const auto& [k, v] : s.by_endpoint) {
    if (k.rfind(needle_method + " ", 0) == 0 && k.find(needle_path) != std::string::npos) n += v;
  }
  return n;
}

// Calls whose path contains `needle`, any method.
inline int64_t CountPath(const Stats& s, const std::string& needle) {
  int64_t n = 0;
  for (const auto& [k, v] : s.by_endpoint) {
    if (k.find(needle) != std::string::npos) n += v;
  }
  return n;
}

inline void PrintEndpoints(const std::string& service, const Stats& s) {
  std::cout << fmt::format("  {} calls by endpoint:\n", service);
  for (const auto& [k, v] : s.by_endpoint) std::cout << fmt::format("    {:>7}  {}\n", v, k);
}

// ---- figures

inline int64_t CeilDiv(int64_t a, int64_t b) { return b <= 0 ? 0 : (a + b - 1) / b; }

// The q-quantile (0..1, nearest rank) of `values`; 0 when empty. Sorts `values`.
inline double Percentile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
  rank = std::clamp<size_t>(rank, 1, values.size());
  return values[rank - 1];
}

}  // namespace tajo::bench
