#include "cli/progress_printer.h"

#include <fmt/format.h>

#include <algorithm>

namespace tajo::cli {

std::string FormatSeconds(int64_t s) {
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

ProgressPrinter::ProgressPrinter(std::ostream& out, bool terminal, Clock& clock, int64_t plain_interval_micros)
    : out_(out), terminal_(terminal), clock_(clock), interval_(plain_interval_micros), start_(clock.NowMicros()) {}

std::string ProgressPrinter::Line(const sync::SyncProgress& p, int64_t elapsed_micros) {
  const int64_t calls = p.hubspot_calls + p.brevo_calls;
  const double secs = std::max<double>(static_cast<double>(elapsed_micros) / 1e6, 1e-3);
  std::string bar;
  std::string eta = "ETA ?";
  if (p.total > 0) {
    const double f = std::clamp(static_cast<double>(p.done) / static_cast<double>(p.total), 0.0, 1.0);
    const int filled = static_cast<int>(f * 20);
    bar = fmt::format("[{}{}] {:3}% ", std::string(static_cast<size_t>(filled), '#'),
                      std::string(static_cast<size_t>(20 - filled), '-'), static_cast<int>(f * 100));
    if (p.done > 0 && p.done < p.total) {
      const double rate = static_cast<double>(p.done) / secs;
      eta = "ETA " + FormatSeconds(static_cast<int64_t>(static_cast<double>(p.total - p.done) / rate));
    } else if (p.done >= p.total) {
      eta = "ETA 0s";
    }
  }
  const std::string total = p.total >= 0 ? fmt::format("/{}", p.total) : "";
  return fmt::format("{}{}{} contacts | {} calls (HubSpot {}, Brevo {}; {:.1f}/s) | {} | {}", bar, p.done, total,
                     calls, p.hubspot_calls, p.brevo_calls, static_cast<double>(calls) / secs, eta, p.phase);
}

void ProgressPrinter::Update(const sync::SyncProgress& p) {
  const int64_t now = clock_.NowMicros();
  const std::string line = Line(p, now - start_);
  if (terminal_) {
    out_ << "\r\033[K" << line << std::flush;
    drawn_ = true;
    return;
  }
  if (p.phase != last_phase_ || last_print_ < 0 || now - last_print_ >= interval_) {
    out_ << "progress: " << line << "\n" << std::flush;
    last_print_ = now;
    last_phase_ = p.phase;
  }
}

void ProgressPrinter::Finish() {
  if (terminal_ && drawn_) out_ << "\n" << std::flush;
  drawn_ = false;
}

}  // namespace tajo::cli
