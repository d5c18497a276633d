#include "http/server_connection.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string_view>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "core/clock.h"
#include "core/log.h"

namespace tajo::http::internal {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using beast::error_code;

namespace {

constexpr std::string_view kComponent = "http.server";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// How long a closing connection keeps draining input so that the client reads our last response
// rather than a reset.
constexpr int kMaxLingerMs = 2000;
constexpr size_t kIdleReadBytes = 1024;

// RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (locale-independent).
std::string HttpDate(int64_t unix_micros) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t secs = static_cast<std::time_t>(unix_micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7], tm.tm_mday,
                kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// A header a handler may not set: the server owns the message framing.
bool IsFramingHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Keep-Alive");
}

// Field names are tokens; values may not contain CR, LF or NUL (response splitting).
bool IsValidField(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= 32 || c >= 127 || c == ':' || c == '(' || c == ')' || c == ',' || c == '/' || c == ';' ||
        c == '<' || c == '=' || c == '>' || c == '?' || c == '@' || c == '[' || c == '\\' || c == ']' ||
        c == '{' || c == '}' || c == '"')
      return false;
  }
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool ContainsToken(std::string_view list, std::string_view token) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view item = list.substr(start, comma - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (EqualsIgnoreCase(item, token)) return true;
    start = comma + 1;
  }
  return false;
}

std::string_view Sv(beast::string_view s) { return {s.data(), s.size()}; }

std::string FormatEndpoint(const net::ip::tcp::endpoint& ep) {
  const auto address = ep.address();
  std::string host = address.to_string();
  if (address.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(ep.port());
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ServerCore

ServerCore::ServerCore(ServerOptions options, Handler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

HttpResponse ServerCore::RunHandler(HttpRequest& request) const {
  const char* what = nullptr;
  std::string message;
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    message = e.what();
    what = "std::exception";
  } catch (...) {
    message = "(not a std::exception)";
    what = "unknown";
  }
  try {
    Log().Error(kComponent, "request handler threw; answering 500",
                {{"method", request.method}, {"path", request.RawPath()}, {"exception", what},
                 {"error", message}});
  } catch (...) {
    // Logging must not take the server down.
  }
  return HttpResponse::Text(500, "Internal Server Error\n");
}

uint64_t ServerCore::Register(const std::shared_ptr<Connection>& connection) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t id = next_id_++;
  connections_.emplace(id, connection);
  return id;
}

void ServerCore::Unregister(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  connections_.erase(id);
  if (connections_.empty()) cv_.notify_all();
}

int ServerCore::open_connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(connections_.size());
}

std::vector<std::shared_ptr<Connection>> ServerCore::Snapshot() const {
  std::vector<std::shared_ptr<Connection>> out;
  std::lock_guard<std::mutex> lock(mu_);
  out.reserve(connections_.size());
  for (const auto& [id, weak] : connections_) {
    if (auto c = weak.lock()) out.push_back(std::move(c));
  }
  return out;
}

void ServerCore::RequestStarted() {
  std::lock_guard<std::mutex> lock(mu_);
  ++in_flight_;
}

void ServerCore::RequestFinished() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--in_flight_ == 0) cv_.notify_all();
}

bool ServerCore::WaitForNoRequests(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return in_flight_ == 0; });
}

bool ServerCore::WaitForNoConnections(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return connections_.empty(); });
}

// ---------------------------------------------------------------------------------------------
// Connection

Connection::Connection(net::ip::tcp::socket socket, ServerCore& core, net::thread_pool& workers)
    : core_(core), workers_(workers), stream_(std::move(socket)), strand_(stream_.get_executor()) {
  error_code ec;
  auto peer = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_address_ = FormatEndpoint(peer);
}

Connection::~Connection() {
  if (busy_) core_.RequestFinished();
  if (id_ != 0) core_.Unregister(id_);
}

void Connection::Start() {
  id_ = core_.Register(shared_from_this());
  net::post(strand_, [self = shared_from_this()] {
    if (self->core_.stopping()) return self->Close();
    // A new connection gets the header timeout from the start (a client that connects and
    // says nothing is a slow client); the idle timeout applies between keep-alive requests.
    self->stream_.expires_after(std::chrono::milliseconds(self->core_.options().header_timeout_ms));
    self->ReadHeader();
  });
}

void Connection::CloseIfIdle() {
  net::post(strand_, [self = shared_from_this()] {
    if (self->state_ == State::kIdle || self->state_ == State::kReadingHeader ||
        self->state_ == State::kReadingBody)
      self->Close();
  });
}

void Connection::ForceClose() {
  net::post(strand_, [self = shared_from_this()] { self->Close(); });
}

void Connection::WaitForRequest() {
  state_ = State::kIdle;
  stream_.expires_after(std::chrono::milliseconds(core_.options().idle_timeout_ms));
  stream_.async_read_some(buffer_.prepare(kIdleReadBytes),
                          [self = shared_from_this()](error_code ec, size_t n) {
                            if (ec || self->state_ == State::kClosed) return self->Close();
                            self->buffer_.commit(n);
                            self->stream_.expires_after(
                                std::chrono::milliseconds(self->core_.options().header_timeout_ms));
                            self->ReadHeader();
                          });
}

void Connection::ReadHeader() {
  state_ = State::kReadingHeader;
  parser_.emplace();
  const ServerOptions& o = core_.options();
  parser_->header_limit(static_cast<std::uint32_t>(std::min<size_t>(o.max_header_bytes, UINT32_MAX)));
  parser_->body_limit(static_cast<std::uint64_t>(o.max_body_bytes));
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](error_code ec, size_t) { self->OnHeader(ec); });
}

void Connection::OnHeader(error_code ec) {
  if (ec) return OnReadError(ec);
  if (state_ == State::kClosed) return;
  if (parser_->is_done()) return Dispatch();
  const auto& req = parser_->get();
  auto expect = req.find(bhttp::field::expect);
  if (req.version() >= 11 && expect != req.end() && EqualsIgnoreCase(Sv(expect->value()), "100-continue")) {
    // The client waits for this before sending the body (curl, when asked to or for large uploads).
    stream_.expires_after(std::chrono::milliseconds(core_.options().write_timeout_ms));
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](error_code wec, size_t) {
                       if (wec || self->state_ == State::kClosed) return self->Close();
                       self->ReadBody();
                     });
    return;
  }
  ReadBody();
}

void Connection::ReadBody() {
  state_ = State::kReadingBody;
  stream_.expires_after(std::chrono::milliseconds(core_.options().body_timeout_ms));
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](error_code ec, size_t) { self->OnBody(ec); });
}

void Connection::OnBody(error_code ec) {
  if (ec) return OnReadError(ec);
  if (state_ == State::kClosed) return;
  Dispatch();
}

void Connection::OnReadError(error_code ec) {
  if (state_ == State::kClosed) return;
  keep_alive_ = false;
  head_request_ = false;
  request_version_ = 11;
  if (ec == bhttp::error::header_limit) {
    return WriteResponse(HttpResponse::Text(431, "Request Header Fields Too Large\n"), true);
  }
  if (ec == bhttp::error::body_limit) {
    return WriteResponse(HttpResponse::Text(413, "Payload Too Large\n"), true);
  }
  // end_of_stream: the client closed between requests. partial_message: it closed mid-request.
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    Log().Debug(kComponent, "malformed request; answering 400",
                {{"remote", remote_address_}, {"error", ec.message()}});
    return WriteResponse(HttpResponse::Text(400, "Bad Request\n"), true);
  }
  if (ec == beast::error::timeout) {
    Log().Debug(kComponent, "read timeout; closing",
                {{"remote", remote_address_},
                 {"phase", state_ == State::kIdle ? "idle" : state_ == State::kReadingHeader ? "header" : "body"}});
  }
  Close();
}

void Connection::Dispatch() {
  auto& req = parser_->get();
  keep_alive_ = parser_->keep_alive();
  head_request_ = req.method() == bhttp::verb::head;
  request_version_ = req.version() == 10 ? 10 : 11;

  HttpRequest request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  for (const auto& field : req) request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  request.body = std::move(req.body());
  request.remote_address = remote_address_;
  parser_.reset();

  state_ = State::kHandling;
  stream_.expires_never();
  busy_ = true;
  core_.RequestStarted();
  net::post(workers_, [self = shared_from_this(), request = std::move(request)]() mutable {
    HttpResponse response = self->core_.RunHandler(request);
    net::post(self->strand_, [self, response = std::move(response)]() mutable {
      self->OnHandled(std::move(response));
    });
  });
}

void Connection::OnHandled(HttpResponse response) {
  if (state_ == State::kClosed) return FinishRequest();
  if (response.fault == ConnectionFault::kReset) {
    Log().Debug(kComponent, "handler asked for a reset; aborting the connection", {{"remote", remote_address_}});
    FinishRequest();
    return Abort();
  }
  WriteResponse(std::move(response), false);
}

void Connection::WriteResponse(HttpResponse r, bool close_after) {
  if (r.status < 200 || r.status > 599) {
    Log().Error(kComponent, "handler returned an invalid status; answering 500",
                {{"status", std::to_string(r.status)}});
    r = HttpResponse::Text(500, "Internal Server Error\n");
  }
  bool keep = !close_after && keep_alive_ && !core_.stopping();
  if (auto c = r.headers.Get("Connection"); c && ContainsToken(*c, "close")) keep = false;

  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(r.status));
  response_.reason(StatusReason(r.status));
  for (const auto& [name, value] : r.headers.fields()) {
    if (IsFramingHeader(name)) continue;
    if (!IsValidField(name, value)) {
      Log().Warn(kComponent, "dropping a response header with invalid characters", {{"header", name}});
      continue;
    }
    response_.insert(name, value);
  }
  const ServerOptions& o = core_.options();
  if (!o.server_name.empty() && !r.headers.Has("Server")) response_.set(bhttp::field::server, o.server_name);
  if (!r.headers.Has("Date")) response_.set(bhttp::field::date, HttpDate(SystemClock().NowMicros()));
  // A truncated body: the full Content-Length, then half the bytes and a close (only where there
  // is a body to cut).
  const bool truncate = r.fault == ConnectionFault::kTruncateBody && !close_after && !head_request_ &&
                        r.status != 204 && r.status != 304 && !r.body.empty();
  if (truncate) keep = false;
  if (r.status == 204 || r.status == 304) {
    // No body and no Content-Length for these (RFC 9110 8.6).
  } else {
    response_.content_length(r.body.size());
    if (truncate) {
      truncated_body_ = r.body.substr(0, r.body.size() / 2);
    } else if (!head_request_) {
      response_.body() = std::move(r.body);
    }
  }
  if (!keep) {
    response_.set(bhttp::field::connection, "close");
  } else if (request_version_ == 10) {
    response_.set(bhttp::field::connection, "keep-alive");
  }
  close_after_write_ = !keep;

  state_ = State::kWriting;
  stream_.expires_after(std::chrono::milliseconds(o.write_timeout_ms));
  if (truncate) {
    // The header alone (its Content-Length announces the whole body), then the raw half body.
    serializer_.emplace(response_);
    bhttp::async_write_header(stream_, *serializer_, [self = shared_from_this()](error_code ec, size_t) {
      if (ec || self->state_ == State::kClosed) return self->OnWrite(ec);
      net::async_write(self->stream_, net::buffer(self->truncated_body_),
                       [self](error_code wec, size_t) { self->OnWrite(wec); });
    });
    return;
  }
  bhttp::async_write(stream_, response_,
                     [self = shared_from_this()](error_code ec, size_t) { self->OnWrite(ec); });
}

void Connection::OnWrite(error_code ec) {
  FinishRequest();
  serializer_.reset();
  response_ = {};
  truncated_body_.clear();
  if (ec || state_ == State::kClosed) return Close();
  if (close_after_write_ || core_.stopping()) return Linger();
  if (buffer_.size() > 0) {
    // A pipelined request is already waiting in the buffer.
    stream_.expires_after(std::chrono::milliseconds(core_.options().header_timeout_ms));
    return ReadHeader();
  }
  WaitForRequest();
}

void Connection::FinishRequest() {
  if (!busy_) return;
  busy_ = false;
  core_.RequestFinished();
}

void Connection::Linger() {
  state_ = State::kLingering;
  error_code ec;
  stream_.socket().shutdown(net::socket_base::shutdown_send, ec);
  if (ec) return Close();
  buffer_.clear();
  stream_.expires_after(std::chrono::milliseconds(std::min(kMaxLingerMs, core_.options().body_timeout_ms)));
  DoLingerRead();
}

void Connection::DoLingerRead() {
  stream_.async_read_some(buffer_.prepare(16384), [self = shared_from_this()](error_code ec, size_t) {
    // Discard whatever arrives; stop at EOF, error or the linger timeout.
    if (ec || self->state_ != State::kLingering) return self->Close();
    self->DoLingerRead();
  });
}

void Connection::Abort() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  error_code ec;
  // SO_LINGER with a zero timeout makes close() send a RST instead of a FIN; no shutdown first,
  // which would send the FIN.
  stream_.socket().set_option(net::socket_base::linger(true, 0), ec);
  stream_.close();
}

void Connection::Close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  error_code ec;
  stream_.socket().shutdown(net::socket_base::shutdown_both, ec);
  // parser_ and buffer_ stay: a pending read still refers to them until it completes (aborted).
  stream_.close();
}

}  // namespace tajo::http::internal
