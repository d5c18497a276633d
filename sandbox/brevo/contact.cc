#include "sandbox/brevo/contact.h"

#include <algorithm>

namespace tajo::sandbox::brevo {
namespace {

ApiResult<std::vector<int64_t>> IdArray(const nlohmann::json& body, const char* key, const std::string& where) {
  std::vector<int64_t> out;
  if (!body.contains(key) || body[key].is_null()) return out;
  const auto& v = body[key];
  if (!v.is_array()) return ApiError::Invalid(where + key + " must be an array of list ids");
  for (const auto& item : v) {
    if (!item.is_number_integer() || item.get<int64_t>() <= 0)
      return ApiError::Invalid(where + key + " must be an array of positive integers");
    out.push_back(item.get<int64_t>());
  }
  return out;
}

}  // namespace

const std::string* Contact::Attr(uint32_t attr_id) const {
  auto it = std::lower_bound(attrs.begin(), attrs.end(), attr_id,
                             [](const auto& slot, uint32_t id) { return slot.first < id; });
  return it != attrs.end() && it->first == attr_id ? &it->second : nullptr;
}

size_t Contact::MemoryBytes() const {
  size_t n = sizeof(Contact) + attrs.capacity() * sizeof(attrs[0]) + lists.capacity() * sizeof(int64_t);
  if (email.capacity() > 15) n += email.capacity() + 1;
  for (const auto& [id, v] : attrs)
    if (v.capacity() > 15) n += v.capacity() + 1;
  return n;
}

ApiResult<ContactRef> ParseContactRef(const std::string& identifier, const std::optional<std::string>& identifier_type,
                                      bool for_write) {
  ContactRef ref;
  ref.value = identifier;
  if (!identifier_type || identifier_type->empty()) {
    ref.kind = for_write ? ContactRef::Kind::kAutoWrite : ContactRef::Kind::kAutoRead;
    return ref;
  }
  const std::string& t = *identifier_type;
  if (t == "email_id") ref.kind = ContactRef::Kind::kEmail;
  else if (t == "contact_id") ref.kind = ContactRef::Kind::kId;
  else if (t == "ext_id") ref.kind = ContactRef::Kind::kExtId;
  else if (t == "phone_id") ref.kind = ContactRef::Kind::kSms;
  else if (t == "whatsapp_id") ref.kind = ContactRef::Kind::kWhatsapp;
  else if (t == "landline_number_id") ref.kind = ContactRef::Kind::kLandline;
  else
    return ApiError::Invalid("identifierType \"" + t +
                             "\" is invalid (email_id, contact_id, ext_id, phone_id, whatsapp_id, landline_number_id)");
  return ref;
}

ApiResult<ContactInput> ParseContactInput(const nlohmann::json& body, const std::string& where) {
  ContactInput in;
  if (!body.is_object()) return ApiError::Invalid(where.empty() ? "The request body must be a JSON object"
                                                                : where.substr(0, where.size() - 1) + " must be an object");
  if (body.contains("email") && !body["email"].is_null()) {
    if (!body["email"].is_string()) return ApiError::Invalid(where + "email must be a string");
    in.email = body["email"].get<std::string>();
  }
  if (body.contains("ext_id") && !body["ext_id"].is_null()) {
    if (body["ext_id"].is_string()) in.ext_id = body["ext_id"].get<std::string>();
    else if (body["ext_id"].is_number_integer()) in.ext_id = std::to_string(body["ext_id"].get<int64_t>());
    else return ApiError::Invalid(where + "ext_id must be a string");
  }
  if (body.contains("attributes") && !body["attributes"].is_null()) {
    if (!body["attributes"].is_object()) return ApiError::Invalid(where + "attributes must be an object");
    in.attributes = body["attributes"];
  }
  for (auto [key, slot] : {std::pair{"emailBlacklisted", &in.email_blacklisted},
                           std::pair{"smsBlacklisted", &in.sms_blacklisted}}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    if (!body[key].is_boolean()) return ApiError::Invalid(where + key + " must be a boolean");
    *slot = body[key].get<bool>();
  }
  auto lists = IdArray(body, "listIds", where);
  if (!lists.ok()) return lists.error();
  in.list_ids = lists.value();
  auto unlink = IdArray(body, "unlinkListIds", where);
  if (!unlink.ok()) return unlink.error();
  in.unlink_list_ids = unlink.value();
  if (body.contains("smtpBlacklistSender") && !body["smtpBlacklistSender"].is_null() &&
      !body["smtpBlacklistSender"].is_array())
    return ApiError::Invalid(where + "smtpBlacklistSender must be an array of email addresses");
  return in;
}

}  // namespace tajo::sandbox::brevo
