#include "store/records.h"

#include "store/inbox_records.h"

#include <array>
#include <utility>

namespace tajo::store {
namespace {

template <typename E, size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

template <typename E, size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ParseName(const NameTable<E, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

constexpr NameTable<ConnectionStatus, 3> kConnectionStatuses{{
    {ConnectionStatus::kDisconnected, "disconnected"},
    {ConnectionStatus::kConnected, "connected"},
    {ConnectionStatus::kError, "error"},
}};
constexpr NameTable<SyncType, 3> kSyncTypes{{
    {SyncType::kFull, "full"},
    {SyncType::kIncremental, "incremental"},
    {SyncType::kWebhook, "webhook"},
}};
constexpr NameTable<RunState, 4> kRunStates{{
    {RunState::kRunning, "running"},
    {RunState::kSucceeded, "succeeded"},
    {RunState::kFailed, "failed"},
    {RunState::kCancelled, "cancelled"},
}};
constexpr NameTable<InboxState, 3> kInboxStates{{
    {InboxState::kPending, "pending"},
    {InboxState::kDone, "done"},
    {InboxState::kDead, "dead"},
}};

}  // namespace

RunCounts& RunCounts::operator+=(const RunCounts& o) {
  created += o.created;
  updated += o.updated;
  unchanged += o.unchanged;
  skipped += o.skipped;
  failed += o.failed;
  deleted += o.deleted;
  return *this;
}

RunCounts SyncRun::TotalCounts() const {
  RunCounts total;
  for (const auto& [resource, c] : counts) total += c;
  return total;
}

std::string_view ConnectionStatusName(ConnectionStatus s) { return NameOf(kConnectionStatuses, s); }
std::optional<ConnectionStatus> ParseConnectionStatus(std::string_view name) {
  return ParseName(kConnectionStatuses, name);
}
std::string_view SyncTypeName(SyncType t) { return NameOf(kSyncTypes, t); }
std::optional<SyncType> ParseSyncType(std::string_view name) { return ParseName(kSyncTypes, name); }
std::string_view RunStateName(RunState s) { return NameOf(kRunStates, s); }
std::optional<RunState> ParseRunState(std::string_view name) { return ParseName(kRunStates, name); }

std::string_view InboxStateName(InboxState s) { return NameOf(kInboxStates, s); }
std::optional<InboxState> ParseInboxState(std::string_view name) {
  return ParseName(kInboxStates, name);
}

}  // namespace tajo::store
