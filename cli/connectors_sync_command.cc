// `tajo connectors sync hubspot` and `tajo connectors status hubspot`: load the configuration,
// open the store, run the engine (sync/contact_sync.h) or read its status
// (sync/status_report.h), and print for people or for scripts.
#include <fmt/format.h>
#include <unistd.h>

#include <ostream>

#include "cli/commands.h"
#include "cli/progress_printer.h"
#include "core/config.h"
#include "core/process_owner.h"
#include "store/state_store.h"
#include "sync/connector_clients.h"
#include "sync/contact_sync.h"
#include "sync/status_report.h"
#include "sync/sync_request.h"
#include "sync/timestamps.h"

namespace tajo::cli {
namespace {

std::string Reasons(const std::map<std::string, int64_t>& by_reason) {
  std::string s;
  for (const auto& [reason, n] : by_reason) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", reason, n);
  return s;
}

void PrintSummary(const sync::SyncSummary& s, bool dry_run, std::ostream& out) {
  const store::RunCounts& c = s.counts;
  const std::string type(store::SyncTypeName(s.type));
  if (dry_run) {
    out << fmt::format("Dry run of a {} sync: nothing was written. It would:\n", type);
  } else {
    out << fmt::format("{} sync of HubSpot contacts -> Brevo succeeded in {} (run #{}{})\n",
                       type == "full" ? "Full" : "Incremental", FormatSeconds(s.duration_micros / 1'000'000),
                       s.run_id, s.resumed ? ", continuing an interrupted run" : "");
  }
  out << fmt::format("  created    {:>9}\n", c.created);
  out << fmt::format("  updated    {:>9}\n", c.updated);
  out << fmt::format("  unchanged  {:>9}\n", c.unchanged);
  out << fmt::format("  skipped    {:>9}{}\n", c.skipped,
                     s.skipped_by_reason.empty() ? "" : "  (" + Reasons(s.skipped_by_reason) + ")");
  out << fmt::format("  failed     {:>9}\n", c.failed);
  out << fmt::format("  deleted    {:>9}\n", c.deleted);
  if (!s.issues_by_reason.empty()) {
    out << "  synced without a field: " << Reasons(s.issues_by_reason)
        << " (see `tajo connectors status hubspot`)\n";
  }
  out << fmt::format("  API calls: HubSpot {}, Brevo {}; 429 responses: {}\n", s.hubspot_calls, s.brevo_calls,
                     s.rate_limited);
  if (dry_run && s.planned_total > 0) {
    out << fmt::format("Changes ({} in all{}):\n", s.planned_total,
                       static_cast<size_t>(s.planned_total) > s.planned.size()
                           ? fmt::format(", the first {} shown", s.planned.size())
                           : "");
    for (const sync::PlannedChange& p : s.planned) {
      out << "  " << p.action << " " << p.target << (p.detail.empty() ? "" : ": " + p.detail) << "\n";
    }
  }
}

}  // namespace

int RunConnectorsSync(const GlobalOptions& global, const SyncCommandOptions& options, std::ostream& out,
                      std::ostream& err) {
  if (options.connector != "hubspot") {
    err << "error: unknown connector \"" << options.connector << "\": expected hubspot\n";
    return 2;
  }
  sync::SyncRequestText text{options.type, options.resources, options.direction, options.since, options.dry_run};
  auto parsed = sync::ParseSyncRequest(text, "--");
  if (!parsed.ok()) {
    err << "error: " << parsed.status().message() << "\n";
    return 2;
  }
  sync::SyncRequest req = std::move(*parsed);
  auto config = LoadConfigForCommand(global, err);
  if (!config) return 1;
  if (options.direction.empty() && config->connectors.hubspot.direction != SyncDirection::kHubSpotToBrevo) {
    err << "note: connectors.hubspot.direction is " << SyncDirectionName(config->connectors.hubspot.direction)
        << "; this version syncs hubspot_to_brevo only (Brevo -> HubSpot comes with a later release)\n";
  }
  const HubSpotSyncObjects& objects = config->connectors.hubspot.sync;
  if (objects.companies || objects.deals || objects.tickets || objects.engagements) {
    err << "note: connectors.hubspot.sync turns on companies, deals, tickets or engagements; this version syncs "
           "contacts only (the others come with a later release)\n";
  }
  auto store = store::OpenStore(config->store.location);
  if (!store.ok()) {
    err << "error: store: " << store.status().message() << "\n";
    return 1;
  }
  // One writer per store: a running `tajo serve` syncs on request instead.
  if (!req.dry_run) {
    auto lease = (*store)->GetLease(sync::kServeLeaseName);
    if (!lease.ok()) {
      err << "error: store: " << lease.status().message() << "\n";
      return 1;
    }
    if (*lease && (*lease)->until_micros >= SystemClock().NowMicros() && !OwnerIsDeadHere((*lease)->owner)) {
      err << "error: tajo serve (" << (*lease)->owner
          << ") is working on this store: ask it to sync (POST /v1/connectors/hubspot/sync) or stop it first\n";
      return 1;
    }
  }
  if (Status chosen = sync::ChooseSyncType(text, **store, req); !chosen.ok()) {
    err << "error: store: " << chosen.message() << "\n";
    return 1;
  }
  auto clients = sync::ConnectorClients::Create(*config);
  if (!clients.ok()) {
    err << "error: " << clients.status().message() << "\n";
    return 1;
  }
  const bool terminal = options.progress == "bar" || (options.progress == "auto" && isatty(STDERR_FILENO) == 1);
  ProgressPrinter printer(err, terminal, SystemClock());
  sync::ContactSyncOptions engine_options;
  engine_options.flush_contacts = options.batch_size;
  sync::ContactSync engine(*config, **clients, **store, engine_options);
  sync::ProgressFn progress;
  if (options.progress != "none") progress = [&printer](const sync::SyncProgress& p) { printer.Update(p); };
  auto summary = engine.Run(req, progress);
  printer.Finish();
  if (!summary.ok()) {
    err << "error: sync failed: " << summary.status().message() << "\n";
    // A request refused before anything was written fails the same way when run again.
    const StatusCode code = summary.status().code();
    if (!req.dry_run && code != StatusCode::kInvalidArgument && code != StatusCode::kFailedPrecondition) {
      err << "(run `tajo connectors sync hubspot` again to continue where it stopped)\n";
    }
    return 1;
  }
  PrintSummary(*summary, req.dry_run, out);
  return 0;
}

int RunConnectorsStatus(const GlobalOptions& global, const std::string& connector, bool json, std::ostream& out,
                        std::ostream& err) {
  if (connector != "hubspot") {
    err << "error: unknown connector \"" << connector << "\": expected hubspot\n";
    return 2;
  }
  auto config = LoadConfigForCommand(global, err);
  if (!config) return 1;
  auto store = store::OpenStore(config->store.location);
  if (!store.ok()) {
    err << "error: store: " << store.status().message() << "\n";
    return 1;
  }
  auto status = sync::BuildStatus(**store);
  if (!status.ok()) {
    err << "error: " << status.status().message() << "\n";
    return 1;
  }
  if (json) {
    out << status->dump(2) << "\n";
  } else {
    out << sync::FormatStatus(*status);
  }
  return 0;
}

}  // namespace tajo::cli
