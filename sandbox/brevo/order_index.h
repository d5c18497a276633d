// OrderIndex: a set of contact ids kept in id order (= creation order: ids grow with createdAt)
// together with each contact's modifiedAt, built so that a page of GET /contacts costs time in
// proportion to the page, not to the account, even with a modifiedSince filter.
//
// Entries live in blocks of at most 2 * kBlock ids (sorted). Each block also keeps its modifiedAt
// values sorted, so "how many entries of this block were modified after T" is one binary search.
// Hence, with n entries and b = n / kBlock blocks:
//   insert / erase / touch     O(log b + kBlock)
//   count (with or without T)  O(b log kBlock)          (~2,000 binary searches at 1,000,000)
//   a page at any offset       O(b log kBlock + kBlock + page)   when matches are dense; a sparse
//                              filter scans the blocks that hold the page's matches
// Every account-wide list and every contact list has one.
//
// Not thread-safe: the Account guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace tajo::sandbox::brevo {

class OrderIndex {
 public:
  static constexpr size_t kBlock = 512;

  struct Query {
    int64_t min_id = 0;                        // only ids >= min_id (createdSince, mapped to an id)
    std::optional<int64_t> modified_after;     // only entries with modified > T (>= when inclusive)
    bool modified_inclusive = false;
    bool descending = true;                    // newest first
    size_t offset = 0;
    size_t limit = 50;
  };
  struct Page {
    std::vector<int64_t> ids;
    size_t total = 0;  // entries matching the filters, whatever offset/limit
  };

  size_t size() const { return size_; }
  bool Contains(int64_t id) const;
  // Adds `id` with `modified`; false (nothing changed) when already present.
  bool Insert(int64_t id, int64_t modified);
  // Removes `id`; false when absent.
  bool Erase(int64_t id);
  // Changes the modifiedAt of `id`; false when absent.
  bool Touch(int64_t id, int64_t modified);
  void Clear();

  Page Select(const Query& query) const;
  // Every id in order (ascending), for full scans.
  template <typename F>
  void ForEach(F&& f) const {
    for (const Block& b : blocks_)
      for (size_t i = 0; i < b.ids.size(); ++i) f(b.ids[i], b.modified[i]);
  }
  size_t MemoryBytes() const;

 private:
  struct Block {
    std::vector<int64_t> ids;            // ascending
    std::vector<int64_t> modified;       // parallel to ids
    std::vector<int64_t> modified_sorted;
  };
  size_t BlockFor(int64_t id) const;  // the block that holds `id` or would; REQUIRES !blocks_.empty()
  void Split(size_t b);
  // Entries of block b, from index `from`, that pass the modified filter.
  size_t CountIn(const Block& block, size_t from, const Query& q) const;
  bool Passes(int64_t modified, const Query& q) const;

  std::vector<Block> blocks_;
  size_t size_ = 0;
};

}  // namespace tajo::sandbox::brevo
