// List membership: the built-in meanings, rule evaluation and resolving config entries to Brevo
// list ids.
//
// Decisions worth knowing (the header states the contract):
// - Names match Brevo lists case-insensitively (ASCII): Brevo shows list names as typed but
//   people write "newsletter" for "Newsletter". When several lists match, the one whose name is
//   written exactly wins; when that still leaves several (Brevo allows duplicate names), the
//   entry is an error asking for the id, rather than a guess that writes to the wrong list.
// - Everything is checked before anything is created: a config with a missing id or two entries
//   on one list creates no list and no folder.
// - The "tajo" folder is found case-insensitively too (the lowest id when several), and only
//   looked up when a list has to be created.
// - In rules, an absent property reads as "" for eq/neq/in/not_in: `neq x` and `not_in [...]`
//   match a contact without the property; gt/lt never match it; exists needs a non-empty value.
// - ListsFor()/ManagedIds() leave out lists with id 0 (a dry run's lists to be created): there
//   is no Brevo list to write to yet. lists() still holds them.
#include "sync/list_membership.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "core/yaml_reader.h"  // QuoteForMessage

namespace tajo::sync {
namespace {

constexpr std::string_view kLifecycleStage = "lifecyclestage";
constexpr std::string_view kFolderName = "tajo";
constexpr size_t kListsShownInErrors = 20;

// The meaning a built-in key gives an id or a name entry. nullopt for any other key.
struct BuiltIn {
  ListRule rule;
  bool everyone = false;
};

std::optional<BuiltIn> BuiltInMeaning(std::string_view key) {
  if (key == "all_contacts") return BuiltIn{{}, true};
  if (key == "qualified_leads") {
    return BuiltIn{{std::string(kLifecycleStage), ListRuleOperator::kIn,
                    {"marketingqualifiedlead", "salesqualifiedlead"}},
                   false};
  }
  if (key == "customers") {
    return BuiltIn{{std::string(kLifecycleStage), ListRuleOperator::kEq, {"customer"}}, false};
  }
  return std::nullopt;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "connectors.hubspot.lists.<key>", and ".list" when a rule's `list:` named the target.
std::string EntryPath(const ListAssignment& a) {
  std::string path = "connectors.hubspot.lists." + a.key;
  if (a.kind == ListAssignment::Kind::kRule && a.list_id > 0) path += ".list";
  return path;
}

// `3 "Newsletter", 4 "Customers"` (at most kListsShownInErrors, then "and N more").
std::string DescribeLists(const std::vector<brevo::ContactList>& lists) {
  if (lists.empty()) return "this account has no lists";
  std::vector<const brevo::ContactList*> sorted;
  for (const brevo::ContactList& l : lists) sorted.push_back(&l);
  std::sort(sorted.begin(), sorted.end(), [](auto* x, auto* y) { return x->id < y->id; });
  std::string out = "lists in this account: ";
  for (size_t i = 0; i < sorted.size() && i < kListsShownInErrors; ++i) {
    if (i > 0) out += ", ";
    out += fmt::format("{} {}", sorted[i]->id, QuoteForMessage(sorted[i]->name));
  }
  if (sorted.size() > kListsShownInErrors) {
    out += fmt::format(" and {} more", sorted.size() - kListsShownInErrors);
  }
  return out;
}

// --- values for gt / lt

std::optional<double> Number(std::string_view s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Digits only (epoch milliseconds).
std::optional<int64_t> EpochMillis(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// `n` digits at s[pos...], or -1.
int Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// YYYY-MM-DD, optionally followed by THH:MM[:SS[.fff...]] and Z or ±HH:MM (HubSpot's datetime
// values), as milliseconds since the epoch (UTC).
std::optional<int64_t> IsoDateMillis(std::string_view s) {
  const int y = Digits(s, 0, 4), mo = Digits(s, 5, 2), d = Digits(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::sys_days(ymd).time_since_epoch()).count();
  if (s.size() == 10) return ms;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  const int h = Digits(s, 11, 2), mi = Digits(s, 14, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s.size() < 16 || s[13] != ':') return std::nullopt;
  ms += (h * 60LL + mi) * 60'000;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    const int sec = Digits(s, pos + 1, 2);
    if (sec < 0 || sec > 60) return std::nullopt;
    ms += sec * 1000LL;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int64_t frac = 0, scale = 1000;
      const size_t start = pos;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        if (scale > 1) {
          scale /= 10;
          frac += (s[pos] - '0') * scale;
        }
        ++pos;
      }
      if (pos == start) return std::nullopt;
      ms += frac;
    }
  }
  if (pos == s.size()) return ms;  // no zone: UTC
  if (s[pos] == 'Z' && pos + 1 == s.size()) return ms;
  if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
    const int zh = Digits(s, pos + 1, 2), zm = Digits(s, pos + 4, 2);
    if (zh < 0 || zh > 23 || zm < 0 || zm > 59) return std::nullopt;
    const int64_t offset = (zh * 60LL + zm) * 60'000;
    return s[pos] == '+' ? ms - offset : ms + offset;
  }
  return std::nullopt;
}

// -1, 0, 1: numbers when both are numbers, dates when both are dates (an ISO date, or epoch
// milliseconds against an ISO date), strings otherwise.
int Compare(std::string_view a, std::string_view b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (auto x = Number(a), y = Number(b); x && y) return sign(*x, *y);
  const std::optional<int64_t> da = IsoDateMillis(a), db = IsoDateMillis(b);
  if (da || db) {
    const std::optional<int64_t> x = da ? da : EpochMillis(a);
    const std::optional<int64_t> y = db ? db : EpochMillis(b);
    if (x && y) return sign(*x, *y);
  }
  return sign(a, b);
}

// --- resolving

// Where one entry's list is, before anything is created.
struct Target {
  const ListAssignment* entry = nullptr;
  int64_t id = 0;          // an existing list; 0 = to be created
  std::string name;        // the existing list's name in Brevo, or the name to create
  bool create = false;
};

// The managed list for `a` with its meaning (list id and name are filled in by the caller).
Result<ManagedList> Meaning(const ListAssignment& a) {
  ManagedList m;
  m.key = a.key;
  if (a.kind == ListAssignment::Kind::kRule) {
    m.rule = a.rule;
    return m;
  }
  std::optional<BuiltIn> b = BuiltInMeaning(a.key);
  if (!b) {
    return Status::InvalidArgument(fmt::format(
        "connectors.hubspot.lists.{}: a list other than all_contacts, qualified_leads and customers "
        "needs a rule: {{property, operator, value[, list]}}",
        a.key));
  }
  m.rule = std::move(b->rule);
  m.everyone = b->everyone;
  return m;
}

}  // namespace

std::vector<std::string> ListRuleProperties(const std::vector<ListAssignment>& lists) {
  std::set<std::string> out;
  for (const ListAssignment& a : lists) {
    if (a.kind == ListAssignment::Kind::kRule) {
      if (!a.rule.property.empty()) out.insert(a.rule.property);
    } else if (std::optional<BuiltIn> b = BuiltInMeaning(a.key); b && !b->everyone) {
      out.insert(b->rule.property);
    }
  }
  return {out.begin(), out.end()};
}

Result<std::vector<ManagedList>> ResolveLists(const std::vector<ListAssignment>& lists, brevo::BrevoClient& brevo,
                                              bool dry_run) {
  std::vector<ManagedList> out;
  if (lists.empty()) return out;
  for (const ListAssignment& a : lists) {
    Result<ManagedList> m = Meaning(a);
    if (!m.ok()) return m.status();
    out.push_back(std::move(*m));
  }

  Result<std::vector<brevo::ContactList>> existing = brevo.ListLists();
  if (!existing.ok()) return existing.status();

  // Every problem, one per line, before anything is created.
  std::vector<std::string> problems;
  std::vector<Target> targets;
  for (const ListAssignment& a : lists) {
    Target t;
    t.entry = &a;
    const bool by_id = a.kind == ListAssignment::Kind::kListId || (a.kind == ListAssignment::Kind::kRule && a.list_id > 0);
    if (by_id) {
      auto it = std::find_if(existing->begin(), existing->end(),
                             [&](const brevo::ContactList& l) { return l.id == a.list_id; });
      if (it == existing->end()) {
        problems.push_back(fmt::format("{}: Brevo list {} does not exist ({}; use an existing id or a list "
                                       "name, which tajo creates)",
                                       EntryPath(a), a.list_id, DescribeLists(*existing)));
        continue;
      }
      t.id = it->id;
      t.name = it->name;
    } else {
      std::vector<const brevo::ContactList*> exact, folded;
      const std::string lower = Lower(a.list_name);
      for (const brevo::ContactList& l : *existing) {
        if (l.name == a.list_name) exact.push_back(&l);
        if (Lower(l.name) == lower) folded.push_back(&l);
      }
      std::vector<const brevo::ContactList*>& found = exact.empty() ? folded : exact;
      std::sort(found.begin(), found.end(), [](auto* x, auto* y) { return x->id < y->id; });
      if (found.size() > 1) {
        std::vector<std::string> ids;
        for (const brevo::ContactList* l : found) ids.push_back(fmt::format("{} {}", l->id, QuoteForMessage(l->name)));
        problems.push_back(fmt::format("{}: {} Brevo lists are named {} ({}); write the id of the one to use",
                                       EntryPath(a), found.size(), QuoteForMessage(a.list_name),
                                       fmt::join(ids, ", ")));
        continue;
      }
      if (found.size() == 1) {
        t.id = found.front()->id;
        t.name = found.front()->name;
      } else {
        t.create = true;
        t.name = a.list_name;
      }
    }
    targets.push_back(std::move(t));
  }

  // Two entries on one list would fight over its members.
  std::map<std::string, const Target*> seen;  // "id:12" or "name:<lower>" -> first entry
  for (const Target& t : targets) {
    const std::string k = t.create ? "name:" + Lower(t.name) : fmt::format("id:{}", t.id);
    auto [it, inserted] = seen.emplace(k, &t);
    if (inserted) continue;
    const std::string which = t.create ? fmt::format("the list named {} that tajo creates", QuoteForMessage(t.name))
                                       : fmt::format("Brevo list {} {}", t.id, QuoteForMessage(t.name));
    problems.push_back(fmt::format("connectors.hubspot.lists.{}: {} is already the list of "
                                   "connectors.hubspot.lists.{}; each entry needs a list of its own",
                                   t.entry->key, which, it->second->entry->key));
  }
  if (!problems.empty()) return Status::FailedPrecondition(fmt::format("{}", fmt::join(problems, "\n")));

  std::optional<int64_t> folder;
  for (size_t i = 0; i < targets.size(); ++i) {
    Target& t = targets[i];
    ManagedList& m = out[i];
    m.list_name = t.name;
    if (!t.create) {
      m.list_id = t.id;
      continue;
    }
    if (dry_run) continue;  // list_id 0: would be created
    if (!folder) {
      Result<std::vector<brevo::Folder>> folders = brevo.ListFolders();
      if (!folders.ok()) return folders.status();
      for (const brevo::Folder& f : *folders) {
        if (Lower(f.name) == kFolderName && (!folder || f.id < *folder)) folder = f.id;
      }
      if (!folder) {
        Result<int64_t> created = brevo.CreateFolder(std::string(kFolderName));
        if (!created.ok()) return created.status().WithContext("creating the Brevo folder \"tajo\"");
        folder = *created;
      }
    }
    Result<int64_t> id = brevo.CreateList(t.name, *folder);
    if (!id.ok()) {
      return id.status().WithContext(fmt::format("connectors.hubspot.lists.{}: creating the Brevo list {}",
                                                 t.entry->key, QuoteForMessage(t.name)));
    }
    m.list_id = *id;
  }
  return out;
}

ListMembership::ListMembership(std::vector<ManagedList> lists) : lists_(std::move(lists)) {}

std::vector<int64_t> ListMembership::ListsFor(const hubspot::CrmObject& contact) const {
  std::vector<int64_t> out;
  for (const ManagedList& l : lists_) {
    if (l.list_id == 0) continue;
    if (l.everyone || RuleMatches(l.rule, contact)) out.push_back(l.list_id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<int64_t> ListMembership::ManagedIds() const {
  std::vector<int64_t> out;
  for (const ManagedList& l : lists_) {
    if (l.list_id != 0) out.push_back(l.list_id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool RuleMatches(const ListRule& rule, const hubspot::CrmObject& contact) {
  if (rule.property.empty()) return false;
  const std::optional<std::string> got = contact.Get(rule.property);
  const std::string value = got.value_or("");
  auto in = [&] { return std::find(rule.values.begin(), rule.values.end(), value) != rule.values.end(); };
  switch (rule.op) {
    case ListRuleOperator::kEq: return !rule.values.empty() && value == rule.values.front();
    case ListRuleOperator::kNeq: return !rule.values.empty() && value != rule.values.front();
    case ListRuleOperator::kIn: return in();
    case ListRuleOperator::kNotIn: return !in();
    case ListRuleOperator::kExists: return !value.empty();
    case ListRuleOperator::kGt: return !value.empty() && !rule.values.empty() && Compare(value, rule.values.front()) > 0;
    case ListRuleOperator::kLt: return !value.empty() && !rule.values.empty() && Compare(value, rule.values.front()) < 0;
  }
  return false;
}

}  // namespace tajo::sync
