#include "sandbox/common/seed_contacts.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace tajo::sandbox {
namespace {

std::vector<SeedContact> All(const SeedContactsShape& shape) {
  SeedContactSequence seq(shape);
  std::vector<SeedContact> out;
  while (!seq.done()) out.push_back(seq.Next());
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(SeedContactSequenceTest, SameShapeSameSequenceOtherSeedOtherSequence) {
  SeedContactsShape shape{7, 300, 20, 0.05, 0.03};
  std::vector<SeedContact> a = All(shape), b = All(shape);
  shape.seed_number = 8;
  std::vector<SeedContact> c = All(shape);
  ASSERT_EQ(a.size(), 300u);
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].email, b[i].email);
    EXPECT_EQ(a[i].person.first_name, b[i].person.first_name);
    EXPECT_EQ(a[i].company, b[i].company);
    differ += a[i].email != c[i].email ? 1 : 0;
  }
  EXPECT_GT(differ, 250);
  EXPECT_EQ(SeedContactSequence(shape).companies().size(), 20u);
}

TEST(SeedContactSequenceTest, EmailsAreUniqueSomeMissingSomeOnCompanyDomains) {
  SeedContactsShape shape{3, 2000, 50, 0.05, 0.05};
  SeedContactSequence seq(shape);
  std::set<std::string> domains;
  for (const FakeCompany& c : seq.companies()) domains.insert(AsciiSlug(c.name) + ".example");
  std::set<std::string> seen;
  int missing = 0, on_company = 0, capitalised = 0, repeated_person = 0;
  std::string previous_name;
  while (!seq.done()) {
    EXPECT_EQ(seq.index(), static_cast<int64_t>(seen.size() + static_cast<size_t>(missing)));
    SeedContact c = seq.Next();
    EXPECT_GE(c.company, -1);
    EXPECT_LT(c.company, 50);
    std::string name = c.person.first_name + " " + c.person.last_name;
    repeated_person += name == previous_name ? 1 : 0;
    previous_name = name;
    if (c.email.empty()) {
      ++missing;
      continue;
    }
    capitalised += std::isupper(static_cast<unsigned char>(c.email[0])) ? 1 : 0;
    EXPECT_TRUE(seen.insert(Lower(c.email)).second) << "duplicate address " << c.email;
    std::string domain = c.email.substr(c.email.find('@') + 1);
    if (domains.count(domain)) ++on_company;
  }
  EXPECT_GT(missing, 50);
  EXPECT_LT(missing, 170);
  EXPECT_GT(on_company, 300);
  EXPECT_GT(capitalised, 10);
  EXPECT_GT(repeated_person, 50);
}

TEST(SeedContactSequenceTest, NoCompaniesAndNegativeCountsAreEmpty) {
  SeedContactsShape shape{1, -5, -2, 0.0, 0.0};
  SeedContactSequence seq(shape);
  EXPECT_TRUE(seq.done());
  EXPECT_TRUE(seq.companies().empty());
  shape.contacts = 10;
  shape.companies = 0;
  for (const SeedContact& c : All(shape)) {
    EXPECT_EQ(c.company, -1);
    EXPECT_FALSE(c.email.empty());
  }
}

}  // namespace
}  // namespace tajo::sandbox
