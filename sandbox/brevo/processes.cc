#include "sandbox/brevo/processes.h"

#include <algorithm>

namespace tajo::sandbox::brevo {

struct ProcessRegistry::Process {
  int64_t id = 0;
  std::string name;
  std::string status = "queued";  // queued -> in_process -> completed
  int64_t start_at_ms = 0;
  int64_t done_at_ms = 0;
  bool claimed = false;  // a Pump is applying it
  std::shared_ptr<const ImportJob> job;
  std::string notify_url;
  Writer writer;
  ImportOutcome outcome;
};

ProcessRegistry::ProcessRegistry(Clock& clock) : clock_(clock) {}
ProcessRegistry::~ProcessRegistry() = default;

int64_t ProcessRegistry::AddImport(std::shared_ptr<const ImportJob> job, std::string notify_url, int64_t queued_ms,
                                   int64_t processing_ms, Writer writer) {
  std::lock_guard lock(mu_);
  auto p = std::make_unique<Process>();
  p->id = next_id_++;
  p->name = "IMPORTUSER";
  int64_t now = clock_.NowMillis();
  p->start_at_ms = now + std::max<int64_t>(0, queued_ms);
  p->done_at_ms = p->start_at_ms + std::max<int64_t>(0, processing_ms);
  p->job = std::move(job);
  p->notify_url = std::move(notify_url);
  p->writer = std::move(writer);
  int64_t id = p->id;
  processes_[id] = std::move(p);
  return id;
}

int64_t ProcessRegistry::AddCompleted(const std::string& name) {
  std::lock_guard lock(mu_);
  auto p = std::make_unique<Process>();
  p->id = next_id_++;
  p->name = name;
  p->status = "completed";
  int64_t id = p->id;
  processes_[id] = std::move(p);
  return id;
}

nlohmann::json ProcessRegistry::JsonOf(const Process& p) const {
  nlohmann::json j = {{"id", p.id}, {"name", p.name}, {"status", p.status}};
  if (p.status == "completed" && p.job) {
    // URLs of CSV reports in Brevo; the sandbox keeps no files, so they are null.
    j["info"] = {{"import",
                  {{"invalid_emails", nullptr},
                   {"duplicate_contact_id", nullptr},
                   {"duplicate_ext_id", nullptr},
                   {"duplicate_email_id", nullptr},
                   {"duplicate_phone_id", nullptr},
                   {"duplicate_whatsapp_id", nullptr},
                   {"duplicate_landline_number_id", nullptr}}}};
  }
  return j;
}

ApiResult<nlohmann::json> ProcessRegistry::Get(int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = processes_.find(id);
  if (it == processes_.end()) return ApiError::NotFound("Process ID not found");
  return JsonOf(*it->second);
}

nlohmann::json ProcessRegistry::List(size_t limit, size_t offset, bool descending) const {
  std::lock_guard lock(mu_);
  std::vector<const Process*> all;
  for (const auto& [id, p] : processes_) all.push_back(p.get());
  if (descending) std::reverse(all.begin(), all.end());
  nlohmann::json arr = nlohmann::json::array();
  for (size_t i = offset; i < all.size() && arr.size() < limit; ++i) arr.push_back(JsonOf(*all[i]));
  return {{"processes", std::move(arr)}, {"count", all.size()}};
}

std::vector<ProcessNotification> ProcessRegistry::Pump(Account& account, bool finish_all) {
  std::vector<Process*> due;
  {
    std::lock_guard lock(mu_);
    int64_t now = clock_.NowMillis();
    for (auto& [id, p] : processes_) {
      if (p->status == "completed" || p->claimed) continue;
      if (finish_all || now >= p->done_at_ms) {
        p->status = "in_process";
        p->claimed = true;
        due.push_back(p.get());
      } else if (now >= p->start_at_ms) {
        p->status = "in_process";
      }
    }
  }
  std::vector<ProcessNotification> notes;
  for (Process* p : due) {
    ImportOutcome outcome = p->job ? account.ApplyImport(*p->job, p->writer) : ImportOutcome{};
    std::lock_guard lock(mu_);
    p->outcome = outcome;
    p->status = "completed";
    p->claimed = false;
    totals_.created += outcome.created;
    totals_.updated += outcome.updated;
    totals_.unchanged += outcome.unchanged;
    totals_.invalid += outcome.invalid;
    totals_.duplicate_email += outcome.duplicate_email;
    totals_.duplicate_ext_id += outcome.duplicate_ext_id;
    totals_.duplicate_phone += outcome.duplicate_phone;
    if (!p->notify_url.empty()) notes.push_back({p->notify_url, JsonOf(*p)});
  }
  return notes;
}

size_t ProcessRegistry::Pending() const {
  std::lock_guard lock(mu_);
  return static_cast<size_t>(std::count_if(processes_.begin(), processes_.end(),
                                           [](const auto& e) { return e.second->status != "completed"; }));
}

ImportOutcome ProcessRegistry::ImportTotals() const {
  std::lock_guard lock(mu_);
  return totals_;
}

void ProcessRegistry::Reset() {
  std::lock_guard lock(mu_);
  // A process being applied right now keeps its record alive until it finishes.
  for (auto it = processes_.begin(); it != processes_.end();) {
    if (it->second->claimed) ++it;
    else it = processes_.erase(it);
  }
  next_id_ = processes_.empty() ? 1 : processes_.rbegin()->first + 1;
  totals_ = ImportOutcome{};
}

}  // namespace tajo::sandbox::brevo
