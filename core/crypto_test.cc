#include "core/crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace tajo {
namespace {

TEST(CryptoTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00\x01", 4)), "//4AAQ==");
  EXPECT_EQ(Base64Encode("user:pass word"), "dXNlcjpwYXNzIHdvcmQ=");
}

TEST(CryptoTest, Base64OfALargeInputHasNoLineBreaks) {
  std::string big(5'000'000, 'a');  // past one internal chunk
  std::string out = Base64Encode(big);
  EXPECT_EQ(out.size(), 4 * ((big.size() + 2) / 3));
  EXPECT_EQ(out.find('\n'), std::string::npos);
  EXPECT_EQ(out.substr(0, 8), "YWFhYWFh");
}

TEST(CryptoTest, Sha256AndHexMatchKnownDigests) {
  EXPECT_EQ(HexLower(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexLower(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexLower(std::string("\x01\xab\x00", 3)), "01ab00");
}

TEST(CryptoTest, HmacSha256MatchesRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HexLower(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // An empty key and message are valid.
  EXPECT_EQ(HexLower(HmacSha256("", "")), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

}  // namespace
TEST(CryptoTest, ConstantTimeEqualsComparesContentsAndLengths) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(CryptoTest, SecretEqualsMatchesOnlyTheSecret) {
  EXPECT_TRUE(SecretEquals("s3cr3t-token", "s3cr3t-token"));
  EXPECT_FALSE(SecretEquals("s3cr3t-tokeN", "s3cr3t-token"));
  EXPECT_FALSE(SecretEquals("s3cr3t", "s3cr3t-token"));  // a prefix is not the secret
  EXPECT_FALSE(SecretEquals("", "s3cr3t-token"));
  EXPECT_TRUE(SecretEquals("", ""));
}

}  // namespace tajo
