// Outbound HTTP: the Transport interface (one request in, one response out) and its libcurl
// implementation. Rate budgets and retries sit above it (http/api_caller.h); tests put a fake
// Transport below them.
//
// Thread-safety: a Transport is safe to call from several threads at once; that is how several
// requests are kept in flight. SendAll() runs a set of requests concurrently on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace tajo::http {

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // absolute: "https://api.hubapi.com/crm/v3/objects/contacts?limit=100"
  Headers headers;
  std::string body;
  int timeout_ms = 30'000;          // whole request
  int connect_timeout_ms = 10'000;  // TCP + TLS handshake
};

// Transport errors (no HTTP status) come back as a non-OK Status whose message names the method
// and the URL (passed through tajo::Redact: URLs may carry tokens):
//   kUnavailable        connection refused/reset, DNS failure, truncated or malformed response
//   kDeadlineExceeded   connect or total timeout
//   kInvalidArgument    a malformed URL or request (bad method, CR/LF in a header, ...)
//   kFailedPrecondition TLS certificate verification failed (retrying cannot help)
//   kResourceExhausted  the response body is larger than the transport accepts
// An HTTP response with any status code (including 4xx/5xx) is a successful Result.
//
// A failure that happened before any byte of the request reached the network (DNS failure,
// connection refused, connect timeout, TLS handshake failure) has a message starting with
// kRequestNotSentPrefix (still found after Status::WithContext): retrying it cannot repeat a
// write. See RequestNotSent().
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<HttpResponse> Send(const ClientRequest& request) = 0;
  // Sends every request concurrently; results in the same order. Default: one after another.
  virtual std::vector<Result<HttpResponse>> SendAll(const std::vector<ClientRequest>& requests);
};

inline constexpr std::string_view kRequestNotSentPrefix = "request not sent: ";

// True when `status` is a transport failure that happened before the request was sent (its
// message contains kRequestNotSentPrefix). False for OK.
bool RequestNotSent(const Status& status);

// Builds the Status for a failure before sending: `code` with kRequestNotSentPrefix + message.
Status NotSentError(StatusCode code, std::string_view message);

struct CurlOptions {
  bool verify_tls = true;     // never off in production; see ca_bundle for self-signed servers
  // PEM file of extra trusted CAs ("" = system store only). libcurl loads it as CAINFO; the
  // system CA directory (Debian: /etc/ssl/certs) stays trusted alongside it.
  std::string ca_bundle{};
  // Connections one pooled connection cache keeps per host; also how many requests of one
  // SendAll() batch run at once against one host (the rest queue, their timeout running).
  int max_connections_per_host = 16;
  std::string user_agent = "tajo/0.1";
  // A response body larger than this fails with kResourceExhausted instead of filling memory.
  int64_t max_response_bytes = int64_t{256} << 20;
};

// libcurl transport: connections reused (keep-alive pool shared between calls), TLS verified,
// HTTP/1.1, gzip accepted (bodies come back decoded; the Content-Encoding header is kept as the
// server sent it). Redirects are not followed: a 3xx is returned as it is, so credentials never
// travel to another host. curl_global_init runs once per process, on first use.
// A body goes without Content-Type unless the caller sets one (never libcurl's form default);
// "Expect: 100-continue" is never sent unless the caller sets Expect.
std::unique_ptr<Transport> NewCurlTransport(const CurlOptions& options = {});

}  // namespace tajo::http
