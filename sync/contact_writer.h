// ContactWriter: puts contacts into Brevo in the largest batches Brevo allows, never one call per
// contact.
//   - Import (POST /contacts/import, jsonBody up to 10 MB, asynchronous): contacts Brevo does not
//     have yet, one import per distinct set of lists (an import adds every row to the same lists).
//     An import too large is split in two until it fits.
//   - Batch update (POST /contacts/batch): contacts Brevo has, with listIds / unlinkListIds, up to
//     `batch_size` a call (halved and remembered when Brevo says the batch is too large).
//     Brevo refuses the whole batch when one contact is unknown (404 "No contact found for
//     indexes i,j"): those contacts are returned for import and the rest is sent again. A batch
//     refused for one bad contact (400, or a duplicate identifier) is bisected until the bad
//     contacts are isolated (directly when Brevo's message names "contacts[i]"); they come back as
//     rejected with Brevo's reason, the rest is written.
//   - Import processes are checked at the end (in Brevo's 100-an-hour bucket: GET /processes/{id}
//     polls the newest with backoff, then GET /processes reads the others' states, 50 a call).
//
// Not thread-safe: one run owns it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "brevo/client.h"
#include "core/clock.h"
#include "core/status.h"

namespace tajo::sync {

struct ContactWriteItem {
  std::string hubspot_id;  // for reporting
  brevo::ContactWrite write;
};

struct RejectedContact {
  std::string hubspot_id;
  std::string email;
  std::string message;  // Brevo's reason (redacted, no secrets)
};

struct UpdateOutcome {
  std::vector<ContactWriteItem> unknown;   // Brevo has no such contact: import them
  std::vector<RejectedContact> rejected;   // Brevo refused them
  int64_t calls = 0;
};

struct ImportOutcome {
  std::vector<int64_t> process_ids;
  std::vector<RejectedContact> rejected;  // refused before sending (e.g. one row over 10 MB)
};

class ContactWriter {
 public:
  // `default_list_id`: the list an import uses for contacts that belong in no managed list
  // (Brevo requires one); 0 is allowed only when every imported contact has a list.
  ContactWriter(brevo::BrevoClient& client, Clock& clock, int64_t default_list_id);
  ContactWriter(const ContactWriter&) = delete;
  ContactWriter& operator=(const ContactWriter&) = delete;

  Result<ImportOutcome> Import(const std::vector<ContactWriteItem>& items);
  Result<UpdateOutcome> Update(const std::vector<ContactWriteItem>& items);

  // Waits until every process is finished. Returns the ids of those that did not complete
  // (failed or cancelled). Fails when a process cannot be read or does not finish within
  // `timeout_micros`.
  Result<std::vector<int64_t>> WaitForImports(const std::vector<int64_t>& process_ids, int64_t timeout_micros);

  int batch_size() const { return batch_size_; }

 private:
  Status UpdateChunk(std::vector<ContactWriteItem> chunk, UpdateOutcome& out, int depth);
  Status ImportChunk(const std::vector<ContactWriteItem>& chunk, const std::vector<int64_t>& lists,
                     ImportOutcome& out);

  brevo::BrevoClient& client_;
  Clock& clock_;
  int64_t default_list_id_;
  int batch_size_ = 1000;
};

// The 0-based index of the contact a batch update refused, from "contacts[3]: ..." in a Brevo
// error message; nullopt when the message names none.
std::optional<size_t> ParseRefusedIndex(const std::string& message);

// The 0-based indexes of "No contact found for indexes 3,4" in a Brevo error message.
std::vector<size_t> ParseMissingIndexes(const std::string& message);

}  // namespace tajo::sync
