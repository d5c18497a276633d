#include "sandbox/brevo/import.h"

#include <gtest/gtest.h>

namespace tajo::sandbox::brevo {
namespace {

using nlohmann::json;

TEST(CsvImportTest, ReadsSemicolonSeparatedQuotedCells) {
  auto rows = ParseCsvRows("\xEF\xBB\xBF" "email;firstname;LASTNAME;SMS\r\n"
                           "\"ana@example.com\";\"Ana \"\"Nina\"\"\";Lima;+351912345678\r\n"
                           "\n"
                           "bo@example.com;\"Bo; Jr\";;\n"
                           "\"multi\nline@example.com\";x\n");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0]["email"], "ana@example.com");
  EXPECT_EQ((*rows)[0]["attributes"]["FIRSTNAME"], "Ana \"Nina\"");
  EXPECT_EQ((*rows)[0]["attributes"]["SMS"], "+351912345678");
  EXPECT_EQ((*rows)[1]["attributes"]["FIRSTNAME"], "Bo; Jr");
  EXPECT_EQ((*rows)[1]["attributes"]["LASTNAME"], "");  // empty cells stay (emptyContactsAttributes decides)
  EXPECT_EQ((*rows)[2]["email"], "multi\nline@example.com");
}

TEST(CsvImportTest, RejectsBrokenFilesNamingTheLine) {
  auto extra = ParseCsvRows("EMAIL;NAME\na@x.com;b;c\n");
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.error().message.find("line 2"), std::string::npos);
  auto quote = ParseCsvRows("EMAIL\n\"a@x.com\n");
  ASSERT_FALSE(quote.ok());
  EXPECT_NE(quote.error().message.find("unterminated"), std::string::npos);
  EXPECT_FALSE(ParseCsvRows("").ok());
}

TEST(ImportRequestTest, ChecksSourcesListsSizeAndFlags) {
  auto ok = ParseImportRequest({{"jsonBody", {{{"email", "a@x.com"}, {"attributes", {{"FIRSTNAME", "A"}}}}}},
                                {"listIds", {3}},
                                {"updateExistingContacts", false},
                                {"emptyContactsAttributes", true},
                                {"notifyUrl", "http://127.0.0.1/done"}});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->job.rows.size(), 1u);
  EXPECT_FALSE(ok->job.update_existing);
  EXPECT_FALSE(ok->job.empty_attributes);  // only with updateExistingContacts
  EXPECT_EQ(ok->notify_url, "http://127.0.0.1/done");
  auto new_list = ParseImportRequest({{"fileBody", "EMAIL\na@x.com"}, {"newList", {{"listName", "N"}, {"folderId", 2}}}});
  ASSERT_TRUE(new_list.ok());
  EXPECT_EQ(new_list->new_list->first, "N");
  EXPECT_FALSE(ParseImportRequest({{"fileBody", "EMAIL\na@x.com"}, {"newList", {{"listName", "N"}}}}).ok());
  EXPECT_FALSE(ParseImportRequest({{"fileBody", "EMAIL\na@x.com"}}).ok());
  EXPECT_FALSE(ParseImportRequest({{"listIds", {1}}}).ok());
  EXPECT_FALSE(ParseImportRequest({{"fileUrl", "https://x/f.csv"}, {"listIds", {1}}}).ok());
  EXPECT_FALSE(ParseImportRequest({{"jsonBody", "nope"}, {"listIds", {1}}}).ok());
  EXPECT_FALSE(ParseImportRequest({{"fileBody", "EMAIL\na@x.com"}, {"listIds", {1}}, {"emailBlacklist", "yes"}}).ok());
  std::string big(kImportMaxBytes + 1, 'a');
  auto too_big = ParseImportRequest({{"fileBody", big}, {"listIds", {1}}});
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.error().message.find("10 MB"), std::string::npos);
}

}  // namespace
}  // namespace tajo::sandbox::brevo
