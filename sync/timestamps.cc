#include "sync/timestamps.h"

#include <charconv>
#include <chrono>
#include <string>

namespace tajo::sync {

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

Result<int64_t> ParseTimestampMillis(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a date: expected YYYY-MM-DD, an ISO-8601 date-time or epoch milliseconds");
  };
  if (text.empty()) return bad();
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits && text.size() > 8) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) return bad();
    return v;
  }
  int y = 0, mo = 0, d = 0;
  if (!Digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !Digits(text, 5, 2, mo) || text[7] != '-' ||
      !Digits(text, 8, 2, d)) {
    return bad();
  }
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad();
  int64_t ms = duration_cast<milliseconds>(sys_days{ymd}.time_since_epoch()).count();
  if (text.size() == 10) return ms;
  int h = 0, mi = 0, s = 0;
  if ((text[10] != 'T' && text[10] != ' ') || !Digits(text, 11, 2, h) || text.size() < 19 || text[13] != ':' ||
      !Digits(text, 14, 2, mi) || text[16] != ':' || !Digits(text, 17, 2, s) || h > 23 || mi > 59 || s > 60) {
    return bad();
  }
  ms += (int64_t{h} * 3600 + mi * 60 + s) * 1000;
  size_t p = 19;
  if (p < text.size() && text[p] == '.') {
    ++p;
    int64_t frac = 0;
    int digits = 0;
    while (p < text.size() && text[p] >= '0' && text[p] <= '9') {
      if (digits < 3) frac = frac * 10 + (text[p] - '0');
      ++digits;
      ++p;
    }
    if (digits == 0) return bad();
    for (int i = digits; i < 3; ++i) frac *= 10;
    ms += frac;
  }
  if (p == text.size()) return ms;  // no zone: UTC
  if (text[p] == 'Z' && p + 1 == text.size()) return ms;
  if ((text[p] == '+' || text[p] == '-') && text.size() == p + 6 && text[p + 3] == ':') {
    int oh = 0, om = 0;
    if (!Digits(text, p + 1, 2, oh) || !Digits(text, p + 4, 2, om)) return bad();
    const int64_t offset = (int64_t{oh} * 60 + om) * 60'000;
    return text[p] == '+' ? ms - offset : ms + offset;
  }
  return bad();
}

}  // namespace tajo::sync
