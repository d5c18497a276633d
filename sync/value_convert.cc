#include "sync/value_convert.h"

#include "core/yaml_reader.h"

#include <phonenumbers/phonenumberutil.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace tajo::sync {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// `"value"` for a message (core/yaml_reader.h: escaped, cut on a UTF-8 boundary).
std::string Quote(std::string_view s) { return QuoteForMessage(s); }

// --- dates (proleptic Gregorian calendar, H. Hinnant's algorithms)

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeap(y)) ? 29 : kDays[m - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Reads exactly `n` digits at s[*pos]; false when they are not there.
bool Digits(std::string_view s, size_t* pos, size_t n, int64_t* out) {
  if (*pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

constexpr int64_t kMinDay = -719162;  // 0001-01-01
constexpr int64_t kMaxDay = 2932896;  // 9999-12-31

std::string FormatDay(int64_t day) {
  int64_t y = 0, m = 0, d = 0;
  CivilFromDays(day, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

Status BadDate(std::string_view value, std::string_view why) {
  return Status::InvalidArgument(fmt::format("invalid date {}: {}", Quote(value), why));
}

}  // namespace

Result<std::string> ToBrevoDate(std::string_view hubspot_value) {
  const std::string_view s = Trim(hubspot_value);
  if (s.empty()) return BadDate(hubspot_value, "empty");
  // Epoch milliseconds: an optional '-' and digits only.
  const bool negative = s.front() == '-';
  const std::string_view digits = negative ? s.substr(1) : s;
  if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos) {
    int64_t ms = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
    constexpr int64_t kMsPerDay = 86'400'000;
    if (ec != std::errc() || ptr != digits.data() + digits.size() || ms / kMsPerDay > kMaxDay) {
      return BadDate(hubspot_value, "epoch milliseconds out of range (years 0001 to 9999)");
    }
    const int64_t day = FloorDiv(negative ? -ms : ms, kMsPerDay);
    if (day < kMinDay) return BadDate(hubspot_value, "epoch milliseconds out of range (years 0001 to 9999)");
    return FormatDay(day);
  }

  constexpr std::string_view kExpected =
      "expected YYYY-MM-DD, an ISO-8601 date-time (2024-01-17T19:55:04.281Z) or epoch milliseconds";
  size_t pos = 0;
  int64_t y = 0, mo = 0, d = 0;
  if (!Digits(s, &pos, 4, &y) || pos >= s.size() || s[pos++] != '-' || !Digits(s, &pos, 2, &mo) ||
      pos >= s.size() || s[pos++] != '-' || !Digits(s, &pos, 2, &d)) {
    return BadDate(hubspot_value, kExpected);
  }
  if (y < 1) return BadDate(hubspot_value, "year 0000 does not exist");
  if (mo < 1 || mo > 12) return BadDate(hubspot_value, fmt::format("month {} does not exist", mo));
  if (d < 1 || d > DaysInMonth(y, mo)) {
    return BadDate(hubspot_value, fmt::format("{:04}-{:02} has no day {}", y, mo, d));
  }
  int64_t seconds = 0;  // of the local time of day, minus the UTC offset
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return BadDate(hubspot_value, kExpected);
    ++pos;
    int64_t h = 0, mi = 0, sec = 0;
    if (!Digits(s, &pos, 2, &h) || pos >= s.size() || s[pos++] != ':' || !Digits(s, &pos, 2, &mi)) {
      return BadDate(hubspot_value, kExpected);
    }
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!Digits(s, &pos, 2, &sec)) return BadDate(hubspot_value, kExpected);
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        const size_t start = pos;
        while (pos < s.size() && IsDigit(s[pos])) ++pos;
        if (pos == start) return BadDate(hubspot_value, kExpected);
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return BadDate(hubspot_value, "time of day out of range");
    seconds = h * 3600 + mi * 60 + sec;
    if (pos < s.size()) {
      const char z = s[pos++];
      if (z == 'Z' || z == 'z') {
        // UTC
      } else if (z == '+' || z == '-') {
        int64_t oh = 0, om = 0;
        if (!Digits(s, &pos, 2, &oh)) return BadDate(hubspot_value, kExpected);
        if (pos < s.size() && s[pos] == ':') ++pos;
        if (pos < s.size() && !Digits(s, &pos, 2, &om)) return BadDate(hubspot_value, kExpected);
        if (oh > 23 || om > 59) return BadDate(hubspot_value, "UTC offset out of range");
        const int64_t offset = oh * 3600 + om * 60;
        seconds -= z == '+' ? offset : -offset;
      } else {
        return BadDate(hubspot_value, kExpected);
      }
    }
    if (pos != s.size()) return BadDate(hubspot_value, kExpected);
  }
  const int64_t day = DaysFromCivil(y, mo, d) + FloorDiv(seconds, 86400);
  if (day < kMinDay || day > kMaxDay) return BadDate(hubspot_value, "out of range (years 0001 to 9999)");
  return FormatDay(day);
}

Result<double> ToBrevoFloat(std::string_view hubspot_value) {
  std::string_view s = Trim(hubspot_value);
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("invalid number {}: {}", Quote(hubspot_value), why));
  };
  if (s.empty()) return bad("empty");
  const bool negative = s.front() == '-';
  if (s.front() == '+' || s.front() == '-') s.remove_prefix(1);  // one sign only ("+-1" is not a number)
  if (s.empty() || !(IsDigit(s.front()) || s.front() == '.')) {
    return bad("not a number (expected digits, '.' as the decimal point, e.g. 1234.5 or -3 or 1e3)");
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) return bad("out of range");
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    if (s.find(',') != std::string_view::npos) {
      return bad("not a number (',' is not accepted: no thousands separators, '.' as the decimal point)");
    }
    return bad("not a number (expected digits, '.' as the decimal point, e.g. 1234.5 or -3 or 1e3)");
  }
  if (!std::isfinite(v)) return bad("not a finite number");
  return negative ? -v : v;
}

Result<bool> ToBrevoBoolean(std::string_view hubspot_value) {
  std::string lower;
  for (char c : Trim(hubspot_value)) lower += AsciiLower(c);
  if (lower == "true" || lower == "yes" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "0") return false;
  return Status::InvalidArgument(fmt::format("invalid boolean {}: expected true/false, yes/no or 1/0",
                                             Quote(hubspot_value)));
}

namespace {

Result<std::string> ParsePhoneDigits(std::string_view hubspot_value, std::string_view default_country) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("invalid phone number {}: {}", Quote(hubspot_value), why));
  };
  const std::string_view s = Trim(hubspot_value);
  if (s.empty()) return bad("empty");

  std::string region;
  for (char c : default_country) region += AsciiUpper(c);
  if (!region.empty() && util.GetCountryCodeForRegion(region) == 0) {
    return bad(fmt::format("connectors.hubspot.default_country {} is not a known ISO 3166 country code",
                           Quote(default_country)));
  }

  // "00" before the country code is the international prefix of most countries; libphonenumber
  // reads it only when the default country uses it, so it is made a '+' here (no national
  // number starts with 00).
  std::string text(s);
  const size_t first = text.find_first_of("+0123456789");
  if (first != std::string::npos && text[first] == '0') {
    const size_t next = text.find_first_not_of(" -.()/", first + 1);
    if (next != std::string::npos && text[next] == '0') text = "+" + text.substr(next + 1);
  }
  const bool bare_digits = s.find_first_not_of("0123456789") == std::string_view::npos;

  PhoneNumber number;
  const auto err = util.ParseAndKeepRawInput(text, region.empty() ? "ZZ" : region, &number);
  // A number of a possible length for its country is accepted when its country code was written
  // with '+' or comes from default_country: IsValidNumber would also check the number ranges in
  // this libphonenumber's (dated) metadata and refuse ranges given out since. A country code
  // read after a national dialling prefix ("011 82 ..." from the US) is a guess, and must be
  // fully valid, as must the bare-digits guess below.
  const bool guessed = number.country_code_source() == PhoneNumber::FROM_NUMBER_WITH_IDD;
  if (err == PhoneNumberUtil::NO_PARSING_ERROR &&
      (guessed ? util.IsValidNumber(number)
               : util.IsPossibleNumberWithReason(number) == PhoneNumberUtil::IS_POSSIBLE)) {
    std::string e164;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    return e164.substr(1);  // without '+'
  }
  // Brevo's own form ("33612345678": the country code and the number, digits only), e.g. a value
  // that came from Brevo: read it as an international number.
  if (bare_digits && s.front() != '0') {
    PhoneNumber intl;
    if (util.Parse("+" + std::string(s), "ZZ", &intl) == PhoneNumberUtil::NO_PARSING_ERROR &&
        util.IsValidNumber(intl)) {
      std::string e164;
      util.Format(intl, PhoneNumberUtil::E164, &e164);
      return e164.substr(1);
    }
  }

  switch (err) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      if (region.empty() && text.front() != '+') {
        return bad("no country code (write it as +<country code> <number>, or set "
                   "connectors.hubspot.default_country to read national numbers)");
      }
      return bad("unknown country code");
    case PhoneNumberUtil::NOT_A_NUMBER:
      return bad("not a phone number");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return bad("too short");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return bad("too long");
  }
  std::string main_region;
  util.GetRegionCodeForCountryCode(number.country_code(), &main_region);
  const std::string where = main_region.empty() || main_region == "ZZ"
                                ? fmt::format("country code +{}", number.country_code())
                                : fmt::format("+{} ({})", number.country_code(), main_region);
  switch (util.IsPossibleNumberWithReason(number)) {
    case PhoneNumberUtil::TOO_SHORT:
      return bad(fmt::format("too short for {}", where));
    case PhoneNumberUtil::TOO_LONG:
      return bad(fmt::format("too long for {}", where));
    case PhoneNumberUtil::INVALID_LENGTH:
      return bad(fmt::format("wrong number of digits for {}", where));
    default:
      return bad(fmt::format("not a number in use in {} (no such number range)", where));
  }
}

}  // namespace

Result<std::string> ToBrevoPhone(std::string_view hubspot_value, std::string_view default_country) {
  Result<std::string> digits = ParsePhoneDigits(hubspot_value, default_country);
  if (!digits.ok()) return digits;
  // Brevo takes 8 to 15 digits with the country code (E.164 allows shorter numbers, which no SMS
  // reaches); an import row with a shorter SMS is refused whole, so it is reported here instead.
  if (digits->size() < 8) {
    return Status::InvalidArgument(fmt::format("invalid phone number {}: too short to receive SMS ({} digits with "
                                               "the country code: +{}; Brevo takes 8 to 15)",
                                               Quote(hubspot_value), digits->size(), *digits));
  }
  return digits;
}

}  // namespace tajo::sync
