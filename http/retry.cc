#include "http/retry.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/client.h"
#include "http/rate_limit_headers.h"

namespace tajo::http {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMaxRetryAfterSeconds = 10LL * 365 * 86'400;  // larger values are garbage

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Seconds(int64_t micros) { return fmt::format("{:.3g}s", static_cast<double>(micros) / 1e6); }

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int MonthIndex(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (EqualsIgnoreCase(kMonths[i], name)) return static_cast<int>(i) + 1;
  }
  return 0;
}

std::optional<int64_t> ToMicros(int year, int month, int day, int hour, int minute, int second) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60 || year < 1900 || year > 9999) {
    return std::nullopt;
  }
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute) * 60 * kMicrosPerSecond + int64_t{second} * kMicrosPerSecond;
}

struct RateLimitBody {
  std::string policy;
  std::string message;
};

RateLimitBody ParseRateLimitBody(const std::string& body) {
  RateLimitBody out;
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return out;
  if (auto it = j.find("policyName"); it != j.end() && it->is_string()) out.policy = it->get<std::string>();
  if (auto it = j.find("message"); it != j.end() && it->is_string()) out.message = it->get<std::string>();
  return out;
}

}  // namespace

std::optional<int64_t> ParseHttpDate(std::string_view value) {
  const std::string s(TrimBlanks(value));
  if (s.empty() || s.size() > 64) return std::nullopt;
  char wday[16] = {}, mon[4] = {};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  if (std::sscanf(s.c_str(), "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", wday, &day, mon, &year, &hour,
                  &minute, &second, &consumed) == 7 &&
      consumed == static_cast<int>(s.size())) {
    return ToMicros(year, MonthIndex(mon), day, hour, minute, second);
  }
  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
  consumed = 0;
  if (std::sscanf(s.c_str(), "%9[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n", wday, &day, mon, &year, &hour,
                  &minute, &second, &consumed) == 7 &&
      consumed == static_cast<int>(s.size())) {
    year += year < 70 ? 2000 : 1900;
    return ToMicros(year, MonthIndex(mon), day, hour, minute, second);
  }
  // asctime: "Sun Nov  6 08:49:37 1994"
  consumed = 0;
  if (std::sscanf(s.c_str(), "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", wday, mon, &day, &hour, &minute,
                  &second, &year, &consumed) == 7 &&
      consumed == static_cast<int>(s.size())) {
    return ToMicros(year, MonthIndex(mon), day, hour, minute, second);
  }
  return std::nullopt;
}

std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_micros) {
  value = TrimBlanks(value);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    auto seconds = ParseHeaderCount(value, kMaxRetryAfterSeconds);
    if (!seconds) return std::nullopt;
    return *seconds * kMicrosPerSecond;
  }
  auto at = ParseHttpDate(value);
  if (!at) return std::nullopt;
  return std::max<int64_t>(0, *at - now_micros);
}

bool IsIdempotentMethod(std::string_view method) {
  for (std::string_view m : {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"}) {
    if (EqualsIgnoreCase(m, method)) return true;
  }
  return false;
}

RetryPolicy::RetryPolicy(RetryOptions options)
    : options_(std::move(options)), rng_(options_.seed != 0 ? options_.seed : std::random_device{}()) {}

int64_t RetryPolicy::Backoff(int retry_index) {
  int64_t ceiling = std::max<int64_t>(0, options_.base_delay_micros);
  const int64_t cap = std::max<int64_t>(0, options_.max_delay_micros);
  for (int i = 0; i < retry_index && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(rng_() % (static_cast<uint64_t>(ceiling) + 1));
}

RetryDecision RetryPolicy::Decide(int attempt, int max_attempts, bool idempotent,
                                  const Result<HttpResponse>& outcome, int64_t now_micros) {
  RetryDecision d;
  const int retry_index = std::max(0, attempt - 1);
  std::optional<int64_t> server_wait;  // a wait the server asked for

  if (!outcome.ok()) {
    const Status& s = outcome.status();
    const char* code = StatusCodeName(s.code());
    if (s.code() != StatusCode::kUnavailable && s.code() != StatusCode::kDeadlineExceeded) {
      d.reason = fmt::format("transport error {} is not retryable", code);
      return d;
    }
    if (!idempotent && !RequestNotSent(s)) {
      d.reason = fmt::format("transport error {} after the request may have been sent; not idempotent", code);
      return d;
    }
    d.retry = true;
    d.delay_micros = Backoff(retry_index);
    d.reason = fmt::format("transport error {}", code);
  } else {
    const HttpResponse& r = *outcome;
    std::optional<int64_t> retry_after;
    if (auto v = r.headers.Get("Retry-After")) retry_after = ParseRetryAfter(*v, now_micros);

    switch (r.status) {
      case 429: {
        d.rate_limited = true;
        const RateLimitBody body = ParseRateLimitBody(r.body);
        if (body.policy == "DAILY") {
          d.reason = "429 DAILY limit reached";
          return d;
        }
        d.retry = true;
        if (retry_after) {
          server_wait = retry_after;
          d.reason = "429 with Retry-After";
        } else if (body.policy == "TEN_SECONDLY_ROLLING") {
          int64_t interval_ms = 10'000;
          if (auto v = r.headers.Get("X-HubSpot-RateLimit-Interval-Milliseconds")) {
            if (auto parsed = ParseHeaderCount(*v, kDayMillis); parsed && *parsed > 0) interval_ms = *parsed;
          }
          server_wait = interval_ms * 1000;
          d.reason = "429 TEN_SECONDLY_ROLLING";
        } else if (body.message == "You have reached your secondly limit.") {
          server_wait = kMicrosPerSecond;
          d.reason = "429 secondly limit";
        } else if (auto v = r.headers.Get("x-sib-ratelimit-reset")) {
          if (auto ms = ParseHeaderSecondsAsMillis(*v, 31 * 86'400)) {
            server_wait = *ms * 1000;
            d.reason = "429 until x-sib-ratelimit-reset";
          }
        }
        if (server_wait) {
          d.block_bucket_micros = *server_wait;
        } else {
          d.delay_micros = Backoff(retry_index);
          d.reason = "429";
        }
        break;
      }
      case 423:
        d.retry = true;
        d.delay_micros = std::max(options_.locked_min_wait_micros, retry_after.value_or(Backoff(retry_index)));
        d.reason = "423 Locked";
        if (retry_after) server_wait = d.delay_micros;
        break;
      case 477:
        if (!retry_after) {
          d.reason = "477 without Retry-After";
          return d;
        }
        d.retry = true;
        server_wait = retry_after;
        d.reason = "477 Migration in Progress";
        break;
      case 500: case 502: case 503: case 504: case 521: case 523: case 524:
        if (!idempotent) {
          d.reason = fmt::format("{} on a request that is not idempotent", r.status);
          return d;
        }
        d.retry = true;
        d.reason = std::to_string(r.status);
        if (retry_after) {
          server_wait = retry_after;
        } else {
          d.delay_micros = Backoff(retry_index);
        }
        break;
      default:
        d.reason = fmt::format("{} is final", r.status);
        return d;
    }
  }

  if (server_wait) {
    if (*server_wait > options_.max_server_wait_micros) {
      d.retry = false;
      d.block_bucket_micros = 0;
      d.reason += fmt::format(": the server asks to wait {}, more than the {} we wait", Seconds(*server_wait),
                              Seconds(options_.max_server_wait_micros));
      return d;
    }
    d.delay_micros = std::max(d.delay_micros, *server_wait);
  }
  if (attempt >= max_attempts) {
    d.retry = false;
    d.reason += fmt::format(": no attempts left ({} of {})", attempt, max_attempts);
    return d;
  }
  d.reason += fmt::format(", waiting {}", Seconds(d.delay_micros));
  return d;
}

}  // namespace tajo::http
