// AttributeCatalog: the contact attributes of one Brevo account (reference §3) — their
// definitions (category, type, category enumeration, multiple-choice options, formula), the
// defaults of a fresh account, and the typing rules for contact values: a value that does not fit
// its attribute's type is ignored, not stored, and not an error (reference §2.2, §3).
//
// Values are stored as canonical text (see Normalize) and turned back into JSON by Render, so a
// contact costs one small string per attribute whatever the type.
//
// Not thread-safe: the Account that owns it guards it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/brevo/api_error.h"

namespace tajo::sandbox::brevo {

enum class AttrCategory { kNormal, kTransactional, kCategory, kCalculated, kGlobal };
enum class AttrType { kText, kDate, kFloat, kBoolean, kId, kCategory, kMultipleChoice, kUser, kFormula };

const char* AttrCategoryName(AttrCategory c);
std::optional<AttrCategory> ParseAttrCategory(std::string_view s);
const char* AttrTypeName(AttrType t);  // "multiple-choice", ...
std::optional<AttrType> ParseAttrType(std::string_view s);

// Identifier attributes: their values are unique across contacts and they cannot be deleted.
enum class IdentifierKind { kNone, kEmail, kSms, kExtId, kWhatsapp, kLandline };

struct AttributeDef {
  uint32_t id = 0;  // internal; never reused, so a deleted attribute's values stay invisible
  std::string name;
  AttrCategory category = AttrCategory::kNormal;
  AttrType type = AttrType::kText;
  std::vector<std::pair<int64_t, std::string>> enumeration;  // category attributes: value, label
  std::vector<std::string> options;                          // multiple-choice options
  std::string formula;                                       // calculated / global
  bool is_recurring = false;
  IdentifierKind identifier = IdentifierKind::kNone;
};

// What a value written to an attribute amounts to.
struct Normalized {
  enum Kind { kSet, kClear, kIgnore } kind = kIgnore;
  std::string value;  // canonical text when kSet
};

// Digits of an international phone number ("+33 6 12 34 56 78", "0033612345678" and
// "33612345678" all give "33612345678"), or nullopt when there is no country code (a national
// number starting with one 0) or it is not 8..15 digits.
std::optional<std::string> NormalizePhone(std::string_view text);

// True for a plausible email address (one '@', a dot in the domain, no spaces).
bool IsValidEmail(std::string_view email);
std::string LowerAscii(std::string_view s);

class AttributeCatalog {
 public:
  AttributeCatalog();  // with the defaults
  AttributeCatalog(const AttributeCatalog&) = delete;
  AttributeCatalog& operator=(const AttributeCatalog&) = delete;

  // Back to a fresh account's attributes: EMAIL, FIRSTNAME, LASTNAME, SMS, WHATSAPP,
  // LANDLINE_NUMBER, EXT_ID (normal, text; the identifiers unique) and CONTACT_TIMEZONE.
  void Reset();

  // The attribute named exactly `name` (names are upper case), or null.
  const AttributeDef* Find(std::string_view name) const;
  const AttributeDef* ById(uint32_t id) const;
  const AttributeDef& Identifier(IdentifierKind kind) const;
  std::vector<const AttributeDef*> All() const;  // in creation order

  // POST /contacts/attributes/{category}/{name} with `body` (createAttribute). Errors: 400
  // invalid_parameter for a bad category, name, type or option set; 400 duplicate_parameter when
  // the name exists.
  ApiResult<Done> Create(std::string_view category, std::string_view name, const nlohmann::json& body);
  // PUT (updateAttribute): enumeration (category), value (calculated/global), multiCategoryOptions
  // added (normal multiple-choice). 404 when no attribute of that category and name.
  ApiResult<Done> Update(std::string_view category, std::string_view name, const nlohmann::json& body);
  // DELETE. 404 when missing; 400 for identifier attributes.
  ApiResult<Done> Delete(std::string_view category, std::string_view name);
  // DELETE /contacts/attributes/multiple-choice/{name}/{option}.
  ApiResult<Done> DeleteOption(std::string_view name, std::string_view option);

  // {"attributes": [...]} as GET /contacts/attributes returns it.
  nlohmann::json ToJson() const;

  // The value `v` written to `def`: kSet with canonical text, kClear for null or "", kIgnore when
  // it does not fit the type (or the attribute is calculated/global, which contacts cannot set).
  // Identifier attributes are normalized (phones to digits, EMAIL to lower case) and an invalid
  // identifier is kIgnore; callers that must reject it check first.
  Normalized Normalize(const AttributeDef& def, const nlohmann::json& v) const;
  // The stored text back as JSON (numbers, booleans, arrays, category labels or values).
  nlohmann::json Render(const AttributeDef& def, const std::string& stored, bool category_as_label) const;

 private:
  AttributeDef& Add(std::string name, AttrCategory category, AttrType type);
  AttributeDef* FindMutable(std::string_view name);

  std::vector<AttributeDef> defs_;  // live definitions, creation order
  std::map<std::string, size_t, std::less<>> by_name_;
  std::map<uint32_t, size_t> by_id_;
  uint32_t next_id_ = 1;
  uint32_t identifier_ids_[6] = {0, 0, 0, 0, 0, 0};
  void Reindex();
};

}  // namespace tajo::sandbox::brevo
