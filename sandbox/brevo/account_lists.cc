// Account: lists, folders and list membership (reference §4).
#include <algorithm>

#include "sandbox/brevo/account.h"
#include "sandbox/brevo/account_internal.h"

namespace tajo::sandbox::brevo {
namespace {

template <typename Map, typename Fn>
nlohmann::json Page(const Map& items, size_t limit, size_t offset, bool descending, Fn&& render, const char* key) {
  nlohmann::json arr = nlohmann::json::array();
  std::vector<typename Map::mapped_type::element_type*> ordered;
  for (const auto& [id, item] : items) ordered.push_back(item.get());
  if (descending) std::reverse(ordered.begin(), ordered.end());
  for (size_t i = offset; i < ordered.size() && arr.size() < limit; ++i) arr.push_back(render(*ordered[i]));
  return {{key, std::move(arr)}, {"count", ordered.size()}};
}

}  // namespace

nlohmann::json Account::ListJson(const List& l, bool extended) const {
  int64_t members = static_cast<int64_t>(l.members.size());
  nlohmann::json j = {{"id", l.id},
                      {"name", l.name},
                      {"totalBlacklisted", l.blacklisted},
                      {"totalSubscribers", members},
                      {"uniqueSubscribers", members},
                      {"folderId", l.folder_id}};
  if (extended) {
    j["createdAt"] = FormatTime(l.created_ms);
    j["dynamicList"] = false;
    j["campaignStats"] = nlohmann::json::array();
  }
  return j;
}

nlohmann::json Account::FolderJson(const Folder& f) const {
  // Folder totals are the sums over its lists (a contact in two lists counts twice).
  int64_t subscribers = 0, blacklisted = 0;
  for (const auto& [id, l] : lists_) {
    if (l->folder_id != f.id) continue;
    subscribers += static_cast<int64_t>(l->members.size());
    blacklisted += l->blacklisted;
  }
  return {{"id", f.id},
          {"name", f.name},
          {"totalBlacklisted", blacklisted},
          {"totalSubscribers", subscribers},
          {"uniqueSubscribers", subscribers}};
}

ApiResult<int64_t> Account::CreateFolder(const std::string& name) {
  std::unique_lock lock(mu_);
  if (name.empty()) return ApiError::Missing("name is required");
  auto f = std::make_unique<Folder>();
  f->id = next_folder_id_++;
  f->name = name;
  f->created_ms = NowMs();
  int64_t id = f->id;
  folders_[id] = std::move(f);
  return id;
}

ApiResult<nlohmann::json> Account::GetFolder(int64_t id) const {
  std::shared_lock lock(mu_);
  auto it = folders_.find(id);
  if (it == folders_.end()) return ApiError::NotFound("Folder ID not found");
  return FolderJson(*it->second);
}

ApiResult<Done> Account::UpdateFolder(int64_t id, const std::string& name) {
  std::unique_lock lock(mu_);
  auto it = folders_.find(id);
  if (it == folders_.end()) return ApiError::NotFound("Folder ID not found");
  if (name.empty()) return ApiError::Missing("name is required");
  it->second->name = name;
  return Done{};
}

ApiResult<Done> Account::DeleteFolder(int64_t id) {
  std::unique_lock lock(mu_);
  auto it = folders_.find(id);
  if (it == folders_.end()) return ApiError::NotFound("Folder ID not found");
  std::vector<int64_t> doomed;
  for (const auto& [lid, l] : lists_)
    if (l->folder_id == id) doomed.push_back(lid);
  for (int64_t lid : doomed) {
    std::vector<int64_t> members;
    lists_[lid]->members.ForEach([&](int64_t cid, int64_t) { members.push_back(cid); });
    for (int64_t cid : members)
      if (Contact* c = ContactById(cid)) RemoveMembership(*c, lid);
    lists_.erase(lid);
  }
  folders_.erase(it);
  return Done{};
}

nlohmann::json Account::ListFolders(size_t limit, size_t offset, bool descending) const {
  std::shared_lock lock(mu_);
  return Page(folders_, limit, offset, descending, [&](const Folder& f) { return FolderJson(f); }, "folders");
}

ApiResult<nlohmann::json> Account::FolderLists(int64_t folder_id, size_t limit, size_t offset, bool descending) const {
  std::shared_lock lock(mu_);
  if (!folders_.count(folder_id)) return ApiError::NotFound("Folder ID not found");
  std::vector<const List*> in_folder;
  for (const auto& [id, l] : lists_)
    if (l->folder_id == folder_id) in_folder.push_back(l.get());
  if (descending) std::reverse(in_folder.begin(), in_folder.end());
  nlohmann::json arr = nlohmann::json::array();
  for (size_t i = offset; i < in_folder.size() && arr.size() < limit; ++i) {
    nlohmann::json j = ListJson(*in_folder[i], false);
    j.erase("folderId");
    arr.push_back(std::move(j));
  }
  return nlohmann::json{{"lists", std::move(arr)}, {"count", in_folder.size()}};
}

ApiResult<int64_t> Account::CreateList(const std::string& name, int64_t folder_id) {
  std::unique_lock lock(mu_);
  if (name.empty()) return ApiError::Missing("name is required");
  if (!folders_.count(folder_id)) return ApiError::Invalid("folderId " + std::to_string(folder_id) + " does not exist");
  auto l = std::make_unique<List>();
  l->id = next_list_id_++;
  l->name = name;
  l->folder_id = folder_id;
  l->created_ms = NowMs();
  int64_t id = l->id;
  lists_[id] = std::move(l);
  return id;
}

int64_t Account::SeedList(const std::string& name, int64_t folder_id) {
  auto id = CreateList(name, folder_id);
  return id.ok() ? id.value() : 0;
}

ApiResult<nlohmann::json> Account::GetList(int64_t id) const {
  std::shared_lock lock(mu_);
  auto it = lists_.find(id);
  if (it == lists_.end()) return ApiError::NotFound("List ID not found");
  return ListJson(*it->second, true);
}

bool Account::ListExists(int64_t id) const {
  std::shared_lock lock(mu_);
  return lists_.count(id) > 0;
}

ApiResult<Done> Account::UpdateList(int64_t id, const std::optional<std::string>& name, std::optional<int64_t> folder_id) {
  std::unique_lock lock(mu_);
  auto it = lists_.find(id);
  if (it == lists_.end()) return ApiError::NotFound("List ID not found");
  if (!name && !folder_id) return ApiError::Missing("name or folderId is required");
  if (name && folder_id) return ApiError::Invalid("Either name or folderId can be updated at a time, not both");
  if (name) {
    if (name->empty()) return ApiError::Invalid("name must not be empty");
    it->second->name = *name;
  }
  if (folder_id) {
    if (!folders_.count(*folder_id)) return ApiError::Invalid("folderId " + std::to_string(*folder_id) + " does not exist");
    it->second->folder_id = *folder_id;
  }
  return Done{};
}

ApiResult<Done> Account::DeleteList(int64_t id) {
  std::unique_lock lock(mu_);
  auto it = lists_.find(id);
  if (it == lists_.end()) return ApiError::NotFound("List ID not found");
  std::vector<int64_t> members;
  it->second->members.ForEach([&](int64_t cid, int64_t) { members.push_back(cid); });
  for (int64_t cid : members)
    if (Contact* c = ContactById(cid)) RemoveMembership(*c, id);
  lists_.erase(id);
  return Done{};
}

nlohmann::json Account::ListLists(size_t limit, size_t offset, bool descending) const {
  std::shared_lock lock(mu_);
  return Page(lists_, limit, offset, descending, [&](const List& l) { return ListJson(l, false); }, "lists");
}

ApiResult<nlohmann::json> Account::ListMembers(int64_t list_id, const ContactQuery& q) const {
  std::shared_lock lock(mu_);
  auto it = lists_.find(list_id);
  if (it == lists_.end()) return ApiError::NotFound("List ID not found");
  OrderIndex::Query oq = OrderQueryFor(q);
  OrderIndex::Page page = it->second->members.Select(oq);
  return PageJson(page.ids, page.total);
}

ApiResult<nlohmann::json> Account::AddToList(int64_t list_id, const ListMembersInput& in, const Writer& w) {
  std::vector<AccountEvent> events;
  nlohmann::json success = nlohmann::json::array(), failure = nlohmann::json::array();
  {
    std::unique_lock lock(mu_);
    if (!lists_.count(list_id)) return ApiError::NotFound("List ID not found");
    size_t n = in.by == ListMembersInput::By::kIds ? in.ids.size() : in.emails_or_ext_ids.size();
    if (in.by == ListMembersInput::By::kAll) return ApiError::Invalid("all is only available to remove contacts");
    if (n == 0) return ApiError::Missing("emails, ids or extIds is required");
    if (n > kListMembersMax)
      return ApiError::OutOfRange("A maximum of " + std::to_string(kListMembersMax) + " contacts can be added at a time");
    const int64_t now = NowMs();
    for (size_t i = 0; i < n; ++i) {
      Contact* c = nullptr;
      nlohmann::json label;
      switch (in.by) {
        case ListMembersInput::By::kIds:
          c = ContactById(in.ids[i]);
          label = in.ids[i];
          break;
        case ListMembersInput::By::kEmails:
          c = ByIdentifier(IdentifierKind::kEmail, LowerAscii(in.emails_or_ext_ids[i]));
          label = in.emails_or_ext_ids[i];
          break;
        default:
          c = ByIdentifier(IdentifierKind::kExtId, in.emails_or_ext_ids[i]);
          label = in.emails_or_ext_ids[i];
          break;
      }
      if (!c || !AddMembership(*c, list_id)) {
        failure.push_back(std::move(label));
        continue;
      }
      SetModified(*c, std::max(now, c->modified_ms));
      success.push_back(std::move(label));
      AccountEvent e;
      e.kind = AccountEvent::Kind::kListAddition;
      e.contact_id = c->id;
      e.email = c->email;
      e.list_ids = {list_id};
      e.api_key_name = w.api_key_name;
      Emit(std::move(e));
    }
    events = TakeEvents();
  }
  Publish(std::move(events));
  return nlohmann::json{{"contacts", {{"success", std::move(success)}, {"failure", std::move(failure)}}}};
}

ApiResult<nlohmann::json> Account::RemoveFromList(int64_t list_id, const ListMembersInput& in, const Writer&) {
  std::unique_lock lock(mu_);
  auto it = lists_.find(list_id);
  if (it == lists_.end()) return ApiError::NotFound("List ID not found");
  const int64_t now = NowMs();
  if (in.by == ListMembersInput::By::kAll) {
    std::vector<int64_t> members;
    it->second->members.ForEach([&](int64_t cid, int64_t) { members.push_back(cid); });
    for (int64_t cid : members)
      if (Contact* c = ContactById(cid)) {
        RemoveMembership(*c, list_id);
        SetModified(*c, std::max(now, c->modified_ms));
      }
    return nlohmann::json{{"contacts", {{"total", members.size()}}}};
  }
  size_t n = in.by == ListMembersInput::By::kIds ? in.ids.size() : in.emails_or_ext_ids.size();
  if (n == 0) return ApiError::Missing("emails, ids, extIds or all is required");
  if (n > kListMembersMax)
    return ApiError::OutOfRange("A maximum of " + std::to_string(kListMembersMax) + " contacts can be removed at a time");
  nlohmann::json success = nlohmann::json::array(), failure = nlohmann::json::array();
  for (size_t i = 0; i < n; ++i) {
    Contact* c = nullptr;
    nlohmann::json label;
    if (in.by == ListMembersInput::By::kIds) {
      c = ContactById(in.ids[i]);
      label = in.ids[i];
    } else {
      c = in.by == ListMembersInput::By::kEmails ? ByIdentifier(IdentifierKind::kEmail, LowerAscii(in.emails_or_ext_ids[i]))
                                                 : ByIdentifier(IdentifierKind::kExtId, in.emails_or_ext_ids[i]);
      label = in.emails_or_ext_ids[i];
    }
    if (!c || !RemoveMembership(*c, list_id)) {
      failure.push_back(std::move(label));
      continue;
    }
    SetModified(*c, std::max(now, c->modified_ms));
    success.push_back(std::move(label));
  }
  return nlohmann::json{{"contacts", {{"success", std::move(success)}, {"failure", std::move(failure)}}}};
}

}  // namespace tajo::sandbox::brevo
