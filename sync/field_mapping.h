// The field mapping, resolved against both accounts: each configured line
// (connectors.hubspot.field_mapping) paired with the HubSpot property definition it reads and the
// Brevo attribute it writes, and the conversion between their types.
//
// PlanFieldMapping is the check a sync makes before it writes anything:
//   - a mapped HubSpot property that does not exist is an error naming it (the product
//     document's "Property not mapped": create the property in HubSpot first);
//   - a mapped Brevo attribute that does not exist is listed in `missing_attributes` with the
//     type it should be created with (from the HubSpot property type); when
//     create_missing_attributes is false that is an error listing them all instead;
//   - a Brevo attribute that cannot be written (calculated or global) is an error.
//
// Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "brevo/types.h"
#include "core/config.h"
#include "core/status.h"
#include "hubspot/types.h"

namespace tajo::sync {

// One mapped field, resolved.
struct ResolvedField {
  std::string hubspot_property;           // e.g. "lifecyclestage"
  std::string brevo_attribute;            // e.g. "LIFECYCLE_STAGE" (upper case)
  hubspot::PropertyDefinition property;   // its HubSpot definition (type, options)
  brevo::Attribute attribute;             // its Brevo definition (existing or to be created)
  bool exists_in_brevo = true;            // false: to be created before the first write
};

struct FieldMappingPlan {
  std::vector<ResolvedField> fields;  // config order, identity (email) excluded
  // The HubSpot properties a read must ask for: email, every mapped property, every property a
  // list rule reads (`extra_properties`), lastmodifieddate. Sorted, unique.
  std::vector<std::string> hubspot_properties;
  // Attributes to create (POST /contacts/attributes/normal/{name}), in config order.
  std::vector<brevo::Attribute> missing_attributes;
};

// REQUIRES: `hubspot_properties` is GET /crm/v3/properties/contacts, `brevo_attributes` is
// GET /contacts/attributes. `extra_properties`: HubSpot properties read by list rules (they
// must exist too). Fails with kFailedPrecondition naming every problem (one per line).
Result<FieldMappingPlan> PlanFieldMapping(const HubSpotConfig& config,
                                          const std::vector<hubspot::PropertyDefinition>& hubspot_properties,
                                          const std::vector<brevo::Attribute>& brevo_attributes,
                                          const std::vector<std::string>& extra_properties = {});

// The Brevo attribute type a HubSpot property becomes when tajo creates the attribute:
// number -> float, date/datetime -> date, bool (and booleancheckbox enumerations) -> boolean,
// everything else (string, enumeration, phone_number) -> text.
std::string BrevoTypeFor(const hubspot::PropertyDefinition& property);

}  // namespace tajo::sync
