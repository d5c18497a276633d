// ProcessRegistry: Brevo's background processes (reference §2.9) — a contact import is accepted
// with 202 {processId}, stays `queued`, goes `in_process`, and is applied to the account when it
// becomes `completed`; then its notifyUrl is called.
//
// Nothing runs by itself: Pump() moves every process whose time has come (on the clock given,
// the sandbox's --time-scale clock) and returns the notifications to send. The sandbox pumps at
// the start of every request and from its optional background thread, and tests pump after
// moving a ManualClock, so the lifecycle is deterministic.
//
// Thread-safe. An import is applied by exactly one Pump even when several run at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "sandbox/brevo/account.h"
#include "sandbox/brevo/api_error.h"

namespace tajo::sandbox::brevo {

// A notifyUrl call due: POST `url` with `body` (the process as GET /processes/{id} shows it;
// the reference does not give the payload, so this shape is the sandbox's choice).
struct ProcessNotification {
  std::string url;
  nlohmann::json body;
};

class ProcessRegistry {
 public:
  explicit ProcessRegistry(Clock& clock);
  ~ProcessRegistry();
  ProcessRegistry(const ProcessRegistry&) = delete;
  ProcessRegistry& operator=(const ProcessRegistry&) = delete;

  // A new IMPORTUSER process, queued for `queued_ms`, then in_process for `processing_ms`.
  int64_t AddImport(std::shared_ptr<const ImportJob> job, std::string notify_url, int64_t queued_ms,
                    int64_t processing_ms, Writer writer);
  // A process that is already completed (e.g. removing every contact of a list).
  int64_t AddCompleted(const std::string& name);

  // GET /processes/{id}: {"id","name","status"[,"info"]}; 404 "Process ID not found".
  ApiResult<nlohmann::json> Get(int64_t id) const;
  // GET /processes: {"processes": [...], "count": N}.
  nlohmann::json List(size_t limit, size_t offset, bool descending) const;

  // Advances processes due at now; applies finished imports to `account`. With `finish_all`,
  // every pending process completes now (admin). Returns the notifyUrl calls to make.
  std::vector<ProcessNotification> Pump(Account& account, bool finish_all = false);
  // Processes not yet completed.
  size_t Pending() const;
  // Totals over completed imports (for /_sandbox/stats).
  ImportOutcome ImportTotals() const;
  void Reset();

 private:
  struct Process;
  nlohmann::json JsonOf(const Process& p) const;

  Clock& clock_;
  mutable std::mutex mu_;
  std::map<int64_t, std::unique_ptr<Process>> processes_;
  int64_t next_id_ = 1;
  ImportOutcome totals_;
};

}  // namespace tajo::sandbox::brevo
