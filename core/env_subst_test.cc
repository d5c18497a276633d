#include "core/env_subst.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace tajo {
namespace {

const EnvLookup kEnv = MapEnvironment({{"HOME_DIR", "/home/t"}, {"EMPTY", ""}, {"N", "42"}});

TEST(ExpandEnvTest, ReplacesVariables) {
  EnvExpansion x = ExpandEnv("dir=${HOME_DIR}/x, n=${N}", kEnv);
  EXPECT_TRUE(x.ok());
  EXPECT_TRUE(x.used_variables);
  EXPECT_EQ(x.text, "dir=/home/t/x, n=42");
}

TEST(ExpandEnvTest, PlainTextIsUntouched) {
  EnvExpansion x = ExpandEnv("no references: $HOME, a$b, 100$, {x}", kEnv);
  EXPECT_TRUE(x.ok());
  EXPECT_FALSE(x.used_variables);
  EXPECT_EQ(x.text, "no references: $HOME, a$b, 100$, {x}");
}

TEST(ExpandEnvTest, DefaultAppliesWhenUnsetOrEmpty) {
  EXPECT_EQ(ExpandEnv("${MISSING:-fallback}", kEnv).text, "fallback");
  EXPECT_EQ(ExpandEnv("${EMPTY:-fallback}", kEnv).text, "fallback");
  EXPECT_EQ(ExpandEnv("${N:-fallback}", kEnv).text, "42");
  EXPECT_EQ(ExpandEnv("${MISSING:-}", kEnv).text, "");
  EXPECT_EQ(ExpandEnv("${MISSING:-a:-b $x}", kEnv).text, "a:-b $x");  // literal up to '}'
  EXPECT_TRUE(ExpandEnv("${MISSING:-x}", kEnv).ok());
}

TEST(ExpandEnvTest, EmptyButSetWithoutDefaultIsEmpty) {
  EnvExpansion x = ExpandEnv("[${EMPTY}]", kEnv);
  EXPECT_TRUE(x.ok());
  EXPECT_EQ(x.text, "[]");
}

TEST(ExpandEnvTest, DoubleDollarEscapes) {
  EXPECT_EQ(ExpandEnv("$$", kEnv).text, "$");
  EXPECT_EQ(ExpandEnv("$${N}", kEnv).text, "${N}");
  EXPECT_EQ(ExpandEnv("$$$${N}", kEnv).text, "$${N}");
  EXPECT_EQ(ExpandEnv("$$${N}", kEnv).text, "$42");
  EXPECT_FALSE(ExpandEnv("$${N}", kEnv).used_variables);
}

TEST(ExpandEnvTest, MissingVariableIsAProblemNamingIt) {
  EnvExpansion x = ExpandEnv("a ${ONE} b ${N} c ${TWO:-2} d ${THREE}", kEnv);
  ASSERT_EQ(x.problems.size(), 2u);
  EXPECT_EQ(x.problems[0].offset, 2u);
  EXPECT_EQ(x.problems[0].variable, "ONE");
  EXPECT_EQ(x.problems[0].token, "${ONE}");
  EXPECT_EQ(x.problems[0].message, "environment variable ONE is not set (set it, or write ${ONE:-default})");
  EXPECT_EQ(x.problems[1].offset, 30u);
  EXPECT_EQ(x.problems[1].variable, "THREE");
  EXPECT_EQ(x.text, "a  b 42 c 2 d ");  // the rest is still expanded
}

TEST(ExpandEnvTest, MalformedReferences) {
  EnvExpansion x = ExpandEnv("x ${NOT CLOSED", kEnv);
  ASSERT_EQ(x.problems.size(), 1u);
  EXPECT_EQ(x.problems[0].offset, 2u);
  EXPECT_EQ(x.problems[0].message, "'${' without a closing '}' (write '$$' for a literal '$')");
  for (const char* bad : {"${}", "${1ABC}", "${A-B}", "${A B}", "${:-x}", "${A:x}"}) {
    EnvExpansion y = ExpandEnv(bad, kEnv);
    ASSERT_EQ(y.problems.size(), 1u) << bad;
    EXPECT_NE(y.problems[0].message.find("is not a valid reference"), std::string::npos) << bad;
  }
}

TEST(ExpandEnvTest, NullLookupMeansEmptyEnvironment) {
  EXPECT_EQ(ExpandEnv("${A:-d}", EnvLookup()).text, "d");
  EXPECT_FALSE(ExpandEnv("${A}", EnvLookup()).ok());
}

TEST(ExpandEnvTest, EscapeForEnvRoundTrips) {
  for (const char* s : {"", "plain", "$", "$$", "${N}", "a$b$${c}$"}) {
    EnvExpansion x = ExpandEnv(EscapeForEnv(s), kEnv);
    EXPECT_TRUE(x.ok());
    EXPECT_EQ(x.text, s);
  }
}

TEST(ProcessEnvironmentTest, ReadsGetenv) {
  ASSERT_EQ(::setenv("TAJO_ENV_SUBST_TEST_VAR", "v1", 1), 0);
  EnvLookup env = ProcessEnvironment();
  EXPECT_EQ(env("TAJO_ENV_SUBST_TEST_VAR"), "v1");
  ::unsetenv("TAJO_ENV_SUBST_TEST_VAR");
  EXPECT_EQ(env("TAJO_ENV_SUBST_TEST_VAR"), std::nullopt);
}

}  // namespace
}  // namespace tajo
