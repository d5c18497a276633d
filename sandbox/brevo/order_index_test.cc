#include "sandbox/brevo/order_index.h"

#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "sandbox/common/rng.h"

namespace tajo::sandbox::brevo {
namespace {

// The straightforward answer, to compare the index with.
OrderIndex::Page Naive(const std::map<int64_t, int64_t>& entries, const OrderIndex::Query& q) {
  std::vector<int64_t> matched;
  for (const auto& [id, modified] : entries) {
    if (id < q.min_id) continue;
    if (q.modified_after && (q.modified_inclusive ? modified < *q.modified_after : modified <= *q.modified_after)) continue;
    matched.push_back(id);
  }
  if (q.descending) std::reverse(matched.begin(), matched.end());
  OrderIndex::Page page;
  page.total = matched.size();
  for (size_t i = q.offset; i < matched.size() && page.ids.size() < q.limit; ++i) page.ids.push_back(matched[i]);
  return page;
}

TEST(OrderIndexTest, AppendsFillWholeBlocksAndPagesBothWays) {
  OrderIndex index;
  for (int64_t id = 1; id <= 5000; ++id) ASSERT_TRUE(index.Insert(id, id * 10));
  EXPECT_FALSE(index.Insert(7, 1));
  EXPECT_EQ(index.size(), 5000u);
  OrderIndex::Query q;
  q.limit = 3;
  auto page = index.Select(q);
  EXPECT_EQ(page.total, 5000u);
  EXPECT_EQ(page.ids, (std::vector<int64_t>{5000, 4999, 4998}));
  q.descending = false;
  q.offset = 4998;
  page = index.Select(q);
  EXPECT_EQ(page.ids, (std::vector<int64_t>{4999, 5000}));
  q.offset = 5000;
  EXPECT_TRUE(index.Select(q).ids.empty());
}

TEST(OrderIndexTest, MatchesANaiveModelUnderRandomChanges) {
  OrderIndex index;
  std::map<int64_t, int64_t> model;
  Rng rng(42);
  for (int step = 0; step < 20000; ++step) {
    int64_t id = static_cast<int64_t>(rng.Below(4000)) + 1;
    int64_t modified = static_cast<int64_t>(rng.Below(1000));
    switch (rng.Below(4)) {
      case 0:
      case 1:
        EXPECT_EQ(index.Insert(id, modified), model.emplace(id, modified).second);
        break;
      case 2:
        EXPECT_EQ(index.Erase(id), model.erase(id) == 1);
        break;
      default:
        if (model.count(id)) model[id] = modified;
        EXPECT_EQ(index.Touch(id, modified), model.count(id) == 1);
        break;
    }
  }
  ASSERT_EQ(index.size(), model.size());
  for (int trial = 0; trial < 300; ++trial) {
    OrderIndex::Query q;
    q.min_id = rng.Chance(0.5) ? static_cast<int64_t>(rng.Below(4000)) : 0;
    if (rng.Chance(0.6)) q.modified_after = static_cast<int64_t>(rng.Below(1000));
    q.modified_inclusive = rng.Chance(0.5);
    q.descending = rng.Chance(0.5);
    q.offset = rng.Below(model.size() + 10);
    q.limit = rng.Below(1200);
    auto got = index.Select(q);
    auto want = Naive(model, q);
    ASSERT_EQ(got.total, want.total) << "trial " << trial;
    ASSERT_EQ(got.ids, want.ids) << "trial " << trial;
  }
}

TEST(OrderIndexTest, ModifiedSinceIsStrictUnlessInclusive) {
  OrderIndex index;
  index.Insert(1, 100);
  index.Insert(2, 200);
  index.Insert(3, 300);
  OrderIndex::Query q;
  q.modified_after = 200;
  EXPECT_EQ(index.Select(q).ids, (std::vector<int64_t>{3}));
  q.modified_inclusive = true;
  EXPECT_EQ(index.Select(q).ids, (std::vector<int64_t>{3, 2}));
  index.Touch(1, 500);
  q.modified_inclusive = false;
  EXPECT_EQ(index.Select(q).ids, (std::vector<int64_t>{3, 1}));
}

}  // namespace
}  // namespace tajo::sandbox::brevo
