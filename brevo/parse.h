// Defensive parsing of Brevo's JSON into brevo/types.h: a wrong shape is a kInvalidArgument
// naming the endpoint and the JSON path (core/json_reader.h), never a crash.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "brevo/types.h"
#include "core/status.h"

namespace tajo::brevo {

Result<ContactPage> ParseContactPage(const std::string& endpoint, const std::string& body);  // {contacts, count}
Result<Contact> ParseContact(const std::string& endpoint, const std::string& body);
Result<int64_t> ParseCreatedId(const std::string& endpoint, const std::string& body);       // {"id": n}
Result<int64_t> ParseProcessId(const std::string& endpoint, const std::string& body);       // {"processId": n}
Result<ImportProcess> ParseProcess(const std::string& endpoint, const std::string& body);
// GET /processes: {"processes": [...], "count"}; no "processes" key = none.
Result<std::vector<ImportProcess>> ParseProcesses(const std::string& endpoint, const std::string& body);
Result<std::vector<Attribute>> ParseAttributes(const std::string& endpoint, const std::string& body);
// {"lists":[...], "count"}; `count` receives the total.
Result<std::vector<ContactList>> ParseLists(const std::string& endpoint, const std::string& body, int64_t* count);
Result<std::vector<Folder>> ParseFolders(const std::string& endpoint, const std::string& body, int64_t* count);
Result<ListMembershipResult> ParseMembership(const std::string& endpoint, const std::string& body);
// GET /account: any object is accepted; fields of the wrong type are left "".
Result<Account> ParseAccount(const std::string& endpoint, const std::string& body);
// {"webhooks":[{"id","url","description"?,"type"?,"events"?}...]}; {} or no "webhooks" = none.
Result<std::vector<Webhook>> ParseWebhooks(const std::string& endpoint, const std::string& body);

}  // namespace tajo::brevo
