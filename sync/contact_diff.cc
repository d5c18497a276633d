#include "sync/contact_diff.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

namespace tajo::sync {

namespace {

std::optional<double> AsNumber(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return d;
  }
  return std::nullopt;
}

bool Contains(const std::vector<int64_t>& sorted, int64_t v) { return std::binary_search(sorted.begin(), sorted.end(), v); }

}  // namespace

bool SameAttributeValue(const nlohmann::json& a, const nlohmann::json& b) {
  if (a == b) return true;
  if (a.is_number() || b.is_number()) {
    auto x = AsNumber(a);
    auto y = AsNumber(b);
    if (x && y) return std::fabs(*x - *y) <= 1e-9 * std::max({1.0, std::fabs(*x), std::fabs(*y)});
  }
  return false;
}

ContactDiff DiffContact(const nlohmann::json& desired_attributes, const std::vector<int64_t>& desired_lists,
                        const nlohmann::json& current_attributes, const std::vector<int64_t>& current_lists,
                        const std::vector<int64_t>& managed) {
  ContactDiff d;
  for (auto it = desired_attributes.begin(); it != desired_attributes.end(); ++it) {
    auto cur = current_attributes.find(it.key());
    if (cur == current_attributes.end() || !SameAttributeValue(*cur, it.value())) d.attributes[it.key()] = it.value();
  }
  for (int64_t id : desired_lists) {
    if (!Contains(current_lists, id)) d.add_lists.push_back(id);
  }
  for (int64_t id : current_lists) {
    if (Contains(managed, id) && !Contains(desired_lists, id)) d.remove_lists.push_back(id);
  }
  return d;
}

std::string ContactDiff::Describe(const nlohmann::json& before) const {
  std::string out;
  for (auto it = attributes.begin(); it != attributes.end(); ++it) {
    if (!out.empty()) out += "; ";
    auto b = before.find(it.key());
    out += it.key() + ": " + (b == before.end() ? std::string("(none)") : b->dump()) + " -> " + it.value().dump();
  }
  if (!add_lists.empty() || !remove_lists.empty()) {
    if (!out.empty()) out += "; ";
    out += "lists";
    for (int64_t id : add_lists) out += " +" + std::to_string(id);
    for (int64_t id : remove_lists) out += " -" + std::to_string(id);
  }
  return out;
}

}  // namespace tajo::sync
