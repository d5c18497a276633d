#include "server/serve_lease.h"

#include <fmt/format.h>

#include "core/log.h"
#include "core/process_owner.h"

namespace tajo::server {

Result<std::unique_ptr<ServeLease>> ServeLease::Acquire(store::StateStore& store, Clock& clock,
                                                        std::chrono::milliseconds ttl, std::function<void()> on_lost) {
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
  return std::unique_ptr<ServeLease>(new ServeLease(store, clock, owner, ttl, std::move(on_lost)));
}

ServeLease::ServeLease(store::StateStore& store, Clock& clock, std::string owner, std::chrono::milliseconds ttl,
                       std::function<void()> on_lost)
    : store_(store), clock_(clock), owner_(std::move(owner)), ttl_(ttl), on_lost_(std::move(on_lost)) {
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
    Log().Error("serve", lost_why_ + ": this tajo serve stops working on the store");
    lock.unlock();
    if (on_lost_) on_lost_();
    return;
  }
}

}  // namespace tajo::server
