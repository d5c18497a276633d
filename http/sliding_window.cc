#include "http/sliding_window.h"

#include <algorithm>

namespace tajo::http {

SlidingWindow::SlidingWindow(int64_t max_calls, int64_t window_micros)
    : max_calls_(std::max<int64_t>(1, max_calls)),
      window_micros_(std::max<int64_t>(1, window_micros)),
      granularity_(GranularityFor(max_calls_, window_micros_)) {}

int64_t SlidingWindow::GranularityFor(int64_t max_calls, int64_t window_micros) {
  if (max_calls <= kExactMaxCalls) return 1;
  return std::max<int64_t>(1, (window_micros + kMaxSlots - 1) / kMaxSlots);
}

int64_t SlidingWindow::SlotOf(int64_t t) const {
  int64_t q = t / granularity_;
  if (t % granularity_ != 0 && t < 0) --q;  // floor, also before the epoch
  return q;
}

void SlidingWindow::Prune(int64_t now) {
  // A slot has left the window when its last instant is at or before now - window: the window
  // ending at `now` is (now - window, now].
  while (!slots_.empty() && LastInstant(slots_.front().first) <= now - window_micros_) {
    total_ -= slots_.front().second;
    slots_.pop_front();
  }
}

int64_t SlidingWindow::Count(int64_t now) {
  Prune(now);
  return total_;
}

int64_t SlidingWindow::WaitMicros(int64_t now) {
  Prune(now);
  if (total_ < max_calls_) return 0;
  // Enough of the oldest calls must leave for the count to drop below the limit.
  int64_t must_leave = total_ - max_calls_ + 1;
  for (const auto& [slot, calls] : slots_) {
    must_leave -= calls;
    if (must_leave <= 0) return std::max<int64_t>(1, LastInstant(slot) + window_micros_ - now);
  }
  return 1;  // unreachable: the whole log leaving always suffices
}

void SlidingWindow::Add(int64_t at, int64_t n) {
  if (n <= 0) return;
  const int64_t slot = SlotOf(at);
  total_ += n;
  if (slots_.empty() || slot > slots_.back().first) {
    slots_.emplace_back(slot, n);
    return;
  }
  if (slot == slots_.back().first) {
    slots_.back().second += n;
    return;
  }
  auto it = std::lower_bound(slots_.begin(), slots_.end(), slot,
                             [](const auto& entry, int64_t s) { return entry.first < s; });
  if (it != slots_.end() && it->first == slot) {
    it->second += n;
  } else {
    slots_.insert(it, {slot, n});
  }
}

void SlidingWindow::SetMaxCalls(int64_t max_calls) {
  max_calls_ = std::max<int64_t>(1, max_calls);
  const int64_t coarser = GranularityFor(max_calls_, window_micros_);
  if (coarser <= granularity_) return;  // never refine: the old counts cannot be split
  std::deque<std::pair<int64_t, int64_t>> moved;
  for (const auto& [slot, calls] : slots_) {
    const int64_t last = LastInstant(slot);
    int64_t s = last / coarser;
    if (last % coarser != 0 && last < 0) --s;
    if (!moved.empty() && moved.back().first == s) {
      moved.back().second += calls;
    } else {
      moved.emplace_back(s, calls);
    }
  }
  granularity_ = coarser;
  slots_ = std::move(moved);
}

}  // namespace tajo::http
