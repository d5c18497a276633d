// webhook_bench: starting, watching and stopping tajo-sandbox and tajo serve for one phase.
#include "bench/webhook_bench.h"

namespace tajo::webhook_bench {

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

}  // namespace tajo::webhook_bench
