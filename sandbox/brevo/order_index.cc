#include "sandbox/brevo/order_index.h"

#include <algorithm>

namespace tajo::sandbox::brevo {

size_t OrderIndex::BlockFor(int64_t id) const {
  // The first block whose last id is >= id, else the last block.
  size_t lo = 0, hi = blocks_.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (blocks_[mid].ids.back() < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < blocks_.size() ? lo : blocks_.size() - 1;
}

bool OrderIndex::Contains(int64_t id) const {
  if (blocks_.empty()) return false;
  const Block& b = blocks_[BlockFor(id)];
  return std::binary_search(b.ids.begin(), b.ids.end(), id);
}

bool OrderIndex::Insert(int64_t id, int64_t modified) {
  if (blocks_.empty()) {
    blocks_.push_back(Block{{id}, {modified}, {modified}});
    size_ = 1;
    return true;
  }
  size_t bi = BlockFor(id);
  Block& b = blocks_[bi];
  auto it = std::lower_bound(b.ids.begin(), b.ids.end(), id);
  if (it != b.ids.end() && *it == id) return false;
  size_t pos = static_cast<size_t>(it - b.ids.begin());
  b.ids.insert(it, id);
  b.modified.insert(b.modified.begin() + static_cast<std::ptrdiff_t>(pos), modified);
  b.modified_sorted.insert(std::upper_bound(b.modified_sorted.begin(), b.modified_sorted.end(), modified), modified);
  ++size_;
  // Appends (the usual case: new contacts have the largest id) start a fresh block when the last
  // one is full, so the account-wide index fills blocks completely; inserts elsewhere split.
  if (bi + 1 == blocks_.size() && pos + 1 == b.ids.size() && b.ids.size() > kBlock) {
    Block fresh;
    fresh.ids.push_back(b.ids.back());
    fresh.modified.push_back(b.modified.back());
    fresh.modified_sorted.push_back(b.modified.back());
    auto ms = std::lower_bound(b.modified_sorted.begin(), b.modified_sorted.end(), b.modified.back());
    b.modified_sorted.erase(ms);
    b.ids.pop_back();
    b.modified.pop_back();
    blocks_.push_back(std::move(fresh));
  } else if (b.ids.size() > 2 * kBlock) {
    Split(bi);
  }
  return true;
}

void OrderIndex::Split(size_t bi) {
  Block& b = blocks_[bi];
  Block upper;
  upper.ids.assign(b.ids.begin() + static_cast<std::ptrdiff_t>(kBlock), b.ids.end());
  upper.modified.assign(b.modified.begin() + static_cast<std::ptrdiff_t>(kBlock), b.modified.end());
  b.ids.resize(kBlock);
  b.modified.resize(kBlock);
  b.modified_sorted = b.modified;
  std::sort(b.modified_sorted.begin(), b.modified_sorted.end());
  upper.modified_sorted = upper.modified;
  std::sort(upper.modified_sorted.begin(), upper.modified_sorted.end());
  blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(bi) + 1, std::move(upper));
}

bool OrderIndex::Erase(int64_t id) {
  if (blocks_.empty()) return false;
  size_t bi = BlockFor(id);
  Block& b = blocks_[bi];
  auto it = std::lower_bound(b.ids.begin(), b.ids.end(), id);
  if (it == b.ids.end() || *it != id) return false;
  size_t pos = static_cast<size_t>(it - b.ids.begin());
  int64_t modified = b.modified[pos];
  b.ids.erase(it);
  b.modified.erase(b.modified.begin() + static_cast<std::ptrdiff_t>(pos));
  b.modified_sorted.erase(std::lower_bound(b.modified_sorted.begin(), b.modified_sorted.end(), modified));
  --size_;
  if (b.ids.empty()) blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(bi));
  return true;
}

bool OrderIndex::Touch(int64_t id, int64_t modified) {
  if (blocks_.empty()) return false;
  Block& b = blocks_[BlockFor(id)];
  auto it = std::lower_bound(b.ids.begin(), b.ids.end(), id);
  if (it == b.ids.end() || *it != id) return false;
  size_t pos = static_cast<size_t>(it - b.ids.begin());
  int64_t old = b.modified[pos];
  if (old == modified) return true;
  b.modified[pos] = modified;
  b.modified_sorted.erase(std::lower_bound(b.modified_sorted.begin(), b.modified_sorted.end(), old));
  b.modified_sorted.insert(std::upper_bound(b.modified_sorted.begin(), b.modified_sorted.end(), modified), modified);
  return true;
}

void OrderIndex::Clear() {
  blocks_.clear();
  size_ = 0;
}

bool OrderIndex::Passes(int64_t modified, const Query& q) const {
  if (!q.modified_after) return true;
  return q.modified_inclusive ? modified >= *q.modified_after : modified > *q.modified_after;
}

size_t OrderIndex::CountIn(const Block& block, size_t from, const Query& q) const {
  if (from >= block.ids.size()) return 0;
  if (!q.modified_after) return block.ids.size() - from;
  if (from == 0) {
    const auto& s = block.modified_sorted;
    auto it = q.modified_inclusive ? std::lower_bound(s.begin(), s.end(), *q.modified_after)
                                   : std::upper_bound(s.begin(), s.end(), *q.modified_after);
    return static_cast<size_t>(s.end() - it);
  }
  size_t n = 0;
  for (size_t i = from; i < block.ids.size(); ++i) n += Passes(block.modified[i], q) ? 1 : 0;
  return n;
}

OrderIndex::Page OrderIndex::Select(const Query& q) const {
  Page page;
  if (blocks_.empty()) return page;
  // First block and index with id >= min_id.
  size_t first_block = 0, first_index = 0;
  if (q.min_id > 0) {
    first_block = BlockFor(q.min_id);
    const auto& ids = blocks_[first_block].ids;
    first_index = static_cast<size_t>(std::lower_bound(ids.begin(), ids.end(), q.min_id) - ids.begin());
  }
  std::vector<size_t> counts(blocks_.size(), 0);
  for (size_t b = first_block; b < blocks_.size(); ++b) {
    counts[b] = CountIn(blocks_[b], b == first_block ? first_index : 0, q);
    page.total += counts[b];
  }
  if (q.limit == 0 || q.offset >= page.total) return page;
  size_t skip = q.offset;
  size_t want = std::min(q.limit, page.total - q.offset);
  page.ids.reserve(want);
  auto visit = [&](size_t b) {
    if (counts[b] == 0) return;
    if (skip >= counts[b]) {
      skip -= counts[b];
      return;
    }
    const Block& block = blocks_[b];
    size_t from = b == first_block ? first_index : 0;
    if (q.descending) {
      for (size_t i = block.ids.size(); i-- > from && page.ids.size() < want;) {
        if (!Passes(block.modified[i], q)) continue;
        if (skip > 0) --skip;
        else page.ids.push_back(block.ids[i]);
      }
    } else {
      for (size_t i = from; i < block.ids.size() && page.ids.size() < want; ++i) {
        if (!Passes(block.modified[i], q)) continue;
        if (skip > 0) --skip;
        else page.ids.push_back(block.ids[i]);
      }
    }
  };
  if (q.descending) {
    for (size_t b = blocks_.size(); b-- > first_block && page.ids.size() < want;) visit(b);
  } else {
    for (size_t b = first_block; b < blocks_.size() && page.ids.size() < want; ++b) visit(b);
  }
  return page;
}

size_t OrderIndex::MemoryBytes() const {
  size_t n = blocks_.capacity() * sizeof(Block);
  for (const Block& b : blocks_)
    n += (b.ids.capacity() + b.modified.capacity() + b.modified_sorted.capacity()) * sizeof(int64_t);
  return n;
}

}  // namespace tajo::sandbox::brevo
