#include "sandbox/hubspot/associations.h"

#include <algorithm>

namespace tajo::sandbox::hubspot {

using R = ObjectTypeRegistry;

AssociationTypeRegistry::AssociationTypeRegistry(const ObjectTypeRegistry& types) { BuildDefaults(types); }

void AssociationTypeRegistry::Add(AssociationType t) { types_[t.id] = std::move(t); }

void AssociationTypeRegistry::AddPair(int a, int b, uint32_t ab, uint32_t ba, bool is_default, const char* label_ab,
                                      const char* label_ba, const ObjectTypeRegistry& types) {
  auto make = [&](int from, int to, uint32_t id, uint32_t inverse, const char* label) {
    AssociationType t;
    t.id = id;
    t.from_type = from;
    t.to_type = to;
    t.inverse = inverse;
    t.is_default = is_default;
    if (label) t.label = label;
    t.is_primary = label && std::string(label) == "Primary";
    t.v3_name = types.at(from).singular + "_to_" + types.at(to).singular;
    return t;
  };
  Add(make(a, b, ab, ba, label_ab));
  if (ab != ba) Add(make(b, a, ba, ab, label_ba));
}

void AssociationTypeRegistry::BuildDefaults(const ObjectTypeRegistry& types) {
  types_.clear();
  next_user_id_ = 2000;
  // Unlabeled defaults (reference §3.2).
  AddPair(R::kContacts, R::kContacts, 449, 449, true, nullptr, nullptr, types);
  AddPair(R::kContacts, R::kCompanies, 279, 280, true, nullptr, nullptr, types);
  AddPair(R::kContacts, R::kDeals, 4, 3, true, nullptr, nullptr, types);
  AddPair(R::kContacts, R::kTickets, 15, 16, true, nullptr, nullptr, types);
  AddPair(R::kCompanies, R::kCompanies, 450, 450, true, nullptr, nullptr, types);
  AddPair(R::kCompanies, R::kDeals, 342, 341, true, nullptr, nullptr, types);
  AddPair(R::kCompanies, R::kTickets, 340, 339, true, nullptr, nullptr, types);
  AddPair(R::kDeals, R::kDeals, 451, 451, true, nullptr, nullptr, types);
  AddPair(R::kDeals, R::kTickets, 27, 28, true, nullptr, nullptr, types);
  AddPair(R::kTickets, R::kTickets, 452, 452, true, nullptr, nullptr, types);
  // Object -> engagement / engagement -> object: call, email, meeting, note, task.
  const int engagements[] = {R::kCalls, R::kEmails, R::kMeetings, R::kNotes, R::kTasks};
  const uint32_t contact_ids[] = {193, 197, 199, 201, 203};
  const uint32_t company_ids[] = {181, 185, 187, 189, 191};
  const uint32_t deal_ids[] = {205, 209, 211, 213, 215};
  const uint32_t ticket_ids[] = {219, 223, 225, 227, 229};
  for (int i = 0; i < 5; ++i) {
    AddPair(R::kContacts, engagements[i], contact_ids[i], contact_ids[i] + 1, true, nullptr, nullptr, types);
    AddPair(R::kCompanies, engagements[i], company_ids[i], company_ids[i] + 1, true, nullptr, nullptr, types);
    AddPair(R::kDeals, engagements[i], deal_ids[i], deal_ids[i] + 1, true, nullptr, nullptr, types);
    AddPair(R::kTickets, engagements[i], ticket_ids[i], ticket_ids[i] + 1, true, nullptr, nullptr, types);
  }
  // Labelled HubSpot-defined types: primaries and parent/child companies.
  AddPair(R::kContacts, R::kCompanies, 1, 2, false, "Primary", "Primary", types);
  AddPair(R::kDeals, R::kCompanies, 5, 6, false, "Primary", "Primary", types);
  AddPair(R::kTickets, R::kCompanies, 26, 25, false, "Primary", "Primary", types);
  AddPair(R::kCompanies, R::kCompanies, 13, 14, false, "Child Company", "Parent Company", types);
  // v3 names: where a pair has a primary type, the primary takes the plain name and the
  // unlabeled default gets "_unlabeled" (reference §1.2: 1 = contact_to_company, 279 = ..._unlabeled).
  for (auto& [id, t] : types_) {
    if (t.is_default) {
      for (const auto& [other_id, o] : types_) {
        if (o.is_primary && o.from_type == t.from_type && o.to_type == t.to_type) {
          t.v3_name += "_unlabeled";
          break;
        }
      }
    }
  }
  types_[13].v3_name = "parent_to_child_company";
  types_[14].v3_name = "child_to_parent_company";
}

const AssociationType* AssociationTypeRegistry::Find(uint32_t id) const {
  auto it = types_.find(id);
  return it == types_.end() ? nullptr : &it->second;
}

const AssociationType* AssociationTypeRegistry::Default(int from_type, int to_type) const {
  for (const auto& [id, t] : types_)
    if (t.is_default && t.from_type == from_type && t.to_type == to_type) return &t;
  return nullptr;
}

std::vector<const AssociationType*> AssociationTypeRegistry::Between(int from_type, int to_type) const {
  std::vector<const AssociationType*> out;
  for (const auto& [id, t] : types_)
    if (t.from_type == from_type && t.to_type == to_type) out.push_back(&t);
  return out;
}

uint32_t AssociationTypeRegistry::AddLabel(int from_type, int to_type, const std::string& label,
                                           const std::string& inverse_label) {
  uint32_t ab = next_user_id_++;
  uint32_t ba = next_user_id_++;
  auto make = [&](int from, int to, uint32_t id, uint32_t inverse, const std::string& l) {
    AssociationType t;
    t.id = id;
    t.from_type = from;
    t.to_type = to;
    t.inverse = inverse;
    t.category = "USER_DEFINED";
    t.label = l;
    t.v3_name = l;
    for (char& c : t.v3_name) c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  Add(make(from_type, to_type, ab, ba, label));
  Add(make(to_type, from_type, ba, ab, inverse_label.empty() ? label : inverse_label));
  return ab;
}

void AssociationTypeRegistry::AddDefaultPair(int from_type, int to_type, const ObjectTypeRegistry& types) {
  if (Default(from_type, to_type)) return;
  uint32_t ab = next_user_id_++;
  uint32_t ba = from_type == to_type ? ab : next_user_id_++;
  AddPair(from_type, to_type, ab, ba, true, nullptr, nullptr, types);
}

bool AssociationTypeRegistry::RemoveLabel(uint32_t id) {
  auto it = types_.find(id);
  if (it == types_.end() || it->second.category != "USER_DEFINED") return false;
  uint32_t inverse = it->second.inverse;
  types_.erase(it);
  types_.erase(inverse);
  return true;
}

void AssociationTypeRegistry::ResetToDefaults(const ObjectTypeRegistry& types) { BuildDefaults(types); }

bool AssociationGraph::Edge::Has(uint32_t t) const {
  for (uint8_t i = 0; i < count; ++i)
    if (types[i] == t) return true;
  return false;
}

AssociationGraph::Edge* AssociationGraph::FindMutable(uint64_t from, uint64_t to) {
  auto it = edges_.find(from);
  if (it == edges_.end()) return nullptr;
  for (auto& e : it->second)
    if (e.to_id == to) return &e;
  return nullptr;
}

const AssociationGraph::Edge* AssociationGraph::Find(uint64_t from, uint64_t to) const {
  return const_cast<AssociationGraph*>(this)->FindMutable(from, to);
}

bool AssociationGraph::Add(uint64_t from, int from_type, uint64_t to, int to_type, uint32_t type_id,
                           uint32_t inverse_id) {
  Edge* ab = FindMutable(from, to);
  Edge* ba = FindMutable(to, from);
  if ((ab && !ab->Has(type_id) && ab->count >= kMaxTypesPerPair) ||
      (ba && !ba->Has(inverse_id) && ba->count >= kMaxTypesPerPair))
    return false;
  auto add = [&](Edge* e, uint64_t a, uint64_t b, int b_type, uint32_t t) {
    if (!e) {
      Edge fresh;
      fresh.to_id = b;
      fresh.to_type = static_cast<int16_t>(b_type);
      edges_[a].push_back(fresh);
      e = &edges_[a].back();
      ++directed_edges_;
    }
    if (!e->Has(t)) e->types[e->count++] = t;
  };
  add(ab, from, to, to_type, type_id);
  // Re-find: the first add may have reallocated the vector holding `ba` when from == to.
  add(FindMutable(to, from), to, from, from_type, inverse_id);
  return true;
}

bool AssociationGraph::RemoveType(uint64_t from, uint64_t to, uint32_t type_id, uint32_t inverse_id) {
  bool removed = false;
  auto drop = [&](uint64_t a, uint64_t b, uint32_t t) {
    auto it = edges_.find(a);
    if (it == edges_.end()) return;
    auto& vec = it->second;
    for (size_t i = 0; i < vec.size(); ++i) {
      Edge& e = vec[i];
      if (e.to_id != b) continue;
      for (uint8_t k = 0; k < e.count; ++k) {
        if (e.types[k] == t) {
          e.types[k] = e.types[e.count - 1];
          --e.count;
          removed = true;
          break;
        }
      }
      if (e.count == 0) {
        vec.erase(vec.begin() + static_cast<std::ptrdiff_t>(i));
        --directed_edges_;
        if (vec.empty()) edges_.erase(it);
      }
      return;
    }
  };
  drop(from, to, type_id);
  drop(to, from, inverse_id);
  return removed;
}

bool AssociationGraph::RemovePair(uint64_t from, uint64_t to) {
  bool removed = false;
  auto drop = [&](uint64_t a, uint64_t b) {
    auto it = edges_.find(a);
    if (it == edges_.end()) return;
    auto& vec = it->second;
    auto e = std::find_if(vec.begin(), vec.end(), [&](const Edge& x) { return x.to_id == b; });
    if (e == vec.end()) return;
    vec.erase(e);
    --directed_edges_;
    removed = true;
    if (vec.empty()) edges_.erase(it);
  };
  drop(from, to);
  drop(to, from);
  return removed;
}

std::vector<std::pair<uint64_t, int>> AssociationGraph::RemoveAll(uint64_t id) {
  std::vector<std::pair<uint64_t, int>> peers;
  auto it = edges_.find(id);
  if (it == edges_.end()) return peers;
  for (const Edge& e : it->second) peers.emplace_back(e.to_id, e.to_type);
  for (const auto& [peer, type] : peers) RemovePair(id, peer);
  return peers;
}

const std::vector<AssociationGraph::Edge>& AssociationGraph::EdgesOf(uint64_t id) const {
  static const std::vector<Edge> kEmpty;
  auto it = edges_.find(id);
  return it == edges_.end() ? kEmpty : it->second;
}

void AssociationGraph::Clear() {
  edges_.clear();
  directed_edges_ = 0;
}

size_t AssociationGraph::MemoryBytes() const {
  size_t n = edges_.bucket_count() * sizeof(void*);
  for (const auto& [id, vec] : edges_)
    n += ((sizeof(std::pair<const uint64_t, std::vector<Edge>>) + sizeof(void*) + 15) / 16) * 16 +
         vec.capacity() * sizeof(Edge);
  return n;
}

}  // namespace tajo::sandbox::hubspot
