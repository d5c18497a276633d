// Fake people and companies for seeding the sandboxes: realistic, messy and deterministic.
//
// Names come from many countries, with accents (Élodie Lefèvre, Łukasz Wójcik) and non-Latin
// scripts (Дмитрий Иванов, 佐藤 健, محمد العلي), each with an ASCII form used to build email
// addresses. Phones come in the many national and international formats people type
// ("06 12 34 56 78", "+33 6 12 34 56 78", "(415) 555-0132", "+81 3-1234-5678", ...).
// Everything is drawn from the Rng passed in, so the same seed gives the same data everywhere.
//
// Stateless functions; thread-safe as long as each thread uses its own Rng.
#pragma once

#include <cstdint>
#include <string>

#include "sandbox/common/rng.h"

namespace tajo::sandbox {

struct FakePerson {
  std::string first_name;   // as written, any script
  std::string last_name;
  std::string first_ascii;  // lower-case ASCII romanisation, for emails ("elodie")
  std::string last_ascii;   // ("lefevre")
  std::string country;      // ISO 3166 alpha-2, "FR"
  std::string country_name; // "France"
  std::string city;
  std::string phone;        // in one of the country's usual formats
  std::string job_title;
};

struct FakeCompany {
  std::string name;          // "Dupré Conseil SARL", "株式会社サクラ"
  std::string domain;        // "dupreconseil.fr" (ASCII, lower case)
  std::string industry;      // a label such as "Computer Software"
  std::string country;       // ISO 3166 alpha-2
  std::string country_name;
  std::string city;
  std::string phone;
  int64_t employees = 0;     // 1 .. 50,000, skewed small
  int64_t annual_revenue = 0;// whole currency units
};

// A person from a randomly chosen country (weighted towards Latin-script countries).
FakePerson MakePerson(Rng& rng);
// A company from a randomly chosen country.
FakeCompany MakeCompany(Rng& rng);
// A phone number for `country` (ISO alpha-2) in one of its usual formats; unknown countries get
// an E.164-style number.
std::string MakePhone(Rng& rng, const std::string& country);
// An email address for the person: one of several local-part patterns at `domain` (a free-mail
// domain of the person's country when `domain` is empty). Lower case ASCII.
std::string MakeEmail(Rng& rng, const FakePerson& person, const std::string& domain = "");
// Lower-case ASCII letters and digits only ("Dupré Conseil" -> "dupreconseil"); drops what it
// cannot transliterate.
std::string AsciiSlug(const std::string& text);

}  // namespace tajo::sandbox
