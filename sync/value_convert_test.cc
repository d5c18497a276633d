#include "sync/value_convert.h"

#include <gtest/gtest.h>

#include <string>

namespace tajo::sync {
namespace {

std::string Date(std::string_view v) {
  auto r = ToBrevoDate(v);
  EXPECT_TRUE(r.ok()) << v << ": " << r.status().ToString();
  return r.ok() ? *r : "";
}

// The error message for a value that must be refused.
std::string DateError(std::string_view v) {
  auto r = ToBrevoDate(v);
  EXPECT_FALSE(r.ok()) << v << " was accepted as " << (r.ok() ? *r : "");
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST(ToBrevoDateTest, AcceptsTheFormsHubSpotSends) {
  EXPECT_EQ(Date("2024-01-17"), "2024-01-17");
  EXPECT_EQ(Date("2024-01-17T19:55:04.281Z"), "2024-01-17");
  EXPECT_EQ(Date("2024-01-17T19:55:04Z"), "2024-01-17");
  EXPECT_EQ(Date("2024-01-17T19:55Z"), "2024-01-17");
  EXPECT_EQ(Date("2024-01-17T19:55:04.281"), "2024-01-17");  // no zone: read as UTC
  EXPECT_EQ(Date(" 2024-01-17 "), "2024-01-17");
  // Epoch milliseconds (HubSpot's date properties: midnight UTC).
  EXPECT_EQ(Date("1705521304281"), "2024-01-17");
  EXPECT_EQ(Date("1705449600000"), "2024-01-17");  // 2024-01-17T00:00:00Z exactly
  EXPECT_EQ(Date("1705449599999"), "2024-01-16");  // one millisecond before
  EXPECT_EQ(Date("0"), "1970-01-01");
  EXPECT_EQ(Date("-1"), "1969-12-31");
  EXPECT_EQ(Date("-86400000"), "1969-12-31");
  EXPECT_EQ(Date("-86400001"), "1969-12-30");
}

TEST(ToBrevoDateTest, ConvertsOffsetsToTheUtcDay) {
  EXPECT_EQ(Date("2024-01-17T23:30:00-05:00"), "2024-01-18");
  EXPECT_EQ(Date("2024-01-17T23:30:00-0500"), "2024-01-18");
  EXPECT_EQ(Date("2024-01-18T01:00:00+02:00"), "2024-01-17");
  EXPECT_EQ(Date("2024-01-18T01:00:00+02"), "2024-01-17");
  EXPECT_EQ(Date("2024-01-18T05:00:00+02:00"), "2024-01-18");
  EXPECT_EQ(Date("2023-12-31T22:00:00-03:00"), "2024-01-01");  // across a year
  EXPECT_EQ(Date("2024-03-01T00:30:00+01:00"), "2024-02-29");  // back into a leap day
}

TEST(ToBrevoDateTest, LeapDays) {
  EXPECT_EQ(Date("2024-02-29"), "2024-02-29");
  EXPECT_EQ(Date("2000-02-29"), "2000-02-29");           // divisible by 400
  EXPECT_EQ(Date("1709164800000"), "2024-02-29");        // 2024-02-29T00:00:00Z in ms
  EXPECT_NE(DateError("2023-02-29").find("no day 29"), std::string::npos);
  EXPECT_NE(DateError("1900-02-29").find("no day 29"), std::string::npos);  // divisible by 100
}

TEST(ToBrevoDateTest, RefusesWhatIsNotADate) {
  const std::string e = DateError("2024-02-30");
  EXPECT_NE(e.find("\"2024-02-30\""), std::string::npos) << e;  // shows the value
  EXPECT_NE(e.find("2024-02 has no day 30"), std::string::npos) << e;  // and why
  EXPECT_NE(DateError("2024-13-01").find("month 13"), std::string::npos);
  EXPECT_NE(DateError("2024-00-10").find("month 0"), std::string::npos);
  EXPECT_NE(DateError("2024-04-31").find("no day 31"), std::string::npos);
  for (const char* bad : {"", "   ", "tomorrow", "17/01/2024", "2024-1-17", "2024-01-17T", "2024-01-17T25:00:00Z",
                          "2024-01-17T10:61Z", "2024-01-17T10:00:00+25:00", "2024-01-17X", "2024-01-17T10:00:00Q",
                          "2024-01-17T10:00:00.Z", "0000-01-01", "99999999999999999999", "-", "1.5e12"}) {
    DateError(bad);
  }
  EXPECT_NE(DateError("99999999999999999").find("out of range"), std::string::npos);
}

TEST(ToBrevoFloatTest, Numbers) {
  auto f = [](std::string_view v) {
    auto r = ToBrevoFloat(v);
    EXPECT_TRUE(r.ok()) << v << ": " << r.status().ToString();
    return r.ok() ? *r : -999.0;
  };
  EXPECT_DOUBLE_EQ(f("1234.5"), 1234.5);
  EXPECT_DOUBLE_EQ(f("-3"), -3);
  EXPECT_DOUBLE_EQ(f("+3"), 3);
  EXPECT_DOUBLE_EQ(f("1e3"), 1000);
  EXPECT_DOUBLE_EQ(f("0.5"), 0.5);
  EXPECT_DOUBLE_EQ(f(".5"), 0.5);
  EXPECT_DOUBLE_EQ(f(" 42 "), 42);
  EXPECT_DOUBLE_EQ(f("0"), 0);
}

TEST(ToBrevoFloatTest, RefusesNonNumbersWithTheValueAndWhy) {
  auto r = ToBrevoFloat("1,234");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("\"1,234\""), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("thousands"), std::string::npos) << r.status().message();
  for (const char* bad : {"NaN", "nan", "inf", "-inf", "Infinity", "1e400", "", "abc", "12abc", "0x10", "1.2.3",
                          "1 000", "€12", "--1", "+-1", "1e", "+"}) {
    EXPECT_FALSE(ToBrevoFloat(bad).ok()) << bad;
  }
  EXPECT_NE(ToBrevoFloat("1e400").status().message().find("out of range"), std::string::npos);
}

TEST(ToBrevoBooleanTest, AcceptedSpellings) {
  for (const char* t : {"true", "TRUE", "True", "yes", "YES", "1", " true "}) {
    auto r = ToBrevoBoolean(t);
    ASSERT_TRUE(r.ok()) << t;
    EXPECT_TRUE(*r) << t;
  }
  for (const char* f : {"false", "FALSE", "no", "No", "0"}) {
    auto r = ToBrevoBoolean(f);
    ASSERT_TRUE(r.ok()) << f;
    EXPECT_FALSE(*r) << f;
  }
  auto r = ToBrevoBoolean("maybe");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("\"maybe\""), std::string::npos);
  for (const char* bad : {"", "2", "t", "y", "truee", "oui"}) EXPECT_FALSE(ToBrevoBoolean(bad).ok()) << bad;
}

std::string Phone(std::string_view v, std::string_view country = "") {
  auto r = ToBrevoPhone(v, country);
  EXPECT_TRUE(r.ok()) << v << " / " << country << ": " << r.status().ToString();
  return r.ok() ? *r : "";
}

std::string PhoneError(std::string_view v, std::string_view country = "") {
  auto r = ToBrevoPhone(v, country);
  EXPECT_FALSE(r.ok()) << v << " / " << country << " was accepted as " << (r.ok() ? *r : "");
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST(ToBrevoPhoneTest, InternationalFormats) {
  EXPECT_EQ(Phone("+33 6 12 34 56 78"), "33612345678");
  EXPECT_EQ(Phone("+33612345678"), "33612345678");
  EXPECT_EQ(Phone("+33 (0)6 12 34 56 78"), "33612345678");
  EXPECT_EQ(Phone("0033612345678"), "33612345678");
  EXPECT_EQ(Phone("00 33 6 12 34 56 78"), "33612345678");
  EXPECT_EQ(Phone("0033612345678", "US"), "33612345678");  // 00 even where the prefix is 011
  EXPECT_EQ(Phone("+1 202-555-0143"), "12025550143");
  EXPECT_EQ(Phone("+1 (202) 555-0143 ext. 12"), "12025550143");  // extension dropped
  EXPECT_EQ(Phone("+44 20 7946 0958"), "442079460958");
  EXPECT_EQ(Phone("+49 30 901820"), "4930901820");
  EXPECT_EQ(Phone("+34 612 34 56 78"), "34612345678");
  EXPECT_EQ(Phone("+81 3-1234-5678"), "81312345678");
  EXPECT_EQ(Phone("+55 11 91234-5678"), "5511912345678");
  EXPECT_EQ(Phone("+91 98765 43210"), "919876543210");
  EXPECT_EQ(Phone("+61 2 9876 5432"), "61298765432");
  EXPECT_EQ(Phone("+7 912 345-67-89"), "79123456789");
  EXPECT_EQ(Phone("+86 138 0013 8000"), "8613800138000");
  // An international number is read as such whatever the default country.
  EXPECT_EQ(Phone("+44 20 7946 0958", "FR"), "442079460958");
}

TEST(ToBrevoPhoneTest, NationalFormatsNeedTheDefaultCountry) {
  EXPECT_EQ(Phone("06 12 34 56 78", "FR"), "33612345678");
  EXPECT_EQ(Phone("06.12.34.56.78", "fr"), "33612345678");  // any case
  EXPECT_EQ(Phone("(202) 555-0143", "US"), "12025550143");
  EXPECT_EQ(Phone("202.555.0143", "US"), "12025550143");
  EXPECT_EQ(Phone("1-202-555-0143", "US"), "12025550143");
  EXPECT_EQ(Phone("020 7946 0958", "GB"), "442079460958");
  EXPECT_EQ(Phone("030 901820", "DE"), "4930901820");
  EXPECT_EQ(Phone("612 34 56 78", "ES"), "34612345678");
  EXPECT_EQ(Phone("03-1234-5678", "JP"), "81312345678");

  const std::string e = PhoneError("06 12 34 56 78");
  EXPECT_NE(e.find("\"06 12 34 56 78\""), std::string::npos) << e;
  EXPECT_NE(e.find("no country code"), std::string::npos) << e;
  EXPECT_NE(e.find("default_country"), std::string::npos) << e;
  EXPECT_NE(PhoneError("(202) 555-0143").find("no country code"), std::string::npos);
}

TEST(ToBrevoPhoneTest, BrevosOwnDigitsOnlyFormRoundTrips) {
  EXPECT_EQ(Phone("33612345678"), "33612345678");
  EXPECT_EQ(Phone("33612345678", "US"), "33612345678");  // not a US number: read as +33...
  EXPECT_EQ(Phone("12025550143", "US"), "12025550143");
  EXPECT_EQ(Phone("0612345678", "FR"), "33612345678");
  PhoneError("2025550143");  // +20 ...: no such Egyptian number; not guessed as US
}

TEST(ToBrevoPhoneTest, RefusesNumbersThatCannotBeReached) {
  EXPECT_NE(PhoneError("+33 6 12").find("too short"), std::string::npos);
  EXPECT_NE(PhoneError("06 12", "FR").find("too short"), std::string::npos);
  EXPECT_NE(PhoneError("+33 6 12 34 56 78 90 12").find("too long"), std::string::npos);
  // A possible length is enough (number ranges change faster than libphonenumber's data).
  EXPECT_EQ(Phone("(555) 010-1234", "US"), "15550101234");
  // "011" is the US international prefix: what follows must then be a valid number.
  PhoneError("0118294276", "US");
  // +352 3454 is a valid Luxembourg number, but 7 digits: Brevo refuses such an SMS (and the
  // whole import row with it).
  EXPECT_NE(PhoneError("0113523454", "US").find("too short to receive SMS"), std::string::npos);
  const std::string e = PhoneError("07700 717512", "US");  // a UK number read as American
  EXPECT_NE(e.find("too long for +1 (US)"), std::string::npos) << e;
  EXPECT_NE(PhoneError("not a phone", "US").find("not a phone number"), std::string::npos);
  EXPECT_NE(PhoneError("+999 1234567").find("unknown country code"), std::string::npos);
  EXPECT_NE(PhoneError("06 12 34 56 78", "XX").find("default_country \"XX\""), std::string::npos);
  for (const char* bad : {"", "   ", "+", "0", "00", "+0612345678", "12"}) PhoneError(bad, "FR");
}

TEST(ToBrevoPhoneTest, LongValuesAreCutOnACharacterBoundaryInMessages) {
  // 59 ASCII bytes then "é" (2 bytes) straddling the 60-byte cut.
  const std::string value = std::string(59, '9') + "\xC3\xA9" + "zz";
  const std::string e = PhoneError(value, "FR");
  EXPECT_EQ(e.find("\xC3\""), std::string::npos) << "cut inside a UTF-8 character";
  EXPECT_NE(e.find("...\""), std::string::npos) << e;
}

}  // namespace
}  // namespace tajo::sync
