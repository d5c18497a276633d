#include "core/env_subst.h"

#include <cstdlib>
#include <utility>

namespace tajo {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

bool IsValidName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

EnvLookup MapEnvironment(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

EnvExpansion ExpandEnv(std::string_view text, const EnvLookup& env) {
  EnvExpansion out;
  out.text.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out.text.push_back(c);
      ++i;
      continue;
    }
    const char next = text[i + 1];
    if (next == '$') {
      out.text.push_back('$');
      i += 2;
      continue;
    }
    if (next != '{') {
      out.text.push_back('$');
      ++i;
      continue;
    }
    // A reference: ${NAME} or ${NAME:-default}.
    out.used_variables = true;
    const size_t start = i;
    const size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      out.problems.push_back({.offset = start,
                              .token = std::string(text.substr(start)),
                              .variable = "",
                              .message = "'${' without a closing '}' (write '$$' for a literal '$')"});
      break;  // nothing after an unterminated reference can be trusted
    }
    const std::string_view body = text.substr(i + 2, close - (i + 2));
    const std::string token(text.substr(start, close + 1 - start));
    i = close + 1;
    std::string_view name = body;
    std::optional<std::string_view> fallback;
    if (const size_t sep = body.find(":-"); sep != std::string_view::npos) {
      name = body.substr(0, sep);
      fallback = body.substr(sep + 2);
    }
    if (!IsValidName(name)) {
      out.problems.push_back(
          {.offset = start,
           .token = token,
           .variable = std::string(name),
           .message = "'" + token +
                      "' is not a valid reference: write ${NAME} or ${NAME:-default}, where NAME "
                      "is letters, digits and '_' (write '$$' for a literal '$')"});
      continue;
    }
    std::optional<std::string> value = env ? env(std::string(name)) : std::nullopt;
    if (fallback.has_value() && (!value.has_value() || value->empty())) {
      out.text.append(*fallback);
    } else if (value.has_value()) {
      out.text.append(*value);
    } else {
      out.problems.push_back({.offset = start,
                              .token = token,
                              .variable = std::string(name),
                              .message = "environment variable " + std::string(name) +
                                         " is not set (set it, or write ${" + std::string(name) +
                                         ":-default})"});
    }
  }
  return out;
}

std::string EscapeForEnv(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '$') out.push_back('$');
    out.push_back(c);
  }
  return out;
}

}  // namespace tajo
