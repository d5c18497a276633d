#include "sandbox/hubspot/object_types.h"

#include "http/message.h"

namespace tajo::sandbox::hubspot {
namespace {

std::unique_ptr<ObjectType> Make(TypeKind kind, std::string name, std::string singular, std::string type_id) {
  auto t = std::make_unique<ObjectType>();
  t->kind = kind;
  t->name = std::move(name);
  t->singular = std::move(singular);
  t->type_id = std::move(type_id);
  bool engagement = kind == TypeKind::kEngagement;
  t->created_property = engagement ? "hs_createdate" : "createdate";
  t->modified_property = kind == TypeKind::kContact ? "lastmodifieddate" : "hs_lastmodifieddate";
  if (kind == TypeKind::kTicket) {
    t->read_scopes = t->write_scopes = {"tickets"};
    t->schema_read_scopes = {"crm.schemas.tickets.read", "tickets"};
    t->schema_write_scopes = {"crm.schemas.tickets.write", "tickets"};
  } else if (engagement) {
    t->read_scopes = {"crm.objects." + t->name + ".read", "crm.objects.contacts.read"};
    t->write_scopes = {"crm.objects." + t->name + ".write", "crm.objects.contacts.write"};
    t->schema_read_scopes = {"crm.schemas." + t->name + ".read", "crm.objects." + t->name + ".read",
                             "crm.objects.contacts.read"};
    t->schema_write_scopes = {"crm.schemas." + t->name + ".write", "crm.schemas.contacts.write"};
  } else {
    t->read_scopes = {"crm.objects." + t->name + ".read"};
    t->write_scopes = {"crm.objects." + t->name + ".write"};
    t->schema_read_scopes = {"crm.schemas." + t->name + ".read", "crm.objects." + t->name + ".read"};
    t->schema_write_scopes = {"crm.schemas." + t->name + ".write"};
  }
  return t;
}

}  // namespace

ObjectTypeRegistry::ObjectTypeRegistry() {
  auto contacts = Make(TypeKind::kContact, "contacts", "contact", "0-1");
  contacts->default_properties = {"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"};
  contacts->searchable_properties = {"firstname", "lastname", "email", "phone", "hs_additional_emails",
                                     "fax", "mobilephone", "company", "hs_marketable_until_renewal"};
  contacts->webhook_name = "contact";
  auto companies = Make(TypeKind::kCompany, "companies", "company", "0-2");
  companies->default_properties = {"name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"};
  companies->searchable_properties = {"name", "domain", "website", "phone"};
  companies->webhook_name = "company";
  auto deals = Make(TypeKind::kDeal, "deals", "deal", "0-3");
  deals->default_properties = {"dealname", "amount", "closedate", "pipeline", "dealstage", "createdate",
                               "hs_lastmodifieddate", "hs_object_id"};
  deals->searchable_properties = {"dealname"};
  deals->webhook_name = "deal";
  auto tickets = Make(TypeKind::kTicket, "tickets", "ticket", "0-5");
  tickets->default_properties = {"content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category",
                                 "hs_ticket_priority", "subject", "createdate", "hs_lastmodifieddate", "hs_object_id"};
  tickets->searchable_properties = {"subject", "content"};
  tickets->webhook_name = "ticket";
  types_.push_back(std::move(contacts));
  types_.push_back(std::move(companies));
  types_.push_back(std::move(deals));
  types_.push_back(std::move(tickets));
  struct Eng {
    const char* name;
    const char* singular;
    const char* id;
    std::vector<std::string> searchable;
  };
  for (const Eng& e : {Eng{"calls", "call", "0-48", {"hs_call_title", "hs_call_body"}},
                       Eng{"emails", "email", "0-49", {"hs_email_subject", "hs_email_text"}},
                       Eng{"meetings", "meeting", "0-47", {"hs_meeting_title", "hs_meeting_body"}},
                       Eng{"notes", "note", "0-46", {"hs_note_body"}},
                       Eng{"tasks", "task", "0-27", {"hs_task_subject", "hs_task_body"}}}) {
    auto t = Make(TypeKind::kEngagement, e.name, e.singular, e.id);
    t->default_properties = {"hs_createdate", "hs_lastmodifieddate", "hs_object_id"};
    t->searchable_properties = e.searchable;
    t->required_properties = {"hs_timestamp"};
    types_.push_back(std::move(t));
  }
  for (size_t i = 0; i < types_.size(); ++i) types_[i]->index = static_cast<int>(i);
}

const ObjectType* ObjectTypeRegistry::Find(std::string_view name) const {
  for (const auto& t : types_) {
    if (http::EqualsIgnoreCase(name, t->name) || http::EqualsIgnoreCase(name, t->singular) ||
        http::EqualsIgnoreCase(name, t->type_id) ||
        (!t->fully_qualified_name.empty() && http::EqualsIgnoreCase(name, t->fully_qualified_name)))
      return t.get();
  }
  return nullptr;
}

const ObjectType& ObjectTypeRegistry::AddCustom(ObjectType type, int64_t portal_id) {
  auto t = std::make_unique<ObjectType>(std::move(type));
  t->kind = TypeKind::kCustom;
  t->index = static_cast<int>(types_.size());
  t->type_id = std::string("2-").append(std::to_string(next_custom_id_++));
  std::string base = t->singular.empty() ? t->name : t->singular;
  t->fully_qualified_name = std::string("p").append(std::to_string(portal_id)).append("_").append(base);
  if (t->singular.empty()) t->singular = base;
  t->name = std::string("p_").append(base);  // (not "p_" + base: a GCC 12 -Wrestrict false positive)
  t->created_property = "hs_createdate";
  t->modified_property = "hs_lastmodifieddate";
  t->default_properties = {"hs_createdate", "hs_lastmodifieddate", "hs_object_id"};
  if (!t->primary_display_property.empty()) t->default_properties.push_back(t->primary_display_property);
  t->read_scopes = {"crm.objects.custom.read"};
  t->write_scopes = {"crm.objects.custom.write"};
  t->schema_read_scopes = {"crm.schemas.custom.read", "crm.objects.custom.read"};
  t->schema_write_scopes = {"crm.schemas.custom.write"};
  types_.push_back(std::move(t));
  return *types_.back();
}

void ObjectTypeRegistry::RemoveCustom() {
  while (types_.size() > static_cast<size_t>(kBuiltIn)) {
    removed_.push_back(std::move(types_.back()));
    types_.pop_back();
  }
  next_custom_id_ = 1001;
}

}  // namespace tajo::sandbox::hubspot
