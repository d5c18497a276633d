#include "sync/field_mapping.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "core/yaml_reader.h"

namespace tajo::sync {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// " (did you mean 'x'?)" when a HubSpot property has a close name, else "".
std::string DidYouMean(const std::string& name, const std::vector<hubspot::PropertyDefinition>& properties) {
  std::vector<std::string_view> names;
  names.reserve(properties.size());
  for (const auto& p : properties) names.push_back(p.name);
  const std::string s = SuggestName(name, names);
  return s.empty() ? "" : fmt::format(" (did you mean '{}'?)", s);
}

// `what` says where the name comes from: "mapped property" or "list rule property".
std::string MissingPropertyError(std::string_view what, const std::string& name,
                                 const std::vector<hubspot::PropertyDefinition>& properties) {
  return fmt::format(
      "Property not mapped: {} '{}' does not exist in HubSpot{}: create the property '{}' in HubSpot "
      "first (Settings > Properties), or correct the name in tajo.yaml",
      what, name, DidYouMean(name, properties), name);
}

}  // namespace

std::string BrevoTypeFor(const hubspot::PropertyDefinition& property) {
  if (property.type == "number") return "float";
  if (property.type == "date" || property.type == "datetime") return "date";
  if (property.type == "bool") return "boolean";
  if (property.type == "enumeration" && property.field_type == "booleancheckbox") return "boolean";
  return "text";
}

Result<FieldMappingPlan> PlanFieldMapping(const HubSpotConfig& config,
                                          const std::vector<hubspot::PropertyDefinition>& hubspot_properties,
                                          const std::vector<brevo::Attribute>& brevo_attributes,
                                          const std::vector<std::string>& extra_properties) {
  std::map<std::string, const hubspot::PropertyDefinition*> properties;
  for (const auto& p : hubspot_properties) properties.emplace(p.name, &p);
  std::map<std::string, const brevo::Attribute*> attributes;  // by upper-case name
  for (const auto& a : brevo_attributes) attributes.emplace(Upper(a.name), &a);

  FieldMappingPlan plan;
  std::vector<std::string> errors;
  std::vector<std::string> missing_errors;  // attributes to create when that is not allowed
  std::set<std::string> wanted = {"email", "lastmodifieddate"};
  std::set<std::string> to_create;
  std::set<std::string> unknown;  // HubSpot properties already reported

  for (const FieldMapping& line : config.field_mapping) {
    if (line.identity) continue;
    wanted.insert(line.hubspot_property);
    auto p = properties.find(line.hubspot_property);
    if (p == properties.end()) {
      if (unknown.insert(line.hubspot_property).second) errors.push_back(MissingPropertyError("mapped property", line.hubspot_property, hubspot_properties));
      continue;
    }
    ResolvedField field;
    field.hubspot_property = line.hubspot_property;
    field.brevo_attribute = Upper(line.brevo_attribute);
    field.property = *p->second;
    auto a = attributes.find(field.brevo_attribute);
    if (a != attributes.end()) {
      field.attribute = *a->second;
      field.attribute.name = field.brevo_attribute;
      if (field.attribute.category == "calculated" || field.attribute.category == "global") {
        errors.push_back(fmt::format(
            "Brevo attribute '{}' (mapped from HubSpot '{}') is a {} attribute: Brevo computes its value "
            "and it cannot be written; map the property to a normal attribute instead",
            field.brevo_attribute, field.hubspot_property, field.attribute.category));
        continue;
      }
    } else {
      field.exists_in_brevo = false;
      field.attribute.name = field.brevo_attribute;
      field.attribute.category = "normal";
      field.attribute.type = BrevoTypeFor(field.property);
      if (!config.create_missing_attributes) {
        missing_errors.push_back(fmt::format(
            "Brevo attribute '{}' (mapped from HubSpot '{}') does not exist: create it in Brevo "
            "(Contacts > Settings > Contact attributes, type {}), or set "
            "connectors.hubspot.create_missing_attributes: true to let tajo create it",
            field.brevo_attribute, field.hubspot_property, field.attribute.type));
        continue;
      }
      if (to_create.insert(field.brevo_attribute).second) plan.missing_attributes.push_back(field.attribute);
    }
    plan.fields.push_back(std::move(field));
  }

  for (const std::string& name : extra_properties) {
    wanted.insert(name);
    if (properties.count(name) == 0 && unknown.insert(name).second) {
      errors.push_back(MissingPropertyError("list rule property", name, hubspot_properties));
    }
  }

  errors.insert(errors.end(), missing_errors.begin(), missing_errors.end());
  if (!errors.empty()) {
    std::string message;
    for (size_t i = 0; i < errors.size(); ++i) {
      if (i > 0) message += '\n';
      message += errors[i];
    }
    return Status::FailedPrecondition(std::move(message));
  }
  plan.hubspot_properties.assign(wanted.begin(), wanted.end());
  return plan;
}

}  // namespace tajo::sync
