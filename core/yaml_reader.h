// YamlReader: a checked walk over one YAML document that collects located errors.
//
// The config loader describes its schema with it: "the mapping under this key, with these known
// keys", "a boolean here", "one of these names there". Each read either returns the value or
// records an error naming the file, the 1-based line and column, the dotted key path and what was
// expected, e.g.
//
//   tajo.yaml:7:12: connectors.hubspot.sync.deals: expected a boolean (true/false), got "maybe"
//
// and the walk goes on, so one run reports every problem. Scalar values pass through ${VAR}
// expansion (core/env_subst.h) before they are interpreted; keys do not. A null value (`key:`
// or `key: ~`) reads as absent.
//
// Not thread-safe: one reader per document, on one thread. yaml-cpp exceptions never leave it.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/env_subst.h"
#include "core/status.h"

namespace tajo {

// One `key: value` of a mapping. `key` is a scalar; `value` may be a null node.
struct YamlEntry {
  YAML::Node key;
  YAML::Node value;
  std::string path;  // dotted key path, e.g. "connectors.hubspot.sync.deals"
};

class YamlReader {
 public:
  // `text` must outlive the reader. `register_secrets`: Secret() calls RegisterSecret().
  YamlReader(const std::string& text, std::string display_name, EnvLookup env,
             bool register_secrets);
  YamlReader(const YamlReader&) = delete;
  YamlReader& operator=(const YamlReader&) = delete;

  // Parses the text. Returns the root of its only document, or a null node for an empty text
  // or a text that is not valid YAML (reported, with the parser's position).
  YAML::Node Parse();

  // --- errors
  // Records an error at a 0-based position (printed 1-based). `path` may be empty.
  void ErrorAt(int line, int column, const std::string& path, const std::string& what);
  // At `node` (the first line when the node has no position).
  void Error(const YAML::Node& node, const std::string& path, const std::string& what);
  // At the entry's value, or at its key when the value is null.
  void Error(const YamlEntry& e, const std::string& what);
  // True when an error was recorded for exactly this key path.
  bool Reported(const std::string& path) const { return reported_.count(path) > 0; }
  bool ok() const { return errors_.empty(); }
  // True once the text proved not to be valid YAML (then what seems missing may just be cut off).
  bool syntax_error() const { return syntax_error_; }
  // OK, or InvalidArgument with every error, sorted by position, one per line.
  Status ToStatus() const;

  // --- structure
  // The entries of mapping `map` (at key path `path`) in file order. Reports non-scalar keys
  // and duplicate keys (and leaves out the duplicates).
  std::vector<YamlEntry> Entries(const YAML::Node& map, const std::string& path);
  // Entries(), also reporting (and leaving out) keys not in `known`, with a "did you mean".
  std::vector<YamlEntry> KnownEntries(const YAML::Node& map, const std::string& path,
                                      std::span<const std::string_view> known);
  static std::optional<YamlEntry> Find(const std::vector<YamlEntry>& entries, std::string_view key);
  // The mapping under `e`; nullopt when the value is null, or is not a mapping (reported).
  std::optional<YAML::Node> Mapping(const YamlEntry& e);

  // --- scalars. Each returns nullopt when the value is null (absent, not reported) or wrong
  // (reported); `expected` says what the value should be, for the message.
  // The text after ${} expansion.
  std::optional<std::string> String(const YamlEntry& e, std::string_view expected = "a string");
  // String(), registered with RegisterSecret(); never quoted in a message.
  std::optional<std::string> Secret(const YamlEntry& e);
  // true/false (also True/TRUE/False/FALSE).
  std::optional<bool> Bool(const YamlEntry& e);
  // Digits only, > 0, fits in 64 bits.
  std::optional<int64_t> PositiveInt(const YamlEntry& e, std::string_view expected = "a positive integer");
  // http:// or https:// with a host and no whitespace; trailing '/' removed.
  std::optional<std::string> Url(const YamlEntry& e);
  // The index in `names` of the value, which must be one of them exactly.
  std::optional<size_t> OneOf(const YamlEntry& e, std::span<const std::string_view> names);

  // What the user wrote, for "got ..." messages: "a mapping", "a list", "nothing", or the quoted
  // scalar; when `expanded` differs from the scalar as written, both.
  std::string Got(const YAML::Node& node, const std::optional<std::string>& expanded = {}) const;

  const EnvLookup& env() const { return env_; }

 private:
  struct Diagnostic {
    int line;  // 0-based
    int column;
    std::string text;
  };
  std::optional<std::string> Expand(const YamlEntry& e);
  // True when `scalar` opens a quote the file never closes (yaml-cpp 0.7 takes the rest of the
  // file as the string instead of failing, e.g. for a truncated file).
  bool Unterminated(const YAML::Node& scalar) const;
  std::pair<int, int> PositionOfOffset(size_t offset) const;

  const std::string& text_;
  const std::string name_;
  const EnvLookup env_;
  const bool register_secrets_;
  bool syntax_error_ = false;
  std::vector<Diagnostic> errors_;
  std::set<std::string> reported_;
};

// --- text helpers shared with the config loader

// The candidate `input` most likely meant (close in edit distance, ignoring case, or `input` is
// a prefix of it), or "" when none is close.
std::string SuggestName(std::string_view input, std::span<const std::string_view> candidates);
// Case-insensitive optimal string alignment distance (Levenshtein plus adjacent transpositions).
size_t EditDistance(std::string_view a, std::string_view b);
// `"text"` with quotes, backslashes and control characters escaped, cut after 60 bytes on a UTF-8
// character boundary (so that a JSON log line can carry it).
std::string QuoteForMessage(std::string_view s);
// "a, b, c".
std::string JoinNames(std::span<const std::string_view> names);

}  // namespace tajo
