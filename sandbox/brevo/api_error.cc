#include "sandbox/brevo/api_error.h"

namespace tajo::sandbox::brevo {

ApiError ApiError::AlreadyAssociated(const std::string& what) {
  ApiError e = Duplicate(what + kAlreadyAssociatedSuffix);
  e.metadata = {{"duplicate_identifiers", {what}}};
  return e;
}

nlohmann::json ApiError::ToJson() const {
  nlohmann::json j = {{"code", code}, {"message", message}};
  if (metadata.is_object()) j["metadata"] = metadata;
  return j;
}

}  // namespace tajo::sandbox::brevo
