// ChangeEvent: one change to the portal's data, as the webhook deliverer will need it (reference
// §6.3): creations, property changes, deletions (archive), restores, merges, privacy deletions
// and association changes, with the source of the change.
//
// Plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tajo::sandbox::hubspot {

struct ChangeEvent {
  enum class Kind { kCreation, kPropertyChange, kDeletion, kRestore, kMerge, kPrivacyDeletion, kAssociationChange };
  Kind kind = Kind::kCreation;
  int type_index = 0;        // ObjectTypeRegistry index of the object
  uint64_t object_id = 0;
  int64_t occurred_ms = 0;
  std::string change_source; // "CRM_API", "CRM_UI", "IMPORT", ...
  std::string source_id;     // "userId:123", an app id, ...
  // kPropertyChange
  std::string property_name;
  std::string property_value;
  // kMerge
  uint64_t primary_object_id = 0;
  std::vector<uint64_t> merged_object_ids;
  uint64_t new_object_id = 0;
  int number_of_properties_moved = 0;
  // kAssociationChange
  int to_type_index = 0;
  uint64_t to_object_id = 0;
  uint32_t association_type_id = 0;
  bool association_removed = false;
  bool is_primary_association = false;
};

// Who makes a change: stamped on the events it produces.
struct WriteSource {
  std::string change_source = "CRM_API";
  std::string source_id;
};

}  // namespace tajo::sandbox::hubspot
