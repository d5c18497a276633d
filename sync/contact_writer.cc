#include "sync/contact_writer.h"

#include <algorithm>
#include <climits>
#include <map>
#include <optional>

#include "core/log.h"

namespace tajo::sync {

std::vector<size_t> ParseMissingIndexes(const std::string& message) {
  std::vector<size_t> out;
  const std::string key = "indexes";
  size_t p = message.find(key);
  if (p == std::string::npos) return out;
  p += key.size();
  size_t value = 0;
  bool in_number = false;
  for (; p < message.size(); ++p) {
    char c = message[p];
    if (c >= '0' && c <= '9') {
      value = value * 10 + static_cast<size_t>(c - '0');
      in_number = true;
    } else if (c == ',' || c == ' ') {
      if (in_number) out.push_back(value);
      value = 0;
      in_number = false;
    } else {
      break;
    }
  }
  if (in_number) out.push_back(value);
  return out;
}

std::optional<size_t> ParseRefusedIndex(const std::string& message) {
  const std::string key = "contacts[";
  const size_t p = message.find(key);
  if (p == std::string::npos) return std::nullopt;
  size_t i = p + key.size();
  size_t value = 0;
  bool digits = false;
  for (; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i) {
    value = value * 10 + static_cast<size_t>(message[i] - '0');
    digits = true;
  }
  if (!digits || i >= message.size() || message[i] != ']') return std::nullopt;
  return value;
}

ContactWriter::ContactWriter(brevo::BrevoClient& client, Clock& clock, int64_t default_list_id)
    : client_(client), clock_(clock), default_list_id_(default_list_id) {}

Result<ImportOutcome> ContactWriter::Import(const std::vector<ContactWriteItem>& items) {
  // One import per distinct set of lists.
  std::map<std::vector<int64_t>, std::vector<ContactWriteItem>> groups;
  for (const ContactWriteItem& item : items) {
    std::vector<int64_t> lists = item.write.list_ids;
    std::sort(lists.begin(), lists.end());
    if (lists.empty()) {
      if (default_list_id_ <= 0) {
        return Status::FailedPrecondition("an imported contact belongs in no list and there is no default list");
      }
      lists.push_back(default_list_id_);
    }
    groups[lists].push_back(item);
  }
  ImportOutcome out;
  for (const auto& [lists, group] : groups) TAJO_RETURN_IF_ERROR(ImportChunk(group, lists, out));
  return out;
}

Status ContactWriter::ImportChunk(const std::vector<ContactWriteItem>& chunk, const std::vector<int64_t>& lists,
                                  ImportOutcome& out) {
  if (chunk.empty()) return Status::Ok();
  std::vector<brevo::ContactWrite> rows;
  rows.reserve(chunk.size());
  for (const ContactWriteItem& i : chunk) rows.push_back(i.write);
  auto r = client_.ImportContacts(rows, lists, /*update_existing=*/true, /*empty_attributes=*/false);
  if (r.ok()) {
    out.process_ids.push_back(*r);
    return Status::Ok();
  }
  // Too large (checked before sending): split in two.
  if (r.status().code() == StatusCode::kInvalidArgument && r.status().message().find("10 MB") != std::string::npos) {
    if (chunk.size() == 1) {
      out.rejected.push_back({chunk[0].hubspot_id, chunk[0].write.email, r.status().message()});
      return Status::Ok();
    }
    const auto mid = chunk.begin() + static_cast<std::ptrdiff_t>(chunk.size() / 2);
    TAJO_RETURN_IF_ERROR(ImportChunk({chunk.begin(), mid}, lists, out));
    return ImportChunk({mid, chunk.end()}, lists, out);
  }
  return r.status();
}

Result<UpdateOutcome> ContactWriter::Update(const std::vector<ContactWriteItem>& items) {
  UpdateOutcome out;
  for (size_t i = 0; i < items.size();) {
    const size_t n = std::min(items.size() - i, static_cast<size_t>(batch_size_));
    std::vector<ContactWriteItem> chunk(items.begin() + static_cast<std::ptrdiff_t>(i),
                                        items.begin() + static_cast<std::ptrdiff_t>(i + n));
    const int before = batch_size_;
    TAJO_RETURN_IF_ERROR(UpdateChunk(std::move(chunk), out, 0));
    if (batch_size_ < before) continue;  // the chunk was too large: resend it smaller
    i += n;
  }
  return out;
}

Status ContactWriter::UpdateChunk(std::vector<ContactWriteItem> chunk, UpdateOutcome& out, int depth) {
  if (chunk.empty()) return Status::Ok();
  std::vector<brevo::ContactWrite> writes;
  writes.reserve(chunk.size());
  for (const ContactWriteItem& i : chunk) writes.push_back(i.write);
  ++out.calls;
  Status s = client_.BatchUpdate(writes);
  if (s.ok()) return s;
  const std::string& m = s.message();
  if (s.code() == StatusCode::kNotFound) {
    std::vector<size_t> missing = ParseMissingIndexes(m);
    std::vector<bool> gone(chunk.size(), false);
    size_t marked = 0;
    for (size_t idx : missing) {
      if (idx < chunk.size() && !gone[idx]) {
        gone[idx] = true;
        ++marked;
      }
    }
    if (marked == 0) return s;  // a 404 we cannot attribute: give up on this batch loudly
    std::vector<ContactWriteItem> rest;
    for (size_t k = 0; k < chunk.size(); ++k) {
      if (gone[k]) {
        out.unknown.push_back(std::move(chunk[k]));
      } else {
        rest.push_back(std::move(chunk[k]));
      }
    }
    return UpdateChunk(std::move(rest), out, depth);
  }
  if (s.code() == StatusCode::kInvalidArgument && m.find("out_of_range") != std::string::npos && chunk.size() > 1 &&
      depth == 0) {
    // The batch is larger than Brevo takes: remember a smaller size; the caller resends.
    batch_size_ = std::max(1, static_cast<int>(chunk.size() / 2));
    Log().Info("sync", "Brevo refused a batch update as too large; sending fewer contacts a call",
               {{"refused", std::to_string(chunk.size())}, {"now", std::to_string(batch_size_)}});
    return Status::Ok();
  }
  if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kAlreadyExists) {
    // "contacts[3]: SMS is already associated ...": Brevo names the contact; drop it, send the rest.
    if (auto bad = ParseRefusedIndex(m); bad && *bad < chunk.size() && chunk.size() > 1) {
      out.rejected.push_back({chunk[*bad].hubspot_id, chunk[*bad].write.email, m});
      chunk.erase(chunk.begin() + static_cast<std::ptrdiff_t>(*bad));
      return UpdateChunk(std::move(chunk), out, depth + 1);
    }
    if (chunk.size() == 1) {
      out.rejected.push_back({chunk[0].hubspot_id, chunk[0].write.email, m});
      return Status::Ok();
    }
    // One bad contact refuses the whole batch: bisect to find it.
    const auto mid = chunk.begin() + static_cast<std::ptrdiff_t>(chunk.size() / 2);
    std::vector<ContactWriteItem> left(std::make_move_iterator(chunk.begin()), std::make_move_iterator(mid));
    std::vector<ContactWriteItem> right(std::make_move_iterator(mid), std::make_move_iterator(chunk.end()));
    TAJO_RETURN_IF_ERROR(UpdateChunk(std::move(left), out, depth + 1));
    return UpdateChunk(std::move(right), out, depth + 1);
  }
  return s;
}

Result<std::vector<int64_t>> ContactWriter::WaitForImports(const std::vector<int64_t>& process_ids,
                                                           int64_t timeout_micros) {
  std::vector<int64_t> failed;
  if (process_ids.empty()) return failed;
  const int64_t deadline = clock_.NowMicros() + timeout_micros;
  auto finished = [](const std::string& st) {
    return st == "completed" || st == "failed" || st == "cancelled";
  };
  // GET /processes costs from Brevo's 100-an-hour bucket: poll the newest import until it
  // finishes (Brevo runs imports in order), then read the states of the others from the process
  // list, 50 a call, newest first.
  std::vector<int64_t> ids = process_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  int64_t delay = 250'000;
  while (true) {
    auto p = client_.GetProcess(ids.back());
    if (!p.ok()) return p.status();
    if (finished(p->status)) break;
    if (clock_.NowMicros() + delay > deadline) {
      return Status::DeadlineExceeded("Brevo import process " + std::to_string(ids.back()) + " is still " +
                                      p->status + " after the wait: the next run will check again");
    }
    clock_.SleepForMicros(delay);
    delay = std::min<int64_t>(delay * 2, 4'000'000);
  }
  std::map<int64_t, std::string> state;
  constexpr int kPage = 50;
  for (int64_t offset = 0;; offset += kPage) {
    auto page = client_.ListProcesses(kPage, offset);
    if (!page.ok()) return page.status();
    int64_t oldest = INT64_MAX;
    for (const brevo::ImportProcess& p : *page) {
      state[p.id] = p.status;
      oldest = std::min(oldest, p.id);
    }
    if (page->size() < static_cast<size_t>(kPage) || oldest <= ids.front()) break;
  }
  for (int64_t id : ids) {
    auto it = state.find(id);
    if (it == state.end()) {
      // Not in the list (Brevo keeps a limited history): read it alone.
      auto p = client_.GetProcess(id);
      if (!p.ok()) return p.status();
      if (!finished(p->status) || p->status != "completed") failed.push_back(id);
      continue;
    }
    if (it->second != "completed") failed.push_back(id);
  }
  return failed;
}

}  // namespace tajo::sync
