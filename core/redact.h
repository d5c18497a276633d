// Secret redaction: the last line of defence that keeps tokens, keys and client secrets out of
// logs, errors and test output.
//
// Redact() masks (1) every secret value registered with RegisterSecret() wherever it appears and
// (2) anything that has the shape of a credential: Authorization / api-key headers, token and key
// fields in JSON and form bodies, token query parameters in URLs, user:password in URLs, the
// token segment of HubSpot's /oauth/v1/{access,refresh}-tokens/{t} paths, HubSpot private-app
// tokens (pat-...) and Brevo API keys (xkeysib-...).
//
// Thread-safe. The registry is process-wide: the config loader registers every secret it reads.
#pragma once

#include <string>
#include <string_view>

namespace tajo {

inline constexpr std::string_view kRedacted = "[REDACTED]";

// Adds a literal secret value to mask everywhere. Values shorter than 6 characters are ignored
// (masking "abc" everywhere would destroy logs and protect nothing).
void RegisterSecret(std::string_view secret);

// Forgets every registered secret (tests).
void ClearRegisteredSecrets();

// Returns `text` with every secret replaced by [REDACTED].
std::string Redact(std::string_view text);

// True when a field or header of this name carries a secret (authorization, api-key,
// access_token, refresh_token, client_secret, api_key, password, token, secret, ...).
bool IsSecretName(std::string_view name);

// "abcd…" style preview used by `config check`: the first 4 characters then a mask, or only the
// mask when the value is short.
std::string MaskSecret(std::string_view secret);

}  // namespace tajo
