#include "server/serve_lease.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

#include "core/log.h"

namespace tajo::server {

std::string ThisProcessOwner(Clock& clock) {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}:{}", host, static_cast<long>(getpid()), clock.NowMicros());
}

bool OwnerIsDeadHere(const std::string& owner) {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) return false;
  const size_t a = owner.find(':');
  if (a == std::string::npos || owner.substr(0, a) != host) return false;
  const size_t b = owner.find(':', a + 1);
  const std::string pid_text = owner.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  char* end = nullptr;
  const long pid = std::strtol(pid_text.c_str(), &end, 10);
  if (end == pid_text.c_str() || *end != '\0' || pid <= 0) return false;
  if (pid == static_cast<long>(getpid())) return false;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

Result<std::unique_ptr<ServeLease>> ServeLease::Acquire(store::StateStore& store, Clock& clock,
                                                        std::chrono::milliseconds ttl) {
  const std::string owner = ThisProcessOwner(clock);
  const int64_t ttl_micros = std::chrono::duration_cast<std::chrono::microseconds>(ttl).count();
  auto got = store.AcquireLease(kServeLeaseName, owner, clock.NowMicros() + ttl_micros);
  if (!got.ok()) return got.status();
  if (!*got) {
    auto holder = store.GetLease(kServeLeaseName);
    if (!holder.ok()) return holder.status();
    if (*holder && OwnerIsDeadHere((*holder)->owner)) {
      Log().Warn("serve", "taking over the store from a tajo serve that is gone", {{"previous", (*holder)->owner}});
      auto released = store.ReleaseLease(kServeLeaseName, (*holder)->owner);
      if (!released.ok()) return released.status();
      got = store.AcquireLease(kServeLeaseName, owner, clock.NowMicros() + ttl_micros);
      if (!got.ok()) return got.status();
    }
    if (!*got) {
      return Status::FailedPrecondition(fmt::format(
          "another tajo serve ({}) works on this store until {}: stop it first (one tajo serve per store)",
          *holder ? (*holder)->owner : std::string("?"),
          *holder ? FormatRfc3339((*holder)->until_micros) : std::string("?")));
    }
  }
  return std::unique_ptr<ServeLease>(new ServeLease(store, clock, owner, ttl));
}

ServeLease::ServeLease(store::StateStore& store, Clock& clock, std::string owner, std::chrono::milliseconds ttl)
    : store_(store), clock_(clock), owner_(std::move(owner)), ttl_(ttl) {
  thread_ = std::thread([this] { Renew(); });
}

ServeLease::~ServeLease() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  (void)store_.ReleaseLease(kServeLeaseName, owner_);
}

bool ServeLease::held(std::string* why) const {
  std::lock_guard lock(mu_);
  if (!held_ && why != nullptr) *why = lost_why_;
  return held_;
}

void ServeLease::Renew() {
  const int64_t ttl_micros = std::chrono::duration_cast<std::chrono::microseconds>(ttl_).count();
  std::unique_lock lock(mu_);
  while (!stop_cv_.wait_for(lock, ttl_ / 3, [this] { return stopping_; })) {
    lock.unlock();
    auto got = store_.AcquireLease(kServeLeaseName, owner_, clock_.NowMicros() + ttl_micros);
    lock.lock();
    if (got.ok() && *got) continue;
    if (!got.ok()) {
      // Transient (a busy store): the lease lasts ttl, renewals come every ttl/3.
      Log().Warn("serve", "the store lease could not be renewed; trying again", {{"error", got.status().message()}});
      continue;
    }
    held_ = false;
    lost_why_ = "another process took the store lease";
    Log().Error("serve", lost_why_);
    return;
  }
}

}  // namespace tajo::server
