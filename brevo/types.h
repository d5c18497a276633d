// Typed values of the Brevo API v3 as tajo uses them: contacts, attributes, lists, folders,
// import processes, the account and webhooks. Parsed from Brevo's JSON by brevo/parse.h.
//
// Attribute values stay JSON values (string, number, boolean, string array): Brevo types them by
// the account's attribute definitions, and the mapping layer converts to those types.
//
// Plain values; safe to copy and to share read-only between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tajo::brevo {

struct Contact {
  int64_t id = 0;
  std::string email;  // "" for an SMS- or ext_id-only contact
  bool email_blacklisted = false;
  bool sms_blacklisted = false;
  std::string created_at;
  std::string modified_at;
  std::vector<int64_t> list_ids;
  nlohmann::json attributes = nlohmann::json::object();  // {"FIRSTNAME": "Ana", ...}
};

// One page of GET /contacts: `count` is the number of contacts matching, all pages together.
struct ContactPage {
  std::vector<Contact> contacts;
  int64_t count = 0;
};

// A contact to create, update or import, identified by email.
struct ContactWrite {
  std::string email{};
  nlohmann::json attributes = nlohmann::json::object();
  std::vector<int64_t> list_ids{};         // add to these lists
  std::vector<int64_t> unlink_list_ids{};  // remove from these (update and batch only)
  std::optional<bool> email_blacklisted{};
};

struct Attribute {
  std::string name;      // upper case, e.g. "FIRSTNAME"
  std::string category;  // normal | transactional | category | calculated | global
  std::string type;      // text | date | float | boolean | id | multiple-choice | user | "" (calculated)
  // The options of a category attribute ("enumeration": [{"value": 1, "label": "Men"}]).
  struct Option {
    int64_t value = 0;
    std::string label;
  };
  std::vector<Option> enumeration;
  // The options of a multiple-choice attribute ("multiCategoryOptions": ["USA", "INDIA"]).
  std::vector<std::string> multi_options;
};

struct ContactList {
  int64_t id = 0;
  std::string name;
  int64_t folder_id = 0;
};

struct Folder {
  int64_t id = 0;
  std::string name;
};

// POST /contacts/lists/{id}/contacts/add|remove: which emails Brevo changed and which it did
// not (already in / not in the list, or no such contact).
struct ListMembershipResult {
  std::vector<std::string> success;
  std::vector<std::string> failure;
};

// The account behind the API key (GET /account). Only what tajo shows; every field may be "".
struct Account {
  std::string email;
  std::string company_name;
  std::string plan_type;  // the first plan's "type": free | payAsYouGo | subscription | ...
};

// An outbound webhook (GET /webhooks). `url` may embed basic-auth credentials
// (https://user:pass@host/path): treat it as a secret when showing it.
struct Webhook {
  int64_t id = 0;
  std::string url;
  std::string description;
  std::string type;  // marketing | transactional | inbound
  std::vector<std::string> events;
};

// What POST /webhooks and PUT /webhooks/{id} send.
struct WebhookWrite {
  std::string url;
  std::string description;
  std::vector<std::string> events;  // e.g. unsubscribed, hardBounce (reference §7.1 lists them per type)
  std::string type = "marketing";   // marketing | transactional | inbound (creation only: PUT cannot change it)
  // Sent as auth {"type":"bearer","token":...}: Brevo then calls with "Authorization: Bearer <token>".
  // "" = no auth. Secret.
  std::string bearer_token;
};

struct ImportProcess {
  int64_t id = 0;
  std::string name;    // IMPORTUSER, ...
  std::string status;  // queued | in_process | processing | completed | failed | cancelled
};

}  // namespace tajo::brevo
