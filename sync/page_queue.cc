#include "sync/page_queue.h"

namespace tajo::sync {

PageQueue::PageQueue(Fetch fetch, std::string after, size_t capacity)
    : fetch_(std::move(fetch)), capacity_(capacity < 1 ? 1 : capacity) {
  reader_ = std::thread([this, after = std::move(after)]() mutable { Read(std::move(after)); });
}

PageQueue::~PageQueue() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  reader_.join();
}

void PageQueue::Read(std::string after) {
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stop_ || pages_.size() < capacity_; });
      if (stop_) return;
    }
    Result<hubspot::ObjectPage> page = fetch_(after);
    const bool last = !page.ok() || page->after.empty();
    if (page.ok()) after = page->after;
    {
      std::lock_guard lock(mu_);
      pages_.push_back(std::move(page));
    }
    cv_.notify_all();
    if (last) return;
  }
}

Result<hubspot::ObjectPage> PageQueue::Next() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !pages_.empty(); });
  Result<hubspot::ObjectPage> page = std::move(pages_.front());
  pages_.pop_front();
  cv_.notify_all();
  return page;
}

}  // namespace tajo::sync
