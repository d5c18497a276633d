// Unit tests of the engine's small parts: PageQueue, ContactDiff, timestamps and the parsing of
// Brevo's batch errors.
#include <gtest/gtest.h>

#include <atomic>

#include "sync/contact_diff.h"
#include "sync/contact_writer.h"
#include "sync/page_queue.h"
#include "sync/timestamps.h"

namespace tajo::sync {
namespace {

TEST(PageQueue, DeliversEveryPageInOrderAndReadsAheadOnlyUpToItsCapacity) {
  std::atomic<int> fetched{0};
  PageQueue::Fetch fetch = [&](const std::string& after) -> Result<hubspot::ObjectPage> {
    ++fetched;
    const int n = after.empty() ? 0 : std::stoi(after);
    hubspot::ObjectPage p;
    p.results.push_back(hubspot::CrmObject{std::to_string(n), {}, "", "", false, "", {}});
    if (n < 9) p.after = std::to_string(n + 1);
    return p;
  };
  PageQueue q(fetch, "", 3);
  for (int i = 0; i < 10; ++i) {
    auto page = q.Next();
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->results.front().id, std::to_string(i));
    EXPECT_LE(fetched.load(), i + 1 + 3 + 1);  // consumed + capacity (+ the one in flight)
  }
  EXPECT_EQ(fetched.load(), 10);
}

TEST(PageQueue, AnErrorEndsTheQueue) {
  int calls = 0;
  PageQueue::Fetch fetch = [&](const std::string&) -> Result<hubspot::ObjectPage> {
    if (++calls == 2) return Status::Unavailable("GET /crm/v3/objects/contacts: HTTP 503");
    hubspot::ObjectPage p;
    p.after = "x";
    return p;
  };
  PageQueue q(fetch, "", 5);
  EXPECT_TRUE(q.Next().ok());
  auto second = q.Next();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
}

TEST(PageQueue, StopsReadingWhenDestroyedEarly) {
  std::atomic<int> fetched{0};
  {
    PageQueue q([&](const std::string&) -> Result<hubspot::ObjectPage> {
      ++fetched;
      hubspot::ObjectPage p;
      p.after = "more";
      return p;
    }, "", 2);
    EXPECT_TRUE(q.Next().ok());
  }
  EXPECT_LE(fetched.load(), 4);
}

TEST(ContactDiff, OnlyChangedAttributesAndManagedListMoves) {
  const nlohmann::json desired = {{"FIRSTNAME", "Anna"}, {"DEAL_VALUE", 3}, {"LASTNAME", "Li"}};
  const nlohmann::json current = {{"FIRSTNAME", "Ana"}, {"DEAL_VALUE", 3.0}, {"LASTNAME", "Li"}, {"OTHER", "x"}};
  ContactDiff d = DiffContact(desired, {10, 12}, current, {3, 10, 11}, {10, 11, 12});
  EXPECT_EQ(d.attributes, (nlohmann::json{{"FIRSTNAME", "Anna"}}));  // 3 == 3.0; OTHER untouched
  EXPECT_EQ(d.add_lists, (std::vector<int64_t>{12}));
  EXPECT_EQ(d.remove_lists, (std::vector<int64_t>{11}));  // 3 is not managed: kept
  EXPECT_EQ(d.Describe(current), "FIRSTNAME: \"Ana\" -> \"Anna\"; lists +12 -11");
  EXPECT_TRUE(DiffContact(desired, {10}, desired, {10}, {10}).empty());
}

TEST(ContactDiff, NumbersCompareByValue) {
  EXPECT_TRUE(SameAttributeValue(3, "3"));
  EXPECT_TRUE(SameAttributeValue(1234.5, "1234.5"));
  EXPECT_FALSE(SameAttributeValue(3, "3a"));
  EXPECT_FALSE(SameAttributeValue("a", "b"));
}

TEST(Timestamps, ReadsEveryFormHubSpotAndTheCliUse) {
  EXPECT_EQ(ParseTimestampMillis("1970-01-02").value(), 86'400'000);
  EXPECT_EQ(ParseTimestampMillis("2024-01-17T19:55:04.281Z").value(), 1705521304281);
  EXPECT_EQ(ParseTimestampMillis("2024-01-17T19:55:04Z").value(), 1705521304000);
  EXPECT_EQ(ParseTimestampMillis("2024-01-17T21:55:04.281+02:00").value(), 1705521304281);
  EXPECT_EQ(ParseTimestampMillis("1705521304281").value(), 1705521304281);
  for (const char* bad : {"", "yesterday", "2024-02-30", "2024-01-17T25:00:00Z", "2024-01-17T10:00:00+0200",
                          "2024-01-17T10:00:00.Z"}) {
    auto r = ParseTimestampMillis(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("is not a date"), std::string::npos);
  }
}

TEST(BrevoBatchErrors, IndexesAreReadFromTheMessages) {
  EXPECT_EQ(ParseMissingIndexes("POST /v3/contacts/batch: HTTP 404 document_not_found: No contact found for "
                                "indexes 3,4"),
            (std::vector<size_t>{3, 4}));
  EXPECT_TRUE(ParseMissingIndexes("HTTP 404: not found").empty());
  EXPECT_EQ(ParseRefusedIndex("HTTP 400 duplicate_parameter: contacts[12]: SMS is already associated"), 12u);
  EXPECT_FALSE(ParseRefusedIndex("HTTP 400: invalid").has_value());
  EXPECT_FALSE(ParseRefusedIndex("contacts[x]").has_value());
}

}  // namespace
}  // namespace tajo::sync
