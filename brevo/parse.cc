#include "brevo/parse.h"

#include "core/json_reader.h"

namespace tajo::brevo {
namespace {

using nlohmann::json;

Status ReadContact(const JsonReader& r, const json& j, const std::string& path, Contact* c) {
  TAJO_RETURN_IF_ERROR(r.Object(j, path));
  TAJO_RETURN_IF_ERROR(r.Int(j, "id", path, &c->id));
  TAJO_RETURN_IF_ERROR(r.OptionalString(j, "email", path, &c->email));
  TAJO_RETURN_IF_ERROR(r.OptionalBool(j, "emailBlacklisted", path, &c->email_blacklisted));
  TAJO_RETURN_IF_ERROR(r.OptionalBool(j, "smsBlacklisted", path, &c->sms_blacklisted));
  TAJO_RETURN_IF_ERROR(r.OptionalString(j, "createdAt", path, &c->created_at));
  TAJO_RETURN_IF_ERROR(r.OptionalString(j, "modifiedAt", path, &c->modified_at));
  if (j.contains("listIds") && !j["listIds"].is_null()) {
    TAJO_RETURN_IF_ERROR(r.Array(j, "listIds", path));
    const json& ids = j["listIds"];
    for (size_t i = 0; i < ids.size(); ++i) {
      int64_t id = 0;
      TAJO_RETURN_IF_ERROR(r.Integer(ids[i], JsonReader::Index(JsonReader::Join(path, "listIds"), i), &id));
      c->list_ids.push_back(id);
    }
  }
  if (j.contains("attributes") && !j["attributes"].is_null()) {
    TAJO_RETURN_IF_ERROR(r.Object(j["attributes"], JsonReader::Join(path, "attributes")));
    c->attributes = j["attributes"];
  }
  return Status::Ok();
}

Result<json> ParseObject(const JsonReader& r, const std::string& body) {
  auto j = r.Parse(body);
  if (!j.ok()) return j.status();
  TAJO_RETURN_IF_ERROR(r.Object(*j, "body"));
  return j;
}

// The options of a category ("enumeration") or multiple-choice ("multiCategoryOptions")
// attribute; absent or null means none. A label is required; an option value that is not an
// integer (Brevo documents 0 for non-numeric values, with the text in "valueStr") reads as 0.
Status ReadAttributeOptions(const JsonReader& r, const json& j, const std::string& path, Attribute* a) {
  if (j.contains("enumeration") && !j["enumeration"].is_null()) {
    TAJO_RETURN_IF_ERROR(r.Array(j, "enumeration", path));
    const json& options = j["enumeration"];
    const std::string base = JsonReader::Join(path, "enumeration");
    for (size_t i = 0; i < options.size(); ++i) {
      const std::string opath = JsonReader::Index(base, i);
      TAJO_RETURN_IF_ERROR(r.Object(options[i], opath));
      Attribute::Option o;
      TAJO_RETURN_IF_ERROR(r.String(options[i], "label", opath, &o.label));
      for (const char* key : {"value", "valueStr"}) {
        if (options[i].contains(key) && r.Integer(options[i][key], opath, &o.value).ok()) break;
      }
      a->enumeration.push_back(std::move(o));
    }
  }
  if (j.contains("multiCategoryOptions") && !j["multiCategoryOptions"].is_null()) {
    TAJO_RETURN_IF_ERROR(r.Array(j, "multiCategoryOptions", path));
    const json& options = j["multiCategoryOptions"];
    const std::string base = JsonReader::Join(path, "multiCategoryOptions");
    for (size_t i = 0; i < options.size(); ++i) {
      std::string option;
      TAJO_RETURN_IF_ERROR(r.Scalar(options[i], JsonReader::Index(base, i), &option));
      a->multi_options.push_back(std::move(option));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ContactPage> ParseContactPage(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  ContactPage page;
  // An account without contacts may answer {} or {"count":0}.
  TAJO_RETURN_IF_ERROR(r.OptionalInt(*j, "count", "", &page.count));
  if (!j->contains("contacts") || (*j)["contacts"].is_null()) return page;
  TAJO_RETURN_IF_ERROR(r.Array(*j, "contacts", ""));
  const json& contacts = (*j)["contacts"];
  page.contacts.reserve(contacts.size());
  for (size_t i = 0; i < contacts.size(); ++i) {
    Contact c;
    TAJO_RETURN_IF_ERROR(ReadContact(r, contacts[i], JsonReader::Index("contacts", i), &c));
    page.contacts.push_back(std::move(c));
  }
  return page;
}

Result<Contact> ParseContact(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  Contact c;
  TAJO_RETURN_IF_ERROR(ReadContact(r, *j, "body", &c));
  return c;
}

Result<int64_t> ParseCreatedId(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  int64_t id = 0;
  TAJO_RETURN_IF_ERROR(r.Int(*j, "id", "", &id));
  return id;
}

Result<int64_t> ParseProcessId(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  int64_t id = 0;
  TAJO_RETURN_IF_ERROR(r.Int(*j, "processId", "", &id));
  return id;
}

Result<ImportProcess> ParseProcess(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  ImportProcess p;
  TAJO_RETURN_IF_ERROR(r.Int(*j, "id", "", &p.id));
  TAJO_RETURN_IF_ERROR(r.String(*j, "status", "", &p.status));
  TAJO_RETURN_IF_ERROR(r.OptionalString(*j, "name", "", &p.name));
  return p;
}

Result<std::vector<ImportProcess>> ParseProcesses(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  std::vector<ImportProcess> out;
  if (!j->contains("processes") || (*j)["processes"].is_null()) return out;  // none yet
  TAJO_RETURN_IF_ERROR(r.Array(*j, "processes", ""));
  const json& list = (*j)["processes"];
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string path = JsonReader::Index("processes", i);
    TAJO_RETURN_IF_ERROR(r.Object(list[i], path));
    ImportProcess p;
    TAJO_RETURN_IF_ERROR(r.Int(list[i], "id", path, &p.id));
    TAJO_RETURN_IF_ERROR(r.String(list[i], "status", path, &p.status));
    TAJO_RETURN_IF_ERROR(r.OptionalString(list[i], "name", path, &p.name));
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<Attribute>> ParseAttributes(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  TAJO_RETURN_IF_ERROR(r.Array(*j, "attributes", ""));
  std::vector<Attribute> out;
  const json& attrs = (*j)["attributes"];
  for (size_t i = 0; i < attrs.size(); ++i) {
    const std::string path = JsonReader::Index("attributes", i);
    TAJO_RETURN_IF_ERROR(r.Object(attrs[i], path));
    Attribute a;
    TAJO_RETURN_IF_ERROR(r.String(attrs[i], "name", path, &a.name));
    TAJO_RETURN_IF_ERROR(r.OptionalString(attrs[i], "category", path, &a.category));
    TAJO_RETURN_IF_ERROR(r.OptionalString(attrs[i], "type", path, &a.type));
    TAJO_RETURN_IF_ERROR(ReadAttributeOptions(r, attrs[i], path, &a));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<ContactList>> ParseLists(const std::string& endpoint, const std::string& body, int64_t* count) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  *count = 0;
  TAJO_RETURN_IF_ERROR(r.OptionalInt(*j, "count", "", count));
  std::vector<ContactList> out;
  if (!j->contains("lists") || (*j)["lists"].is_null()) return out;  // an account without lists
  TAJO_RETURN_IF_ERROR(r.Array(*j, "lists", ""));
  const json& lists = (*j)["lists"];
  for (size_t i = 0; i < lists.size(); ++i) {
    const std::string path = JsonReader::Index("lists", i);
    TAJO_RETURN_IF_ERROR(r.Object(lists[i], path));
    ContactList l;
    TAJO_RETURN_IF_ERROR(r.Int(lists[i], "id", path, &l.id));
    TAJO_RETURN_IF_ERROR(r.String(lists[i], "name", path, &l.name));
    TAJO_RETURN_IF_ERROR(r.OptionalInt(lists[i], "folderId", path, &l.folder_id));
    out.push_back(std::move(l));
  }
  return out;
}

Result<std::vector<Folder>> ParseFolders(const std::string& endpoint, const std::string& body, int64_t* count) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  *count = 0;
  TAJO_RETURN_IF_ERROR(r.OptionalInt(*j, "count", "", count));
  std::vector<Folder> out;
  if (!j->contains("folders") || (*j)["folders"].is_null()) return out;
  TAJO_RETURN_IF_ERROR(r.Array(*j, "folders", ""));
  const json& folders = (*j)["folders"];
  for (size_t i = 0; i < folders.size(); ++i) {
    const std::string path = JsonReader::Index("folders", i);
    TAJO_RETURN_IF_ERROR(r.Object(folders[i], path));
    Folder f;
    TAJO_RETURN_IF_ERROR(r.Int(folders[i], "id", path, &f.id));
    TAJO_RETURN_IF_ERROR(r.String(folders[i], "name", path, &f.name));
    out.push_back(std::move(f));
  }
  return out;
}

Result<ListMembershipResult> ParseMembership(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  if (!j->contains("contacts")) return r.Missing("contacts");
  const json& c = (*j)["contacts"];
  TAJO_RETURN_IF_ERROR(r.Object(c, "contacts"));
  ListMembershipResult out;
  for (const char* key : {"success", "failure"}) {
    if (!c.contains(key) || c[key].is_null()) continue;
    TAJO_RETURN_IF_ERROR(r.Array(c, key, "contacts"));
    auto& dest = std::string(key) == "success" ? out.success : out.failure;
    for (size_t i = 0; i < c[key].size(); ++i) {
      std::string v;
      TAJO_RETURN_IF_ERROR(r.Scalar(c[key][i], JsonReader::Index(std::string("contacts.") + key, i), &v));
      dest.push_back(std::move(v));
    }
  }
  return out;
}

Result<Account> ParseAccount(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  // Nothing here drives a decision: read what is there and ignore what is odd.
  auto text = [](const json& obj, const char* key) {
    return obj.is_object() && obj.contains(key) && obj[key].is_string() ? obj[key].get<std::string>() : std::string();
  };
  Account a;
  a.email = text(*j, "email");
  a.company_name = text(*j, "companyName");
  if (j->contains("plan") && (*j)["plan"].is_array() && !(*j)["plan"].empty())
    a.plan_type = text((*j)["plan"][0], "type");
  return a;
}

Result<std::vector<Webhook>> ParseWebhooks(const std::string& endpoint, const std::string& body) {
  JsonReader r(endpoint);
  auto j = ParseObject(r, body);
  if (!j.ok()) return j.status();
  std::vector<Webhook> out;
  if (!j->contains("webhooks") || (*j)["webhooks"].is_null()) return out;
  TAJO_RETURN_IF_ERROR(r.Array(*j, "webhooks", ""));
  const json& hooks = (*j)["webhooks"];
  for (size_t i = 0; i < hooks.size(); ++i) {
    const std::string path = JsonReader::Index("webhooks", i);
    TAJO_RETURN_IF_ERROR(r.Object(hooks[i], path));
    Webhook w;
    TAJO_RETURN_IF_ERROR(r.OptionalInt(hooks[i], "id", path, &w.id));
    TAJO_RETURN_IF_ERROR(r.String(hooks[i], "url", path, &w.url));
    TAJO_RETURN_IF_ERROR(r.OptionalString(hooks[i], "description", path, &w.description));
    TAJO_RETURN_IF_ERROR(r.OptionalString(hooks[i], "type", path, &w.type));
    if (hooks[i].contains("events") && hooks[i]["events"].is_array())
      for (const auto& e : hooks[i]["events"])
        if (e.is_string()) w.events.push_back(e.get<std::string>());
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace tajo::brevo
