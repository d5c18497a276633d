#include "sandbox/hubspot/property_bag.h"

namespace tajo::sandbox::hubspot {

PropId NameTable::Intern(std::string_view name) {
  auto it = ids_.find(std::string(name));
  if (it != ids_.end()) return it->second;
  PropId id = static_cast<PropId>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(std::string(name), id);
  return id;
}

std::optional<PropId> NameTable::Find(std::string_view name) const {
  auto it = ids_.find(std::string(name));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

namespace {

void PutVarint(std::string& out, size_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

size_t GetVarint(const std::string& s, size_t* pos) {
  size_t v = 0;
  int shift = 0;
  while (*pos < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[(*pos)++]);
    v |= static_cast<size_t>(c & 0x7F) << shift;
    if (!(c & 0x80)) break;
    shift += 7;
  }
  return v;
}

PropId GetId(const std::string& s, size_t pos) {
  return static_cast<PropId>(static_cast<unsigned char>(s[pos]) | (static_cast<unsigned char>(s[pos + 1]) << 8));
}

}  // namespace

bool PropertyBag::Locate(PropId id, size_t* entry, size_t* value, size_t* length) const {
  size_t pos = 0;
  while (pos + 2 <= data_.size()) {
    size_t start = pos;
    PropId pid = GetId(data_, pos);
    pos += 2;
    size_t len = GetVarint(data_, &pos);
    if (pid == id) {
      *entry = start;
      *value = pos;
      *length = len;
      return true;
    }
    pos += len;
  }
  return false;
}

std::optional<std::string_view> PropertyBag::Get(PropId id) const {
  size_t entry, value, length;
  if (!Locate(id, &entry, &value, &length)) return std::nullopt;
  return std::string_view(data_).substr(value, length);
}

bool PropertyBag::Set(PropId id, std::string_view v) {
  size_t entry, value, length;
  bool found = Locate(id, &entry, &value, &length);
  if (found && std::string_view(data_).substr(value, length) == v) return false;
  if (!found && v.empty()) return false;
  if (found) data_.erase(entry, value + length - entry);
  if (!v.empty()) {
    data_ += static_cast<char>(id & 0xFF);
    data_ += static_cast<char>(id >> 8);
    PutVarint(data_, v.size());
    data_.append(v);
  }
  return true;
}

void PropertyBag::ForEach(const std::function<void(PropId, std::string_view)>& f) const {
  size_t pos = 0;
  while (pos + 2 <= data_.size()) {
    PropId pid = GetId(data_, pos);
    pos += 2;
    size_t len = GetVarint(data_, &pos);
    f(pid, std::string_view(data_).substr(pos, len));
    pos += len;
  }
}

size_t PropertyBag::count() const {
  size_t n = 0;
  ForEach([&](PropId, std::string_view) { ++n; });
  return n;
}

}  // namespace tajo::sandbox::hubspot
