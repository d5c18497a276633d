// ContactRun: the state of one contact sync run between pages — the resolved mapping and lists,
// the Brevo index (full runs), the buffer of writes not yet sent, and what has been counted —
// and the two steps every page goes through: Add() decides what each contact needs, Flush()
// sends the buffer to Brevo and saves links, snapshots, errors, counts and the checkpoint in one
// store transaction. Internal to sync/contact_sync.cc and sync/contact_deletions.cc.
//
// Not thread-safe: one run owns it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "store/state_store.h"
#include "sync/brevo_index.h"
#include "sync/connector_clients.h"
#include "sync/contact_mapper.h"
#include "sync/contact_writer.h"
#include "sync/list_membership.h"
#include "sync/sync_types.h"

namespace tajo::sync {

// The snapshot field that holds the managed lists a contact was put in ("10,11").
inline constexpr const char* kListsField = "@lists";

struct ContactRun {
  ContactRun(const Config& config, ConnectorClients& clients, store::StateStore& store, Clock& clock,
             ContactMapper mapper, ListMembership lists, int64_t default_list_id);

  // ---- fixed for the run
  const Config& config;
  ConnectorClients& clients;
  store::StateStore& store;
  Clock& clock;
  ContactMapper mapper;
  ListMembership lists;
  std::vector<int64_t> managed;  // lists.ManagedIds()
  ContactWriter writer;
  SyncRequest request;
  int64_t run_id = 0;  // 0 in a dry run
  bool full = true;
  std::optional<BrevoIndex> index;  // full runs only

  // ---- progress
  SyncSummary summary;
  int64_t done = 0;
  int64_t total = -1;
  int64_t hubspot_calls_at_start = 0;
  int64_t brevo_calls_at_start = 0;
  int64_t hubspot_calls_saved = 0;  // already added to the run's calls in the store
  int64_t brevo_calls_saved = 0;
  std::vector<int64_t> pending_imports;  // import processes not yet known to be complete
  int64_t chain_started_ms = 0;          // when the first run of an interrupted chain started
  // SMS numbers of imported contacts, set by a batch update once the imports are done: an
  // import row whose SMS another contact holds could be matched to that contact by Brevo.
  // Kept in the checkpoint.
  struct DeferredSms {
    std::string hubspot_id;
    std::string email;
    std::string sms;
  };
  std::vector<DeferredSms> deferred_sms;

  // Sends the deferred SMS numbers (after WaitForImports). A number Brevo refuses as taken is
  // reported (duplicate_phone) and forgotten in the snapshot.
  Status ApplyDeferredSms();

  // Decides what `contact` needs and buffers it. Fails only on a store error.
  Status Add(const hubspot::CrmObject& contact);
  // Contacts buffered and not yet sent.
  size_t Buffered() const { return links_.size() + deletes_.size(); }
  // Sends the buffer and saves everything with `checkpoint` (and the incremental cursor when
  // `cursor` is set) in one transaction.
  Status Flush(const nlohmann::json& checkpoint, const std::optional<std::string>& cursor);

  // Deletions (sync/contact_deletions.cc): buffers what on_delete says (or `action` when set:
  // a privacy deletion erases whatever on_delete says) for an archived contact that has a link.
  Status AddArchived(const hubspot::CrmObject& contact, std::optional<OnDelete> action = std::nullopt);

  // ---- set by the webhook worker
  // Run inside Flush's store transaction, after everything else (the worker marks its inbox
  // events done there, so they are done exactly when their effects are saved).
  std::function<Status(store::StoreTx&)> in_flush_tx;
  // When a flush has at most this many new contacts, each is created with POST /contacts (its id
  // known at once, no import process to wait for) instead of an import. 0 = always import.
  size_t direct_create_max = 0;

  void Plan(const std::string& action, const std::string& target, const std::string& detail);
  void CountSkip(const std::string& reason);

 private:
  struct LinkWrite {
    std::string hubspot_id;
    std::string email;
    std::optional<int64_t> brevo_id;
    store::Snapshot snapshot;
    std::string counted_as;  // "created" | "updated" | "unchanged"; "" once rejected
    nlohmann::json attributes;     // the whole mapped contact, for an import when Brevo lost it
    std::vector<int64_t> list_ids;
  };
  struct ErrorWrite {
    std::string record_id;
    std::string reason;
    std::string message;
  };
  struct DeleteWrite {
    std::string hubspot_id;
    std::string email;
    OnDelete action = OnDelete::kDelete;
  };

  // The Brevo contact tajo last wrote for a linked contact, rebuilt from its snapshot.
  void FromSnapshot(const store::Snapshot& snap, nlohmann::json& attributes, std::vector<int64_t>& list_ids) const;
  store::Snapshot MakeSnapshot(const hubspot::CrmObject& contact, const MappedContact& mapped,
                               const std::vector<int64_t>& list_ids) const;
  Status SendDeletes(store::RunCounts& counts, std::vector<std::string>& unlinked);
  void ClearBuffer();
  // Creates the buffered imports one by one with POST /contacts (see direct_create_max).
  Status CreateDirectly(const std::unordered_map<std::string, size_t>& link_at,
                        const std::function<void(const RejectedContact&)>& reject);
  // Moves the SMS of an import row to deferred_sms.
  void DeferSms(ContactWriteItem& item);
  // The batch-update rejections that are a taken SMS: sent again without it. Returns the others.
  Result<std::vector<RejectedContact>> RetryWithoutSms(const std::vector<RejectedContact>& rejected,
                                                       const std::vector<ContactWriteItem>& sent);
  std::vector<std::string> sms_dropped_;  // hubspot ids whose snapshot must forget SMS

  std::vector<ContactWriteItem> imports_;
  std::vector<ContactWriteItem> updates_;
  std::vector<DeleteWrite> deletes_;
  std::vector<LinkWrite> links_;        // to save once written
  std::vector<ErrorWrite> errors_;      // to report
  std::vector<std::string> resolved_;   // hubspot ids whose errors are resolved
  std::unordered_map<std::string, std::string> email_owner_;  // this run: email -> hubspot id
  std::unordered_map<std::string, std::string> sms_owner_;    // this run: SMS digits -> email
  std::unordered_map<std::string, std::string> id_email_;     // this run: hubspot id -> email
  store::RunCounts buffered_counts_;
};

}  // namespace tajo::sync
