#include "sandbox/common/fake_data.h"

#include <cctype>
#include <string_view>
#include <vector>

namespace tajo::sandbox {
namespace {

struct Name {
  const char* text;
  const char* ascii;
};

struct Country {
  const char* code;
  const char* name;
  int weight;
  std::vector<Name> first;
  std::vector<Name> last;
  std::vector<const char*> cities;
  std::vector<const char*> free_mail;
  const char* tld;
};

const std::vector<Country>& Countries() {
  static const std::vector<Country>* countries = new std::vector<Country>{
      {"US", "United States", 20,
       {{"James", "james"}, {"Mary", "mary"}, {"Robert", "robert"}, {"Patricia", "patricia"},
        {"Michael", "michael"}, {"Jennifer", "jennifer"}, {"David", "david"}, {"Linda", "linda"},
        {"Chloé", "chloe"}, {"José", "jose"}, {"Aaliyah", "aaliyah"}, {"DeShawn", "deshawn"}},
       {{"Smith", "smith"}, {"Johnson", "johnson"}, {"Williams", "williams"}, {"Brown", "brown"},
        {"Garcia", "garcia"}, {"Miller", "miller"}, {"O'Brien", "obrien"}, {"Rodríguez", "rodriguez"},
        {"Nguyen", "nguyen"}, {"Van der Berg", "vanderberg"}},
       {"New York", "San Francisco", "Austin", "Chicago", "Boston", "Seattle"},
       {"gmail.com", "yahoo.com", "outlook.com", "icloud.com"}, "com"},
      {"FR", "France", 10,
       {{"Élodie", "elodie"}, {"François", "francois"}, {"Hélène", "helene"}, {"Zoé", "zoe"},
        {"Benoît", "benoit"}, {"Jérôme", "jerome"}, {"Anaïs", "anais"}, {"Loïc", "loic"},
        {"Camille", "camille"}, {"Gaëlle", "gaelle"}},
       {{"Lefèvre", "lefevre"}, {"Dupré", "dupre"}, {"Martin", "martin"}, {"Bernard", "bernard"},
        {"Rousseau", "rousseau"}, {"Lemaître", "lemaitre"}, {"Féraud", "feraud"}, {"Dubois", "dubois"}},
       {"Paris", "Lyon", "Marseille", "Nantes", "Bordeaux", "Lille"},
       {"gmail.com", "orange.fr", "free.fr", "laposte.net"}, "fr"},
      {"DE", "Germany", 8,
       {{"Jürgen", "juergen"}, {"Sören", "soeren"}, {"Lena", "lena"}, {"Maximilian", "maximilian"},
        {"Käthe", "kaethe"}, {"Lukas", "lukas"}},
       {{"Müller", "mueller"}, {"Schröder", "schroeder"}, {"Weiß", "weiss"}, {"Schmidt", "schmidt"},
        {"Groß", "gross"}, {"Köhler", "koehler"}},
       {"Berlin", "München", "Köln", "Hamburg", "Düsseldorf"},
       {"gmx.de", "web.de", "t-online.de", "gmail.com"}, "de"},
      {"ES", "Spain", 5,
       {{"Begoña", "begona"}, {"Iñaki", "inaki"}, {"Lucía", "lucia"}, {"Álvaro", "alvaro"}},
       {{"Núñez", "nunez"}, {"Muñoz", "munoz"}, {"García", "garcia"}, {"Pérez", "perez"}},
       {"Madrid", "Barcelona", "Sevilla", "Valencia"}, {"gmail.com", "hotmail.es", "yahoo.es"}, "es"},
      {"BR", "Brazil", 5,
       {{"João", "joao"}, {"Conceição", "conceicao"}, {"Thiago", "thiago"}, {"Luíza", "luiza"}},
       {{"Gonçalves", "goncalves"}, {"Araújo", "araujo"}, {"Simões", "simoes"}, {"Silva", "silva"}},
       {"São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba"}, {"gmail.com", "uol.com.br", "bol.com.br"}, "com.br"},
      {"GB", "United Kingdom", 7,
       {{"Oliver", "oliver"}, {"Amelia", "amelia"}, {"Siobhán", "siobhan"}, {"Rhys", "rhys"}, {"Niamh", "niamh"}},
       {{"Taylor", "taylor"}, {"Evans", "evans"}, {"O'Connor", "oconnor"}, {"Smith-Jones", "smithjones"}},
       {"London", "Manchester", "Edinburgh", "Cardiff", "Bristol"}, {"gmail.com", "btinternet.com", "hotmail.co.uk"}, "co.uk"},
      {"PL", "Poland", 3,
       {{"Łukasz", "lukasz"}, {"Małgorzata", "malgorzata"}, {"Paweł", "pawel"}, {"Zofia", "zofia"}},
       {{"Wójcik", "wojcik"}, {"Kowalczyk", "kowalczyk"}, {"Woźniak", "wozniak"}, {"Dąbrowski", "dabrowski"}},
       {"Warszawa", "Kraków", "Łódź", "Wrocław"}, {"wp.pl", "onet.pl", "gmail.com"}, "pl"},
      {"CZ", "Czechia", 2,
       {{"Jiří", "jiri"}, {"Tereza", "tereza"}, {"Ondřej", "ondrej"}},
       {{"Dvořák", "dvorak"}, {"Novák", "novak"}, {"Černý", "cerny"}},
       {"Praha", "Brno", "Ostrava"}, {"seznam.cz", "gmail.com"}, "cz"},
      {"SE", "Sweden", 2,
       {{"Åsa", "asa"}, {"Björn", "bjorn"}, {"Linnéa", "linnea"}},
       {{"Sørensen", "sorensen"}, {"Åberg", "aberg"}, {"Lindqvist", "lindqvist"}},
       {"Stockholm", "Göteborg", "Malmö"}, {"gmail.com", "telia.com"}, "se"},
      {"TR", "Turkey", 2,
       {{"Şebnem", "sebnem"}, {"Ömer", "omer"}, {"Ayşe", "ayse"}},
       {{"Şahin", "sahin"}, {"Yılmaz", "yilmaz"}, {"Öztürk", "ozturk"}},
       {"İstanbul", "Ankara", "İzmir"}, {"gmail.com", "hotmail.com"}, "com.tr"},
      {"VN", "Vietnam", 2,
       {{"Thảo", "thao"}, {"Đức", "duc"}, {"Hương", "huong"}},
       {{"Nguyễn", "nguyen"}, {"Trần", "tran"}, {"Phạm", "pham"}},
       {"Hà Nội", "Hồ Chí Minh", "Đà Nẵng"}, {"gmail.com", "yahoo.com.vn"}, "vn"},
      {"RU", "Russia", 3,
       {{"Дмитрий", "dmitry"}, {"Анна", "anna"}, {"Сергей", "sergey"}, {"Наталья", "natalya"}},
       {{"Иванов", "ivanov"}, {"Смирнова", "smirnova"}, {"Кузнецов", "kuznetsov"}, {"Попова", "popova"}},
       {"Москва", "Санкт-Петербург", "Казань"}, {"yandex.ru", "mail.ru", "gmail.com"}, "ru"},
      {"GR", "Greece", 2,
       {{"Γιώργος", "giorgos"}, {"Ελένη", "eleni"}, {"Νίκος", "nikos"}},
       {{"Παπαδόπουλος", "papadopoulos"}, {"Οικονόμου", "oikonomou"}, {"Γεωργίου", "georgiou"}},
       {"Αθήνα", "Θεσσαλονίκη"}, {"gmail.com", "otenet.gr"}, "gr"},
      {"JP", "Japan", 4,
       {{"健", "ken"}, {"さくら", "sakura"}, {"翔太", "shota"}, {"陽菜", "hina"}},
       {{"佐藤", "sato"}, {"鈴木", "suzuki"}, {"高橋", "takahashi"}, {"田中", "tanaka"}},
       {"東京", "大阪", "横浜", "Kyoto"}, {"gmail.com", "yahoo.co.jp", "docomo.ne.jp"}, "co.jp"},
      {"CN", "China", 4,
       {{"伟", "wei"}, {"芳", "fang"}, {"静", "jing"}, {"磊", "lei"}},
       {{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}},
       {"北京", "上海", "深圳", "Guangzhou"}, {"qq.com", "163.com", "gmail.com"}, "cn"},
      {"KR", "South Korea", 2,
       {{"민준", "minjun"}, {"서연", "seoyeon"}, {"지훈", "jihoon"}},
       {{"김", "kim"}, {"이", "lee"}, {"박", "park"}},
       {"서울", "부산", "Incheon"}, {"naver.com", "daum.net", "gmail.com"}, "co.kr"},
      {"SA", "Saudi Arabia", 2,
       {{"محمد", "mohammed"}, {"فاطمة", "fatima"}, {"عبدالله", "abdullah"}},
       {{"العلي", "alali"}, {"الحربي", "alharbi"}, {"القحطاني", "alqahtani"}},
       {"الرياض", "جدة", "Dammam"}, {"gmail.com", "hotmail.com"}, "sa"},
      {"IN", "India", 5,
       {{"प्रिया", "priya"}, {"Rahul", "rahul"}, {"Ananya", "ananya"}, {"अर्जुन", "arjun"}},
       {{"शर्मा", "sharma"}, {"Patel", "patel"}, {"Iyer", "iyer"}, {"Reddy", "reddy"}},
       {"Mumbai", "Bengaluru", "नई दिल्ली", "Chennai"}, {"gmail.com", "rediffmail.com", "yahoo.co.in"}, "in"},
      {"IL", "Israel", 1,
       {{"נועה", "noa"}, {"איתי", "itai"}},
       {{"כהן", "cohen"}, {"לוי", "levi"}},
       {"תל אביב", "ירושלים"}, {"gmail.com", "walla.co.il"}, "co.il"},
      {"TH", "Thailand", 1,
       {{"สมชาย", "somchai"}, {"มาลี", "malee"}},
       {{"ใจดี", "jaidee"}, {"ศรีสุข", "srisuk"}},
       {"กรุงเทพมหานคร", "Chiang Mai"}, {"gmail.com", "hotmail.co.th"}, "co.th"},
  };
  return *countries;
}

const Country& PickCountry(Rng& rng) {
  const auto& cs = Countries();
  int total = 0;
  for (const auto& c : cs) total += c.weight;
  int64_t r = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(total)));
  for (const auto& c : cs) {
    if (r < c.weight) return c;
    r -= c.weight;
  }
  return cs.front();
}

const Country* FindCountry(const std::string& code) {
  for (const auto& c : Countries())
    if (code == c.code) return &c;
  return nullptr;
}

std::string Digits(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng.Below(10));
  return s;
}

// Replaces each '#' with a random digit.
std::string Fill(Rng& rng, std::string_view pattern) {
  std::string s;
  for (char c : pattern) s += c == '#' ? static_cast<char>('0' + rng.Below(10)) : c;
  return s;
}

const char* kJobTitles[] = {"CEO", "CTO", "Marketing Manager", "Sales Director", "Account Executive",
                            "Software Engineer", "Office Manager", "Head of Growth", "Product Manager",
                            "Customer Success Lead", "Chargée de communication", "Geschäftsführer",
                            "Directora Comercial", "営業部長", "Менеджер по продажам", ""};
const char* kIndustries[] = {"Computer Software", "Financial Services", "Hospital & Health Care",
                             "Marketing and Advertising", "Retail", "Real Estate", "Education Management",
                             "Construction", "Food & Beverages", "Information Technology and Services",
                             "Internet", "Logistics and Supply Chain", "Automotive", "Telecommunications",
                             "Hospitality", "Management Consulting", "Insurance", "Biotechnology",
                             "Accounting", "Nonprofit Organization Management"};
const char* kAdjectives[] = {"Blue", "Northern", "Bright", "Rapid", "Green", "Silver", "Summit", "Pacific",
                             "Golden", "Urban", "Nova", "Prime"};
const char* kNouns[] = {"Harbor", "Peak", "Labs", "Systems", "Works", "Analytics", "Foods", "Logistics",
                        "Dynamics", "Studio", "Partners", "Health"};

}  // namespace

std::string AsciiSlug(const std::string& text) {
  static const std::pair<std::string_view, std::string_view> kMap[] = {
      {"à", "a"}, {"á", "a"}, {"â", "a"}, {"ä", "ae"}, {"ã", "a"}, {"å", "a"}, {"ą", "a"}, {"æ", "ae"},
      {"ç", "c"}, {"ć", "c"}, {"č", "c"}, {"ď", "d"}, {"đ", "d"}, {"è", "e"}, {"é", "e"}, {"ê", "e"},
      {"ë", "e"}, {"ę", "e"}, {"ě", "e"}, {"ğ", "g"}, {"ì", "i"}, {"í", "i"}, {"î", "i"}, {"ï", "i"},
      {"ı", "i"}, {"ł", "l"}, {"ñ", "n"}, {"ń", "n"}, {"ň", "n"}, {"ò", "o"}, {"ó", "o"}, {"ô", "o"},
      {"ö", "oe"}, {"õ", "o"}, {"ø", "o"}, {"ő", "o"}, {"ř", "r"}, {"ś", "s"}, {"š", "s"}, {"ş", "s"},
      {"ß", "ss"}, {"ť", "t"}, {"ù", "u"}, {"ú", "u"}, {"û", "u"}, {"ü", "ue"}, {"ů", "u"}, {"ű", "u"},
      {"ý", "y"}, {"ÿ", "y"}, {"ź", "z"}, {"ż", "z"}, {"ž", "z"}, {"À", "a"}, {"Á", "a"}, {"Â", "a"},
      {"Ä", "ae"}, {"Å", "a"}, {"Ç", "c"}, {"Č", "c"}, {"É", "e"}, {"È", "e"}, {"Ê", "e"}, {"Í", "i"},
      {"İ", "i"}, {"Ł", "l"}, {"Ñ", "n"}, {"Ó", "o"}, {"Ö", "oe"}, {"Ø", "o"}, {"Ś", "s"}, {"Š", "s"},
      {"Ş", "s"}, {"Ú", "u"}, {"Ü", "ue"}, {"Ž", "z"}, {"Ż", "z"}, {"Đ", "d"}, {"ạ", "a"}, {"ả", "a"},
      {"ư", "u"}, {"ơ", "o"}, {"ễ", "e"}, {"ầ", "a"}, {"ồ", "o"}, {"ộ", "o"}, {"ứ", "u"}, {"ă", "a"}};
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
      ++i;
      continue;
    }
    bool mapped = false;
    for (const auto& [from, to] : kMap) {
      if (text.compare(i, from.size(), from) == 0) {
        out += to;
        i += from.size();
        mapped = true;
        break;
      }
    }
    if (mapped) continue;
    // Skip one UTF-8 sequence that we cannot transliterate.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    i += len;
  }
  return out;
}

std::string MakePhone(Rng& rng, const std::string& country) {
  auto pick = [&](std::initializer_list<const char*> patterns) {
    return Fill(rng, patterns.begin()[rng.Below(patterns.size())]);
  };
  if (country == "US")
    return pick({"(###) 555-####", "###-555-####", "+1 ### 555 ####", "###.555.####", "+1###555####",
                 "1-###-555-####", "+1 (###) 555-#### ext. ##"});
  if (country == "FR")
    return pick({"06 ## ## ## ##", "+33 6 ## ## ## ##", "+336########", "01########", "+33 (0)1 ## ## ## ##",
                 "07.##.##.##.##"});
  if (country == "GB") return pick({"+44 20 #### ####", "020 #### ####", "07700 ######", "+447700######"});
  if (country == "DE") return pick({"+49 30 ########", "030 ########", "+49 (0)30 #### ####", "0151 ########"});
  if (country == "JP") return pick({"+81 3-####-####", "03-####-####", "090-####-####"});
  if (country == "IN") return pick({"+91 98### #####", "098### #####", "98########"});
  if (country == "BR") return pick({"+55 11 9####-####", "(11) 9####-####", "+5511 9########"});
  if (country == "RU") return pick({"+7 (495) ###-##-##", "8 (912) ###-##-##", "+7 912 ### ## ##"});
  if (country == "CN") return pick({"+86 138 #### ####", "138########", "+86-10-########"});
  if (country == "ES") return pick({"+34 6## ## ## ##", "6## ### ###", "+34 91 ### ## ##"});
  if (country == "PL") return pick({"+48 5## ### ###", "5## ### ###", "+48 22 ### ## ##"});
  if (country == "KR") return pick({"+82 10-####-####", "010-####-####"});
  if (country == "SA") return pick({"+966 5# ### ####", "05# ### ####"});
  if (country == "IL") return pick({"+972-5#-###-####", "05#-###-####"});
  return "+" + Digits(rng, 2) + " " + Digits(rng, 3) + " " + Digits(rng, 3) + " " + Digits(rng, 3);
}

FakePerson MakePerson(Rng& rng) {
  const Country& c = PickCountry(rng);
  const Name& first = rng.Pick(c.first);
  const Name& last = rng.Pick(c.last);
  FakePerson p;
  p.first_name = first.text;
  p.last_name = last.text;
  p.first_ascii = first.ascii;
  p.last_ascii = last.ascii;
  p.country = c.code;
  p.country_name = c.name;
  p.city = rng.Pick(c.cities);
  p.phone = MakePhone(rng, c.code);
  p.job_title = rng.Pick(kJobTitles);
  return p;
}

std::string MakeEmail(Rng& rng, const FakePerson& person, const std::string& domain) {
  const Country* c = FindCountry(person.country);
  std::string d = domain;
  if (d.empty()) d = c ? rng.Pick(c->free_mail) : "example.com";
  const std::string& f = person.first_ascii;
  const std::string& l = person.last_ascii;
  std::string local;
  switch (rng.Below(6)) {
    case 0: local = f + "." + l; break;
    case 1: local = f.substr(0, 1) + l; break;
    case 2: local = f + "_" + l; break;
    case 3: local = f + l + std::to_string(rng.Between(1, 99)); break;
    case 4: local = l + "." + f; break;
    default: local = f + "." + l + std::to_string(rng.Between(1960, 2005)); break;
  }
  return local + "@" + d;
}

FakeCompany MakeCompany(Rng& rng) {
  const Country& c = PickCountry(rng);
  FakeCompany co;
  co.country = c.code;
  co.country_name = c.name;
  co.city = rng.Pick(c.cities);
  std::string base;
  std::string ascii;
  switch (rng.Below(4)) {
    case 0: {
      const Name& last = rng.Pick(c.last);
      const char* noun = rng.Pick(kNouns);
      base = std::string(last.text) + " " + noun;
      ascii = std::string(last.ascii) + AsciiSlug(noun);
      break;
    }
    case 1: {
      const Name& a = rng.Pick(c.last);
      const Name& b = rng.Pick(c.last);
      base = std::string(a.text) + " & " + b.text;
      ascii = std::string(a.ascii) + b.ascii;
      break;
    }
    default: {
      const char* adj = rng.Pick(kAdjectives);
      const char* noun = rng.Pick(kNouns);
      base = std::string(adj) + " " + noun;
      ascii = AsciiSlug(base);
      break;
    }
  }
  std::string code = c.code;
  static const char* kSuffixFr[] = {" SARL", " SAS", " SA", ""};
  static const char* kSuffixDe[] = {" GmbH", " AG", " KG", ""};
  static const char* kSuffixUs[] = {" Inc.", " LLC", " Corp", ""};
  static const char* kSuffixGb[] = {" Ltd", " PLC", ""};
  if (code == "FR") base += rng.Pick(kSuffixFr);
  else if (code == "DE") base += rng.Pick(kSuffixDe);
  else if (code == "US") base += rng.Pick(kSuffixUs);
  else if (code == "GB") base += rng.Pick(kSuffixGb);
  else if (code == "JP") base = "株式会社" + base;
  else if (code == "RU") base = "ООО «" + base + "»";
  co.name = base;
  if (ascii.empty()) ascii = "company" + Digits(rng, 4);
  co.domain = ascii + "." + c.tld;
  co.industry = rng.Pick(kIndustries);
  co.phone = MakePhone(rng, code);
  // Skewed towards small companies: 10^(0..4.7).
  double exp10 = rng.Unit() * rng.Unit() * 4.7;
  int64_t employees = 1;
  for (double e = exp10; e >= 1; e -= 1) employees *= 10;
  employees = employees + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(employees) * 9 + 1));
  if (employees > 50'000) employees = 50'000;
  co.employees = employees;
  co.annual_revenue = employees * rng.Between(40, 400) * 1000;
  return co;
}

}  // namespace tajo::sandbox
