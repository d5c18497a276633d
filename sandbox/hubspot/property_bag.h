// PropertyBag: the property values of one record, packed into one string; and NameTable, which
// interns property names into small ids.
//
// A portal of a million contacts holds ten million property values, so a record does not keep a
// map of strings: its bag is one std::string of entries [uint16 name id][varint length][bytes],
// about 3 bytes of overhead per value. Lookups scan the entries (records have tens of values).
// Values are strings, as in HubSpot's API; an empty value is never stored (HubSpot clears a
// property when it is set to "").
//
// Neither class is thread-safe: the portal guards them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tajo::sandbox::hubspot {

using PropId = uint16_t;

class NameTable {
 public:
  // The id of `name`, interning it when new. At most 65,535 names (ids never reused).
  PropId Intern(std::string_view name);
  // The id of `name` if it was interned.
  std::optional<PropId> Find(std::string_view name) const;
  const std::string& Name(PropId id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, PropId> ids_;
};

class PropertyBag {
 public:
  // The value of `id`, or nullopt when it has none. The view is invalidated by any Set/Erase.
  std::optional<std::string_view> Get(PropId id) const;
  bool Has(PropId id) const { return Get(id).has_value(); }
  // Sets `id` to `value`; an empty value erases it. Returns true when the stored value changed.
  bool Set(PropId id, std::string_view value);
  bool Erase(PropId id) { return Set(id, {}); }
  // Calls f(id, value) for every stored value, in storage order.
  void ForEach(const std::function<void(PropId, std::string_view)>& f) const;
  size_t count() const;
  bool empty() const { return data_.empty(); }
  void clear() { data_.clear(); }
  // Heap bytes used (0 while the data fits the small-string buffer).
  size_t MemoryBytes() const { return data_.capacity() > 15 ? data_.capacity() + 1 : 0; }

 private:
  // Finds the entry of `id`: its start, the value start and the value length.
  bool Locate(PropId id, size_t* entry, size_t* value, size_t* length) const;
  std::string data_;
};

}  // namespace tajo::sandbox::hubspot
