#include "sync/contact_mapper.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "sync/value_convert.h"

namespace tajo::sync {
namespace {

using nlohmann::json;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// ASCII case-insensitive equality (other bytes, e.g. accented letters, compare exactly).
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// HubSpot multi-select values ("a;b"): the trimmed, non-empty parts.
std::vector<std::string> SplitMulti(std::string_view raw) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find(';', start);
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view part = Trim(raw.substr(start, end - start));
    if (!part.empty()) out.emplace_back(part);
    start = end + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

// "a, b, c", or the first `max` and "... (n in all)".
std::string ListForMessage(const std::vector<std::string>& names, size_t max = 10) {
  if (names.empty()) return "none";
  std::string out;
  for (size_t i = 0; i < names.size() && i < max; ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  if (names.size() > max) out += fmt::format(", ... ({} in all)", names.size());
  return out;
}

bool IsEnumeration(const hubspot::PropertyDefinition& p) { return p.type == "enumeration"; }

// The HubSpot label of enumeration value `value`; nullopt when the definition does not list it.
std::optional<std::string> EnumLabel(const hubspot::PropertyDefinition& p, std::string_view value) {
  for (const auto& o : p.options) {
    if (o.value == value) return o.label;
  }
  return std::nullopt;
}

// The names a HubSpot value may go by in Brevo, in order of preference: for an enumeration its
// value and its label (the configured form first), otherwise the value itself.
std::vector<std::string> Candidates(const hubspot::PropertyDefinition& p, const std::string& value,
                                    EnumerationFormat format) {
  std::vector<std::string> out = {value};
  if (IsEnumeration(p)) {
    if (auto label = EnumLabel(p, value); label && *label != value) {
      if (format == EnumerationFormat::kLabel) {
        out.insert(out.begin(), *label);
      } else {
        out.push_back(*label);
      }
    }
  }
  return out;
}

// How a HubSpot value reads in a text attribute: an enumeration by its value or its label (the
// parts of a multi-select joined by ';'); anything else unchanged.
std::string EnumerationText(const hubspot::PropertyDefinition& p, std::string_view raw, EnumerationFormat format) {
  std::vector<std::string> parts = SplitMulti(raw);
  if (format == EnumerationFormat::kLabel) {
    // A value the definition does not list (a stale definition) is written as the value.
    for (std::string& part : parts) {
      if (auto label = EnumLabel(p, part)) part = *label;
    }
  }
  return Join(parts, ";");
}

bool IsPhoneAttribute(std::string_view name) {
  return name == "SMS" || name == "WHATSAPP" || name == "LANDLINE_NUMBER";
}

bool IsPhoneProperty(const hubspot::PropertyDefinition& p) {
  return p.type == "phone_number" || p.field_type == "phonenumber";
}

enum class Target { kText, kDate, kFloat, kBoolean, kCategory, kMultipleChoice, kPhone };

Target TargetOf(const ResolvedField& f) {
  const brevo::Attribute& a = f.attribute;
  if (IsPhoneAttribute(f.brevo_attribute)) return Target::kPhone;
  if (a.category == "category" || a.type == "category") return Target::kCategory;
  if (a.type == "multiple-choice") return Target::kMultipleChoice;
  if (a.type == "date") return Target::kDate;
  if (a.type == "float") return Target::kFloat;
  if (a.type == "boolean") return Target::kBoolean;
  // text, id, user, and anything newer: a string.
  return IsPhoneProperty(f.property) ? Target::kPhone : Target::kText;
}

}  // namespace

std::string NormalizeEmail(std::string_view email) {
  std::string out(Trim(email));
  for (char& c : out) c = AsciiLower(c);
  return out;
}

ContactMapper::ContactMapper(FieldMappingPlan plan, const HubSpotConfig& config)
    : plan_(std::move(plan)), enumerations_(config.enumerations), default_country_(config.default_country) {}

namespace {

struct Converter {
  const ResolvedField& field;
  EnumerationFormat format;
  const std::string& default_country;
  MappedContact* out;

  void Issue(std::string reason, const std::string& message) const {
    out->issues.push_back({field.hubspot_property, std::move(reason),
                           fmt::format("{} (HubSpot {} -> Brevo {})", message, field.hubspot_property,
                                       field.brevo_attribute)});
  }

  template <typename T>
  void Put(const Result<T>& r, const char* reason) const {
    if (r.ok()) {
      out->attributes[field.brevo_attribute] = *r;
    } else {
      Issue(reason, r.status().message());
    }
  }

  void Run(const std::string& raw) const {
    const hubspot::PropertyDefinition& p = field.property;
    switch (TargetOf(field)) {
      case Target::kPhone:
        return Put(ToBrevoPhone(raw, default_country), "invalid_phone");
      case Target::kDate:
        return Put(ToBrevoDate(raw), "invalid_date");
      case Target::kFloat:
        return Put(ToBrevoFloat(raw), "invalid_number");
      case Target::kBoolean:
        return Put(ToBrevoBoolean(raw), "invalid_boolean");
      case Target::kCategory:
        return Category(std::string(Trim(raw)));
      case Target::kMultipleChoice:
        return MultipleChoice(raw);
      case Target::kText:
        if (p.type == "date" || p.type == "datetime") return Put(ToBrevoDate(raw), "invalid_date");
        if (IsEnumeration(p)) {
          out->attributes[field.brevo_attribute] = EnumerationText(p, raw, format);
          return;
        }
        out->attributes[field.brevo_attribute] = raw;  // unchanged, numbers included
        return;
    }
  }

  // A Brevo category attribute takes one of its option labels.
  void Category(const std::string& value) const {
    std::vector<std::string> labels;
    for (const auto& o : field.attribute.enumeration) labels.push_back(o.label);
    for (const std::string& candidate : Candidates(field.property, value, format)) {
      for (const std::string& label : labels) {
        if (EqualsIgnoreCase(candidate, label)) {
          out->attributes[field.brevo_attribute] = label;
          return;
        }
      }
    }
    Issue("unknown_option", fmt::format("{} is not an option of the Brevo category attribute (options: {})",
                                        Describe(value), ListForMessage(labels)));
  }

  // A Brevo multiple-choice attribute takes an array of its options; parts it does not have are
  // reported and the others still written.
  void MultipleChoice(const std::string& raw) const {
    const std::vector<std::string>& options = field.attribute.multi_options;
    json chosen = json::array();
    std::vector<std::string> unknown;
    for (const std::string& part : SplitMulti(raw)) {
      const std::string* match = nullptr;
      for (const std::string& candidate : Candidates(field.property, part, format)) {
        for (const std::string& option : options) {
          if (EqualsIgnoreCase(candidate, option)) {
            match = &option;
            break;
          }
        }
        if (match != nullptr) break;
      }
      if (match == nullptr) {
        unknown.push_back(Describe(part));
      } else if (std::find(chosen.begin(), chosen.end(), *match) == chosen.end()) {
        chosen.push_back(*match);
      }
    }
    if (!chosen.empty()) out->attributes[field.brevo_attribute] = std::move(chosen);
    if (!unknown.empty()) {
      Issue("unknown_option", fmt::format("{} {} not an option of the Brevo multiple-choice attribute (options: {})",
                                          ListForMessage(unknown), unknown.size() == 1 ? "is" : "are",
                                          ListForMessage(options)));
    }
  }

  // `"value"`, or `"value" (label "Label")` for an enumeration value with a label.
  std::string Describe(const std::string& value) const {
    std::string s = json(value).dump(-1, ' ', false, json::error_handler_t::replace);
    if (IsEnumeration(field.property)) {
      if (auto label = EnumLabel(field.property, value); label && *label != value) {
        s += fmt::format(" (label {})", json(*label).dump(-1, ' ', false, json::error_handler_t::replace));
      }
    }
    return s;
  }
};

}  // namespace

MappedContact ContactMapper::Map(const hubspot::CrmObject& contact) const {
  MappedContact out;
  out.hubspot_id = contact.id;
  if (auto email = contact.Get("email")) out.email = NormalizeEmail(*email);
  for (const ResolvedField& field : plan_.fields) {
    auto raw = contact.Get(field.hubspot_property);
    if (!raw || Trim(*raw).empty()) continue;  // never clear a Brevo value with an empty one
    Converter{field, enumerations_, default_country_, &out}.Run(*raw);
  }
  return out;
}

}  // namespace tajo::sync
