// Portal: search (reference §2). Filters are evaluated on the stored values; a search sorted or
// range-filtered on the id or the modification date walks an ordered index, so a page and its
// `total` cost time in proportion to the page when every filter is such a range.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <mutex>

#include "sandbox/common/time_format.h"
#include "sandbox/hubspot/portal.h"
#include "sandbox/hubspot/portal_helpers.h"

namespace tajo::sandbox::hubspot {
namespace {

using portal_helpers::Lower;

std::optional<double> Number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string str(s);
  char* end = nullptr;
  double d = std::strtod(str.c_str(), &end);
  if (end != str.c_str() + str.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

enum class Kind { kString, kEnum, kNumber, kTime };

Kind KindOf(const PropertyDef* d) {
  if (!d) return Kind::kString;
  if (d->type == "number") return Kind::kNumber;
  if (d->type == "date" || d->type == "datetime") return Kind::kTime;
  if (d->type == "enumeration" || d->type == "bool") return Kind::kEnum;
  return Kind::kString;
}

// <0, 0, >0 like strcmp; nullopt when the two cannot be compared (e.g. "abc" against a number).
std::optional<int> Compare(Kind kind, std::string_view stored, std::string_view wanted) {
  switch (kind) {
    case Kind::kNumber: {
      auto a = Number(stored), b = Number(wanted);
      if (!a || !b) return std::nullopt;
      return *a < *b ? -1 : *a > *b ? 1 : 0;
    }
    case Kind::kTime: {
      auto a = ParseTimeMillis(stored), b = ParseTimeMillis(wanted);
      if (!a || !b) return std::nullopt;
      return *a < *b ? -1 : *a > *b ? 1 : 0;
    }
    case Kind::kEnum: {  // enumerations compare case-sensitively (reference §2.1)
      int c = std::string_view(stored).compare(wanted);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case Kind::kString: {
      int c = Lower(stored).compare(Lower(wanted));
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
  }
  return std::nullopt;
}

// '*' matches any run of characters; case-insensitive.
bool Glob(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] != '*' &&
        std::tolower(static_cast<unsigned char>(pattern[p])) == std::tolower(static_cast<unsigned char>(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// CONTAINS_TOKEN: the value matches the whole stored value or one of its words (split on
// spaces and punctuation other than '@', '.', '-', '_', which stay inside tokens such as emails).
bool ContainsToken(std::string_view stored, std::string_view token) {
  if (Glob(token, stored)) return true;
  size_t i = 0;
  while (i < stored.size()) {
    while (i < stored.size() && (std::isspace(static_cast<unsigned char>(stored[i])) || stored[i] == ',' ||
                                 stored[i] == ';' || stored[i] == '/'))
      ++i;
    size_t start = i;
    while (i < stored.size() && !(std::isspace(static_cast<unsigned char>(stored[i])) || stored[i] == ',' ||
                                  stored[i] == ';' || stored[i] == '/'))
      ++i;
    if (i > start && Glob(token, stored.substr(start, i - start))) return true;
  }
  return false;
}

}  // namespace

ApiResult<RecordPage> Portal::Search(const ObjectType& type, const SearchRequest& req, int64_t max_results) const {
  std::shared_lock lock(mu_);
  const PropertyCatalog& catalog = state(type).catalog;
  ObjectStore& store = state(type).store;
  // Unknown properties in filters and sorts are errors (a typo would silently match nothing).
  for (const auto& group : req.groups)
    for (const auto& f : group) {
      if (f.property.rfind("associations.", 0) == 0) {
        if (!types_.Find(f.property.substr(13)))
          return ApiError::Validation("Unknown object type in filter " + f.property);
        if (f.op != "EQ" && f.op != "NEQ" && f.op != "IN" && f.op != "NOT_IN")
          return ApiError::Validation("Association filters support EQ, NEQ, IN and NOT_IN only, got " + f.op);
        continue;
      }
      if (!catalog.Find(f.property))
        return ApiError::Validation("Property \"" + f.property + "\" does not exist for " + type.name);
    }
  if (req.sort_property && !catalog.Find(*req.sort_property))
    return ApiError::Validation("Cannot sort by \"" + *req.sort_property + "\": the property does not exist");
  if (req.after >= max_results)
    return ApiError::Validation("Cannot page past " + std::to_string(max_results) +
                                " results: refine the filters (for example on " + type.modified_property +
                                ") and start again");

  struct Prepared {
    const SearchFilter* f;
    Kind kind;
    const ObjectType* assoc_type = nullptr;
  };
  std::vector<std::vector<Prepared>> groups;
  for (const auto& group : req.groups) {
    std::vector<Prepared> g;
    for (const auto& f : group) {
      Prepared p{&f, KindOf(catalog.Find(f.property))};
      if (f.property == "hs_object_id") p.kind = Kind::kNumber;
      if (f.property.rfind("associations.", 0) == 0) p.assoc_type = types_.Find(f.property.substr(13));
      g.push_back(p);
    }
    groups.push_back(std::move(g));
  }
  std::vector<std::string> query_terms;
  {
    std::string term;
    for (char c : req.query + " ") {
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!term.empty()) query_terms.push_back(Lower(term));
        term.clear();
      } else {
        term += c;
      }
    }
  }

  auto filter_matches = [&](const Record& r, const Prepared& p) {
    const SearchFilter& f = *p.f;
    if (p.assoc_type) {
      auto linked = [&](const std::string& id) {
        char* end = nullptr;
        uint64_t want = std::strtoull(id.c_str(), &end, 10);
        const auto* e = graph_.Find(r.id, want);
        return e && e->to_type == p.assoc_type->index;
      };
      bool any = false;
      if (f.op == "EQ" || f.op == "NEQ") any = linked(f.value.value_or(""));
      else
        for (const auto& v : f.values) any = any || linked(v);
      return (f.op == "EQ" || f.op == "IN") ? any : !any;
    }
    std::optional<std::string> v = ReadValue(type, r, f.property);
    const std::string& op = f.op;
    if (op == "HAS_PROPERTY") return v.has_value();
    if (op == "NOT_HAS_PROPERTY") return !v.has_value();
    auto cmp = [&](const std::string& wanted) { return v ? Compare(p.kind, *v, wanted) : std::nullopt; };
    if (op == "EQ") return cmp(*f.value) == 0;
    if (op == "NEQ") return cmp(*f.value) != 0;
    if (op == "LT" || op == "LTE" || op == "GT" || op == "GTE") {
      auto c = cmp(*f.value);
      if (!c) return false;
      if (op == "LT") return *c < 0;
      if (op == "LTE") return *c <= 0;
      if (op == "GT") return *c > 0;
      return *c >= 0;
    }
    if (op == "BETWEEN") {
      auto lo = cmp(*f.value), hi = cmp(*f.high_value);
      return lo && hi && *lo >= 0 && *hi <= 0;
    }
    if (op == "IN" || op == "NOT_IN") {
      bool any = false;
      for (const auto& w : f.values) any = any || cmp(w) == 0;
      return op == "IN" ? any : !any;
    }
    if (op == "CONTAINS_TOKEN") return v && ContainsToken(*v, *f.value);
    if (op == "NOT_CONTAINS_TOKEN") return !v || !ContainsToken(*v, *f.value);
    return false;
  };
  auto matches = [&](const Record& r) {
    if (!query_terms.empty()) {
      for (const std::string& term : query_terms) {
        bool found = false;
        for (const std::string& prop : type.searchable_properties) {
          auto v = ReadValue(type, r, prop);
          if (v && Lower(*v).find(term) != std::string::npos) {
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
    }
    if (groups.empty()) return true;
    for (const auto& g : groups) {
      bool all = true;
      for (const auto& p : g)
        if (!filter_matches(r, p)) {
          all = false;
          break;
        }
      if (all) return true;
    }
    return false;
  };

  PropertySelection sel;
  if (req.properties_given) sel.names = req.properties;
  RecordPage page;
  const int64_t start = req.after;
  const int64_t stop = std::min<int64_t>(start + req.limit, max_results);
  auto finish = [&](int64_t total) {
    page.total = total;
    int64_t end = start + static_cast<int64_t>(page.results.size());
    if (end < total && static_cast<int64_t>(page.results.size()) == stop - start)
      page.next_after = std::to_string(end);
  };

  // Which ordered index serves the sort: the modification date, or the id (= creation order).
  std::string sort = req.sort_property.value_or("");
  bool by_modified = sort == type.modified_property;
  bool by_id = sort.empty() || sort == "hs_object_id" || sort == type.created_property;
  bool descending = req.descending && !sort.empty();
  if (by_modified || by_id) {
    // Narrow the walk with range filters on the index key when there is a single group.
    int64_t lo_ms = INT64_MIN, hi_ms = INT64_MAX;
    uint64_t lo_id = 0, hi_id = UINT64_MAX;
    bool all_captured = query_terms.empty();
    if (groups.size() == 1) {
      for (const auto& p : groups[0]) {
        const SearchFilter& f = *p.f;
        bool on_key = by_modified ? f.property == type.modified_property : f.property == "hs_object_id";
        bool range_op = f.op == "GT" || f.op == "GTE" || f.op == "LT" || f.op == "LTE" || f.op == "EQ" || f.op == "BETWEEN";
        if (!on_key || !range_op) {
          all_captured = false;
          continue;
        }
        auto parse = [&](const std::string& s) -> std::optional<int64_t> {
          if (by_modified) return ParseTimeMillis(s);
          auto n = Number(s);
          if (!n || *n < 0) return std::nullopt;
          return static_cast<int64_t>(std::floor(*n));
        };
        auto v = parse(*f.value);
        std::optional<int64_t> h = f.high_value ? parse(*f.high_value) : std::nullopt;
        if (!v || (f.op == "BETWEEN" && !h)) {
          all_captured = false;
          continue;
        }
        int64_t lo = INT64_MIN, hi = INT64_MAX;
        if (f.op == "GT") lo = *v + 1;
        if (f.op == "GTE") lo = *v;
        if (f.op == "LT") hi = *v - 1;
        if (f.op == "LTE") hi = *v;
        if (f.op == "EQ") lo = hi = *v;
        if (f.op == "BETWEEN") lo = *v, hi = *h;
        if (by_modified) {
          lo_ms = std::max(lo_ms, lo);
          hi_ms = std::min(hi_ms, hi);
        } else {
          lo_id = std::max<uint64_t>(lo_id, lo < 0 ? 0 : static_cast<uint64_t>(lo));
          hi_id = std::min<uint64_t>(hi_id, hi < 0 ? 0 : static_cast<uint64_t>(hi));
        }
      }
    } else if (!groups.empty()) {
      all_captured = false;
    }
    auto walk = [&](const auto& index, auto lo_key, auto hi_key, auto id_of) {
      auto first = index.LowerBound(lo_key);
      auto last = index.UpperBound(hi_key);  // one past the range
      size_t first_rank = index.RankOf(first), last_rank = index.RankOf(last);
      if (last_rank < first_rank) last_rank = first_rank;
      if (all_captured) {
        int64_t total = static_cast<int64_t>(last_rank - first_rank);
        for (int64_t k = start; k < std::min(stop, total); ++k) {
          size_t rank = descending ? last_rank - 1 - static_cast<size_t>(k) : first_rank + static_cast<size_t>(k);
          uint64_t id = id_of(index.Get(index.AtRank(rank)));
          if (const Record* r = store.Live(id)) page.results.push_back(Snapshot(type, *r, false, sel, {}));
        }
        finish(total);
        return;
      }
      int64_t total = 0;
      auto visit = [&](uint64_t id) {
        const Record* r = store.Live(id);
        if (!r || !matches(*r)) return;
        if (total >= start && total < stop) page.results.push_back(Snapshot(type, *r, false, sel, {}));
        ++total;
      };
      if (last_rank <= first_rank) {
        // empty range
      } else if (!descending) {
        for (auto pos = first; !(pos == last) && !index.AtEnd(pos); index.Next(pos)) visit(id_of(index.Get(pos)));
      } else if (last_rank > first_rank) {
        auto pos = index.AtRank(last_rank - 1);
        while (true) {
          visit(id_of(index.Get(pos)));
          if (pos == first || !index.Prev(pos)) break;
        }
      }
      finish(total);
    };
    if (by_modified)
      walk(store.by_modified(), ObjectStore::ModKey{lo_ms, 0}, ObjectStore::ModKey{hi_ms, UINT64_MAX},
           [](const ObjectStore::ModKey& k) { return k.second; });
    else
      walk(store.ids(), lo_id, hi_id, [](uint64_t id) { return id; });
    return page;
  }

  // Any other sort: collect the matches, sort them by the property's kind, then page.
  const PropertyDef* sort_def = catalog.Find(sort);
  Kind kind = KindOf(sort_def);
  std::vector<std::pair<std::optional<std::string>, uint64_t>> hits;
  const auto& ids = store.ids();
  for (auto pos = ids.Begin(); !ids.AtEnd(pos); ids.Next(pos)) {
    const Record* r = store.Live(ids.Get(pos));
    if (r && matches(*r)) hits.emplace_back(ReadValue(type, *r, sort), r->id);
  }
  std::stable_sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) {
    // Records without the property sort last whatever the direction.
    if (!a.first || !b.first) return a.first.has_value() && !b.first.has_value();
    auto c = Compare(kind, *a.first, *b.first);
    int cv = c ? *c : a.first->compare(*b.first);
    if (cv == 0) return a.second < b.second;
    return descending ? cv > 0 : cv < 0;
  });
  for (int64_t k = start; k < std::min<int64_t>(stop, static_cast<int64_t>(hits.size())); ++k)
    page.results.push_back(Snapshot(type, *store.Live(hits[static_cast<size_t>(k)].second), false, sel, {}));
  finish(static_cast<int64_t>(hits.size()));
  return page;
}

}  // namespace tajo::sandbox::hubspot
