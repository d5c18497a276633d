// HttpServer: the one inbound HTTP/1.1 server every tajo service uses (webhook receiver, control
// API, sandbox). Built on Boost.Beast/Asio: sockets are served asynchronously, so slow or idle
// clients cost a little memory, not a thread; handlers run on a separate worker pool so a slow
// handler never stops the server from reading other connections.
//
// Limits: a request-body size limit (413), a header size limit (431), a header read timeout and a
// body read timeout (the connection is closed), an idle keep-alive timeout, a cap on open
// connections. Malformed requests get 400 and the connection is closed; a handler that throws
// gets a generic 500 (the exception is logged). Every response carries Date, Content-Length
// (except 1xx/204/304) and, unless disabled, Server. HTTP/1.1 keep-alive and pipelining,
// HTTP/1.0, chunked request bodies and "Expect: 100-continue" are supported.
// Shutdown() stops accepting, lets in-flight handlers finish (up to a grace period), then closes.
//
// Thread-safety: Start/port/Shutdown may be called from any thread; the handler is called
// concurrently from the worker threads and must be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace tajo::http {

using Handler = std::function<HttpResponse(HttpRequest&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";            // an IPv4/IPv6 address (or "localhost")
  uint16_t port = 0;                         // 0 picks a free port; see HttpServer::port()
  size_t max_body_bytes = 10 * 1024 * 1024;  // larger bodies get 413
  size_t max_header_bytes = 16 * 1024;       // request line + headers; larger get 431
  int header_timeout_ms = 10'000;            // time to receive the request line and headers
                                             // (from accept, or from the first byte on keep-alive)
  int body_timeout_ms = 30'000;              // time to receive the body once headers are in
  int idle_timeout_ms = 60'000;              // keep-alive connection with no request
  int write_timeout_ms = 30'000;             // time to send a response to a client not reading
  int max_connections = 10'000;              // beyond this new connections are closed at once
  int io_threads = 1;                        // threads running the socket event loop
  int worker_threads = 4;                    // threads running handlers
  std::string server_name = "tajo";          // the Server header; "" to omit
};

class HttpServer {
 public:
  // Binds, listens and starts serving `handler`. Fails with a clear Status when the address is
  // in use (Unavailable) or invalid, or when an option is out of range (InvalidArgument).
  static Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& options, Handler handler);

  virtual ~HttpServer() = default;  // the implementation's destructor calls Shutdown(5000)
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (useful with port 0).
  virtual uint16_t port() const = 0;
  // "http://HOST:PORT"
  virtual std::string base_url() const = 0;
  // Stops accepting and closes idle connections at once; waits up to `grace_ms` for in-flight
  // requests (their responses carry "Connection: close"); then closes every connection and joins
  // the threads. Idempotent. A handler still running after the grace period is waited for (its
  // response is discarded), so handlers must eventually return.
  // REQUIRES: not called from inside a handler.
  virtual void Shutdown(int grace_ms = 5000) = 0;
  // Open connections right now (tests, metrics).
  virtual int open_connections() const = 0;

 protected:
  HttpServer() = default;
};

// Routes by method and path pattern. Patterns are literal segments and "{name}" segments, which
// match one path segment and land percent-decoded in HttpRequest::path_params; a final "{name...}"
// matches the rest of the path ("/files/{path...}" matches "/files/" and "/files/a/b", not
// "/files"). A "{name}" segment never matches an empty segment. Literal segments are compared
// with the percent-decoded path segment; the query string is ignored. The first route added that
// matches wins. HEAD falls back to a GET route when no HEAD route matches (the server sends no
// body for HEAD). An unmatched path gets the not-found handler (default: 404 text); a matched
// path with another method gets the method-not-allowed handler's answer (default: 405 text),
// always with an Allow header listing the methods the path has.
// A malformed pattern (no leading '/', "{...}" not a whole segment, "{name...}" not last, a
// repeated name) is logged at error and never matches.
//
// Thread-safety: configure before serving; Handle() is then safe to call concurrently.
class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);
  void SetNotFound(Handler handler);
  // Answers a path that exists with a method it does not have (an API's own error body); the
  // router sets the Allow header on whatever it returns.
  void SetMethodNotAllowed(Handler handler);
  HttpResponse Handle(HttpRequest& request) const;
  // An HttpServer handler that dispatches to this router (which must outlive the server).
  Handler AsHandler() const;

 private:
  struct Segment {
    enum Kind { kLiteral, kParam, kCatchAll } kind;
    std::string text;  // the literal, or the parameter name
  };
  struct Route {
    std::string method;
    std::vector<Segment> segments;
    bool valid = true;
    Handler handler;
  };
  // Fills `params` and returns true when `path_segments` (still percent-encoded) match `route`.
  static bool Match(const Route& route, const std::vector<std::string>& path_segments,
                    std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
  Handler not_found_;
  Handler method_not_allowed_;
};

}  // namespace tajo::http
