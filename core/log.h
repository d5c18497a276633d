// Logging: leveled, human lines on a terminal or JSON lines, always redacted.
//
// Levels, most to least severe: error, warn, info, debug, verbose. `log_level` in the config sets
// the threshold; `debug: true` means at least debug. Every message and every field value passes
// through Redact() (core/redact.h) before it is written, and a field whose name is a secret name
// (IsSecretName) is written as [REDACTED] whatever its value.
//
// Thread-safe: lines from several threads never interleave.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace tajo {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kVerbose = 4 };
enum class LogFormat { kText, kJson };

// "error" | "warn" | "info" | "debug" | "verbose" (also "warning", "trace" as aliases).
Result<LogLevel> ParseLogLevel(std::string_view name);
const char* LogLevelName(LogLevel level);
Result<LogFormat> ParseLogFormat(std::string_view name);  // "text" | "json"

using LogFields = std::vector<std::pair<std::string, std::string>>;

class Logger {
 public:
  // Receives each finished line, without the trailing newline.
  using Sink = std::function<void(std::string_view line)>;

  Logger();  // info, text, writes to stderr
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void SetLevel(LogLevel level);
  LogLevel level() const;
  void SetFormat(LogFormat format);
  // Replaces the output (default: stderr). A null sink restores stderr.
  void SetSink(Sink sink);

  bool Enabled(LogLevel level) const;
  void Log(LogLevel level, std::string_view component, std::string_view message,
           const LogFields& fields = {});

  void Error(std::string_view c, std::string_view m, const LogFields& f = {}) { Log(LogLevel::kError, c, m, f); }
  void Warn(std::string_view c, std::string_view m, const LogFields& f = {}) { Log(LogLevel::kWarn, c, m, f); }
  void Info(std::string_view c, std::string_view m, const LogFields& f = {}) { Log(LogLevel::kInfo, c, m, f); }
  void Debug(std::string_view c, std::string_view m, const LogFields& f = {}) { Log(LogLevel::kDebug, c, m, f); }
  void Verbose(std::string_view c, std::string_view m, const LogFields& f = {}) { Log(LogLevel::kVerbose, c, m, f); }

  // Formats one line without writing it (exposed for tests).
  std::string Format(int64_t unix_micros, LogLevel level, std::string_view component,
                     std::string_view message, const LogFields& fields) const;

 private:
  struct Impl;
  Impl* impl_;
};

// The process-wide logger used by every module.
Logger& Log();

}  // namespace tajo
