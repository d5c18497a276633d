// ServeLease: makes sure one `tajo serve` at a time works on a store. The lease "serve/hubspot"
// is taken at start-up for `ttl` and renewed every ttl/3 by a background thread. An owner is
// "host:pid:start"; a lease held by a process of this host that no longer exists (killed with
// -9) is taken over at once instead of waiting for it to lapse.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/status.h"
#include "store/state_store.h"
#include "sync/sync_types.h"

namespace tajo::server {

using sync::kServeLeaseName;

class ServeLease {
 public:
  // Takes the lease (or fails with kFailedPrecondition naming the holder and until when).
  // `on_lost` is called (once, from the renewal thread) when another owner took the lease: the
  // service must stop working at once.
  static Result<std::unique_ptr<ServeLease>> Acquire(store::StateStore& store, Clock& clock,
                                                     std::chrono::milliseconds ttl = std::chrono::seconds(30),
                                                     std::function<void()> on_lost = {});
  ~ServeLease();  // stops renewing and releases the lease
  ServeLease(const ServeLease&) = delete;
  ServeLease& operator=(const ServeLease&) = delete;

  const std::string& owner() const { return owner_; }
  // False once a renewal failed (another process took the lease, or the store failed): the
  // service must stop working; `why` says what happened.
  bool held(std::string* why = nullptr) const;

 private:
  ServeLease(store::StateStore& store, Clock& clock, std::string owner, std::chrono::milliseconds ttl,
             std::function<void()> on_lost);
  void Renew();

  store::StateStore& store_;
  Clock& clock_;
  const std::string owner_;
  const std::chrono::milliseconds ttl_;
  std::function<void()> on_lost_;
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  bool held_ = true;
  std::string lost_why_;
  std::thread thread_;
};

}  // namespace tajo::server
