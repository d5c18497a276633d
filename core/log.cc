#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/redact.h"

namespace tajo {

Result<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "error") return LogLevel::kError;
  if (name == "warn" || name == "warning") return LogLevel::kWarn;
  if (name == "info") return LogLevel::kInfo;
  if (name == "debug") return LogLevel::kDebug;
  if (name == "verbose" || name == "trace") return LogLevel::kVerbose;
  return Status::InvalidArgument(fmt::format(
      "unknown log level '{}' (expected error, warn, info, debug or verbose)", name));
}

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
    case LogLevel::kVerbose: return "verbose";
  }
  return "info";
}

Result<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return Status::InvalidArgument(fmt::format("unknown log format '{}' (expected text or json)", name));
}

struct Logger::Impl {
  std::atomic<int> level{static_cast<int>(LogLevel::kInfo)};
  std::atomic<int> format{static_cast<int>(LogFormat::kText)};
  std::mutex mu;
  Sink sink;  // guarded by mu
};

Logger::Logger() : impl_(new Impl) {}
Logger::~Logger() { delete impl_; }

void Logger::SetLevel(LogLevel level) { impl_->level = static_cast<int>(level); }
LogLevel Logger::level() const { return static_cast<LogLevel>(impl_->level.load()); }
void Logger::SetFormat(LogFormat format) { impl_->format = static_cast<int>(format); }
void Logger::SetSink(Sink sink) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->sink = std::move(sink);
}

bool Logger::Enabled(LogLevel level) const { return static_cast<int>(level) <= impl_->level.load(); }

namespace {
std::string FieldValue(const std::string& name, const std::string& value) {
  if (IsSecretName(name)) return std::string(kRedacted);
  return Redact(value);
}
bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\t') return true;
  }
  return false;
}
}  // namespace

std::string Logger::Format(int64_t unix_micros, LogLevel level, std::string_view component,
                           std::string_view message, const LogFields& fields) const {
  const auto format = static_cast<LogFormat>(impl_->format.load());
  if (format == LogFormat::kJson) {
    nlohmann::ordered_json j;
    j["ts"] = FormatRfc3339(unix_micros);
    j["level"] = LogLevelName(level);
    j["component"] = std::string(component);
    j["msg"] = Redact(message);
    for (const auto& [k, v] : fields) j[k] = FieldValue(k, v);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string line = fmt::format("{} {:<7} [{}] {}", FormatRfc3339(unix_micros), LogLevelName(level),
                                 component, Redact(message));
  for (const auto& [k, v] : fields) {
    std::string value = FieldValue(k, v);
    if (NeedsQuotes(value)) {
      line += fmt::format(" {}={}", k, nlohmann::json(value).dump(-1, ' ', false,
                                                                   nlohmann::json::error_handler_t::replace));
    } else {
      line += fmt::format(" {}={}", k, value);
    }
  }
  return line;
}

void Logger::Log(LogLevel level, std::string_view component, std::string_view message,
                 const LogFields& fields) {
  if (!Enabled(level)) return;
  std::string line = Format(SystemClock().NowMicros(), level, component, message, fields);
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->sink) {
    impl_->sink(line);
  } else {
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  }
}

Logger& Log() {
  static Logger* logger = new Logger();  // never destroyed: threads may log during exit
  return *logger;
}

}  // namespace tajo
