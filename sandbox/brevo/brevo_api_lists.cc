// BrevoSandbox: attributes (reference §3), folders and lists (reference §4).
#include "sandbox/brevo/brevo_sandbox.h"

namespace tajo::sandbox::brevo {
namespace {

// Whether a folder/list body is an object with a string "name".
bool HasStringName(const nlohmann::json& body) {
  return body.is_object() && body.contains("name") && body["name"].is_string();
}

}  // namespace

// ---- Attributes.

http::HttpResponse BrevoSandbox::ListAttributes(http::HttpRequest&, const KeyInfo&) {
  return Json(200, account_.AttributesJson());
}

http::HttpResponse BrevoSandbox::CreateAttribute(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body = nlohmann::json::object();
  http::HttpResponse error;
  if (!r.body.empty() && !ParseBody(r, &body, &error)) return error;
  auto done = account_.CreateAttribute(r.Param("attributeCategory"), r.Param("attributeName"), body);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(201);
}

http::HttpResponse BrevoSandbox::UpdateAttribute(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  auto done = account_.UpdateAttribute(r.Param("attributeCategory"), r.Param("attributeName"), body);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::DeleteAttribute(http::HttpRequest& r, const KeyInfo&) {
  auto done = account_.DeleteAttribute(r.Param("attributeCategory"), r.Param("attributeName"));
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::DeleteAttributeOption(http::HttpRequest& r, const KeyInfo&) {
  if (r.Param("attributeType") != "multiple-choice")
    return Error(ApiError::Invalid("attributeType must be multiple-choice"));
  auto done = account_.DeleteAttributeOption(r.Param("multipleChoiceAttribute"), r.Param("multipleChoiceAttributeOption"));
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

// ---- Folders.

http::HttpResponse BrevoSandbox::ListFolders(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  size_t limit = 0, offset = 0;
  bool descending = true;
  if (!QueryPage(r, &limit, &offset, &descending, &error)) return error;
  return Json(200, account_.ListFolders(limit, offset, descending));
}

http::HttpResponse BrevoSandbox::CreateFolder(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  if (!HasStringName(body)) return Error(ApiError::Missing("name is required"));
  auto id = account_.CreateFolder(body["name"].get<std::string>());
  if (!id.ok()) return Error(id.error());
  return Json(201, {{"id", id.value()}});
}

http::HttpResponse BrevoSandbox::GetFolder(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  if (!PathId(r, "folderId", &id, &error)) return error;
  auto folder = account_.GetFolder(id);
  if (!folder.ok()) return Error(folder.error());
  return Json(200, folder.value());
}

http::HttpResponse BrevoSandbox::UpdateFolder(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  nlohmann::json body;
  if (!PathId(r, "folderId", &id, &error) || !ParseBody(r, &body, &error)) return error;
  if (!HasStringName(body)) return Error(ApiError::Missing("name is required"));
  auto done = account_.UpdateFolder(id, body["name"].get<std::string>());
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::DeleteFolder(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  if (!PathId(r, "folderId", &id, &error)) return error;
  auto done = account_.DeleteFolder(id);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::FolderLists(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  size_t limit = 0, offset = 0;
  bool descending = true;
  if (!PathId(r, "folderId", &id, &error) || !QueryPage(r, &limit, &offset, &descending, &error)) return error;
  auto lists = account_.FolderLists(id, limit, offset, descending);
  if (!lists.ok()) return Error(lists.error());
  return Json(200, lists.value());
}

// ---- Lists.

http::HttpResponse BrevoSandbox::ListLists(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  size_t limit = 0, offset = 0;
  bool descending = true;
  if (!QueryPage(r, &limit, &offset, &descending, &error)) return error;
  return Json(200, account_.ListLists(limit, offset, descending));
}

http::HttpResponse BrevoSandbox::CreateList(http::HttpRequest& r, const KeyInfo&) {
  nlohmann::json body;
  http::HttpResponse error;
  if (!ParseBody(r, &body, &error)) return error;
  if (!HasStringName(body)) return Error(ApiError::Missing("name is required"));
  if (!body.contains("folderId") || !body["folderId"].is_number_integer())
    return Error(ApiError::Missing("folderId is required"));
  auto id = account_.CreateList(body["name"].get<std::string>(), body["folderId"].get<int64_t>());
  if (!id.ok()) return Error(id.error());
  return Json(201, {{"id", id.value()}});
}

http::HttpResponse BrevoSandbox::GetList(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  if (!PathId(r, "listId", &id, &error)) return error;
  auto list = account_.GetList(id);
  if (!list.ok()) return Error(list.error());
  return Json(200, list.value());
}

http::HttpResponse BrevoSandbox::UpdateList(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  nlohmann::json body;
  if (!PathId(r, "listId", &id, &error) || !ParseBody(r, &body, &error)) return error;
  if (!body.is_object()) return Error(ApiError::Invalid("The request body must be a JSON object"));
  std::optional<std::string> name;
  std::optional<int64_t> folder;
  if (body.contains("name") && !body["name"].is_null()) {
    if (!body["name"].is_string()) return Error(ApiError::Invalid("name must be a string"));
    name = body["name"].get<std::string>();
  }
  if (body.contains("folderId") && !body["folderId"].is_null()) {
    if (!body["folderId"].is_number_integer()) return Error(ApiError::Invalid("folderId must be an integer"));
    folder = body["folderId"].get<int64_t>();
  }
  auto done = account_.UpdateList(id, name, folder);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::DeleteList(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0;
  if (!PathId(r, "listId", &id, &error)) return error;
  auto done = account_.DeleteList(id);
  if (!done.ok()) return Error(done.error());
  return http::HttpResponse::Empty(204);
}

http::HttpResponse BrevoSandbox::ListMembers(http::HttpRequest& r, const KeyInfo&) {
  http::HttpResponse error;
  int64_t id = 0, limit = 0, offset = 0;
  ContactQuery q;
  if (!PathId(r, "listId", &id, &error) || !QueryInt(r, "limit", 50, 0, 500, &limit, &error) ||
      !QueryInt(r, "offset", 0, 0, INT64_MAX / 2, &offset, &error) || !QuerySort(r, &q.descending, &error) ||
      !QueryTime(r, "modifiedSince", &q.modified_since_ms, &error))
    return error;
  q.limit = static_cast<size_t>(limit);
  q.offset = static_cast<size_t>(offset);
  auto page = account_.ListMembers(id, q);
  if (!page.ok()) return Error(page.error());
  return Json(200, page.value());
}

http::HttpResponse BrevoSandbox::ListMembersBody(http::HttpRequest& r, const KeyInfo& k, bool add) {
  http::HttpResponse error;
  int64_t id = 0;
  nlohmann::json body;
  if (!PathId(r, "listId", &id, &error) || !ParseBody(r, &body, &error)) return error;
  if (!body.is_object()) return Error(ApiError::Invalid("The request body must be a JSON object"));
  ListMembersInput in;
  int given = 0;
  for (const char* key : {"emails", "extIds"}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    ++given;
    if (!body[key].is_array()) return Error(ApiError::Invalid(std::string(key) + " must be an array of strings"));
    in.by = std::string(key) == "emails" ? ListMembersInput::By::kEmails : ListMembersInput::By::kExtIds;
    for (const auto& v : body[key]) {
      if (!v.is_string()) return Error(ApiError::Invalid(std::string(key) + " must be an array of strings"));
      in.emails_or_ext_ids.push_back(v.get<std::string>());
    }
  }
  if (body.contains("ids") && !body["ids"].is_null()) {
    ++given;
    if (!body["ids"].is_array()) return Error(ApiError::Invalid("ids must be an array of contact ids"));
    in.by = ListMembersInput::By::kIds;
    for (const auto& v : body["ids"]) {
      if (!v.is_number_integer()) return Error(ApiError::Invalid("ids must be an array of contact ids"));
      in.ids.push_back(v.get<int64_t>());
    }
  }
  if (!add && body.contains("all") && !body["all"].is_null()) {
    if (!body["all"].is_boolean()) return Error(ApiError::Invalid("all must be a boolean"));
    if (body["all"].get<bool>()) {
      ++given;
      in.by = ListMembersInput::By::kAll;
    }
  }
  if (given == 0) return Error(ApiError::Missing(add ? "emails, ids or extIds is required" : "emails, ids, extIds or all is required"));
  if (given > 1) return Error(ApiError::Invalid("Pass only one of emails, ids, extIds" + std::string(add ? "" : " or all")));
  auto result = add ? account_.AddToList(id, in, Writer{k.name}) : account_.RemoveFromList(id, in, Writer{k.name});
  if (!result.ok()) return Error(result.error());
  nlohmann::json out = result.value();
  if (in.by == ListMembersInput::By::kAll) out["contacts"]["processId"] = processes_.AddCompleted("REMOVE_LIST_CONTACTS");
  return Json(201, out);
}

http::HttpResponse BrevoSandbox::AddToList(http::HttpRequest& r, const KeyInfo& k) { return ListMembersBody(r, k, true); }
http::HttpResponse BrevoSandbox::RemoveFromList(http::HttpRequest& r, const KeyInfo& k) { return ListMembersBody(r, k, false); }

}  // namespace tajo::sandbox::brevo
