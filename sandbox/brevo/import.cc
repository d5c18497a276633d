#include "sandbox/brevo/import.h"

#include <cctype>

namespace tajo::sandbox::brevo {
namespace {

// Splits one CSV record starting at `pos` (which moves past it). Quotes may span lines.
std::vector<std::string> ReadRecord(std::string_view csv, size_t& pos, bool* bad_quote) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false, was_quoted = false;
  while (pos < csv.size()) {
    char c = csv[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < csv.size() && csv[pos] == '"') {
          cell += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"' && cell.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ';') {
      cells.push_back(std::move(cell));
      cell.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < csv.size() && csv[pos] == '\n') ++pos;
      break;
    } else {
      cell += c;
    }
  }
  if (quoted) *bad_quote = true;
  cells.push_back(std::move(cell));
  return cells;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

}  // namespace

ApiResult<std::vector<nlohmann::json>> ParseCsvRows(std::string_view csv) {
  std::vector<nlohmann::json> rows;
  size_t pos = 0;
  bool bad_quote = false;
  // A UTF-8 byte order mark before the header is ignored.
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  std::vector<std::string> header = ReadRecord(csv, pos, &bad_quote);
  for (auto& h : header) {
    h = Trim(h);
    for (char& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (header.size() == 1 && header[0].empty()) return ApiError::Invalid("fileBody: the first line must name the attributes");
  size_t line = 1;
  while (pos < csv.size()) {
    ++line;
    std::vector<std::string> cells = ReadRecord(csv, pos, &bad_quote);
    if (bad_quote) return ApiError::Invalid("fileBody line " + std::to_string(line) + ": unterminated quoted cell");
    if (cells.size() == 1 && Trim(cells[0]).empty()) continue;  // blank line
    if (cells.size() > header.size())
      return ApiError::Invalid("fileBody line " + std::to_string(line) + ": " + std::to_string(cells.size()) +
                               " cells but the header names " + std::to_string(header.size()));
    nlohmann::json row = {{"attributes", nlohmann::json::object()}};
    for (size_t i = 0; i < cells.size(); ++i) {
      if (header[i].empty()) continue;
      std::string value = Trim(cells[i]);
      if (header[i] == "EMAIL") {
        if (!value.empty()) row["email"] = value;
      } else {
        row["attributes"][header[i]] = value;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

ApiResult<ImportRequest> ParseImportRequest(const nlohmann::json& body) {
  if (!body.is_object()) return ApiError::Invalid("The request body must be a JSON object");
  ImportRequest r;
  int sources = 0;
  for (const char* key : {"fileUrl", "fileBody", "jsonBody"})
    if (body.contains(key) && !body[key].is_null()) ++sources;
  if (sources == 0) return ApiError::Missing("One of fileUrl, fileBody or jsonBody is required");
  if (sources > 1) return ApiError::Invalid("Only one of fileUrl, fileBody or jsonBody can be passed");
  if (body.contains("fileUrl") && !body["fileUrl"].is_null())
    return ApiError::Invalid("fileUrl: tajo-sandbox fetches no files; send the contacts in fileBody or jsonBody");
  if (body.contains("fileBody") && !body["fileBody"].is_null()) {
    if (!body["fileBody"].is_string()) return ApiError::Invalid("fileBody must be a string");
    const std::string& csv = body["fileBody"].get_ref<const std::string&>();
    if (csv.size() > kImportMaxBytes) return ApiError::Invalid("fileBody is larger than the 10 MB allowed");
    auto rows = ParseCsvRows(csv);
    if (!rows.ok()) return rows.error();
    r.job.rows = std::move(rows.value());
  } else {
    const auto& json_body = body["jsonBody"];
    if (!json_body.is_array()) return ApiError::Invalid("jsonBody must be an array of {email, attributes}");
    if (json_body.dump().size() > kImportMaxBytes) return ApiError::Invalid("jsonBody is larger than the 10 MB allowed");
    for (size_t i = 0; i < json_body.size(); ++i) {
      const auto& item = json_body[i];
      if (!item.is_object()) return ApiError::Invalid("jsonBody[" + std::to_string(i) + "] must be an object");
      nlohmann::json row = {{"attributes", nlohmann::json::object()}};
      if (item.contains("email") && !item["email"].is_null()) {
        if (!item["email"].is_string()) return ApiError::Invalid("jsonBody[" + std::to_string(i) + "].email must be a string");
        row["email"] = item["email"];
      }
      if (item.contains("attributes") && !item["attributes"].is_null()) {
        if (!item["attributes"].is_object())
          return ApiError::Invalid("jsonBody[" + std::to_string(i) + "].attributes must be an object");
        row["attributes"] = item["attributes"];
      }
      r.job.rows.push_back(std::move(row));
    }
  }
  if (body.contains("listIds") && !body["listIds"].is_null()) {
    if (!body["listIds"].is_array()) return ApiError::Invalid("listIds must be an array of list ids");
    for (const auto& id : body["listIds"]) {
      if (!id.is_number_integer() || id.get<int64_t>() <= 0) return ApiError::Invalid("listIds must be positive integers");
      r.job.list_ids.push_back(id.get<int64_t>());
    }
  }
  if (body.contains("newList") && !body["newList"].is_null()) {
    const auto& nl = body["newList"];
    if (!nl.is_object()) return ApiError::Invalid("newList must be an object {listName, folderId}");
    if (!nl.contains("listName") || !nl["listName"].is_string() || nl["listName"].get<std::string>().empty())
      return ApiError::Missing("newList.listName is required");
    if (!nl.contains("folderId") || !nl["folderId"].is_number_integer())
      return ApiError::Missing("newList.folderId is required with newList.listName");
    r.new_list = std::pair{nl["listName"].get<std::string>(), nl["folderId"].get<int64_t>()};
  }
  if (r.job.list_ids.empty() && !r.new_list) return ApiError::Missing("listIds is required unless newList is given");
  if (body.contains("notifyUrl") && !body["notifyUrl"].is_null()) {
    if (!body["notifyUrl"].is_string()) return ApiError::Invalid("notifyUrl must be a string");
    r.notify_url = body["notifyUrl"].get<std::string>();
  }
  struct Flag {
    const char* key;
    bool* slot;
  };
  for (const Flag& f : {Flag{"updateExistingContacts", &r.job.update_existing}, Flag{"emptyContactsAttributes", &r.job.empty_attributes},
                        Flag{"emailBlacklist", &r.job.email_blacklist}, Flag{"smsBlacklist", &r.job.sms_blacklist}}) {
    if (!body.contains(f.key) || body[f.key].is_null()) continue;
    if (!body[f.key].is_boolean()) return ApiError::Invalid(std::string(f.key) + " must be a boolean");
    *f.slot = body[f.key].get<bool>();
  }
  for (const char* key : {"disableNotification"})
    if (body.contains(key) && !body[key].is_null() && !body[key].is_boolean())
      return ApiError::Invalid(std::string(key) + " must be a boolean");
  // emptyContactsAttributes only acts with updateExistingContacts (reference §2.8).
  if (!r.job.update_existing) r.job.empty_attributes = false;
  return r;
}

}  // namespace tajo::sandbox::brevo
