// SortedIndex<K>: an ordered set with rank queries, built for paging through a million records.
//
// Keys live in sorted blocks of at most kMaxBlock entries (a two-level "sorted list"), so:
//   insert / erase            O(log n + kMaxBlock + n / kMaxBlock)
//   lower_bound               O(log n)
//   rank of a key, key at rank O(n / kMaxBlock)  (a sum over block sizes: ~2,000 adds at 1M)
//   step to the next key      O(1)
// and each key costs sizeof(K) plus a little slack, far less than a node-based std::set. Rank
// queries are what let a search page at offset 9,800 and its `total` cost time in proportion to
// the page, not to the portal.
//
// Not thread-safe: the owner guards it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace tajo::sandbox::hubspot {

template <typename K>
class SortedIndex {
 public:
  static constexpr size_t kMaxBlock = 512;

  // A position: block and offset. `block == blocks.size()` is the end.
  struct Pos {
    size_t block = 0;
    size_t offset = 0;
    bool operator==(const Pos&) const = default;
  };

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() {
    blocks_.clear();
    size_ = 0;
  }

  // Inserts `key`; returns false (and changes nothing) when it is already present.
  bool Insert(const K& key) {
    if (blocks_.empty()) {
      blocks_.push_back({key});
      size_ = 1;
      return true;
    }
    size_t b = BlockFor(key);
    auto& block = blocks_[b];
    auto it = std::lower_bound(block.begin(), block.end(), key);
    if (it != block.end() && !(key < *it)) return false;
    block.insert(it, key);
    ++size_;
    if (block.size() > 2 * kMaxBlock) {
      std::vector<K> upper(block.begin() + static_cast<std::ptrdiff_t>(kMaxBlock), block.end());
      block.resize(kMaxBlock);
      block.shrink_to_fit();
      blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(b) + 1, std::move(upper));
    }
    return true;
  }

  // Removes `key`; returns false when it was absent.
  bool Erase(const K& key) {
    if (blocks_.empty()) return false;
    size_t b = BlockFor(key);
    auto& block = blocks_[b];
    auto it = std::lower_bound(block.begin(), block.end(), key);
    if (it == block.end() || key < *it) return false;
    block.erase(it);
    --size_;
    if (block.empty()) blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(b));
    return true;
  }

  bool Contains(const K& key) const {
    Pos p = LowerBound(key);
    return p.block < blocks_.size() && !(key < Get(p));
  }

  Pos Begin() const { return Pos{0, 0}; }
  Pos End() const { return Pos{blocks_.size(), 0}; }
  bool AtEnd(const Pos& p) const { return p.block >= blocks_.size(); }
  // REQUIRES: !AtEnd(p).
  const K& Get(const Pos& p) const { return blocks_[p.block][p.offset]; }
  // REQUIRES: !AtEnd(p).
  void Next(Pos& p) const {
    if (++p.offset >= blocks_[p.block].size()) {
      ++p.block;
      p.offset = 0;
    }
  }
  // Moves to the previous key; returns false (p unchanged) at the first key.
  bool Prev(Pos& p) const {
    if (p.offset > 0) {
      --p.offset;
      return true;
    }
    if (p.block == 0) return false;
    --p.block;
    p.offset = blocks_[p.block].size() - 1;
    return true;
  }

  // First key >= `key`.
  Pos LowerBound(const K& key) const {
    if (blocks_.empty()) return End();
    size_t b = BlockFor(key);
    const auto& block = blocks_[b];
    auto it = std::lower_bound(block.begin(), block.end(), key);
    Pos p{b, static_cast<size_t>(it - block.begin())};
    if (p.offset >= block.size()) p = Pos{b + 1, 0};
    return p;
  }
  // First key > `key`.
  Pos UpperBound(const K& key) const {
    Pos p = LowerBound(key);
    if (!AtEnd(p) && !(key < Get(p))) Next(p);
    return p;
  }

  // Number of keys before position `p`.
  size_t RankOf(const Pos& p) const {
    size_t r = 0;
    for (size_t b = 0; b < p.block && b < blocks_.size(); ++b) r += blocks_[b].size();
    return r + (p.block < blocks_.size() ? p.offset : 0);
  }
  // Number of keys < `key`.
  size_t Rank(const K& key) const { return RankOf(LowerBound(key)); }
  // Position of the key with rank `r` (End() when r >= size()).
  Pos AtRank(size_t r) const {
    if (r >= size_) return End();
    for (size_t b = 0; b < blocks_.size(); ++b) {
      if (r < blocks_[b].size()) return Pos{b, r};
      r -= blocks_[b].size();
    }
    return End();
  }

  // Approximate heap bytes used (for memory reports).
  size_t MemoryBytes() const {
    size_t n = blocks_.capacity() * sizeof(std::vector<K>);
    for (const auto& b : blocks_) n += b.capacity() * sizeof(K);
    return n;
  }

 private:
  // The block that holds `key` or would: the first block whose last key is >= key, else the last.
  size_t BlockFor(const K& key) const {
    size_t lo = 0, hi = blocks_.size();
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (blocks_[mid].back() < key) lo = mid + 1;
      else hi = mid;
    }
    return lo < blocks_.size() ? lo : blocks_.size() - 1;
  }

  std::vector<std::vector<K>> blocks_;
  size_t size_ = 0;
};

}  // namespace tajo::sandbox::hubspot
