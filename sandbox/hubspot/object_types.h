// ObjectType: what the sandbox knows about one CRM object type (contacts, companies, deals,
// tickets, the engagements, custom objects): its names and type id (reference §1.1), which
// properties hold its creation and modification times (§2.4), what GET/list/search return when
// no properties are asked for (§1.2), what the search `query` looks at (§2.1), and the OAuth
// scopes its endpoints require.
//
// Scope choice (the specs list long "any of" sets per path; we keep the object's own scopes):
// reads need any of read_scopes, writes any of write_scopes (tickets: "tickets"; engagements are
// readable with their own crm.objects.<type>.read or contacts read, writable with contacts
// write; custom objects crm.objects.custom.*), properties need schema scopes (or object read).
//
// Plain data; ObjectTypeRegistry is not thread-safe (the portal guards it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tajo::sandbox::hubspot {

enum class TypeKind { kContact, kCompany, kDeal, kTicket, kEngagement, kCustom };

struct ObjectType {
  int index = 0;                 // slot in the portal's per-type arrays
  TypeKind kind = TypeKind::kCustom;
  std::string name;              // path name, plural: "contacts", "p_lender"
  std::string singular;          // "contact", "lender"
  std::string type_id;           // "0-1", "2-1234"
  std::string fully_qualified_name;  // custom objects: "p62515_lender"
  std::string created_property;  // "createdate" or "hs_createdate"
  std::string modified_property; // "lastmodifieddate" or "hs_lastmodifieddate"
  std::vector<std::string> default_properties;
  std::vector<std::string> searchable_properties;
  std::vector<std::string> required_properties;  // on create (custom objects, hs_timestamp)
  std::vector<std::string> read_scopes;           // any of
  std::vector<std::string> write_scopes;          // any of
  std::vector<std::string> schema_read_scopes;    // properties API reads (any of)
  std::vector<std::string> schema_write_scopes;   // properties API writes (any of)
  std::string webhook_name;      // "contact", "company", "deal", "ticket"; "" for the others
  // Custom objects (schemas API).
  std::string label_singular, label_plural, primary_display_property;
  std::vector<std::string> secondary_display_properties;
  std::string description;
  int64_t created_ms = 0, updated_ms = 0;
};

class ObjectTypeRegistry {
 public:
  // Registers the built-in types: contacts, companies, deals, tickets, calls, emails, meetings,
  // notes, tasks (in that order: their indexes are 0..8).
  ObjectTypeRegistry();

  // Finds a type by plural name, singular name, type id or (custom) fully qualified name,
  // case-insensitively. nullptr when unknown.
  const ObjectType* Find(std::string_view name) const;
  const ObjectType& at(int index) const { return *types_[static_cast<size_t>(index)]; }
  int size() const { return static_cast<int>(types_.size()); }
  // Adds a custom object type; fills index, type_id ("2-<n>"), scopes and time properties.
  const ObjectType& AddCustom(ObjectType type, int64_t portal_id);
  // Drops every custom type (reset).
  void RemoveCustom();

  static constexpr int kContacts = 0, kCompanies = 1, kDeals = 2, kTickets = 3, kCalls = 4, kEmails = 5,
                       kMeetings = 6, kNotes = 7, kTasks = 8, kBuiltIn = 9;

 private:
  std::vector<std::unique_ptr<ObjectType>> types_;
  // Removed custom types stay allocated: a request may still hold a pointer to one.
  std::vector<std::unique_ptr<ObjectType>> removed_;
  int next_custom_id_ = 1001;
};

}  // namespace tajo::sandbox::hubspot
