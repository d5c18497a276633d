// `tajo dlq list|show|replay|drop`: reads and changes the dead-letter queue in the store.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/serve_commands.h"
#include "core/clock.h"
#include "store/state_store.h"
#include "sync/sync_types.h"

namespace tajo::cli {

namespace {

using nlohmann::json;

json EventJson(const store::InboxEvent& e, bool payload) {
  json j = {{"id", e.id},
            {"source", e.source},
            {"type", e.event_type},
            {"object", e.object_type + "/" + e.object_id},
            {"occurredAt", e.occurred_ms > 0 ? json(FormatRfc3339(e.occurred_ms * 1000)) : json()},
            {"receivedAt", FormatRfc3339(e.received_micros)},
            {"deadAt", e.finished_micros ? json(FormatRfc3339(*e.finished_micros)) : json()},
            {"attempts", e.attempts},
            {"lastError", e.last_error}};
  if (payload) {
    json p = json::parse(e.payload, nullptr, false);
    j["payload"] = p.is_discarded() ? json(e.payload) : p;
  }
  return j;
}

std::string Short(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // a UTF-8 boundary
  return s.substr(0, cut) + "…";
}

}  // namespace

int RunDlq(const GlobalOptions& global, const DlqCommandOptions& o, std::ostream& out, std::ostream& err) {
  const bool needs_target = o.action == "show" || o.action == "replay" || o.action == "drop";
  if (o.action != "list" && !needs_target) {
    err << "error: unknown action \"" << o.action << "\": expected list, show, replay or drop\n";
    return 2;
  }
  if (needs_target) {
    if (o.action == "show" && (o.all || !o.id)) {
      err << "error: tajo dlq show needs an ID (see tajo dlq list)\n";
      return 2;
    }
    if (o.id.has_value() == o.all) {
      err << "error: tajo dlq " << o.action << " needs an ID or --all (not both)\n";
      return 2;
    }
  }
  auto config = LoadConfigForCommand(global, err);
  if (!config) return 1;
  auto opened = store::OpenStore(config->store.location);
  if (!opened.ok()) {
    err << "error: store: " << opened.status().message() << "\n";
    return 1;
  }
  store::StateStore& store = **opened;
  auto fail = [&](const Status& s) {
    err << "error: store: " << s.message() << "\n";
    return 1;
  };

  if (o.action == "list") {
    store::InboxQuery q;
    q.connection = sync::kConnectionName;
    q.state = store::InboxState::kDead;
    q.limit = o.limit;
    auto dead = store.ListInbox(q);
    if (!dead.ok()) return fail(dead.status());
    if (o.json) {
      json list = json::array();
      for (const store::InboxEvent& e : *dead) list.push_back(EventJson(e, false));
      out << list.dump(2) << "\n";
      return 0;
    }
    if (dead->empty()) {
      out << "The dead-letter queue is empty.\n";
      return 0;
    }
    out << fmt::format("{:>8}  {:<28} {:<22} {:>8}  {}\n", "ID", "TYPE", "OBJECT", "ATTEMPTS", "LAST ERROR");
    for (const store::InboxEvent& e : *dead) {
      out << fmt::format("{:>8}  {:<28} {:<22} {:>8}  {}\n", e.id, Short(e.event_type, 28),
                         Short(e.object_type + "/" + e.object_id, 22), e.attempts, Short(e.last_error, 100));
    }
    if (static_cast<int>(dead->size()) == o.limit) out << fmt::format("(the first {}; --limit N shows more)\n", o.limit);
    out << "Replay one with `tajo dlq replay ID` (or --all) once the cause is fixed; `tajo dlq show ID` for details.\n";
    return 0;
  }

  if (o.action == "show") {
    auto e = store.GetInboxEvent(*o.id);
    if (!e.ok()) return fail(e.status());
    if (!*e || (*e)->state != store::InboxState::kDead) {
      err << "error: no dead letter with id " << *o.id << " (see tajo dlq list)\n";
      return 1;
    }
    json j = EventJson(**e, true);
    if (o.json) {
      out << j.dump(2) << "\n";
      return 0;
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "payload") continue;
      out << fmt::format("{:<11} {}\n", it.key(), it->is_string() ? it->get<std::string>() : it->dump());
    }
    out << "payload\n" << j["payload"].dump(2) << "\n";
    return 0;
  }

  const bool replay = o.action == "replay";
  if (o.all) {
    auto n = replay ? store.ReplayAllDead(sync::kConnectionName) : store.DropAllDead(sync::kConnectionName);
    if (!n.ok()) return fail(n.status());
    out << fmt::format("{} {} dead letter{}.{}\n", replay ? "Replayed" : "Dropped", *n, *n == 1 ? "" : "s",
                       replay && *n > 0 ? " tajo serve applies them at its next poll (within a second when it runs)."
                                        : "");
    return 0;
  }
  auto done = replay ? store.ReplayInbox(*o.id) : store.DropDeadLetter(*o.id);
  if (!done.ok()) return fail(done.status());
  if (!*done) {
    err << "error: no dead letter with id " << *o.id << " (see tajo dlq list)\n";
    return 1;
  }
  out << fmt::format("{} dead letter {}.{}\n", replay ? "Replayed" : "Dropped", *o.id,
                     replay ? " tajo serve applies it at its next poll (within a second when it runs)." : "");
  return 0;
}

}  // namespace tajo::cli
