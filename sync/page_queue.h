// PageQueue: reads the pages of a HubSpot list on its own thread, ahead of the consumer, up to
// `capacity` pages. Paging is a chain (each page needs the previous page's cursor), so without it
// every pause of the consumer — a write batch sent to Brevo, a store transaction — would stop
// the chain too; with it, reading goes on at the pace the rate budget allows.
//
// Thread-safe: one consumer calls Next(); the destructor stops the reader (after the request in
// flight) and joins it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/status.h"
#include "hubspot/types.h"

namespace tajo::sync {

class PageQueue {
 public:
  using Fetch = std::function<Result<hubspot::ObjectPage>(const std::string& after)>;

  // Starts reading at `after` ("" = the first page).
  PageQueue(Fetch fetch, std::string after, size_t capacity);
  ~PageQueue();
  PageQueue(const PageQueue&) = delete;
  PageQueue& operator=(const PageQueue&) = delete;

  // The next page, in order; blocks until it is read. After the last page (empty `after`) or an
  // error, REQUIRES no further call.
  Result<hubspot::ObjectPage> Next();

 private:
  void Read(std::string after);

  Fetch fetch_;
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Result<hubspot::ObjectPage>> pages_;
  bool stop_ = false;
  std::thread reader_;
};

}  // namespace tajo::sync
