// ObjectStore: the records of one object type and the indexes that make a page cheap.
//
//   live records by id           list pages (`after` = the next id), search in creation order
//   live records by (updatedAt, id)  search sorted or range-filtered on the modification date
//   archived records by id       list with archived=true
//   unique keys                  email (and other unique-value properties) -> record id
//
// Unique keys are kept as 64-bit hashes of the lower-cased value; a lookup returns candidate
// ids and the caller checks the record (cheap, and half the memory of keeping the strings).
//
// Not thread-safe: the portal guards it.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sandbox/hubspot/property_bag.h"
#include "sandbox/hubspot/sorted_index.h"

namespace tajo::sandbox::hubspot {

struct Record {
  uint64_t id = 0;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  int64_t archived_ms = 0;  // set while archived
  PropertyBag props;
};

class ObjectStore {
 public:
  using ModKey = std::pair<int64_t, uint64_t>;  // (updated_ms, id)

  ObjectStore() = default;
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  Record* Live(uint64_t id);
  Record* Archived(uint64_t id);
  // Adds a live record. REQUIRES: no record with this id.
  Record& Insert(Record record);
  // Sets the record's updated_ms and re-indexes it. REQUIRES: `record` is live in this store.
  void Touch(Record& record, int64_t updated_ms);
  // Moves a live record to the archive (archived_ms = now, updated_ms = now). False if absent.
  bool Archive(uint64_t id, int64_t now_ms);
  // Moves an archived record back to the live set. False if absent.
  bool Restore(uint64_t id, int64_t now_ms);
  // Removes a record for good, live or archived. False if absent.
  bool Purge(uint64_t id);

  const SortedIndex<uint64_t>& ids() const { return live_ids_; }
  const SortedIndex<uint64_t>& archived_ids() const { return archived_ids_; }
  const SortedIndex<ModKey>& by_modified() const { return by_modified_; }
  size_t live_count() const { return live_.size(); }
  size_t archived_count() const { return archived_.size(); }

  // Unique keys: (property, lower-cased value) -> id. Values are hashed; see the header comment.
  void AddKey(PropId prop, std::string_view lower_value, uint64_t id);
  void RemoveKey(PropId prop, std::string_view lower_value, uint64_t id);
  // Ids that may hold (prop, lower_value); verify each against the record.
  std::vector<uint64_t> KeyCandidates(PropId prop, std::string_view lower_value) const;

  void Reserve(size_t records);
  // Records the live table holds before it rehashes.
  size_t capacity() const { return static_cast<size_t>(static_cast<float>(live_.bucket_count()) * live_.max_load_factor()); }
  void Clear();
  // Approximate heap bytes (records, property bags, indexes, keys).
  size_t MemoryBytes() const;

 private:
  static uint64_t KeyHash(PropId prop, std::string_view lower_value);
  std::unordered_map<uint64_t, Record> live_, archived_;
  SortedIndex<uint64_t> live_ids_, archived_ids_;
  SortedIndex<ModKey> by_modified_;
  std::unordered_multimap<uint64_t, uint64_t> keys_;
};

}  // namespace tajo::sandbox::hubspot
