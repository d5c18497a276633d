#include "sandbox/hubspot/property_catalog.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "sandbox/common/time_format.h"

namespace tajo::sandbox::hubspot {

nlohmann::json PropertyDef::ToJson() const {
  nlohmann::json opts = nlohmann::json::array();
  for (const auto& o : options)
    opts.push_back({{"label", o.label}, {"value", o.value}, {"description", o.description},
                    {"displayOrder", o.display_order}, {"hidden", o.hidden}});
  nlohmann::json j = {
      {"name", name},
      {"label", label},
      {"type", type},
      {"fieldType", field_type},
      {"groupName", group_name},
      {"description", description},
      {"options", std::move(opts)},
      {"displayOrder", display_order},
      {"hidden", hidden},
      {"formField", form_field},
      {"hasUniqueValue", has_unique_value},
      {"calculated", calculated},
      {"externalOptions", !referenced_object_type.empty()},
      {"createdAt", FormatIsoMillis(created_ms)},
      {"updatedAt", FormatIsoMillis(updated_ms)},
      {"archived", archived},
      {"modificationMetadata",
       {{"archivable", archivable}, {"readOnlyDefinition", read_only_definition}, {"readOnlyValue", read_only_value}}},
  };
  if (hubspot_defined) j["hubspotDefined"] = true;
  if (!referenced_object_type.empty()) j["referencedObjectType"] = referenced_object_type;
  if (show_currency_symbol) j["showCurrencySymbol"] = true;
  if (archived) j["archivedAt"] = FormatIsoMillis(archived_ms);
  return j;
}

void PropertyCatalog::Put(PropertyDef def) {
  std::string name = def.name;
  defs_[name] = std::make_unique<PropertyDef>(std::move(def));
}

const PropertyDef* PropertyCatalog::Find(std::string_view name) const {
  auto it = defs_.find(name);
  if (it == defs_.end() || it->second->archived) return nullptr;
  return it->second.get();
}

PropertyDef* PropertyCatalog::FindMutable(std::string_view name) {
  auto it = defs_.find(name);
  return it == defs_.end() ? nullptr : it->second.get();
}

std::vector<const PropertyDef*> PropertyCatalog::List(bool archived) const {
  std::vector<const PropertyDef*> out;
  for (const auto& [name, def] : defs_)
    if (def->archived == archived) out.push_back(def.get());
  return out;
}

void PropertyCatalog::SetOptions(std::string_view name, std::vector<PropertyOption> options) {
  if (PropertyDef* d = FindMutable(name)) d->options = std::move(options);
}

size_t PropertyCatalog::unique_count() const {
  size_t n = 0;
  for (const auto& [name, def] : defs_)
    if (def->has_unique_value && !def->archived && !def->hubspot_defined) ++n;
  return n;
}

namespace {

bool IsNumber(std::string_view v) {
  if (v.empty()) return false;
  std::string s(v);
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  // strtod accepts "inf", "nan" and hex; HubSpot numbers are plain decimals.
  for (char c : s)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return false;
  return std::isfinite(d);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsEmail(std::string_view v) {
  size_t at = v.find('@');
  if (at == std::string_view::npos || at == 0 || at != v.rfind('@')) return false;
  std::string_view domain = v.substr(at + 1);
  size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  for (char c : v)
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';' || c == '<' || c == '>') return false;
  return true;
}

}  // namespace

std::optional<PropertyError> PropertyCatalog::CheckValue(std::string_view name, std::string& value,
                                                         bool allow_read_only) const {
  const PropertyDef* def = Find(name);
  std::string n(name);
  if (!def) return PropertyError{n, "PROPERTY_DOESNT_EXIST", "Property \"" + n + "\" does not exist"};
  if (def->read_only_value && !allow_read_only)
    return PropertyError{n, "READ_ONLY_VALUE", "\"" + n + "\" is a read only property; its value cannot be set."};
  if (value.empty()) return std::nullopt;
  if (value.size() > 65'536)
    return PropertyError{n, "INVALID_STRING", "Value for property \"" + n + "\" is longer than 65536 characters"};
  const std::string& t = def->type;
  if (t == "number") {
    if (!IsNumber(value)) return PropertyError{n, "INVALID_INTEGER", value + " was not a valid number."};
  } else if (t == "bool") {
    std::string l = Lower(value);
    if (l != "true" && l != "false")
      return PropertyError{n, "INVALID_BOOLEAN", value + " was not a valid boolean (true or false)."};
    value = l;
  } else if (t == "datetime") {
    auto ms = ParseTimeMillis(value);
    if (!ms)
      return PropertyError{n, "INVALID_DATETIME",
                           value + " was not a valid datetime: use epoch milliseconds or ISO 8601."};
    value = FormatIsoMillis(*ms);
  } else if (t == "date") {
    auto ms = ParseTimeMillis(value);
    if (!ms) return PropertyError{n, "INVALID_DATE", value + " was not a valid date: use epoch milliseconds or ISO 8601."};
    if (*ms % 86'400'000 != 0)
      return PropertyError{n, "INVALID_DATE", value + " is not at midnight UTC; date properties take whole days."};
    value = FormatIsoDate(*ms);
  } else if (t == "enumeration" && def->referenced_object_type.empty()) {
    std::string_view rest = value;
    while (true) {
      size_t semi = rest.find(';');
      std::string_view part = rest.substr(0, semi);
      bool multi = def->field_type == "checkbox";
      if (semi != std::string_view::npos && !multi) part = rest;  // a single-choice value may contain ';'
      bool ok = std::any_of(def->options.begin(), def->options.end(),
                            [&](const PropertyOption& o) { return o.value == part; });
      if (!ok && !part.empty()) {
        std::string allowed;
        for (const auto& o : def->options) allowed += (allowed.empty() ? "" : ", ") + o.value;
        return PropertyError{n, "INVALID_OPTION",
                             std::string(part) + " was not one of the allowed options: [" + allowed + "]"};
      }
      if (semi == std::string_view::npos || !multi) break;
      rest = rest.substr(semi + 1);
    }
  } else if (t == "enumeration") {  // owner ids: the options are the portal's owners
    bool ok = std::any_of(def->options.begin(), def->options.end(),
                          [&](const PropertyOption& o) { return o.value == value; });
    if (!ok) return PropertyError{n, "INVALID_OWNER_ID", value + " is not a valid owner id"};
  }
  if (n == "email" && !IsEmail(value)) return PropertyError{n, "INVALID_EMAIL", "Email address " + value + " is invalid"};
  return std::nullopt;
}

std::string PropertyErrorsMessage(const std::vector<PropertyError>& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : errors)
    list.push_back({{"isValid", false}, {"message", e.message}, {"error", e.error}, {"name", e.name}});
  return "Property values were not valid: " + list.dump();
}

namespace {

const std::vector<std::string> kTypes = {"bool", "date", "datetime", "enumeration", "number", "phone_number", "string"};
const std::vector<std::string> kFieldTypes = {"booleancheckbox", "calculation_equation", "checkbox", "date",
                                              "file", "html", "number", "phonenumber", "radio", "select",
                                              "text", "textarea"};

bool Pairs(const std::string& type, const std::string& ft) {
  if (type == "bool") return ft == "booleancheckbox";
  if (type == "enumeration") return ft == "checkbox" || ft == "radio" || ft == "select" || ft == "booleancheckbox";
  if (type == "date" || type == "datetime") return ft == "date";
  if (type == "string") return ft == "text" || ft == "textarea" || ft == "file" || ft == "html" || ft == "phonenumber";
  if (type == "number") return ft == "number" || ft == "calculation_equation";
  if (type == "phone_number") return ft == "phonenumber";
  return false;
}

}  // namespace

std::string ValidateNewProperty(const PropertyDef& d) {
  if (d.name.empty()) return "name is required";
  if (!std::islower(static_cast<unsigned char>(d.name[0])))
    return "Property name '" + d.name + "' must start with a lower-case letter";
  for (char c : d.name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return "Property name '" + d.name + "' may contain only lower-case letters, digits and underscores";
  if (d.name.size() > 100) return "Property name '" + d.name + "' is longer than 100 characters";
  if (d.label.empty()) return "label is required";
  if (d.group_name.empty()) return "groupName is required";
  if (std::find(kTypes.begin(), kTypes.end(), d.type) == kTypes.end())
    return "type '" + d.type + "' is not one of: bool, date, datetime, enumeration, number, phone_number, string";
  if (std::find(kFieldTypes.begin(), kFieldTypes.end(), d.field_type) == kFieldTypes.end())
    return "fieldType '" + d.field_type + "' is not a valid field type";
  if (!Pairs(d.type, d.field_type))
    return "fieldType '" + d.field_type + "' cannot be used with type '" + d.type + "'";
  if (d.type == "enumeration" && d.options.empty()) return "enumeration properties need at least one option";
  return "";
}

std::string PropertyFromJson(const nlohmann::json& body, PropertyDef* def) {
  if (!body.is_object()) return "the body must be a JSON object";
  auto str = [&](const char* key, std::string* out) -> std::string {
    if (!body.contains(key)) return "";
    if (!body[key].is_string()) return std::string(key) + " must be a string";
    *out = body[key].get<std::string>();
    return "";
  };
  for (auto [key, out] : {std::pair{"name", &def->name}, {"label", &def->label}, {"type", &def->type},
                          {"fieldType", &def->field_type}, {"groupName", &def->group_name},
                          {"description", &def->description}}) {
    std::string e = str(key, out);
    if (!e.empty()) return e;
  }
  for (const char* required : {"name", "label", "type", "fieldType", "groupName"})
    if (!body.contains(required)) return std::string(required) + " is required";
  if (body.contains("hasUniqueValue")) {
    if (!body["hasUniqueValue"].is_boolean()) return "hasUniqueValue must be a boolean";
    def->has_unique_value = body["hasUniqueValue"].get<bool>();
  }
  if (body.contains("hidden") && body["hidden"].is_boolean()) def->hidden = body["hidden"].get<bool>();
  if (body.contains("formField") && body["formField"].is_boolean()) def->form_field = body["formField"].get<bool>();
  if (body.contains("displayOrder") && body["displayOrder"].is_number_integer())
    def->display_order = body["displayOrder"].get<int>();
  if (body.contains("options")) {
    if (!body["options"].is_array()) return "options must be an array";
    int order = 0;
    for (const auto& o : body["options"]) {
      if (!o.is_object() || !o.contains("label") || !o.contains("value") || !o["label"].is_string() ||
          !o["value"].is_string())
        return "each option needs a string label and value";
      PropertyOption opt;
      opt.label = o["label"].get<std::string>();
      opt.value = o["value"].get<std::string>();
      if (o.contains("description") && o["description"].is_string()) opt.description = o["description"].get<std::string>();
      opt.display_order = o.contains("displayOrder") && o["displayOrder"].is_number_integer()
                              ? o["displayOrder"].get<int>() : order;
      if (o.contains("hidden") && o["hidden"].is_boolean()) opt.hidden = o["hidden"].get<bool>();
      def->options.push_back(std::move(opt));
      ++order;
    }
  }
  def->hubspot_defined = false;
  def->read_only_definition = false;
  def->archivable = true;
  return "";
}

}  // namespace tajo::sandbox::hubspot
