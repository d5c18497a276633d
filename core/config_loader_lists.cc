// tajo.yaml: connectors.hubspot.lists and connectors.hubspot.field_mapping.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

#include "core/config_loader.h"
#include "core/redact.h"
#include "core/yaml_reader.h"

namespace tajo::config_internal {

bool Loader::ParseListTarget(const YamlEntry& e, std::string_view expected, ListAssignment* a) {
  if (!e.value.IsScalar()) {
    r_.Error(e, fmt::format("expected {}, got {}", expected, r_.Got(e.value)));
    return false;
  }
  std::optional<std::string> v = r_.String(e, expected);
  if (!v) return false;
  if (LooksNumeric(*v)) {
    // A number is always an id: "0", "-3" and "1.5" are mistakes, not list names.
    int64_t id = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
    if (ec != std::errc() || ptr != v->data() + v->size() || id <= 0 || (*v)[0] == '+') {
      r_.Error(e, "expected a positive integer (a Brevo list id), got " + r_.Got(e.value, *v));
      return false;
    }
    a->list_id = id;
    a->list_name.clear();
    return true;
  }
  if (IsBlank(*v)) {
    r_.Error(e, fmt::format("expected {}, got {}", expected, r_.Got(e.value, *v)));
    return false;
  }
  a->list_id = 0;
  a->list_name = *v;
  return true;
}

void Loader::ParseLists(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;
  static constexpr std::string_view kExpected =
      "a Brevo list id (a positive integer), a list name, or a rule {property, operator, value}";
  const std::span<const std::string_view> built_in = BuiltInListNames();
  for (const YamlEntry& e : r_.Entries(*m, section.path)) {
    ListAssignment a;
    a.key = e.key.Scalar();
    if (IsBlank(a.key)) {
      r_.Error(e.key, e.path, "a list entry needs a name");
      continue;
    }
    if (e.value.IsMap()) {
      a.kind = ListAssignment::Kind::kRule;
      ParseListRule(e, std::move(a));
      continue;
    }
    if (!ParseListTarget(e, kExpected, &a)) continue;
    // Only the built-in names say who belongs; any other list needs a rule to say it.
    if (std::find(built_in.begin(), built_in.end(), a.key) == built_in.end()) {
      r_.Error(e, "a list other than all_contacts, qualified_leads and customers needs a rule: "
                  "{property, operator, value[, list]}");
      continue;
    }
    a.kind = a.list_id > 0 ? ListAssignment::Kind::kListId : ListAssignment::Kind::kListName;
    config_.connectors.hubspot.lists.push_back(std::move(a));
  }
}

void Loader::ParseListRule(const YamlEntry& e, ListAssignment a) {
  static constexpr std::array<std::string_view, 4> kKeys = {"property", "operator", "value", "list"};
  std::vector<YamlEntry> entries = r_.KnownEntries(e.value, e.path, kKeys);
  bool ok = true;
  // The target: `list:` (an id or a name), else the list named by the key. A null `list:` is
  // absent, as everywhere in the file.
  a.list_id = 0;
  a.list_name = a.key;
  if (const std::optional<YamlEntry> list = YamlReader::Find(entries, "list"); list && !list->value.IsNull()) {
    ok = ParseListTarget(*list, "a Brevo list id (a positive integer) or a list name", &a);
  }
  const std::optional<YamlEntry> property = YamlReader::Find(entries, "property");
  const std::optional<YamlEntry> op = YamlReader::Find(entries, "operator");
  const std::optional<YamlEntry> value = YamlReader::Find(entries, "value");

  std::optional<std::string> p = property ? r_.String(*property, "a HubSpot property name") : std::nullopt;
  if (p && !IsIdentifier(*p)) {
    r_.Error(*property, "expected a HubSpot property name (letters, digits and '_', starting with "
                        "a letter), got " + r_.Got(property->value, *p));
    ok = false;
  } else if (!p) {
    if (!property || property->value.IsNull()) {
      r_.Error(e.key, e.path + ".property", "a rule needs a HubSpot property");
    }
    ok = false;
  }

  std::optional<size_t> o = op ? r_.OneOf(*op, ListRuleOperatorNames()) : std::nullopt;
  if (!o) {
    if (!op || op->value.IsNull()) {
      r_.Error(e.key, e.path + ".operator",
               "a rule needs an operator (one of " + JoinNames(ListRuleOperatorNames()) + ")");
    }
    ok = false;
  } else {
    a.rule.op = static_cast<ListRuleOperator>(*o);
    const std::string_view name = ListRuleOperatorName(a.rule.op);
    const bool present = value && !value->value.IsNull();
    switch (a.rule.op) {
      case ListRuleOperator::kExists:
        if (present) {
          r_.Error(*value, "operator 'exists' takes no value");
          ok = false;
        }
        break;
      case ListRuleOperator::kIn:
      case ListRuleOperator::kNotIn:
        if (!present || !value->value.IsSequence() || value->value.size() == 0) {
          const std::string what = fmt::format("operator '{}' needs a list of values, e.g. [a, b]", name);
          if (present) {
            r_.Error(*value, what + ", got " + r_.Got(value->value));
          } else {
            r_.Error(e.key, e.path + ".value", what);
          }
          ok = false;
          break;
        }
        for (size_t i = 0; i < value->value.size(); ++i) {
          const YamlEntry item{value->key, value->value[i], fmt::format("{}[{}]", value->path, i)};
          if (std::optional<std::string> s = r_.String(item, "a single value")) {
            a.rule.values.push_back(*s);
          } else {
            if (item.value.IsNull()) r_.Error(item, "expected a value, got nothing");
            ok = false;
          }
        }
        break;
      default:  // eq, neq, gt, lt
        if (!present) {
          r_.Error(e.key, e.path + ".value", fmt::format("operator '{}' needs a value", name));
          ok = false;
        } else if (std::optional<std::string> s = r_.String(*value, "a single value")) {
          a.rule.values.push_back(*s);
        } else {
          ok = false;
        }
    }
  }
  if (!ok) return;
  a.rule.property = *p;
  config_.connectors.hubspot.lists.push_back(std::move(a));
}

void Loader::ParseFieldMapping(const YamlEntry& section) {
  std::optional<YAML::Node> m = r_.Mapping(section);
  if (!m) return;  // absent: DefaultFieldMapping()
  std::vector<FieldMapping> mapping;
  std::vector<int> lines;  // 1-based line of each entry of `mapping`
  for (const YamlEntry& e : r_.Entries(*m, section.path)) {
    const std::string& property = e.key.Scalar();
    bool ok = true;
    if (!IsIdentifier(property)) {
      r_.Error(e.key, e.path,
               "a HubSpot property name is letters, digits and '_', starting with a letter");
      ok = false;
    }
    std::optional<std::string> target = r_.String(e, "a Brevo attribute name");
    if (!target) {
      if (e.value.IsNull()) r_.Error(e, "expected a Brevo attribute name, got nothing");
      continue;
    }
    if (!IsIdentifier(*target)) {
      r_.Error(e, "expected a Brevo attribute name (letters, digits and '_', starting with a "
                  "letter), got " + r_.Got(e.value, *target));
      continue;
    }
    // Brevo keeps attribute names in capitals (it upper-cases what it is sent), so "firstName"
    // and "FIRSTNAME" are one attribute: normalise to the form Brevo uses.
    FieldMapping f{property, Upper(*target), false};
    if (property == "email") {
      if (f.brevo_attribute != "EMAIL") {
        r_.Error(e, "email is the identity key both sides match contacts on; it can only map to "
                    "email (EMAIL), got " + r_.Got(e.value, *target));
        continue;
      }
      f.identity = true;
    } else if (f.brevo_attribute == "EMAIL") {
      r_.Error(e, "EMAIL is Brevo's identity attribute; only the HubSpot property 'email' maps to it");
      continue;
    }
    auto dup = std::find_if(mapping.begin(), mapping.end(), [&](const FieldMapping& x) {
      return x.brevo_attribute == f.brevo_attribute;
    });
    if (dup != mapping.end()) {
      r_.Error(e, fmt::format("Brevo attribute {} is already mapped from '{}' on line {}",
                              f.brevo_attribute, dup->hubspot_property,
                              lines[static_cast<size_t>(dup - mapping.begin())]));
      continue;
    }
    if (!ok) continue;
    mapping.push_back(std::move(f));
    lines.push_back(e.key.Mark().line + 1);
  }
  // The identity always comes first, whether or not the file wrote it.
  std::stable_partition(mapping.begin(), mapping.end(), [](const FieldMapping& f) { return f.identity; });
  if (mapping.empty() || !mapping.front().identity) {
    mapping.insert(mapping.begin(), FieldMapping{"email", "EMAIL", true});
  }
  config_.connectors.hubspot.field_mapping = std::move(mapping);
}

}  // namespace tajo::config_internal
