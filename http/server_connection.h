// Private to http/server.cc: one accepted HTTP connection (Connection) and the bookkeeping the
// listener shares with its connections (ServerCore). Not part of the public API.
//
// A Connection is a small state machine running on its own strand:
//   [idle] -> reading header -> (100 Continue) -> reading body -> handling -> writing -> [idle]
// The handler runs on the worker pool, never on an I/O thread; the response is written back on
// the strand. Errors that need an answer (400, 413, 431) are written with "Connection: close";
// every close after a response is a lingering close (send shutdown, then discard input until EOF
// or a short timeout) so the client reads the response instead of a reset. A handler may ask for
// a faulty delivery (HttpResponse::fault): an abortive close instead of the response, or the
// header and half the body followed by a close.
//
// Thread-safety: ServerCore is thread-safe. Connection's public methods are thread-safe (they
// post onto the strand); everything else runs on the strand.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/server.h"

namespace tajo::http::internal {

class Connection;

// What the listener and its connections share: options, the handler, the worker pool, the set of
// open connections and the count of requests in flight.
class ServerCore {
 public:
  ServerCore(ServerOptions options, Handler handler);
  ServerCore(const ServerCore&) = delete;
  ServerCore& operator=(const ServerCore&) = delete;

  const ServerOptions& options() const { return options_; }
  // Runs the handler; turns an exception into a logged generic 500. Never throws.
  HttpResponse RunHandler(HttpRequest& request) const;

  bool stopping() const { return stopping_.load(std::memory_order_acquire); }
  void SetStopping() { stopping_.store(true, std::memory_order_release); }

  // Returns the id under which `connection` is registered.
  uint64_t Register(const std::shared_ptr<Connection>& connection);
  void Unregister(uint64_t id);
  int open_connections() const;
  std::vector<std::shared_ptr<Connection>> Snapshot() const;

  // A request is in flight from the moment it is fully read until its response is written.
  void RequestStarted();
  void RequestFinished();
  // True when nothing is in flight (or open) before `timeout`.
  bool WaitForNoRequests(std::chrono::milliseconds timeout);
  bool WaitForNoConnections(std::chrono::milliseconds timeout);

 private:
  const ServerOptions options_;
  const Handler handler_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> connections_;
  uint64_t next_id_ = 1;
  int in_flight_ = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `socket` must use a strand executor. `core` and `workers` must outlive the connection.
  Connection(boost::asio::ip::tcp::socket socket, ServerCore& core, boost::asio::thread_pool& workers);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Registers with the core and starts reading the first request.
  void Start();
  // Closes the connection unless a request is being handled or answered (used by Shutdown).
  void CloseIfIdle();
  // Closes the connection whatever it is doing.
  void ForceClose();

 private:
  enum class State { kIdle, kReadingHeader, kReadingBody, kHandling, kWriting, kLingering, kClosed };

  void WaitForRequest();
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec);
  void ReadBody();
  void OnBody(boost::beast::error_code ec);
  void OnReadError(boost::beast::error_code ec);
  void Dispatch();
  void OnHandled(HttpResponse response);
  void WriteResponse(HttpResponse response, bool close_after);
  void OnWrite(boost::beast::error_code ec);
  void Linger();
  void DoLingerRead();
  void Close();
  // Closes abortively (SO_LINGER 0): the peer sees a reset, not an orderly end.
  void Abort();
  void FinishRequest();

  ServerCore& core_;
  boost::asio::thread_pool& workers_;
  boost::beast::tcp_stream stream_;
  const boost::asio::any_io_executor strand_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  // For a truncated body (ConnectionFault::kTruncateBody): writes response_'s header alone, then
  // truncated_body_ is written raw.
  std::optional<boost::beast::http::response_serializer<boost::beast::http::string_body>> serializer_;
  std::string truncated_body_;
  std::string remote_address_;
  uint64_t id_ = 0;
  State state_ = State::kIdle;
  bool busy_ = false;             // counted in ServerCore's in-flight requests
  bool keep_alive_ = false;       // the current request allows another one after it
  bool head_request_ = false;     // the current request is HEAD: send no body
  unsigned request_version_ = 11; // 10 or 11
  bool close_after_write_ = false;
};

}  // namespace tajo::http::internal
