#include "core/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <tuple>
#include <utility>

#include "core/redact.h"

namespace tajo {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool HasWhitespace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

}  // namespace

// ----- text helpers ----------------------------------------------------------------------------

size_t EditDistance(std::string_view a_in, std::string_view b_in) {
  const std::string a = Lower(a_in), b = Lower(b_in);
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string SuggestName(std::string_view input, std::span<const std::string_view> candidates) {
  std::string best;
  size_t best_distance = std::string::npos;
  for (std::string_view c : candidates) {
    const size_t dist = EditDistance(input, c);
    // Short names tolerate one typo, longer ones two or three.
    const size_t limit = c.size() <= 4 ? 1 : (c.size() <= 9 ? 2 : 3);
    const bool prefix = input.size() >= 3 && Lower(c).starts_with(Lower(input));
    if ((dist <= limit || prefix) && dist < best_distance) {
      best = std::string(c);
      best_distance = dist;
    }
  }
  return best;
}

std::string QuoteForMessage(std::string_view s) {
  // Cut after 60 bytes on a UTF-8 character boundary: a cut inside a character would make the
  // message invalid UTF-8, which a JSON writer (a JSON log line) refuses.
  bool cut = false;
  if (s.size() > 60) {
    size_t n = 60;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // a continuation byte
    s = s.substr(0, n);
    cut = true;
  }
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  out += '"';
  return out;
}

std::string JoinNames(std::span<const std::string_view> names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

// ----- YamlReader ------------------------------------------------------------------------------

YamlReader::YamlReader(const std::string& text, std::string display_name, EnvLookup env,
                       bool register_secrets)
    : text_(text), name_(std::move(display_name)), env_(std::move(env)),
      register_secrets_(register_secrets) {}

YAML::Node YamlReader::Parse() {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(text_);
    if (docs.empty()) return YAML::Node();
    if (docs.size() > 1) {
      Error(docs[1], "", fmt::format("expected one YAML document, found {}", docs.size()));
    }
    return docs[0];
  } catch (const YAML::Exception& e) {
    // ParserException: malformed or truncated YAML, too deep nesting, an unknown anchor.
    syntax_error_ = true;
    if (e.mark.is_null()) {
      ErrorAt(0, 0, "", "invalid YAML: " + e.msg);
    } else {
      ErrorAt(e.mark.line, e.mark.column, "", "invalid YAML: " + e.msg);
    }
    return YAML::Node();
  }
}

void YamlReader::ErrorAt(int line, int column, const std::string& path, const std::string& what) {
  std::string text = fmt::format("{}:{}:{}: ", name_, line + 1, column + 1);
  if (!path.empty()) text += path + ": ";
  text += what;
  errors_.push_back({line, column, std::move(text)});
  reported_.insert(path);
}

void YamlReader::Error(const YAML::Node& node, const std::string& path, const std::string& what) {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) {
    ErrorAt(0, 0, path, what);
  } else {
    ErrorAt(m.line, m.column, path, what);
  }
}

void YamlReader::Error(const YamlEntry& e, const std::string& what) {
  // A null value's position is wherever the parser stopped (often the next line): use the key's.
  if (e.value.IsNull() || e.value.Mark().is_null()) {
    Error(e.key, e.path, what);
  } else {
    Error(e.value, e.path, what);
  }
}

Status YamlReader::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::vector<const Diagnostic*> sorted;
  for (const Diagnostic& d : errors_) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return std::tie(a->line, a->column) < std::tie(b->line, b->column);
  });
  std::string message;
  for (const Diagnostic* d : sorted) {
    if (!message.empty()) message += '\n';
    message += d->text;
  }
  return Status::InvalidArgument(std::move(message));
}

std::pair<int, int> YamlReader::PositionOfOffset(size_t offset) const {
  int line = 0, column = 0;
  for (size_t i = 0; i < offset && i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      ++line;
      column = 0;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::vector<YamlEntry> YamlReader::Entries(const YAML::Node& map, const std::string& path) {
  std::vector<YamlEntry> out;
  std::vector<std::pair<std::string, int>> seen;  // key, 1-based line
  // yaml-cpp keeps every pair of a mapping, duplicates included, in file order.
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      Error(key, path, "keys must be plain names, got " + Got(key));
      continue;
    }
    const std::string& k = key.Scalar();
    YamlEntry e{key, it->second, path.empty() ? k : path + "." + k};
    auto dup = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == k; });
    if (dup != seen.end()) {
      Error(key, e.path, fmt::format("duplicate key (first set on line {})", dup->second));
      continue;
    }
    seen.emplace_back(k, key.Mark().line + 1);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<YamlEntry> YamlReader::KnownEntries(const YAML::Node& map, const std::string& path,
                                                std::span<const std::string_view> known) {
  std::vector<YamlEntry> out;
  for (YamlEntry& e : Entries(map, path)) {
    const std::string& k = e.key.Scalar();
    if (std::find(known.begin(), known.end(), k) != known.end()) {
      out.push_back(std::move(e));
    } else if (std::string s = SuggestName(k, known); !s.empty()) {
      Error(e.key, e.path, fmt::format("unknown key; did you mean '{}'?", s));
    } else {
      Error(e.key, e.path, fmt::format("unknown key (known keys: {})", JoinNames(known)));
    }
  }
  return out;
}

std::optional<YamlEntry> YamlReader::Find(const std::vector<YamlEntry>& entries, std::string_view key) {
  for (const YamlEntry& e : entries) {
    if (e.key.Scalar() == key) return e;
  }
  return std::nullopt;
}

std::optional<YAML::Node> YamlReader::Mapping(const YamlEntry& e) {
  if (e.value.IsNull()) return std::nullopt;
  if (!e.value.IsMap()) {
    // Not quoted: `brevo: <the api key>` would put a secret in the message.
    Error(e, std::string("expected a mapping (indented `key: value` lines), got ") +
                 (e.value.IsSequence() ? "a list" : "a single value"));
    return std::nullopt;
  }
  return e.value;
}

std::string YamlReader::Got(const YAML::Node& node, const std::optional<std::string>& expanded) const {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (!node.IsScalar()) return "nothing";
  if (!expanded.has_value() || *expanded == node.Scalar()) return QuoteForMessage(node.Scalar());
  return QuoteForMessage(*expanded) + " (from " + QuoteForMessage(node.Scalar()) + ")";
}

std::optional<std::string> YamlReader::Expand(const YamlEntry& e) {
  EnvExpansion x = ExpandEnv(e.value.Scalar(), env_);
  if (x.ok()) return std::move(x.text);
  // Point at each bad reference itself: find its text in the file from the value onwards (the
  // scalar as parsed may differ from the file: quotes, escapes, folding).
  const YAML::Mark m = e.value.Mark();
  size_t from = m.is_null() ? std::string::npos : static_cast<size_t>(m.pos);
  for (const EnvExpansionProblem& p : x.problems) {
    const size_t at = from == std::string::npos ? std::string::npos : text_.find(p.token, from);
    if (at == std::string::npos) {
      Error(e, p.message);
      continue;
    }
    auto [line, column] = PositionOfOffset(at);
    ErrorAt(line, column, e.path, p.message);
    from = at + p.token.size();
  }
  return std::nullopt;
}

bool YamlReader::Unterminated(const YAML::Node& scalar) const {
  const YAML::Mark m = scalar.Mark();
  if (m.is_null() || m.pos < 0 || static_cast<size_t>(m.pos) >= text_.size()) return false;
  const char quote = text_[static_cast<size_t>(m.pos)];
  if (quote != '"' && quote != '\'') return false;
  for (size_t i = static_cast<size_t>(m.pos) + 1; i < text_.size(); ++i) {
    if (quote == '"' && text_[i] == '\\') {
      ++i;  // an escaped character
    } else if (text_[i] == quote) {
      if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
        ++i;  // '' is a quote inside a single-quoted string
      } else {
        return false;
      }
    }
  }
  return true;
}

std::optional<std::string> YamlReader::String(const YamlEntry& e, std::string_view expected) {
  if (e.value.IsNull()) return std::nullopt;
  if (!e.value.IsScalar()) {
    Error(e, fmt::format("expected {}, got {}", expected, Got(e.value)));
    return std::nullopt;
  }
  if (Unterminated(e.value)) {
    syntax_error_ = true;
    Error(e, "invalid YAML: a quoted string without its closing quote (is the file truncated?)");
    return std::nullopt;
  }
  return Expand(e);
}

std::optional<std::string> YamlReader::Secret(const YamlEntry& e) {
  std::optional<std::string> v = String(e);
  if (v.has_value() && register_secrets_) RegisterSecret(*v);
  return v;
}

std::optional<bool> YamlReader::Bool(const YamlEntry& e) {
  std::optional<std::string> v = String(e, "a boolean (true/false)");
  if (!v.has_value()) return std::nullopt;
  if (*v == "true" || *v == "True" || *v == "TRUE") return true;
  if (*v == "false" || *v == "False" || *v == "FALSE") return false;
  Error(e, "expected a boolean (true/false), got " + Got(e.value, *v));
  return std::nullopt;
}

std::optional<int64_t> YamlReader::PositiveInt(const YamlEntry& e, std::string_view expected) {
  std::optional<std::string> v = String(e, expected);
  if (!v.has_value()) return std::nullopt;
  int64_t n = 0;
  const bool digits = !v->empty() && std::all_of(v->begin(), v->end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  if (digits) {
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec == std::errc() && ptr == v->data() + v->size() && n > 0) return n;
  }
  Error(e, fmt::format("expected {}, got {}", expected, Got(e.value, *v)));
  return std::nullopt;
}

std::optional<std::string> YamlReader::Url(const YamlEntry& e) {
  static constexpr std::string_view kExpected = "an http:// or https:// URL";
  std::optional<std::string> v = String(e, kExpected);
  if (!v.has_value()) return std::nullopt;
  std::string_view rest;
  if (v->starts_with("https://")) {
    rest = std::string_view(*v).substr(8);
  } else if (v->starts_with("http://")) {
    rest = std::string_view(*v).substr(7);
  }
  if (rest.empty() || rest[0] == '/' || HasWhitespace(*v)) {
    Error(e, fmt::format("expected {}, got {}", kExpected, Got(e.value, *v)));
    return std::nullopt;
  }
  while (v->size() > 1 && v->back() == '/') v->pop_back();
  return v;
}

std::optional<size_t> YamlReader::OneOf(const YamlEntry& e, std::span<const std::string_view> names) {
  const std::string expected = "one of " + JoinNames(names);
  std::optional<std::string> v = String(e, expected);
  if (!v.has_value()) return std::nullopt;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == *v) return i;
  }
  std::string what = fmt::format("expected {}, got {}", expected, Got(e.value, *v));
  if (std::string s = SuggestName(*v, names); !s.empty()) what += fmt::format("; did you mean '{}'?", s);
  Error(e, what);
  return std::nullopt;
}

}  // namespace tajo
