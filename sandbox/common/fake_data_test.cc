#include "sandbox/common/fake_data.h"

#include <set>

#include <gtest/gtest.h>

namespace tajo::sandbox {
namespace {

bool IsAscii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

TEST(FakeDataTest, SameSeedSameData) {
  Rng a(42), b(42);
  for (int i = 0; i < 200; ++i) {
    FakePerson pa = MakePerson(a), pb = MakePerson(b);
    EXPECT_EQ(pa.first_name, pb.first_name);
    EXPECT_EQ(pa.phone, pb.phone);
    EXPECT_EQ(MakeEmail(a, pa), MakeEmail(b, pb));
    EXPECT_EQ(MakeCompany(a).domain, MakeCompany(b).domain);
  }
}

TEST(FakeDataTest, VarietyOfScriptsFormatsAndAsciiEmails) {
  Rng rng(1);
  bool non_latin = false, accented = false;
  std::set<std::string> countries;
  for (int i = 0; i < 2000; ++i) {
    FakePerson p = MakePerson(rng);
    countries.insert(p.country);
    if (p.country == "RU" || p.country == "JP" || p.country == "CN" || p.country == "SA") non_latin = true;
    if (!IsAscii(p.first_name) && (p.country == "FR" || p.country == "PL")) accented = true;
    std::string email = MakeEmail(rng, p);
    EXPECT_TRUE(IsAscii(email)) << email;
    EXPECT_NE(email.find('@'), std::string::npos);
    EXPECT_NE(email.front(), '@') << email;
    EXPECT_FALSE(p.phone.empty());
  }
  EXPECT_TRUE(non_latin);
  EXPECT_TRUE(accented);
  EXPECT_GE(countries.size(), 15u);
}

TEST(FakeDataTest, CompaniesHaveAsciiDomainsAndSizes) {
  Rng rng(3);
  for (int i = 0; i < 500; ++i) {
    FakeCompany c = MakeCompany(rng);
    EXPECT_FALSE(c.name.empty());
    EXPECT_TRUE(IsAscii(c.domain)) << c.domain;
    EXPECT_NE(c.domain.find('.'), std::string::npos);
    EXPECT_GE(c.employees, 1);
    EXPECT_LE(c.employees, 50'000);
    EXPECT_GT(c.annual_revenue, 0);
    EXPECT_FALSE(c.industry.empty());
  }
}

TEST(FakeDataTest, AsciiSlugTransliteratesAndDrops) {
  EXPECT_EQ(AsciiSlug("Dupré Conseil"), "dupreconseil");
  EXPECT_EQ(AsciiSlug("Łukasz Wójcik"), "lukaszwojcik");
  EXPECT_EQ(AsciiSlug("Müller & Groß"), "muellergross");
  EXPECT_EQ(AsciiSlug("佐藤"), "");
}

TEST(FakeDataTest, PhonesFollowCountryFormats) {
  Rng rng(9);
  for (int i = 0; i < 50; ++i) {
    std::string fr = MakePhone(rng, "FR");
    EXPECT_TRUE(fr.starts_with("0") || fr.starts_with("+33")) << fr;
    std::string jp = MakePhone(rng, "JP");
    EXPECT_TRUE(jp.starts_with("0") || jp.starts_with("+81")) << jp;
    EXPECT_TRUE(MakePhone(rng, "ZZ").starts_with("+"));
  }
}

}  // namespace
}  // namespace tajo::sandbox
