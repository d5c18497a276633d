#include "sandbox/hubspot/object_store.h"

#include "sandbox/common/rng.h"

namespace tajo::sandbox::hubspot {

Record* ObjectStore::Live(uint64_t id) {
  auto it = live_.find(id);
  return it == live_.end() ? nullptr : &it->second;
}

Record* ObjectStore::Archived(uint64_t id) {
  auto it = archived_.find(id);
  return it == archived_.end() ? nullptr : &it->second;
}

Record& ObjectStore::Insert(Record record) {
  uint64_t id = record.id;
  live_ids_.Insert(id);
  by_modified_.Insert({record.updated_ms, id});
  return live_.emplace(id, std::move(record)).first->second;
}

void ObjectStore::Touch(Record& record, int64_t updated_ms) {
  if (record.updated_ms == updated_ms) return;
  by_modified_.Erase({record.updated_ms, record.id});
  record.updated_ms = updated_ms;
  by_modified_.Insert({record.updated_ms, record.id});
}

bool ObjectStore::Archive(uint64_t id, int64_t now_ms) {
  auto it = live_.find(id);
  if (it == live_.end()) return false;
  Record r = std::move(it->second);
  live_.erase(it);
  live_ids_.Erase(id);
  by_modified_.Erase({r.updated_ms, id});
  r.archived_ms = now_ms;
  r.updated_ms = now_ms;
  archived_ids_.Insert(id);
  archived_.emplace(id, std::move(r));
  return true;
}

bool ObjectStore::Restore(uint64_t id, int64_t now_ms) {
  auto it = archived_.find(id);
  if (it == archived_.end()) return false;
  Record r = std::move(it->second);
  archived_.erase(it);
  archived_ids_.Erase(id);
  r.archived_ms = 0;
  r.updated_ms = now_ms;
  Insert(std::move(r));
  return true;
}

bool ObjectStore::Purge(uint64_t id) {
  if (auto it = live_.find(id); it != live_.end()) {
    by_modified_.Erase({it->second.updated_ms, id});
    live_ids_.Erase(id);
    live_.erase(it);
    return true;
  }
  if (auto it = archived_.find(id); it != archived_.end()) {
    archived_ids_.Erase(id);
    archived_.erase(it);
    return true;
  }
  return false;
}

uint64_t ObjectStore::KeyHash(PropId prop, std::string_view lower_value) {
  return StableHash(lower_value) ^ (static_cast<uint64_t>(prop) * 0x9E3779B97F4A7C15ULL);
}

void ObjectStore::AddKey(PropId prop, std::string_view lower_value, uint64_t id) {
  if (lower_value.empty()) return;
  uint64_t h = KeyHash(prop, lower_value);
  auto [b, e] = keys_.equal_range(h);
  for (auto it = b; it != e; ++it)
    if (it->second == id) return;
  keys_.emplace(h, id);
}

void ObjectStore::RemoveKey(PropId prop, std::string_view lower_value, uint64_t id) {
  if (lower_value.empty()) return;
  auto [b, e] = keys_.equal_range(KeyHash(prop, lower_value));
  for (auto it = b; it != e; ++it) {
    if (it->second == id) {
      keys_.erase(it);
      return;
    }
  }
}

std::vector<uint64_t> ObjectStore::KeyCandidates(PropId prop, std::string_view lower_value) const {
  std::vector<uint64_t> out;
  auto [b, e] = keys_.equal_range(KeyHash(prop, lower_value));
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

void ObjectStore::Reserve(size_t records) {
  live_.reserve(records);
  keys_.reserve(records);
}

void ObjectStore::Clear() {
  live_.clear();
  archived_.clear();
  live_ids_.clear();
  archived_ids_.clear();
  by_modified_.clear();
  keys_.clear();
}

size_t ObjectStore::MemoryBytes() const {
  // Node-based containers: a node holds the value plus a next pointer, rounded up by malloc.
  auto node = [](size_t value) { return ((value + sizeof(void*) + 15) / 16) * 16; };
  size_t n = 0;
  for (const auto* m : {&live_, &archived_}) {
    n += m->bucket_count() * sizeof(void*);
    for (const auto& [id, r] : *m) n += node(sizeof(std::pair<const uint64_t, Record>)) + r.props.MemoryBytes();
  }
  n += keys_.bucket_count() * sizeof(void*) + keys_.size() * node(sizeof(std::pair<const uint64_t, uint64_t>) + 8);
  n += live_ids_.MemoryBytes() + archived_ids_.MemoryBytes() + by_modified_.MemoryBytes();
  return n;
}

}  // namespace tajo::sandbox::hubspot
