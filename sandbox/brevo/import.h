// Contact import requests (POST /contacts/import, reference §2.8): the body checked and turned
// into an ImportJob, including the `;`-separated CSV of fileBody.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/brevo/account.h"
#include "sandbox/brevo/api_error.h"

namespace tajo::sandbox::brevo {

inline constexpr size_t kImportMaxBytes = 10 * 1024 * 1024;  // fileBody / jsonBody

struct ImportRequest {
  ImportJob job;
  std::string notify_url;
  std::optional<std::pair<std::string, int64_t>> new_list;  // listName, folderId
};

// Checks a requestContactImport body: exactly one of fileUrl / fileBody / jsonBody (fileUrl is
// refused: the sandbox fetches nothing), listIds or newList (listName and folderId), at most 10 MB,
// booleans where booleans belong. 400 invalid_parameter / missing_parameter naming the field.
// List existence is checked by the caller.
ApiResult<ImportRequest> ParseImportRequest(const nlohmann::json& body);

// Rows of a CSV import: the first line names the attributes (upper-cased), cells are separated by
// ';' and may be double-quoted ("" inside quotes is a quote); an EMAIL column becomes "email".
// Each row is {"email"?: str, "attributes": {NAME: "cell"}}. A row with more cells than the header
// is a 400 naming the line.
ApiResult<std::vector<nlohmann::json>> ParseCsvRows(std::string_view csv);

}  // namespace tajo::sandbox::brevo
