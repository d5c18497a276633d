#include "sandbox/brevo/attributes.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "sandbox/common/time_format.h"

namespace tajo::sandbox::brevo {
namespace {

// A float in canonical text: integers without a decimal point, others with the shortest
// round-tripping form.
std::string FloatText(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return std::to_string(static_cast<int64_t>(d));
  return fmt::format("{}", d);
}

std::optional<double> ParseNumber(std::string_view s) {
  std::string t(s);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  size_t start = 0;
  while (start < t.size() && std::isspace(static_cast<unsigned char>(t[start]))) ++start;
  if (start == t.size()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(t.c_str() + start, &end);
  if (end != t.c_str() + t.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// "YYYY-MM-DD" (a real calendar date), or the date part of an ISO date-time.
std::optional<std::string> ParseDate(std::string_view s) {
  if (s.size() < 10) return std::nullopt;
  auto millis = ParseIsoMillis(s);
  if (!millis) return std::nullopt;
  std::string date(s.substr(0, 10));
  // ParseIsoMillis accepts day 31 of any month; reject dates that do not exist.
  if (FormatIsoDate(DaysFromCivil(std::stoi(date.substr(0, 4)), static_cast<unsigned>(std::stoi(date.substr(5, 2))),
                                  static_cast<unsigned>(std::stoi(date.substr(8, 2)))) *
                    86'400'000) != date)
    return std::nullopt;
  return date;
}

bool ValidAttributeName(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  if (!std::isalpha(static_cast<unsigned char>(name.front()))) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const char* AttrCategoryName(AttrCategory c) {
  switch (c) {
    case AttrCategory::kNormal: return "normal";
    case AttrCategory::kTransactional: return "transactional";
    case AttrCategory::kCategory: return "category";
    case AttrCategory::kCalculated: return "calculated";
    case AttrCategory::kGlobal: return "global";
  }
  return "normal";
}

std::optional<AttrCategory> ParseAttrCategory(std::string_view s) {
  for (AttrCategory c : {AttrCategory::kNormal, AttrCategory::kTransactional, AttrCategory::kCategory,
                         AttrCategory::kCalculated, AttrCategory::kGlobal})
    if (s == AttrCategoryName(c)) return c;
  return std::nullopt;
}

const char* AttrTypeName(AttrType t) {
  switch (t) {
    case AttrType::kText: return "text";
    case AttrType::kDate: return "date";
    case AttrType::kFloat: return "float";
    case AttrType::kBoolean: return "boolean";
    case AttrType::kId: return "id";
    case AttrType::kCategory: return "category";
    case AttrType::kMultipleChoice: return "multiple-choice";
    case AttrType::kUser: return "user";
    case AttrType::kFormula: return "";
  }
  return "text";
}

std::optional<AttrType> ParseAttrType(std::string_view s) {
  for (AttrType t : {AttrType::kText, AttrType::kDate, AttrType::kFloat, AttrType::kBoolean, AttrType::kId,
                     AttrType::kCategory, AttrType::kMultipleChoice, AttrType::kUser})
    if (s == AttrTypeName(t)) return t;
  return std::nullopt;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> NormalizePhone(std::string_view text) {
  std::string digits;
  bool international = false;
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i < text.size() && text[i] == '+') {
    international = true;
    ++i;
  }
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    else return std::nullopt;
  }
  if (!international && digits.size() >= 2 && digits[0] == '0' && digits[1] == '0') {
    digits.erase(0, 2);
    international = true;
  }
  if (digits.empty() || digits[0] == '0') return std::nullopt;  // national format: no country code
  if (digits.size() < 8 || digits.size() > 15) return std::nullopt;
  return digits;
}

bool IsValidEmail(std::string_view email) {
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = email.substr(at + 1);
  size_t dot = domain.rfind('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  if (email.size() > 254) return false;
  for (char c : email)
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';' || c == '<' || c == '>') return false;
  return true;
}

AttributeCatalog::AttributeCatalog() { Reset(); }

void AttributeCatalog::Reset() {
  defs_.clear();
  by_name_.clear();
  by_id_.clear();
  next_id_ = 1;
  struct Default {
    const char* name;
    IdentifierKind identifier;
  };
  for (const Default& d : {Default{"EMAIL", IdentifierKind::kEmail}, Default{"LASTNAME", IdentifierKind::kNone},
                           Default{"FIRSTNAME", IdentifierKind::kNone}, Default{"SMS", IdentifierKind::kSms},
                           Default{"WHATSAPP", IdentifierKind::kWhatsapp},
                           Default{"LANDLINE_NUMBER", IdentifierKind::kLandline},
                           Default{"EXT_ID", IdentifierKind::kExtId},
                           Default{"CONTACT_TIMEZONE", IdentifierKind::kNone}}) {
    AttributeDef& def = Add(d.name, AttrCategory::kNormal, AttrType::kText);
    def.identifier = d.identifier;
    identifier_ids_[static_cast<int>(d.identifier)] = def.id;
  }
}

AttributeDef& AttributeCatalog::Add(std::string name, AttrCategory category, AttrType type) {
  AttributeDef def;
  def.id = next_id_++;
  def.name = std::move(name);
  def.category = category;
  def.type = type;
  defs_.push_back(std::move(def));
  by_name_[defs_.back().name] = defs_.size() - 1;
  by_id_[defs_.back().id] = defs_.size() - 1;
  return defs_.back();
}

void AttributeCatalog::Reindex() {
  by_name_.clear();
  by_id_.clear();
  for (size_t i = 0; i < defs_.size(); ++i) {
    by_name_[defs_[i].name] = i;
    by_id_[defs_[i].id] = i;
  }
}

const AttributeDef* AttributeCatalog::Find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &defs_[it->second];
}

AttributeDef* AttributeCatalog::FindMutable(std::string_view name) {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &defs_[it->second];
}

const AttributeDef* AttributeCatalog::ById(uint32_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &defs_[it->second];
}

const AttributeDef& AttributeCatalog::Identifier(IdentifierKind kind) const {
  return *ById(identifier_ids_[static_cast<int>(kind)]);
}

std::vector<const AttributeDef*> AttributeCatalog::All() const {
  std::vector<const AttributeDef*> out;
  for (const auto& d : defs_) out.push_back(&d);
  return out;
}

ApiResult<Done> AttributeCatalog::Create(std::string_view category_text, std::string_view name_text,
                                         const nlohmann::json& body) {
  auto category = ParseAttrCategory(category_text);
  if (!category)
    return ApiError::Invalid("attributeCategory \"" + std::string(category_text) +
                             "\" is invalid (normal, transactional, category, calculated, global)");
  std::string name = Upper(name_text);
  if (!ValidAttributeName(name))
    return ApiError::Invalid("attributeName \"" + std::string(name_text) +
                             "\" is invalid: letters, digits, '_' and '-', starting with a letter, at most 100");
  if (Find(name)) return ApiError::Duplicate("Attribute name already exists");
  if (!body.is_object()) return ApiError::Invalid("The request body must be a JSON object");

  AttributeDef def;
  def.name = name;
  def.category = *category;
  std::optional<AttrType> type;
  if (body.contains("type")) {
    if (!body["type"].is_string() || !(type = ParseAttrType(body["type"].get<std::string>())))
      return ApiError::Invalid("type is invalid (text, date, float, boolean, id, category, multiple-choice, user)");
  }
  switch (*category) {
    case AttrCategory::kNormal:
      def.type = type.value_or(AttrType::kText);
      if (def.type == AttrType::kId || def.type == AttrType::kCategory)
        return ApiError::Invalid(std::string("type ") + AttrTypeName(def.type) + " is not available for normal attributes");
      break;
    case AttrCategory::kTransactional:
      def.type = type.value_or(AttrType::kText);
      if (def.type != AttrType::kText && def.type != AttrType::kDate && def.type != AttrType::kFloat &&
          def.type != AttrType::kId)
        return ApiError::Invalid(std::string("type ") + AttrTypeName(def.type) +
                                 " is not available for transactional attributes");
      break;
    case AttrCategory::kCategory:
      def.type = AttrType::kCategory;
      if (type && *type != AttrType::kCategory && *type != AttrType::kText)
        return ApiError::Invalid("category attributes have type category");
      break;
    case AttrCategory::kCalculated:
    case AttrCategory::kGlobal:
      def.type = AttrType::kFormula;
      if (!body.contains("value") || !body["value"].is_string() || body["value"].get<std::string>().empty())
        return ApiError::Missing("value is required for calculated and global attributes");
      def.formula = body["value"].get<std::string>();
      if (body.contains("isRecurring") && !body["isRecurring"].is_null()) {
        if (!body["isRecurring"].is_boolean()) return ApiError::Invalid("isRecurring must be a boolean");
        def.is_recurring = body["isRecurring"].get<bool>();
      }
      break;
  }
  if (def.category == AttrCategory::kCategory) {
    if (!body.contains("enumeration") || !body["enumeration"].is_array() || body["enumeration"].empty())
      return ApiError::Missing("enumeration is required for category attributes");
  } else if (body.contains("enumeration")) {
    return ApiError::Invalid("enumeration is only available for category attributes");
  }
  if (body.contains("enumeration")) {
    for (const auto& e : body["enumeration"]) {
      if (!e.is_object() || !e.contains("value") || !e["value"].is_number_integer() || !e.contains("label") ||
          !e["label"].is_string() || e["label"].get<std::string>().empty() || e["label"].get<std::string>().size() > 200)
        return ApiError::Invalid("each enumeration item needs an integer value and a label of 1 to 200 characters");
      int64_t v = e["value"].get<int64_t>();
      for (const auto& [ev, el] : def.enumeration)
        if (ev == v) return ApiError::Invalid("enumeration value " + std::to_string(v) + " appears twice");
      def.enumeration.emplace_back(v, e["label"].get<std::string>());
    }
  }
  if (def.type == AttrType::kMultipleChoice) {
    if (!body.contains("multiCategoryOptions") || !body["multiCategoryOptions"].is_array() ||
        body["multiCategoryOptions"].empty())
      return ApiError::Missing("multiCategoryOptions is required for multiple-choice attributes");
  } else if (body.contains("multiCategoryOptions")) {
    return ApiError::Invalid("multiCategoryOptions is only available for normal multiple-choice attributes");
  }
  if (body.contains("multiCategoryOptions")) {
    for (const auto& o : body["multiCategoryOptions"]) {
      if (!o.is_string() || o.get<std::string>().empty() || o.get<std::string>().size() > 200)
        return ApiError::Invalid("each multiCategoryOptions item must be a string of 1 to 200 characters");
      if (std::find(def.options.begin(), def.options.end(), o.get<std::string>()) == def.options.end())
        def.options.push_back(o.get<std::string>());
    }
  }
  AttributeDef& added = Add(def.name, def.category, def.type);
  uint32_t id = added.id;
  added = std::move(def);
  added.id = id;
  return Done{};
}

ApiResult<Done> AttributeCatalog::Update(std::string_view category_text, std::string_view name_text,
                                         const nlohmann::json& body) {
  auto category = ParseAttrCategory(category_text);
  if (!category || *category == AttrCategory::kTransactional)
    return ApiError::Invalid("attributeCategory \"" + std::string(category_text) +
                             "\" is invalid (category, calculated, global, normal)");
  AttributeDef* def = FindMutable(Upper(name_text));
  if (!def || def->category != *category) return ApiError::NotFound("Attribute not found");
  if (!body.is_object()) return ApiError::Invalid("The request body must be a JSON object");
  switch (*category) {
    case AttrCategory::kCategory: {
      if (!body.contains("enumeration") || !body["enumeration"].is_array() || body["enumeration"].empty())
        return ApiError::Missing("enumeration is required to update a category attribute");
      std::vector<std::pair<int64_t, std::string>> items;
      for (const auto& e : body["enumeration"]) {
        if (!e.is_object() || !e.contains("value") || !e["value"].is_number_integer() || !e.contains("label") ||
            !e["label"].is_string() || e["label"].get<std::string>().empty())
          return ApiError::Invalid("each enumeration item needs an integer value and a label");
        items.emplace_back(e["value"].get<int64_t>(), e["label"].get<std::string>());
      }
      def->enumeration = std::move(items);
      break;
    }
    case AttrCategory::kCalculated:
    case AttrCategory::kGlobal:
      if (!body.contains("value") || !body["value"].is_string() || body["value"].get<std::string>().empty())
        return ApiError::Missing("value is required to update a calculated or global attribute");
      def->formula = body["value"].get<std::string>();
      break;
    case AttrCategory::kNormal:
      if (def->type != AttrType::kMultipleChoice || !body.contains("multiCategoryOptions") ||
          !body["multiCategoryOptions"].is_array())
        return ApiError::Invalid("only the multiCategoryOptions of a multiple-choice attribute can be updated");
      for (const auto& o : body["multiCategoryOptions"]) {
        if (!o.is_string() || o.get<std::string>().empty())
          return ApiError::Invalid("each multiCategoryOptions item must be a non-empty string");
        if (std::find(def->options.begin(), def->options.end(), o.get<std::string>()) == def->options.end())
          def->options.push_back(o.get<std::string>());
      }
      break;
    case AttrCategory::kTransactional:
      break;
  }
  return Done{};
}

ApiResult<Done> AttributeCatalog::Delete(std::string_view category_text, std::string_view name_text) {
  auto category = ParseAttrCategory(category_text);
  if (!category)
    return ApiError::Invalid("attributeCategory \"" + std::string(category_text) +
                             "\" is invalid (normal, transactional, category, calculated, global)");
  std::string name = Upper(name_text);
  auto it = by_name_.find(name);
  if (it == by_name_.end() || defs_[it->second].category != *category) return ApiError::NotFound("Attribute not found");
  if (defs_[it->second].identifier != IdentifierKind::kNone)
    return ApiError::Invalid("The identifier attribute " + name + " cannot be deleted");
  defs_.erase(defs_.begin() + static_cast<std::ptrdiff_t>(it->second));
  Reindex();
  return Done{};
}

ApiResult<Done> AttributeCatalog::DeleteOption(std::string_view name, std::string_view option) {
  AttributeDef* def = FindMutable(Upper(name));
  if (!def || def->type != AttrType::kMultipleChoice) return ApiError::NotFound("Attribute not found");
  auto it = std::find(def->options.begin(), def->options.end(), option);
  if (it == def->options.end()) return ApiError::NotFound("Attribute option not found");
  def->options.erase(it);
  return Done{};
}

nlohmann::json AttributeCatalog::ToJson() const {
  nlohmann::json list = nlohmann::json::array();
  for (const AttributeDef& d : defs_) {
    nlohmann::json j = {{"name", d.name}, {"category", AttrCategoryName(d.category)}};
    // The reference example lists category attributes with type "text" and an enumeration, and
    // calculated/global attributes with calculatedValue and no type.
    if (d.type == AttrType::kCategory) j["type"] = "text";
    else if (d.type != AttrType::kFormula) j["type"] = AttrTypeName(d.type);
    if (d.category == AttrCategory::kCategory) {
      nlohmann::json e = nlohmann::json::array();
      for (const auto& [v, l] : d.enumeration) e.push_back({{"value", v}, {"label", l}, {"valueStr", std::to_string(v)}});
      j["enumeration"] = std::move(e);
    }
    if (d.type == AttrType::kMultipleChoice) j["multiCategoryOptions"] = d.options;
    if (d.type == AttrType::kFormula) j["calculatedValue"] = d.formula;
    list.push_back(std::move(j));
  }
  return {{"attributes", std::move(list)}};
}

Normalized AttributeCatalog::Normalize(const AttributeDef& def, const nlohmann::json& v) const {
  Normalized out;
  if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) {
    out.kind = def.type == AttrType::kFormula ? Normalized::kIgnore : Normalized::kClear;
    return out;
  }
  auto set = [&](std::string value) {
    out.kind = Normalized::kSet;
    out.value = std::move(value);
    return out;
  };
  switch (def.identifier) {
    case IdentifierKind::kEmail:
      if (v.is_string() && IsValidEmail(v.get<std::string>())) return set(LowerAscii(v.get<std::string>()));
      return out;
    case IdentifierKind::kSms:
    case IdentifierKind::kWhatsapp:
    case IdentifierKind::kLandline: {
      std::optional<std::string> phone;
      if (v.is_string()) phone = NormalizePhone(v.get<std::string>());
      else if (v.is_number_unsigned() || v.is_number_integer()) phone = NormalizePhone(std::to_string(v.get<int64_t>()));
      if (phone) return set(*phone);
      return out;
    }
    case IdentifierKind::kExtId:
      if (v.is_string()) return set(v.get<std::string>());
      if (v.is_number_integer()) return set(std::to_string(v.get<int64_t>()));
      return out;
    case IdentifierKind::kNone:
      break;
  }
  switch (def.type) {
    case AttrType::kText:
    case AttrType::kUser:
    case AttrType::kId:
      if (v.is_string()) return set(v.get<std::string>());
      if (v.is_number_integer()) return set(std::to_string(v.get<int64_t>()));
      if (v.is_number()) return set(FloatText(v.get<double>()));
      return out;
    case AttrType::kFloat:
      if (v.is_number()) return set(FloatText(v.get<double>()));
      if (v.is_string()) {
        if (auto d = ParseNumber(v.get<std::string>())) return set(FloatText(*d));
      }
      return out;
    case AttrType::kBoolean:
      if (v.is_boolean()) return set(v.get<bool>() ? "true" : "false");
      if (v.is_string()) {
        std::string s = LowerAscii(v.get<std::string>());
        if (s == "true" || s == "yes" || s == "1") return set("true");
        if (s == "false" || s == "no" || s == "0") return set("false");
      }
      return out;
    case AttrType::kDate:
      if (v.is_string()) {
        if (auto d = ParseDate(v.get<std::string>())) return set(*d);
      }
      return out;
    case AttrType::kCategory: {
      std::optional<int64_t> wanted;
      if (v.is_number_integer()) wanted = v.get<int64_t>();
      else if (v.is_string()) {
        std::string s = v.get<std::string>();
        for (const auto& [ev, el] : def.enumeration)
          if (LowerAscii(el) == LowerAscii(s)) wanted = ev;
        if (!wanted) {
          if (auto d = ParseNumber(s); d && *d == std::floor(*d)) wanted = static_cast<int64_t>(*d);
        }
      }
      if (wanted) {
        for (const auto& [ev, el] : def.enumeration)
          if (ev == *wanted) return set(std::to_string(ev));
      }
      return out;
    }
    case AttrType::kMultipleChoice: {
      std::vector<std::string> given;
      if (v.is_array()) {
        for (const auto& item : v)
          if (item.is_string()) given.push_back(item.get<std::string>());
      } else if (v.is_string()) {
        std::string s = v.get<std::string>();
        size_t pos = 0;
        while (pos <= s.size()) {
          size_t comma = s.find(',', pos);
          std::string part = s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
          while (!part.empty() && part.front() == ' ') part.erase(0, 1);
          while (!part.empty() && part.back() == ' ') part.pop_back();
          if (!part.empty()) given.push_back(part);
          pos = comma == std::string::npos ? s.size() + 1 : comma + 1;
        }
      }
      nlohmann::json kept = nlohmann::json::array();
      for (const std::string& g : given)
        if (std::find(def.options.begin(), def.options.end(), g) != def.options.end() &&
            std::find(kept.begin(), kept.end(), g) == kept.end())
          kept.push_back(g);
      if (v.is_array() && v.empty()) return Normalized{Normalized::kClear, ""};
      if (kept.empty()) return out;
      return set(kept.dump());
    }
    case AttrType::kFormula:
      return out;
  }
  return out;
}

nlohmann::json AttributeCatalog::Render(const AttributeDef& def, const std::string& stored, bool category_as_label) const {
  if (def.identifier != IdentifierKind::kNone) return stored;
  switch (def.type) {
    case AttrType::kFloat: {
      char* end = nullptr;
      double d = std::strtod(stored.c_str(), &end);
      if (d == std::floor(d) && std::fabs(d) < 9.0e15) return static_cast<int64_t>(d);
      return d;
    }
    case AttrType::kBoolean:
      return stored == "true";
    case AttrType::kCategory: {
      int64_t v = std::strtoll(stored.c_str(), nullptr, 10);
      if (category_as_label)
        for (const auto& [ev, el] : def.enumeration)
          if (ev == v) return el;
      return v;
    }
    case AttrType::kMultipleChoice: {
      nlohmann::json arr = nlohmann::json::parse(stored, nullptr, false);
      return arr.is_discarded() ? nlohmann::json::array() : arr;
    }
    default:
      return stored;
  }
}

}  // namespace tajo::sandbox::brevo
