// OpenStore: picks the engine for a store location.
#include <fmt/format.h>

#include "store/sqlite_store.h"
#include "store/state_store.h"

namespace tajo::store {

Result<std::unique_ptr<StateStore>> OpenStore(const std::string& location,
                                              const StoreOptions& options) {
  if (location.empty()) {
    return Status::InvalidArgument(
        "store location is empty; give a SQLite file path such as tajo.db");
  }
  std::string path = location;
  size_t scheme_end = location.find("://");
  if (scheme_end != std::string::npos) {
    // Only the scheme goes into messages: the rest of a URL may carry a password.
    std::string scheme = location.substr(0, scheme_end);
    if (scheme == "postgresql" || scheme == "postgres") {
      return Status::InvalidArgument(fmt::format(
          "store location {}://...: PostgreSQL stores are not yet supported by this tajo; use a "
          "SQLite file path such as tajo.db",
          scheme));
    }
    if (scheme != "sqlite") {
      return Status::InvalidArgument(fmt::format(
          "store location {}://...: unknown scheme; use a SQLite file path such as tajo.db",
          scheme));
    }
    path = location.substr(scheme_end + 3);
    if (path.empty()) return Status::InvalidArgument("store location sqlite:// has no file path");
  }
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<StateStore>(std::move(store).value());
}

}  // namespace tajo::store
