#include "sandbox/common/fault_injector.h"

#include <string>

namespace tajo::sandbox {

nlohmann::json FaultSettings::ToJson() const {
  return {{"latencyMs", latency_ms},         {"jitterMs", jitter_ms},
          {"error5xxRate", error_5xx_rate},  {"rateLimitRate", rate_limit_rate},
          {"timeoutRate", timeout_rate},     {"timeoutHoldMs", timeout_hold_ms},
          {"resetRate", reset_rate},         {"truncateRate", truncate_rate},
          {"seed", seed}};
}

namespace {

Status ReadRate(const nlohmann::json& j, const char* key, double* out) {
  if (!j.contains(key)) return Status::Ok();
  const auto& v = j.at(key);
  if (!v.is_number()) return Status::InvalidArgument(std::string(key) + ": expected a number in [0, 1]");
  double d = v.get<double>();
  if (d < 0 || d > 1) return Status::InvalidArgument(std::string(key) + ": expected a number in [0, 1], got " + v.dump());
  *out = d;
  return Status::Ok();
}

Status ReadMillis(const nlohmann::json& j, const char* key, int64_t* out) {
  if (!j.contains(key)) return Status::Ok();
  const auto& v = j.at(key);
  if (!v.is_number_integer() || v.get<int64_t>() < 0)
    return Status::InvalidArgument(std::string(key) + ": expected a non-negative integer (milliseconds), got " + v.dump());
  *out = v.get<int64_t>();
  return Status::Ok();
}

}  // namespace

Status FaultSettings::MergeFrom(const nlohmann::json& j) {
  if (!j.is_object()) return Status::InvalidArgument("fault settings: expected a JSON object");
  FaultSettings s = *this;
  TAJO_RETURN_IF_ERROR(ReadMillis(j, "latencyMs", &s.latency_ms));
  TAJO_RETURN_IF_ERROR(ReadMillis(j, "jitterMs", &s.jitter_ms));
  TAJO_RETURN_IF_ERROR(ReadMillis(j, "timeoutHoldMs", &s.timeout_hold_ms));
  TAJO_RETURN_IF_ERROR(ReadRate(j, "error5xxRate", &s.error_5xx_rate));
  TAJO_RETURN_IF_ERROR(ReadRate(j, "rateLimitRate", &s.rate_limit_rate));
  TAJO_RETURN_IF_ERROR(ReadRate(j, "timeoutRate", &s.timeout_rate));
  TAJO_RETURN_IF_ERROR(ReadRate(j, "resetRate", &s.reset_rate));
  TAJO_RETURN_IF_ERROR(ReadRate(j, "truncateRate", &s.truncate_rate));
  if (j.contains("seed")) {
    if (!j["seed"].is_number_unsigned()) return Status::InvalidArgument("seed: expected a non-negative integer");
    s.seed = j["seed"].get<uint64_t>();
  }
  *this = s;
  return Status::Ok();
}

Status FaultSettings::MergeFromSettingsBody(const nlohmann::json& body) {
  if (!body.is_object()) return Status::InvalidArgument("settings: expected a JSON object");
  FaultSettings s = *this;
  if (body.contains("faults")) {
    Status merged = s.MergeFrom(body["faults"]);
    if (!merged.ok()) return Status::InvalidArgument("faults." + merged.message());
  }
  for (const char* key : {"latencyMs", "jitterMs"}) {
    if (body.contains(key)) TAJO_RETURN_IF_ERROR(s.MergeFrom({{key, body[key]}}));
  }
  *this = s;
  return Status::Ok();
}

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kNone: return "none";
    case FaultKind::kServerError: return "5xx";
    case FaultKind::kRateLimit: return "429";
    case FaultKind::kTimeout: return "timeout";
    case FaultKind::kReset: return "reset";
    case FaultKind::kTruncate: return "truncate";
  }
  return "none";
}

FaultInjector::FaultInjector(FaultSettings settings) : settings_(settings), rng_(settings.seed) {}

FaultSettings FaultInjector::settings() const {
  std::lock_guard lock(mu_);
  return settings_;
}

void FaultInjector::set_settings(const FaultSettings& settings) {
  std::lock_guard lock(mu_);
  settings_ = settings;
  rng_ = Rng(settings.seed);
}

FaultDecision FaultInjector::Decide() {
  std::lock_guard lock(mu_);
  FaultDecision d;
  const FaultSettings& s = settings_;
  int64_t latency_ms = s.latency_ms + (s.jitter_ms > 0 ? rng_.Between(0, s.jitter_ms) : 0);
  d.latency_micros = latency_ms * 1000;
  // One draw decides the fault: the rates are slices of [0, 1).
  double total = s.error_5xx_rate + s.rate_limit_rate + s.timeout_rate + s.reset_rate + s.truncate_rate;
  if (total <= 0) return d;
  double u = rng_.Unit();
  double edge = 0;
  auto slice = [&](double rate, FaultKind kind) {
    if (d.kind != FaultKind::kNone) return;
    edge += rate;
    if (u < edge) d.kind = kind;
  };
  slice(s.error_5xx_rate, FaultKind::kServerError);
  slice(s.rate_limit_rate, FaultKind::kRateLimit);
  slice(s.timeout_rate, FaultKind::kTimeout);
  slice(s.reset_rate, FaultKind::kReset);
  slice(s.truncate_rate, FaultKind::kTruncate);
  if (d.kind == FaultKind::kServerError) {
    static constexpr int kStatuses[] = {500, 502, 503, 504};
    d.server_error_status = rng_.Pick(kStatuses);
  }
  return d;
}

}  // namespace tajo::sandbox
