// PropertyCatalog: the property definitions of one object type (HubSpot's Properties API model,
// reference §4.1) and the rules a written value must follow.
//
// A write is checked against its property: it must exist (else PROPERTY_DOESNT_EXIST), must not
// be read-only (READ_ONLY_VALUE), and must fit its type: numbers parse, booleans are true/false,
// enumerations use option values (";"-separated for checkboxes), dates and datetimes are epoch
// milliseconds or ISO-8601. Values are normalised the way the API returns them: datetimes to
// "2024-01-17T19:55:04.281Z", dates to "2024-01-17", booleans to lower case.
//
// Not thread-safe: the portal guards it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tajo::sandbox::hubspot {

struct PropertyOption {
  std::string label;
  std::string value;
  std::string description;
  int display_order = 0;
  bool hidden = false;
};

struct PropertyDef {
  std::string name;
  std::string label;
  std::string type;        // bool, date, datetime, enumeration, number, phone_number, string
  std::string field_type;  // booleancheckbox, checkbox, date, number, phonenumber, radio, select, text, textarea, ...
  std::string group_name;
  std::string description;
  std::vector<PropertyOption> options;
  int display_order = -1;
  bool hidden = false;
  bool form_field = false;
  bool has_unique_value = false;
  bool hubspot_defined = true;
  bool calculated = false;
  bool read_only_value = false;       // the API may not write it
  bool read_only_definition = true;   // the definition may not be changed
  bool archivable = false;
  bool show_currency_symbol = false;
  std::string referenced_object_type;  // "OWNER" for hubspot_owner_id
  int64_t created_ms = 0, updated_ms = 0;
  bool archived = false;
  int64_t archived_ms = 0;

  // The Property JSON object of the Properties API.
  nlohmann::json ToJson() const;
};

// One rejected property value, as HubSpot lists them in "Property values were not valid: [...]".
struct PropertyError {
  std::string name;
  std::string error;    // PROPERTY_DOESNT_EXIST, READ_ONLY_VALUE, INVALID_INTEGER, INVALID_OPTION, ...
  std::string message;  // "Property \"x\" does not exist"
};

class PropertyCatalog {
 public:
  // Adds or replaces a definition.
  void Put(PropertyDef def);
  // The live (not archived) definition of `name`, or nullptr.
  const PropertyDef* Find(std::string_view name) const;
  PropertyDef* FindMutable(std::string_view name);
  // Definitions in display order then name; archived ones only when `archived` (and then only them).
  std::vector<const PropertyDef*> List(bool archived) const;
  // Replaces the options of an enumeration (owners, pipelines and stages change at run time).
  void SetOptions(std::string_view name, std::vector<PropertyOption> options);
  size_t unique_count() const;

  // Checks and normalises one written value. "" always passes (it clears the property).
  // `allow_read_only` lets the sandbox itself (seeding, roll-ups) write calculated properties.
  std::optional<PropertyError> CheckValue(std::string_view name, std::string& value, bool allow_read_only = false) const;

 private:
  std::map<std::string, std::unique_ptr<PropertyDef>, std::less<>> defs_;
};

// HubSpot's "Property values were not valid: [...]" message for a list of errors (each entry
// {"isValid":false,"message":...,"error":...,"name":...}).
std::string PropertyErrorsMessage(const std::vector<PropertyError>& errors);

// Validates the definition of a property created through the API (name syntax, type, fieldType
// and their pairing, options for enumerations). Returns a message naming the problem, or "".
std::string ValidateNewProperty(const PropertyDef& def);

// Parses a PropertyCreate JSON body. Returns a message naming the problem, or "".
std::string PropertyFromJson(const nlohmann::json& body, PropertyDef* def);

// The built-in definitions for one of the built-in object types (by ObjectTypeRegistry index).
std::vector<PropertyDef> DefaultProperties(int type_index);

// Lifecycle stages in their forward order (subscriber ... customer, evangelist, other).
const std::vector<std::string>& LifecycleStages();

}  // namespace tajo::sandbox::hubspot
