#include "sandbox/hubspot/seeder.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "sandbox/common/fake_data.h"
#include "sandbox/common/rng.h"
#include "sandbox/common/seed_contacts.h"
#include "sandbox/common/time_format.h"

namespace tajo::sandbox::hubspot {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kSpan = 730 * kDay;
constexpr size_t kChunk = 20'000;

std::string EnumValue(const std::string& label) {
  std::string out;
  for (char c : label) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// Creation and modification times for record i of n: increasing with i, within the span.
void Times(Rng& rng, int64_t i, int64_t n, int64_t end, int64_t* created, int64_t* updated) {
  int64_t step = std::max<int64_t>(1, kSpan / std::max<int64_t>(1, n));
  *created = end - kSpan + i * step + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(std::max<int64_t>(1, step))));
  if (*created > end) *created = end;
  *updated = rng.Chance(0.5) ? *created : *created + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(end - *created + 1)));
}

template <typename T>
const T& Weighted(Rng& rng, const std::vector<std::pair<T, int>>& items) {
  int total = 0;
  for (const auto& [v, w] : items) total += w;
  int r = static_cast<int>(rng.Below(static_cast<uint64_t>(total)));
  for (const auto& [v, w] : items) {
    if (r < w) return v;
    r -= w;
  }
  return items.front().first;
}

struct Flusher {
  Portal& portal;
  const ObjectType& type;
  std::vector<SeedRecord> pending;
  std::vector<uint64_t> ids;
  void Add(SeedRecord r) {
    pending.push_back(std::move(r));
    if (pending.size() >= kChunk) Flush();
  }
  void Flush() {
    auto got = portal.SeedRecords(type, std::move(pending));
    ids.insert(ids.end(), got.begin(), got.end());
    pending.clear();
  }
};

}  // namespace

SeedReport SeedPortal(Portal& portal, const SeedSpec& spec, uint64_t seed_number, int64_t now_ms) {
  SeedReport report;
  Rng root(seed_number);
  const int64_t end = now_ms - 60'000;
  std::vector<std::string> owner_ids;
  for (const Owner& o : portal.Owners())
    if (!o.archived) owner_ids.push_back(o.id);
  auto type = [&](const char* name) -> const ObjectType& { return *portal.FindType(name); };

  // The people (company names and details, contacts and their emails) come from the sequence the
  // Brevo seeder re-creates to overlap this seed; everything else per record is drawn here from
  // streams of its own, so it can change without moving an email.
  SeedContactSequence people(SeedContactsShape{seed_number, spec.contacts, spec.companies,
                                               spec.email_missing_share, spec.email_duplicate_share});

  // Companies.
  Rng crng = root.Fork(11);
  std::vector<std::string> company_names;
  Flusher companies{portal, type("companies"), {}, {}};
  for (int64_t i = 0; i < spec.companies; ++i) {
    const FakeCompany& c = people.companies()[static_cast<size_t>(i)];
    SeedRecord r;
    Times(crng, i, spec.companies, end, &r.created_ms, &r.updated_ms);
    r.properties = {{"name", c.name},
                    {"domain", c.domain},
                    {"website", "https://www." + c.domain},
                    {"industry", EnumValue(c.industry)},
                    {"numberofemployees", std::to_string(c.employees)},
                    {"annualrevenue", std::to_string(c.annual_revenue)},
                    {"phone", c.phone},
                    {"city", c.city},
                    {"country", c.country_name},
                    {"lifecyclestage", Weighted<std::string>(crng, {{"lead", 3}, {"opportunity", 2}, {"customer", 3}, {"other", 1}})},
                    {"type", Weighted<std::string>(crng, {{"PROSPECT", 5}, {"PARTNER", 1}, {"RESELLER", 1}, {"VENDOR", 1}})}};
    if (crng.Chance(0.8)) r.properties.emplace_back("hubspot_owner_id", crng.Pick(owner_ids));
    company_names.push_back(c.name);
    companies.Add(std::move(r));
  }
  companies.Flush();
  report.created["companies"] = static_cast<int64_t>(companies.ids.size());

  // Contacts.
  Rng prng = root.Fork(12);
  const std::vector<std::pair<std::string, int>> stages = {
      {"subscriber", 20}, {"lead", 30}, {"marketingqualifiedlead", 12}, {"salesqualifiedlead", 8},
      {"opportunity", 8}, {"customer", 15}, {"evangelist", 3}, {"other", 4}};
  const std::vector<std::string> lead_status = {"NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
                                                "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"};
  std::vector<int64_t> contact_company;  // index into companies, -1 for none
  Flusher contacts{portal, type("contacts"), {}, {}};
  for (int64_t i = 0; i < spec.contacts; ++i) {
    SeedContact c = people.Next();
    const FakePerson& p = c.person;
    const int64_t company = c.company;
    SeedRecord r;
    Times(prng, i, spec.contacts, end, &r.created_ms, &r.updated_ms);
    r.properties = {{"firstname", p.first_name}, {"lastname", p.last_name}};
    if (!c.email.empty()) r.properties.emplace_back("email", c.email);
    r.properties.emplace_back("phone", p.phone);
    if (prng.Chance(0.3)) r.properties.emplace_back("mobilephone", MakePhone(prng, p.country));
    if (!p.job_title.empty()) r.properties.emplace_back("jobtitle", p.job_title);
    r.properties.emplace_back("city", p.city);
    r.properties.emplace_back("country", p.country_name);
    r.properties.emplace_back("lifecyclestage", Weighted(prng, stages));
    if (prng.Chance(0.6)) r.properties.emplace_back("hs_lead_status", prng.Pick(lead_status));
    if (prng.Chance(0.7)) r.properties.emplace_back("hubspot_owner_id", prng.Pick(owner_ids));
    if (company >= 0) r.properties.emplace_back("company", company_names[static_cast<size_t>(company)]);
    contact_company.push_back(company);
    contacts.Add(std::move(r));
  }
  contacts.Flush();
  report.created["contacts"] = static_cast<int64_t>(contacts.ids.size());
  const ObjectType& contact_t = type("contacts");
  const ObjectType& company_t = type("companies");
  for (size_t i = 0; i < contacts.ids.size(); ++i) {
    if (contact_company[i] < 0) continue;
    portal.SeedAssociate(contact_t, contacts.ids[i], company_t, companies.ids[static_cast<size_t>(contact_company[i])], true);
    ++report.associations;
  }

  // Deals.
  Rng drng = root.Fork(3);
  std::vector<std::string> deal_stages;
  for (const Pipeline& p : portal.Pipelines(type("deals")))
    for (const Stage& s : p.stages) deal_stages.push_back(s.id);
  const char* kProducts[] = {"Renewal", "New licences", "Upsell", "Consulting", "Pilot", "Support plan", "Expansion"};
  Flusher deals{portal, type("deals"), {}, {}};
  std::vector<std::pair<int64_t, int64_t>> deal_links;  // (contact index or -1, company index or -1)
  for (int64_t i = 0; i < spec.deals; ++i) {
    SeedRecord r;
    Times(drng, i, spec.deals, end, &r.created_ms, &r.updated_ms);
    int64_t contact = contacts.ids.empty() ? -1 : static_cast<int64_t>(drng.Below(contacts.ids.size()));
    int64_t company = contact >= 0 ? contact_company[static_cast<size_t>(contact)] : -1;
    if (company < 0 && !companies.ids.empty() && drng.Chance(0.5))
      company = static_cast<int64_t>(drng.Below(companies.ids.size()));
    std::string base = company >= 0 ? company_names[static_cast<size_t>(company)] : "Direct";
    int64_t amount = (drng.Between(5, 2500)) * 100;
    r.properties = {{"dealname", base + " - " + drng.Pick(kProducts) + " " + FormatIsoDate(r.created_ms).substr(0, 4)},
                    {"amount", std::to_string(amount)},
                    {"pipeline", "default"},
                    {"dealstage", drng.Pick(deal_stages)},
                    {"closedate", FormatIsoMillis(r.created_ms + drng.Between(30, 120) * kDay)},
                    {"dealtype", drng.Chance(0.6) ? "newbusiness" : "existingbusiness"}};
    if (drng.Chance(0.9)) r.properties.emplace_back("hubspot_owner_id", drng.Pick(owner_ids));
    deal_links.emplace_back(contact, company);
    deals.Add(std::move(r));
  }
  deals.Flush();
  report.created["deals"] = static_cast<int64_t>(deals.ids.size());
  const ObjectType& deal_t = type("deals");
  for (size_t i = 0; i < deals.ids.size(); ++i) {
    auto [contact, company] = deal_links[i];
    if (contact >= 0) {
      portal.SeedAssociate(deal_t, deals.ids[i], contact_t, contacts.ids[static_cast<size_t>(contact)], false);
      ++report.associations;
      if (drng.Chance(0.2)) {  // a second decision maker
        size_t other = drng.Below(contacts.ids.size());
        if (static_cast<int64_t>(other) != contact) {
          portal.SeedAssociate(deal_t, deals.ids[i], contact_t, contacts.ids[other], false);
          ++report.associations;
        }
      }
    }
    if (company >= 0) {
      portal.SeedAssociate(deal_t, deals.ids[i], company_t, companies.ids[static_cast<size_t>(company)], true);
      ++report.associations;
    }
  }

  // Tickets.
  Rng trng = root.Fork(4);
  const char* kSubjects[] = {"Cannot log in", "Question about my invoice", "Feature request: dark mode",
                             "Problème de facturation", "Lieferung verspätet", "配送の遅延について",
                             "Export to CSV fails", "Password reset email never arrives", "Cambio de plan"};
  Flusher tickets{portal, type("tickets"), {}, {}};
  std::vector<int64_t> ticket_contact;
  for (int64_t i = 0; i < spec.tickets; ++i) {
    SeedRecord r;
    Times(trng, i, spec.tickets, end, &r.created_ms, &r.updated_ms);
    std::string subject = trng.Pick(kSubjects);
    r.properties = {{"subject", subject},
                    {"content", "Customer wrote: \"" + subject + "\". Please follow up."},
                    {"hs_pipeline", "0"},
                    {"hs_pipeline_stage", std::to_string(trng.Between(1, 4))},
                    {"hs_ticket_priority", Weighted<std::string>(trng, {{"LOW", 4}, {"MEDIUM", 4}, {"HIGH", 2}, {"URGENT", 1}})},
                    {"hs_ticket_category", Weighted<std::string>(trng, {{"PRODUCT_ISSUE", 4}, {"BILLING_ISSUE", 2}, {"FEATURE_REQUEST", 2}, {"GENERAL_INQUIRY", 2}})},
                    {"source_type", Weighted<std::string>(trng, {{"EMAIL", 4}, {"CHAT", 2}, {"FORM", 2}, {"PHONE", 1}})}};
    if (trng.Chance(0.7)) r.properties.emplace_back("hubspot_owner_id", trng.Pick(owner_ids));
    ticket_contact.push_back(contacts.ids.empty() ? -1 : static_cast<int64_t>(trng.Below(contacts.ids.size())));
    tickets.Add(std::move(r));
  }
  tickets.Flush();
  report.created["tickets"] = static_cast<int64_t>(tickets.ids.size());
  for (size_t i = 0; i < tickets.ids.size(); ++i) {
    if (ticket_contact[i] < 0) continue;
    portal.SeedAssociate(type("tickets"), tickets.ids[i], contact_t, contacts.ids[static_cast<size_t>(ticket_contact[i])], false);
    ++report.associations;
  }

  // Engagements: their own counts plus `engagements` spread over the five types.
  Rng erng = root.Fork(5);
  int64_t counts[5] = {spec.calls, spec.emails, spec.meetings, spec.notes, spec.tasks};
  for (int64_t i = 0; i < spec.engagements; ++i) ++counts[i % 5];
  const char* kTypes[5] = {"calls", "emails", "meetings", "notes", "tasks"};
  const std::vector<std::string> dispositions = {"f240bbac-87c9-4f6e-bf70-924b57d47db7", "73a0d17f-1163-4015-bdd5-ec830791da20",
                                                 "b2cf5968-551e-4856-9783-52b3da59a7d0", "9d9162e7-6cf3-4944-bf63-4dff82258764"};
  for (int k = 0; k < 5; ++k) {
    Flusher eng{portal, type(kTypes[k]), {}, {}};
    std::vector<int64_t> owner_contact;
    for (int64_t i = 0; i < counts[k]; ++i) {
      SeedRecord r;
      Times(erng, i, counts[k], end, &r.created_ms, &r.updated_ms);
      std::string ts = FormatIsoMillis(r.created_ms);
      r.properties = {{"hs_timestamp", ts}};
      if (erng.Chance(0.8)) r.properties.emplace_back("hubspot_owner_id", erng.Pick(owner_ids));
      switch (k) {
        case 0:
          r.properties.insert(r.properties.end(),
                              {{"hs_call_title", "Call with prospect"},
                               {"hs_call_body", "<p>Discussed pricing and next steps.</p>"},
                               {"hs_call_direction", erng.Chance(0.7) ? "OUTBOUND" : "INBOUND"},
                               {"hs_call_disposition", erng.Pick(dispositions)},
                               {"hs_call_duration", std::to_string(erng.Between(10, 3600) * 1000)},
                               {"hs_call_status", "COMPLETED"}});
          break;
        case 1:
          r.properties.insert(r.properties.end(),
                              {{"hs_email_subject", "Re: your quote"},
                               {"hs_email_text", "Thanks for your time today. The quote is attached."},
                               {"hs_email_direction", erng.Chance(0.6) ? "EMAIL" : "INCOMING_EMAIL"},
                               {"hs_email_status", "SENT"}});
          break;
        case 2:
          r.properties.insert(r.properties.end(),
                              {{"hs_meeting_title", "Discovery meeting"},
                               {"hs_meeting_body", "<p>Agenda: needs, timeline, budget.</p>"},
                               {"hs_meeting_start_time", ts},
                               {"hs_meeting_end_time", FormatIsoMillis(r.created_ms + 30 * 60'000)},
                               {"hs_meeting_outcome", erng.Chance(0.8) ? "COMPLETED" : "NO_SHOW"}});
          break;
        case 3:
          r.properties.emplace_back("hs_note_body", "<p>Prefers to be contacted in the morning. Très intéressé.</p>");
          break;
        default:
          r.properties.insert(r.properties.end(),
                              {{"hs_task_subject", "Follow up"},
                               {"hs_task_body", "Send the case study."},
                               {"hs_task_status", erng.Chance(0.5) ? "COMPLETED" : "NOT_STARTED"},
                               {"hs_task_priority", erng.Chance(0.3) ? "HIGH" : "MEDIUM"},
                               {"hs_task_type", erng.Chance(0.5) ? "CALL" : "TODO"}});
          break;
      }
      owner_contact.push_back(contacts.ids.empty() ? -1 : static_cast<int64_t>(erng.Below(contacts.ids.size())));
      eng.Add(std::move(r));
    }
    eng.Flush();
    report.created[kTypes[k]] = static_cast<int64_t>(eng.ids.size());
    for (size_t i = 0; i < eng.ids.size(); ++i) {
      if (owner_contact[i] < 0) continue;
      portal.SeedAssociate(type(kTypes[k]), eng.ids[i], contact_t, contacts.ids[static_cast<size_t>(owner_contact[i])], false);
      ++report.associations;
    }
  }
  if (!deals.ids.empty()) portal.RecomputeAllRollups();
  return report;
}

}  // namespace tajo::sandbox::hubspot
