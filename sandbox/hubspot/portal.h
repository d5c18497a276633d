// Portal: the in-memory HubSpot account the sandbox serves — records of every object type,
// their properties, associations, pipelines and owners — with the operations of HubSpot's CRM
// API expressed on C++ types (the HTTP layer, hubspot_api*.cc, only parses and formats JSON).
//
// Behaviour follows the reference (shared/reference/hubspot-api.md): ids are increasing numeric
// strings unique across object types; property values are strings; createdAt/updatedAt and the
// created/modified properties are maintained; archived records are kept apart (list with
// archived=true, restorable); contact emails are unique case-insensitively (409 CONFLICT
// "Contact already exists. Existing ID: N"); writes to unknown or read-only properties are a 400
// "Property values were not valid"; the contact roll-ups num_associated_deals and
// hs_total_deal_value follow the associated deals; merges leave the merged id as an alias of
// the primary record.
//
// Scale: built for a million contacts. A list page or a search page sorted (or range-filtered)
// on the modification date or the id costs time in proportion to the page; see object_store.h.
//
// Thread-safe: one shared_mutex; reads share it, writes take it alone. A change listener, when
// set, is called with the lock held and must only queue the event.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "sandbox/hubspot/api_error.h"
#include "sandbox/hubspot/associations.h"
#include "sandbox/hubspot/change_event.h"
#include "sandbox/hubspot/object_store.h"
#include "sandbox/hubspot/object_types.h"
#include "sandbox/hubspot/property_catalog.h"
#include "sandbox/hubspot/search_request.h"

namespace tajo::sandbox::hubspot {

struct PortalOptions {
  int64_t portal_id = 62515;
  uint64_t first_id = 1001;              // the first record id handed out
  bool empty_properties_as_null = false; // requested properties without a value: omit (docs) or null
  size_t max_associations_per_record = 500;  // in ?associations= responses
  int properties_with_history_max = 50;  // list limit when propertiesWithHistory is asked (UNCONFIRMED)
};

struct PropertySelection {
  std::vector<std::string> names;  // empty: the type's default properties
  std::vector<std::string> with_history;
};

struct AssociatedRef {
  uint64_t id = 0;
  std::string type;  // v3 name: "contact_to_company"
};

struct RecordOut {
  uint64_t id = 0;
  int64_t created_ms = 0, updated_ms = 0, archived_ms = 0;
  bool archived = false;
  std::vector<std::pair<std::string, std::optional<std::string>>> properties;  // nullopt: JSON null
  // propertiesWithHistory: name -> [(value, timestamp ms)] (current value only; no history kept)
  std::vector<std::pair<std::string, std::pair<std::string, int64_t>>> history;
  bool has_associations = false;
  std::vector<std::pair<std::string, std::vector<AssociatedRef>>> associations;  // by to-type name
  std::optional<bool> is_new;          // upsert results
  std::string object_write_trace_id;
};

struct RecordPage {
  std::vector<RecordOut> results;
  std::optional<std::string> next_after;
  int64_t total = -1;  // search only
};

struct AssociationSpec {
  std::string category;  // HUBSPOT_DEFINED, USER_DEFINED, INTEGRATOR_DEFINED, WORK
  uint32_t type_id = 0;
};

struct CreateAssociation {
  std::string to_id;
  std::vector<AssociationSpec> types;
};

struct WriteInput {
  std::string id;           // update/upsert/archive: the id (or idProperty value)
  std::string id_property;  // "" = the record id
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<CreateAssociation> associations;
  std::string object_write_trace_id;
};

struct BatchError {
  ApiError error;
  std::string id;
  std::string object_write_trace_id;
};

struct BatchOut {
  std::vector<RecordOut> results;
  std::vector<BatchError> errors;
};

struct AssociationOut {
  uint64_t to_id = 0;
  struct Type {
    std::string category;
    uint32_t type_id;
    std::optional<std::string> label;
  };
  std::vector<Type> types;
};

struct AssociationPage {
  std::vector<AssociationOut> results;
  std::optional<std::string> next_after;
};

struct Stage {
  std::string id, label;
  int display_order = 0;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::string write_permissions = "CRM_PERMISSIONS_ENFORCEMENT";
  bool is_closed = false, is_won = false;
  std::string probability;
};

struct Pipeline {
  std::string id, label;
  int display_order = 0;
  int64_t created_ms = 0, updated_ms = 0;
  std::vector<Stage> stages;
};

struct Owner {
  std::string id;
  std::string email, first_name, last_name;
  int64_t user_id = 0;
  int64_t created_ms = 0, updated_ms = 0;
  bool archived = false;
  std::vector<std::pair<std::string, std::string>> teams;  // (id, name); the first is primary
};

// What the seeder hands the portal for one record: properties are already valid.
struct SeedRecord {
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  std::vector<std::pair<std::string, std::string>> properties;
};

struct PortalCounts {
  std::string type;
  size_t live = 0, archived = 0;
};

class Portal {
 public:
  Portal(Clock& clock, PortalOptions options = {});
  Portal(const Portal&) = delete;
  Portal& operator=(const Portal&) = delete;

  const PortalOptions& options() const { return options_; }
  int64_t portal_id() const { return options_.portal_id; }

  // A type by path name, singular, type id or fully qualified name; nullptr when unknown.
  // The pointer stays valid for the portal's lifetime.
  const ObjectType* FindType(std::string_view name) const;
  std::vector<const ObjectType*> Types() const;

  // ---- records (CRM v3 objects) ----
  // A page in id order from `after` (the id to start at). REQUIRES: limit >= 1.
  ApiResult<RecordPage> List(const ObjectType& type, int limit, const std::string& after, const PropertySelection& sel,
                             const std::vector<std::string>& associations, bool archived) const;
  // One record by id, or by the value of `id_property` (email, or a unique-value property).
  ApiResult<RecordOut> Get(const ObjectType& type, const std::string& id, const std::string& id_property,
                           const PropertySelection& sel, const std::vector<std::string>& associations,
                           bool archived) const;
  ApiResult<RecordOut> Create(const ObjectType& type, const WriteInput& input, const WriteSource& source);
  ApiResult<RecordOut> Update(const ObjectType& type, const WriteInput& input, const WriteSource& source);
  // Archives; a missing id is not an error (returns false).
  ApiResult<bool> Archive(const ObjectType& type, const std::string& id, const WriteSource& source);
  // Restores an archived record (admin API). 404 when it is not in the archive.
  ApiResult<RecordOut> Restore(const ObjectType& type, uint64_t id, const WriteSource& source);

  // Batches. A batch is atomic unless every input carries an objectWriteTraceId, in which case
  // valid inputs are applied and the others come back in `errors` (HubSpot's 207 mode).
  ApiResult<BatchOut> BatchRead(const ObjectType& type, const std::vector<std::string>& ids,
                                const std::string& id_property, const PropertySelection& sel, bool archived) const;
  ApiResult<BatchOut> BatchCreate(const ObjectType& type, const std::vector<WriteInput>& inputs, const WriteSource& source);
  ApiResult<BatchOut> BatchUpdate(const ObjectType& type, const std::vector<WriteInput>& inputs, const WriteSource& source);
  ApiResult<BatchOut> BatchUpsert(const ObjectType& type, const std::vector<WriteInput>& inputs, const WriteSource& source);
  void BatchArchive(const ObjectType& type, const std::vector<std::string>& ids, const WriteSource& source);

  ApiResult<RecordPage> Search(const ObjectType& type, const SearchRequest& request, int64_t max_results) const;
  ApiResult<RecordOut> Merge(const ObjectType& type, const std::string& primary_id, const std::string& merged_id,
                             const WriteSource& source);
  // Permanently deletes a contact (by id or idProperty). An unknown email is blocklisted (204).
  ApiResult<bool> GdprDelete(const ObjectType& type, const std::string& id, const std::string& id_property,
                             const WriteSource& source);
  bool IsBlocklisted(const std::string& email) const;

  // ---- associations (v4) ----
  ApiResult<AssociationPage> ListAssociations(const ObjectType& from, const std::string& id, const ObjectType& to,
                                              int limit, const std::string& after) const;
  // Creates the default (unlabeled) association; returns the spec used.
  ApiResult<AssociationSpec> AssociateDefault(const ObjectType& from, const std::string& from_id, const ObjectType& to,
                                              const std::string& to_id, const WriteSource& source);
  // Creates the given types; returns the labels now between the pair.
  ApiResult<std::vector<std::string>> Associate(const ObjectType& from, const std::string& from_id,
                                                const ObjectType& to, const std::string& to_id,
                                                const std::vector<AssociationSpec>& specs, const WriteSource& source);
  // Removes every association between the pair (v4 DELETE) or only `specs` (labels archive).
  ApiResult<bool> Disassociate(const ObjectType& from, const std::string& from_id, const ObjectType& to,
                               const std::string& to_id, const std::vector<AssociationSpec>& specs,
                               const WriteSource& source);
  std::vector<AssociationType> AssociationTypes(const ObjectType& from, const ObjectType& to) const;
  ApiResult<uint32_t> CreateAssociationLabel(const ObjectType& from, const ObjectType& to, const std::string& label,
                                             const std::string& inverse_label);
  ApiResult<bool> DeleteAssociationLabel(const ObjectType& from, const ObjectType& to, uint32_t type_id);

  // ---- properties, pipelines, owners ----
  std::vector<PropertyDef> Properties(const ObjectType& type, bool archived) const;
  ApiResult<PropertyDef> Property(const ObjectType& type, const std::string& name) const;
  ApiResult<PropertyDef> CreateProperty(const ObjectType& type, PropertyDef def);
  ApiResult<PropertyDef> ArchiveProperty(const ObjectType& type, const std::string& name);
  std::vector<Pipeline> Pipelines(const ObjectType& type) const;
  std::vector<Owner> Owners() const;
  // A custom object type (schemas API). 409 when the name exists.
  ApiResult<const ObjectType*> CreateSchema(ObjectType type, std::vector<PropertyDef> properties,
                                            const std::vector<std::string>& associated_types);

  // ---- sandbox-only ----
  // Adds records with pre-validated properties (seeding); returns their ids. Emails are indexed.
  std::vector<uint64_t> SeedRecords(const ObjectType& type, std::vector<SeedRecord> records);
  // Associates two records with the default type (and `primary` when the pair has one). No events.
  void SeedAssociate(const ObjectType& from, uint64_t from_id, const ObjectType& to, uint64_t to_id, bool primary);
  // Recomputes every contact's roll-ups (after seeding).
  void RecomputeAllRollups();
  std::vector<PortalCounts> Counts() const;
  size_t MemoryBytes() const;
  // Drops every record, association, custom type and custom property; keeps owners/pipelines.
  void Reset();
  // Sets the listener called (with the lock held) for every change. nullptr to remove.
  void SetChangeListener(std::function<void(const ChangeEvent&)> listener);
  // Ids of live records of `type` (admin mutate picks targets from these), at most `max`.
  std::vector<uint64_t> SampleIds(const ObjectType& type, size_t max, uint64_t seed) const;

 private:
  struct TypeState {
    ObjectStore store;
    PropertyCatalog catalog;
    std::vector<Pipeline> pipelines;
  };

  // All private helpers REQUIRE mu_ held (shared for const ones, exclusive for the others).
  TypeState& state(const ObjectType& t) const { return *states_[static_cast<size_t>(t.index)]; }
  int64_t NowMs() const { return clock_.NowMillis(); }
  std::optional<PropId> FindPid(std::string_view name) const { return names_.Find(name); }
  PropId InternPid(std::string_view name) { return names_.Intern(name); }
  void AddTypeState(const ObjectType& t);
  void LoadDefaults();
  void RefreshEnumerations();

  // Finds a live (or archived) record by id or idProperty, following merge aliases.
  Record* Resolve(const ObjectType& type, const std::string& id, const std::string& id_property, bool archived,
                  ApiError* error) const;
  uint64_t FindByUnique(const ObjectType& type, const std::string& property, const std::string& value) const;
  bool IsUniqueProperty(const ObjectType& type, std::string_view name) const;
  std::optional<std::string> ReadValue(const ObjectType& type, const Record& r, std::string_view name) const;
  RecordOut Snapshot(const ObjectType& type, const Record& r, bool archived, const PropertySelection& sel,
                     const std::vector<std::string>& associations) const;

  // Checks and normalises `props` for a write; fills `errors`. `existing` is null on create.
  std::vector<std::pair<std::string, std::string>> CheckWrite(const ObjectType& type,
                                                               const std::vector<std::pair<std::string, std::string>>& props,
                                                               const Record* existing, bool creating,
                                                               std::vector<PropertyError>* errors) const;
  // Conflict check for unique properties (email...). Returns the holder's id or 0.
  uint64_t UniqueConflict(const ObjectType& type, const std::vector<std::pair<std::string, std::string>>& props,
                          uint64_t self) const;
  ApiError ConflictError(const ObjectType& type, uint64_t existing) const;
  ApiResult<std::vector<std::pair<uint64_t, AssociationSpec>>> CheckAssociations(
      const ObjectType& type, const std::vector<CreateAssociation>& assocs) const;
  Record& DoCreate(const ObjectType& type, const std::vector<std::pair<std::string, std::string>>& props,
                   const WriteSource& source);
  // Applies normalised values; returns the names that changed. Touches updated time if any.
  std::vector<std::string> DoUpdate(const ObjectType& type, Record& r,
                                    const std::vector<std::pair<std::string, std::string>>& props,
                                    const WriteSource& source, bool emit_events = true);
  void IndexKeys(const ObjectType& type, const Record& r, bool add);
  void DoArchive(const ObjectType& type, uint64_t id, const WriteSource& source);
  bool DoAssociate(const ObjectType& from, uint64_t from_id, const ObjectType& to, uint64_t to_id,
                   const AssociationType& t, const WriteSource& source, bool emit);
  void AfterAssociationChange(const ObjectType& a, uint64_t a_id, const ObjectType& b, uint64_t b_id);
  // Emits the pair of association change events (from→to with type_id, to→from with t.inverse) for adding or
  // removing association type `t` (whose id is type_id) between the two records.
  void EmitAssociationChange(const ObjectType& from, uint64_t from_id, const ObjectType& to, uint64_t to_id,
                             const AssociationType& t, uint32_t type_id, bool removed, const WriteSource& source) const;
  void RecomputeRollups(uint64_t contact_id, bool touch);
  void Emit(ChangeEvent event) const;
  const ObjectType& TypeAt(int index) const { return types_.at(index); }
  ApiResult<BatchOut> BatchWrite(const ObjectType& type, const std::vector<WriteInput>& inputs,
                                 const WriteSource& source, int mode);

  Clock& clock_;
  PortalOptions options_;
  mutable std::shared_mutex mu_;
  ObjectTypeRegistry types_;
  AssociationTypeRegistry assoc_types_;
  AssociationGraph graph_;
  NameTable names_;
  std::vector<std::unique_ptr<TypeState>> states_;
  std::vector<Owner> owners_;
  std::unordered_map<uint64_t, uint64_t> merged_into_;   // merged id -> primary id
  std::unordered_map<uint64_t, int> merge_counts_;       // primary id -> merges so far
  std::vector<std::string> blocklist_;
  uint64_t next_id_;
  std::function<void(const ChangeEvent&)> listener_;
};

}  // namespace tajo::sandbox::hubspot
