// SortedIndex, PropertyBag, NameTable and ObjectStore.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "sandbox/common/rng.h"
#include "sandbox/hubspot/object_store.h"
#include "sandbox/hubspot/property_bag.h"
#include "sandbox/hubspot/sorted_index.h"

namespace tajo::sandbox::hubspot {
namespace {

TEST(SortedIndexTest, MatchesStdSetUnderRandomInsertsAndErases) {
  SortedIndex<uint64_t> index;
  std::set<uint64_t> model;
  Rng rng(5);
  for (int i = 0; i < 20000; ++i) {
    uint64_t k = rng.Below(5000);
    if (rng.Chance(0.6)) {
      EXPECT_EQ(index.Insert(k), model.insert(k).second);
    } else {
      EXPECT_EQ(index.Erase(k), model.erase(k) == 1);
    }
  }
  ASSERT_EQ(index.size(), model.size());
  std::vector<uint64_t> walked;
  for (auto p = index.Begin(); !index.AtEnd(p); index.Next(p)) walked.push_back(index.Get(p));
  EXPECT_TRUE(std::equal(walked.begin(), walked.end(), model.begin(), model.end()));
  for (uint64_t probe : {0ull, 17ull, 2500ull, 4999ull, 6000ull}) {
    size_t expected_rank = static_cast<size_t>(std::distance(model.begin(), model.lower_bound(probe)));
    EXPECT_EQ(index.Rank(probe), expected_rank);
    auto p = index.AtRank(expected_rank);
    if (expected_rank < model.size()) EXPECT_EQ(index.Get(p), *model.lower_bound(probe));
    else EXPECT_TRUE(index.AtEnd(p));
  }
  // Walk backwards from the end.
  auto p = index.AtRank(index.size() - 1);
  size_t n = 1;
  while (index.Prev(p)) ++n;
  EXPECT_EQ(n, model.size());
}

TEST(SortedIndexTest, UpperBoundAndPairs) {
  SortedIndex<std::pair<int64_t, uint64_t>> index;
  for (uint64_t id = 1; id <= 3000; ++id) index.Insert({static_cast<int64_t>(id / 10), id});
  auto lo = index.LowerBound({5, 0});
  auto hi = index.UpperBound({7, UINT64_MAX});
  EXPECT_EQ(index.RankOf(hi) - index.RankOf(lo), 30u);  // 50..79
  EXPECT_EQ(index.Get(lo).second, 50u);
  EXPECT_TRUE(index.Contains({299, 2999}));
  EXPECT_FALSE(index.Contains({299, 2}));
}

TEST(PropertyBagTest, SetGetEraseAndChangeDetection) {
  PropertyBag bag;
  EXPECT_FALSE(bag.Get(3));
  EXPECT_TRUE(bag.Set(3, "hello"));
  EXPECT_FALSE(bag.Set(3, "hello"));  // unchanged
  EXPECT_TRUE(bag.Set(400, std::string(300, 'x')));  // multi-byte varint length
  EXPECT_TRUE(bag.Set(3, "héllo wörld"));
  EXPECT_EQ(*bag.Get(3), "héllo wörld");
  EXPECT_EQ(bag.Get(400)->size(), 300u);
  EXPECT_EQ(bag.count(), 2u);
  EXPECT_TRUE(bag.Set(3, ""));  // empty clears
  EXPECT_FALSE(bag.Has(3));
  EXPECT_FALSE(bag.Erase(3));
  EXPECT_EQ(bag.count(), 1u);
}

TEST(NameTableTest, InternsOnce) {
  NameTable t;
  PropId a = t.Intern("email");
  EXPECT_EQ(t.Intern("email"), a);
  EXPECT_NE(t.Intern("firstname"), a);
  EXPECT_EQ(t.Name(a), "email");
  EXPECT_FALSE(t.Find("nope"));
}

TEST(ObjectStoreTest, ArchiveRestoreTouchAndKeys) {
  ObjectStore s;
  for (uint64_t id = 1; id <= 5; ++id) s.Insert(Record{id, 100, static_cast<int64_t>(100 + id), 0, {}});
  EXPECT_EQ(s.live_count(), 5u);
  s.Touch(*s.Live(2), 500);
  EXPECT_EQ(s.by_modified().Get(s.by_modified().AtRank(4)).second, 2u);
  EXPECT_TRUE(s.Archive(3, 600));
  EXPECT_FALSE(s.Live(3));
  EXPECT_EQ(s.Archived(3)->archived_ms, 600);
  EXPECT_EQ(s.ids().size(), 4u);
  EXPECT_EQ(s.archived_ids().size(), 1u);
  EXPECT_TRUE(s.Restore(3, 700));
  EXPECT_EQ(s.Live(3)->updated_ms, 700);
  EXPECT_TRUE(s.Purge(3));
  EXPECT_FALSE(s.Purge(3));
  s.AddKey(0, "a@b.com", 1);
  s.AddKey(0, "a@b.com", 1);  // idempotent
  EXPECT_EQ(s.KeyCandidates(0, "a@b.com"), std::vector<uint64_t>{1});
  s.RemoveKey(0, "a@b.com", 1);
  EXPECT_TRUE(s.KeyCandidates(0, "a@b.com").empty());
  EXPECT_GT(s.MemoryBytes(), 0u);
}

}  // namespace
}  // namespace tajo::sandbox::hubspot
