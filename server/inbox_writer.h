// InboxWriter: saves the events of concurrent webhook requests to the store's inbox with group
// commit — the requests that arrive while a transaction is being written wait, and the next
// transaction saves all of them at once — so the disk's sync cost is paid once per group instead
// of once per request, while every request is still answered only after its own events are on
// disk.
//
// The first waiting request writes for the group (no extra thread); the others wait for its
// result. When a group's transaction fails, each request of the group is written alone, so one
// bad request cannot fail the others.
//
// Thread-safe: Save is called from every HTTP worker at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "core/status.h"
#include "store/inbox_records.h"
#include "store/state_store.h"

namespace tajo::server {

class InboxWriter {
 public:
  explicit InboxWriter(store::StateStore& store) : store_(store) {}
  InboxWriter(const InboxWriter&) = delete;
  InboxWriter& operator=(const InboxWriter&) = delete;

  // Saves `events` (deduplicated as EnqueueInbox does) durably. Returns how many were new, or the
  // store's error (nothing of this request was saved then).
  Result<int64_t> Save(const std::vector<store::InboxEvent>& events);

  // Transactions written so far (tests and benchmarks: groups vs requests).
  int64_t transactions() const;

 private:
  struct Request {
    const std::vector<store::InboxEvent>* events = nullptr;
    bool done = false;
    Result<int64_t> result = int64_t{0};
  };
  void WriteGroup(const std::vector<std::shared_ptr<Request>>& group);

  store::StateStore& store_;
  mutable std::mutex mu_;
  std::condition_variable done_cv_;
  std::deque<std::shared_ptr<Request>> queue_;
  bool writing_ = false;
  int64_t transactions_ = 0;
};

}  // namespace tajo::server
