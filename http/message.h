// HTTP messages shared by the outbound client and the inbound server: headers, a request as a
// server receives it, a response, and URL helpers (percent-encoding, query strings).
//
// Plain values; safe to copy and to move between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tajo::http {

// An ordered list of header fields with case-insensitive lookup. Keeps duplicates (Set-Cookie,
// repeated fields) in arrival order.
class Headers {
 public:
  // First value of `name` (case-insensitive), or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  // Every value of `name`, in order.
  std::vector<std::string> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // Replaces every field of `name` with one field.
  void Set(std::string name, std::string value);
  // Appends a field, keeping existing ones.
  void Add(std::string name, std::string value);
  void Remove(std::string_view name);

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// A request as the server received it.
struct HttpRequest {
  std::string method;  // "GET", "POST", ... (upper case)
  std::string target;  // raw request-target: path and query, undecoded ("/a%20b?x=1")
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:54321"
  // Filled by the Router from "{name}" segments of the matched pattern, percent-decoded.
  std::map<std::string, std::string> path_params;

  // The path part of `target`, still percent-encoded.
  std::string RawPath() const;
  // The path part, percent-decoded.
  std::string Path() const;
  // The query part after '?', undecoded ("" when absent).
  std::string RawQuery() const;
  // First value of query parameter `name` (decoded), or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
  // Every value of `name`, in order (for repeated parameters: properties=a&properties=b).
  std::vector<std::string> QueryAll(std::string_view name) const;
  // A path parameter by name ("" when absent).
  std::string Param(const std::string& name) const;
};

// How the server should (mis)deliver a response: a test hook for fault injection (the sandboxes
// use it to emulate a flaky network). The outbound client ignores it.
enum class ConnectionFault {
  kNone,          // deliver normally
  kReset,         // write nothing; abort the connection (the client sees a TCP reset)
  kTruncateBody,  // write the headers with the full Content-Length and half the body, then close
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
  ConnectionFault fault = ConnectionFault::kNone;  // honoured by http/server only

  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string body);
  static HttpResponse Empty(int status);
};

// Percent-encodes everything but unreserved characters (RFC 3986: A-Z a-z 0-9 - . _ ~).
std::string UrlEncode(std::string_view s);
// Decodes %XX sequences; with `plus_as_space`, '+' becomes ' ' (form encoding). Malformed
// sequences are kept as they are.
std::string UrlDecode(std::string_view s, bool plus_as_space = false);
// Parses "a=1&b=2&a=3" (form or query encoding) into decoded pairs, in order.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);
// Builds "a=1&b=2" from pairs, encoding each key and value.
std::string BuildQuery(const std::vector<std::pair<std::string, std::string>>& params);

// Reason phrase for a status code ("OK", "Too Many Requests", ...); "Unknown" when unlisted.
const char* StatusReason(int status);

}  // namespace tajo::http
