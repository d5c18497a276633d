#include "sync/sync_request.h"

#include <fmt/format.h>

#include "sync/timestamps.h"

namespace tajo::sync {

Result<SyncRequest> ParseSyncRequest(const SyncRequestText& text, std::string_view prefix) {
  SyncRequest req;
  if (!text.type.empty() && text.type != "full" && text.type != "incremental") {
    return Status::InvalidArgument(fmt::format("{}type: expected full or incremental, got \"{}\"", prefix, text.type));
  }
  if (text.type == "incremental") req.type = store::SyncType::kIncremental;
  req.dry_run = text.dry_run;
  req.resources.clear();
  for (size_t p = 0; p <= text.resources.size();) {
    size_t q = text.resources.find(',', p);
    if (q == std::string::npos) q = text.resources.size();
    if (q > p) req.resources.push_back(text.resources.substr(p, q - p));
    p = q + 1;
  }
  if (req.resources.empty()) {
    return Status::InvalidArgument(fmt::format("{}resources: expected a comma-separated list, e.g. contacts", prefix));
  }
  if (!text.direction.empty()) {
    auto d = ParseSyncDirection(text.direction);
    if (!d) {
      return Status::InvalidArgument(fmt::format(
          "{}direction: expected bidirectional, hubspot_to_brevo or brevo_to_hubspot, got \"{}\"", prefix,
          text.direction));
    }
    req.direction = *d;
  }
  if (!text.since.empty()) {
    auto ms = ParseTimestampMillis(text.since);
    if (!ms.ok()) return Status::InvalidArgument(fmt::format("{}since: {}", prefix, ms.status().message()));
    req.since_millis = *ms;
  }
  return req;
}

Status ChooseSyncType(const SyncRequestText& text, store::StoreReader& store, SyncRequest& request) {
  if (!text.type.empty()) return Status::Ok();
  auto cursor = store.GetCursor(kConnectionName, kContacts, "incremental");
  if (!cursor.ok()) return cursor.status();
  request.type = *cursor ? store::SyncType::kIncremental : store::SyncType::kFull;
  return Status::Ok();
}

}  // namespace tajo::sync
