#include "hubspot/types.h"

namespace tajo::hubspot {

std::optional<std::string> CrmObject::Get(const std::string& name) const {
  auto it = properties.find(name);
  if (it == properties.end()) return std::nullopt;
  return it->second;
}

}  // namespace tajo::hubspot
