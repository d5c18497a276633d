#include "sandbox/hubspot/api_error.h"

#include "sandbox/hubspot/property_catalog.h"

namespace tajo::sandbox::hubspot {

ApiError ApiError::Validation(std::string message) {
  ApiError e;
  e.message = std::move(message);
  return e;
}

ApiError ApiError::NotFound(std::string message) {
  ApiError e;
  e.status = 404;
  e.category = "OBJECT_NOT_FOUND";
  e.message = std::move(message);
  return e;
}

ApiError ApiError::Conflict(std::string message) {
  ApiError e;
  e.status = 409;
  e.category = "CONFLICT";
  e.message = std::move(message);
  return e;
}

ApiError ApiError::PropertyValues(const std::vector<PropertyError>& errors) {
  ApiError e = Validation(PropertyErrorsMessage(errors));
  return e;
}

nlohmann::json ApiError::ToJson(const std::string& correlation_id) const {
  nlohmann::json j = {{"status", "error"}, {"message", message}, {"correlationId", correlation_id}, {"category", category}};
  if (!sub_category.empty()) j["subCategory"] = sub_category;
  if (!context.is_null()) j["context"] = context;
  if (!errors.is_null()) j["errors"] = errors;
  return j;
}

}  // namespace tajo::sandbox::hubspot
