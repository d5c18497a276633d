// Environment substitution for configuration values: `${VAR}`, `${VAR:-default}` and `$$`.
//
//   ${VAR}           the value of VAR; an error when VAR is not set.
//   ${VAR:-default}  the value of VAR, or `default` when VAR is unset or empty (as in sh).
//                    The default is literal text up to the first `}` (no nesting).
//   $$               one literal `$`.
//   any other `$`    itself (so `pa$word` stays `pa$word`; only `${` starts a reference).
// VAR is [A-Za-z_][A-Za-z0-9_]*.
//
// The environment is injected as an EnvLookup so tests never touch the process environment.
// ExpandEnv is a pure function: thread-safe. ProcessEnvironment() reads getenv(), which is safe
// as long as nobody calls setenv() at the same time.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tajo {

// Returns the value of an environment variable, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// getenv().
EnvLookup ProcessEnvironment();
// A fixed environment (tests, and callers that already hold the variables).
EnvLookup MapEnvironment(std::map<std::string, std::string> vars);

// One thing wrong with a `${...}` reference.
struct EnvExpansionProblem {
  size_t offset = 0;     // where the reference starts in the input (at its `$`)
  std::string token;     // the reference as written, e.g. "${HUBSPOT_ACCESS_TOKEN}"
  std::string variable;  // the variable name, when there is one
  std::string message;   // e.g. "environment variable HUBSPOT_ACCESS_TOKEN is not set"
};

struct EnvExpansion {
  std::string text;                           // the expanded text (problems expand to "")
  std::vector<EnvExpansionProblem> problems;  // every problem, in input order
  bool used_variables = false;                // true when the input held at least one ${...}

  bool ok() const { return problems.empty(); }
};

// Expands every reference in `text`. Never fails outright: each bad reference (unset variable
// without a default, `${` without `}`, an invalid name) is listed in `problems`, and the rest of
// the text is still expanded, so a caller can report all of them at once.
EnvExpansion ExpandEnv(std::string_view text, const EnvLookup& env);

// Returns `text` with every `$` doubled, so that ExpandEnv() gives back exactly `text`.
std::string EscapeForEnv(std::string_view text);

}  // namespace tajo
