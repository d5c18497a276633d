#include "sandbox/brevo/seeder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <unordered_set>

#include <fmt/format.h>

#include "sandbox/brevo/hubspot_emails.h"
#include "sandbox/common/fake_data.h"
#include "sandbox/common/rng.h"

namespace tajo::sandbox::brevo {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kSpan = 730 * kDay;

// Mail domains the HubSpot seed never uses (fake_data's free-mail lists and "<company>.example"),
// so Brevo-only contacts stay Brevo-only.
const std::vector<std::string> kBrevoOnlyDomains = {"proton.me", "gmx.net", "aol.com",      "mail.com",
                                                    "zoho.com",  "hey.com", "fastmail.com", "posteo.de"};
const char* kListNames[] = {"Newsletter", "Customers", "Webinar attendees", "Leads",
                            "Événements Paris", "Partners", "Black Friday", "Beta testers"};

const std::string& CallingCode(const std::string& country) {
  static const std::map<std::string, std::string> codes = {
      {"US", "1"},  {"CA", "1"},  {"FR", "33"}, {"DE", "49"}, {"ES", "34"},  {"BR", "55"}, {"GB", "44"},
      {"PL", "48"}, {"CZ", "420"}, {"SE", "46"}, {"TR", "90"}, {"VN", "84"}, {"JP", "81"}, {"CN", "86"},
      {"KR", "82"}, {"RU", "7"},  {"IN", "91"}, {"IL", "972"}, {"GR", "30"}, {"TH", "66"}, {"IT", "39"},
      {"NL", "31"}, {"MX", "52"}, {"PT", "351"}, {"EG", "20"}, {"SA", "966"}, {"AE", "971"}, {"NG", "234"}};
  static const std::string kDefault = "1";
  auto it = codes.find(country);
  return it == codes.end() ? kDefault : it->second;
}

std::string Capitalized(std::string ascii) {
  if (!ascii.empty()) ascii[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(ascii[0])));
  return ascii;
}

struct Seeding {
  Account& account;
  const SeedSpec& spec;
  Rng& rng;
  std::vector<int64_t> lists;
  int64_t end = 0;
  int64_t step = 1;
  int64_t made = 0;
  SeedReport report;

  void Times(SeedContact& c) {
    c.created_ms = end - kSpan + made * step + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(step)));
    c.created_ms = std::min(c.created_ms, end);
    c.modified_ms = rng.Chance(0.6) ? c.created_ms
                                    : c.created_ms + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(end - c.created_ms + 1)));
  }

  void Make(const std::string& email, std::string first, std::string last, const std::string& country, bool need_sms) {
    SeedContact c;
    c.email = email;
    Times(c);
    if (!first.empty()) c.attributes.emplace_back("FIRSTNAME", std::move(first));
    if (!last.empty()) c.attributes.emplace_back("LASTNAME", std::move(last));
    if (need_sms || rng.Chance(spec.sms_share)) {
      std::string digits = fmt::format("{}{}{:08}", CallingCode(country), rng.Between(6, 9), rng.Below(100'000'000));
      c.attributes.emplace_back("SMS", "+" + digits);
      ++report.with_sms;
    }
    if (rng.Chance(spec.ext_id_share)) c.attributes.emplace_back("EXT_ID", fmt::format("ext-{:08x}", rng.Next() & 0xFFFFFFFF));
    c.email_blacklisted = rng.Chance(spec.blocklisted_share);
    if (c.email_blacklisted) ++report.blocklisted;
    if (!lists.empty()) {
      if (rng.Chance(0.7)) c.lists.push_back(rng.Pick(lists));
      if (rng.Chance(0.2)) c.lists.push_back(rng.Pick(lists));
    }
    account.Seed(c);
    ++made;
    ++report.contacts;
  }
};

}  // namespace

SeedReport SeedAccount(Account& account, const SeedSpec& spec, uint64_t seed_number, int64_t now_ms) {
  Rng root(seed_number ^ StableHash("tajo-sandbox brevo seed"));
  Rng rng = root.Fork(1);    // per-contact values
  Rng pick = root.Fork(2);   // which HubSpot contacts overlap
  Rng only = root.Fork(3);   // Brevo-only people
  Seeding s{account, spec, rng, {}, now_ms - 60'000, 1, 0, {}};
  s.step = std::max<int64_t>(1, kSpan / std::max<int64_t>(1, spec.contacts));

  if (spec.lists > 0) {
    int64_t folder = account.CreateFolder("tajo-sandbox").value();
    const int64_t n = static_cast<int64_t>(std::size(kListNames));
    for (int64_t k = 0; k < spec.lists; ++k) {
      std::string name = kListNames[k % n];
      if (k >= n) name += " " + std::to_string(k / n + 1);
      s.lists.push_back(account.SeedList(name, folder));
    }
    s.report.lists = spec.lists;
  }

  const int64_t n = spec.contacts;
  account.Reserve(static_cast<size_t>(n));
  const double emails = static_cast<double>(spec.hubspot_contacts) * (1.0 - spec.hubspot_email_missing_share);
  const int64_t overlap_target =
      std::min<int64_t>(static_cast<int64_t>(std::llround(static_cast<double>(n) * spec.overlap_share)),
                        static_cast<int64_t>(std::floor(emails)));
  const int64_t only_target = n - overlap_target;
  std::unordered_set<std::string> only_emails;
  auto make_only = [&] {
    FakePerson p = MakePerson(only);
    bool sms_only = only.Chance(0.02);
    std::string email;
    if (!sms_only) {
      email = MakeEmail(only, p, only.Pick(kBrevoOnlyDomains));
      for (int k = 2; only_emails.count(email); ++k) {
        size_t at = email.find('@');
        email = email.substr(0, at) + std::to_string(k) + email.substr(at);
      }
      only_emails.insert(email);
    } else {
      ++s.report.sms_only;
    }
    s.Make(email, p.first_name, p.last_name, p.country, sms_only);
    ++s.report.brevo_only;
  };

  if (overlap_target > 0) {
    const double p_pick = std::min(1.0, static_cast<double>(overlap_target) / emails * 1.02);
    HubSpotSeedShape shape{spec.hubspot_contacts, spec.hubspot_companies, spec.hubspot_email_missing_share,
                           spec.hubspot_email_duplicate_share, seed_number};
    int64_t only_made = 0;
    ForEachHubSpotSeedContact(shape, [&](int64_t i, const FakePerson& person, const std::string& email) {
      if (!email.empty() && s.report.overlapping < overlap_target && s.made < n && pick.Chance(p_pick)) {
        std::string first = person.first_name, last = person.last_name;
        if (rng.Chance(spec.different_name_share)) {
          // Edited in Brevo: an ASCII spelling, or another last name.
          if (Capitalized(person.first_ascii) != first) first = Capitalized(person.first_ascii);
          else last = MakePerson(rng).last_name;
          ++s.report.different_names;
        }
        s.Make(LowerAscii(email), std::move(first), std::move(last), person.country, false);
        ++s.report.overlapping;
      }
      // Brevo-only contacts interleave, so both kinds spread over the two years.
      int64_t due = (i + 1) * only_target / std::max<int64_t>(1, spec.hubspot_contacts);
      while (only_made < due && s.made < n) {
        make_only();
        ++only_made;
      }
    });
  }
  while (s.made < n) make_only();
  return s.report;
}

}  // namespace tajo::sandbox::brevo
