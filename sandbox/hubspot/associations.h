// Associations between records: the association types (HubSpot-defined ids from reference §3.2,
// plus user-defined labels) and the graph of associated record pairs.
//
// Every association is stored in both directions, each with its own type ids (contact→company
// 279 is company→contact 280). A pair holds up to kMaxTypesPerPair type ids (the unlabeled
// default, "Primary", and labels). Record ids are unique across object types in the sandbox, so
// the graph is keyed by id alone; a record's edges are a small vector scanned in order.
//
// Neither class is thread-safe: the portal guards them.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sandbox/hubspot/object_types.h"

namespace tajo::sandbox::hubspot {

struct AssociationType {
  uint32_t id = 0;
  int from_type = 0;  // ObjectTypeRegistry index
  int to_type = 0;
  std::string category = "HUBSPOT_DEFINED";  // or USER_DEFINED
  std::optional<std::string> label;          // nullopt for the unlabeled default
  uint32_t inverse = 0;
  bool is_default = false;  // the unlabeled type used by "associate default"
  bool is_primary = false;
  std::string v3_name;      // "contact_to_company", "contact_to_company_unlabeled"
};

class AssociationTypeRegistry {
 public:
  // Registers every HubSpot-defined type between the built-in types (reference §3.2).
  explicit AssociationTypeRegistry(const ObjectTypeRegistry& types);

  const AssociationType* Find(uint32_t id) const;
  // The unlabeled default type from `from` to `to`, or nullptr when the pair has none.
  const AssociationType* Default(int from_type, int to_type) const;
  // Every type from `from` to `to` (labels included), by id.
  std::vector<const AssociationType*> Between(int from_type, int to_type) const;
  // Creates a USER_DEFINED label pair (and its inverse, labelled `inverse_label` or `label`);
  // returns the id of the from→to type.
  uint32_t AddLabel(int from_type, int to_type, const std::string& label, const std::string& inverse_label);
  // Creates the unlabeled default pair for a custom object type (and its inverse).
  void AddDefaultPair(int from_type, int to_type, const ObjectTypeRegistry& types);
  // Removes a USER_DEFINED type and its inverse. False when absent or HubSpot-defined.
  bool RemoveLabel(uint32_t id);
  // Drops every USER_DEFINED type and custom-object pair (reset).
  void ResetToDefaults(const ObjectTypeRegistry& types);

 private:
  void Add(AssociationType t);
  void AddPair(int a, int b, uint32_t ab, uint32_t ba, bool is_default, const char* label_ab, const char* label_ba,
               const ObjectTypeRegistry& types);
  void BuildDefaults(const ObjectTypeRegistry& types);
  std::map<uint32_t, AssociationType> types_;
  uint32_t next_user_id_ = 2000;
};

class AssociationGraph {
 public:
  static constexpr size_t kMaxTypesPerPair = 6;

  struct Edge {
    uint64_t to_id = 0;
    int16_t to_type = 0;
    uint8_t count = 0;
    std::array<uint32_t, kMaxTypesPerPair> types{};
    bool Has(uint32_t t) const;
  };

  // Adds type `type_id` from `from` to `to` (and `inverse_id` back). Returns false when the pair
  // already holds kMaxTypesPerPair types and this one is new; true otherwise (also when present).
  bool Add(uint64_t from, int from_type, uint64_t to, int to_type, uint32_t type_id, uint32_t inverse_id);
  // Removes one type from the pair (both directions); the pair goes when no type is left.
  // Returns true when something was removed.
  bool RemoveType(uint64_t from, uint64_t to, uint32_t type_id, uint32_t inverse_id);
  // Removes every type between the pair (both directions). True when they were associated.
  bool RemovePair(uint64_t from, uint64_t to);
  // Removes every edge of `id` (both directions); returns the records it was associated with.
  std::vector<std::pair<uint64_t, int>> RemoveAll(uint64_t id);
  // The edges of `id` (to any type), in insertion order; empty when none.
  const std::vector<Edge>& EdgesOf(uint64_t id) const;
  const Edge* Find(uint64_t from, uint64_t to) const;
  size_t pair_count() const { return directed_edges_ / 2; }
  void Clear();
  size_t MemoryBytes() const;

 private:
  Edge* FindMutable(uint64_t from, uint64_t to);
  std::unordered_map<uint64_t, std::vector<Edge>> edges_;
  size_t directed_edges_ = 0;
};

}  // namespace tajo::sandbox::hubspot
