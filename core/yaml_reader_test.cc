#include "core/yaml_reader.h"

#include <gtest/gtest.h>

#include <array>

#include "core/redact.h"

namespace tajo {
namespace {

constexpr std::array<std::string_view, 4> kKeys = {"access_token", "enabled", "sync", "log_level"};

TEST(SuggestNameTest, FindsTyposTranspositionsCaseAndPrefixes) {
  EXPECT_EQ(SuggestName("acess_token", kKeys), "access_token");
  EXPECT_EQ(SuggestName("enabeld", kKeys), "enabled");  // a transposition counts as one edit
  EXPECT_EQ(SuggestName("Enabled", kKeys), "enabled");
  EXPECT_EQ(SuggestName("syncs", kKeys), "sync");
  EXPECT_EQ(SuggestName("log", kKeys), "log_level");  // prefix
  EXPECT_EQ(SuggestName("colour", kKeys), "");
  EXPECT_EQ(SuggestName("x", kKeys), "");
}

TEST(EditDistanceTest, Basics) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("ab", "ba"), 1u);
  EXPECT_EQ(EditDistance("ABC", "abc"), 0u);
}

TEST(QuoteForMessageTest, EscapesAndTruncates) {
  EXPECT_EQ(QuoteForMessage("maybe"), "\"maybe\"");
  EXPECT_EQ(QuoteForMessage("a\"b\\c\n"), "\"a\\\"b\\\\c\\x0a\"");
  EXPECT_EQ(QuoteForMessage(std::string(100, 'x')), "\"" + std::string(60, 'x') + "...\"");
}

TEST(YamlReaderTest, ReadsTypedValuesAndCollectsErrors) {
  const std::string text =
      "flag: yes\n"
      "count: 12\n"
      "name: \"${WHO:-world}\"\n"
      "url: https://example.test/\n"
      "color: gren\n";
  YamlReader r(text, "t.yaml", MapEnvironment({}), false);
  YAML::Node root = r.Parse();
  ASSERT_TRUE(r.ok());
  std::vector<YamlEntry> e = r.Entries(root, "");
  ASSERT_EQ(e.size(), 5u);
  EXPECT_FALSE(r.Bool(e[0]).has_value());
  EXPECT_EQ(r.PositiveInt(e[1]), 12);
  EXPECT_EQ(r.String(e[2]), "world");
  EXPECT_EQ(r.Url(e[3]), "https://example.test");
  constexpr std::array<std::string_view, 2> kColors = {"red", "green"};
  EXPECT_FALSE(r.OneOf(e[4], kColors).has_value());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.Reported("flag"));
  EXPECT_FALSE(r.Reported("count"));
  EXPECT_EQ(r.ToStatus().message(),
            "t.yaml:1:7: flag: expected a boolean (true/false), got \"yes\"\n"
            "t.yaml:5:8: color: expected one of red, green, got \"gren\"; did you mean 'green'?");
}

TEST(YamlReaderTest, NullValuesReadAsAbsent) {
  const std::string text = "a:\nb: ~\n";
  YamlReader r(text, "t.yaml", MapEnvironment({}), false);
  YAML::Node root = r.Parse();
  std::vector<YamlEntry> e = r.Entries(root, "");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_FALSE(r.String(e[0]).has_value());
  EXPECT_FALSE(r.Bool(e[1]).has_value());
  EXPECT_TRUE(r.ok());
}

TEST(YamlReaderTest, SecretRegistersOnlyWhenAsked) {
  ClearRegisteredSecrets();
  const std::string text = "k: yaml-reader-secret-1\n";
  {
    YamlReader r(text, "t.yaml", MapEnvironment({}), false);
    YAML::Node root = r.Parse();
    EXPECT_EQ(r.Secret(r.Entries(root, "")[0]), "yaml-reader-secret-1");
    EXPECT_EQ(Redact("yaml-reader-secret-1"), "yaml-reader-secret-1");
  }
  {
    YamlReader r(text, "t.yaml", MapEnvironment({}), true);
    YAML::Node root = r.Parse();
    EXPECT_EQ(r.Secret(r.Entries(root, "")[0]), "yaml-reader-secret-1");
    EXPECT_EQ(Redact("yaml-reader-secret-1"), kRedacted);
  }
  ClearRegisteredSecrets();
}

}  // namespace
}  // namespace tajo
