#include "server/inbox_writer.h"

namespace tajo::server {

Result<int64_t> InboxWriter::Save(const std::vector<store::InboxEvent>& events) {
  auto me = std::make_shared<Request>();
  me->events = &events;
  std::unique_lock lock(mu_);
  queue_.push_back(me);
  while (!me->done) {
    if (!writing_) {
      // Write for everyone waiting (this request included).
      writing_ = true;
      std::vector<std::shared_ptr<Request>> group(queue_.begin(), queue_.end());
      queue_.clear();
      lock.unlock();
      WriteGroup(group);
      lock.lock();
      writing_ = false;
      for (const auto& r : group) r->done = true;
      done_cv_.notify_all();
      continue;
    }
    done_cv_.wait(lock, [&] { return me->done || !writing_; });
  }
  return me->result;
}

void InboxWriter::WriteGroup(const std::vector<std::shared_ptr<Request>>& group) {
  std::vector<int64_t> added(group.size(), 0);
  Status s = store_.Transaction([&](store::StoreTx& tx) -> Status {
    for (size_t i = 0; i < group.size(); ++i) {
      auto n = tx.EnqueueInbox(*group[i]->events);
      if (!n.ok()) return n.status();
      added[i] = *n;
    }
    return Status::Ok();
  });
  {
    std::lock_guard lock(mu_);
    ++transactions_;
  }
  if (s.ok()) {
    for (size_t i = 0; i < group.size(); ++i) group[i]->result = added[i];
    return;
  }
  if (group.size() == 1) {
    group[0]->result = s;
    return;
  }
  // Which request failed is unknown: each alone.
  for (const auto& r : group) {
    r->result = store_.EnqueueInbox(*r->events);
    std::lock_guard lock(mu_);
    ++transactions_;
  }
}

int64_t InboxWriter::transactions() const {
  std::lock_guard lock(mu_);
  return transactions_;
}

}  // namespace tajo::server
