// tajo-sandbox-hubspot-scale: seeds a large portal and reports memory, seeding time and the cost
// of list and search pages, for docs/sandbox.md. Not a test (no timing assertions anywhere).
//
//   tajo-sandbox-hubspot-scale [contacts=1000000,companies=100000,deals=200000,...]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/clock.h"
#include "http/server.h"
#include "sandbox/hubspot/hubspot_sandbox.h"

namespace {

double RssMb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

template <typename F>
double Millis(F f, int repeat = 20) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeat; ++i) f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / repeat;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tajo::sandbox::hubspot;
  std::string spec_text = argc > 1 ? argv[1] : "contacts=1000000";
  auto spec = ParseSeedSpec(spec_text);
  if (!spec.ok()) {
    std::fprintf(stderr, "%s\n", spec.status().ToString().c_str());
    return 2;
  }
  HubSpotSandboxOptions options;
  options.enforce_rate_limits = false;
  HubSpotSandbox sandbox(options, tajo::SystemClock());
  double before = RssMb();
  auto result = sandbox.Seed(*spec, 1);
  double after = RssMb();
  std::printf("seeded %s in %lld ms\n", FormatSeedSpec(*spec).c_str(), static_cast<long long>(result.millis));
  for (const auto& [type, n] : result.report.created) std::printf("  %-10s %lld\n", type.c_str(), static_cast<long long>(n));
  std::printf("  associations %lld\n", static_cast<long long>(result.report.associations));
  std::printf("RSS %.1f MB -> %.1f MB (+%.1f MB); portal estimate %.1f MB\n", before, after, after - before,
              static_cast<double>(sandbox.portal().MemoryBytes()) / (1024.0 * 1024.0));

  tajo::http::Router router;
  sandbox.RegisterRoutes(router);
  auto call = [&](const std::string& method, const std::string& target, const std::string& body = "") {
    tajo::http::HttpRequest req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.headers.Set("Authorization", std::string("Bearer ") + kDefaultToken);
    return router.Handle(req);
  };
  auto first = nlohmann::json::parse(call("GET", "/crm/v3/objects/contacts?limit=1").body);
  uint64_t first_id = std::stoull(first["results"][0]["id"].get<std::string>());
  std::string middle = std::to_string(first_id + static_cast<uint64_t>(spec->contacts / 2));
  std::printf("list page of 100 at the start:      %.3f ms\n",
              Millis([&] { call("GET", "/crm/v3/objects/contacts?limit=100"); }));
  std::printf("list page of 100 in the middle:     %.3f ms\n",
              Millis([&] { call("GET", "/crm/v3/objects/contacts?limit=100&after=" + middle); }));
  int64_t since = tajo::SystemClock().NowMillis() - 30LL * 86'400'000;
  std::string search = R"({"limit":200,"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}],)"
                       R"("filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GTE","value":")" +
                       std::to_string(since) + R"("}]}]})";
  auto s = nlohmann::json::parse(call("POST", "/crm/v3/objects/contacts/search", search).body);
  std::printf("search GTE lastmodifieddate (last 30 days, total %lld), page of 200: %.3f ms\n",
              static_cast<long long>(s.value("total", 0LL)),
              Millis([&] { call("POST", "/crm/v3/objects/contacts/search", search); }));
  std::string deep = search;
  deep.insert(1, R"("after":"9800",)");
  std::printf("same search at after=9800:          %.3f ms\n",
              Millis([&] { call("POST", "/crm/v3/objects/contacts/search", deep); }));
  std::string scan = R"({"limit":10,"filterGroups":[{"filters":[{"propertyName":"lifecyclestage","operator":"EQ","value":"evangelist"}]}]})";
  std::printf("search EQ lifecyclestage (full scan): %.1f ms\n",
              Millis([&] { call("POST", "/crm/v3/objects/contacts/search", scan); }, 3));
  std::printf("get by email:                       %.3f ms\n", Millis([&] {
                call("GET", "/crm/v3/objects/contacts/nobody@example.com?idProperty=email");
              }));
  return 0;
}
