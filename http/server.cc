// HttpServer implementation: the listener, the I/O threads, the worker pool and shutdown.
// The per-connection state machine lives in http/server_connection.cc.
#include "http/server.h"

#include <chrono>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/log.h"
#include "http/server_connection.h"

namespace tajo::http {
namespace {

namespace net = boost::asio;
using net::ip::tcp;
using boost::system::error_code;

constexpr std::string_view kComponent = "http.server";
// After the grace period, how long Shutdown waits for closed connections to be released.
constexpr std::chrono::milliseconds kDrainTimeout{2000};
// Pause before accepting again after a failed accept (e.g. out of file descriptors).
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

Status ValidateOptions(const ServerOptions& o) {
  auto bad = [](const char* field, const std::string& why) {
    return Status::InvalidArgument(std::string("http server option ") + field + " " + why);
  };
  if (o.max_body_bytes == 0) return bad("max_body_bytes", "must be > 0");
  if (o.max_header_bytes < 256 || o.max_header_bytes > (1u << 30))
    return bad("max_header_bytes", "must be between 256 and 2^30, got " + std::to_string(o.max_header_bytes));
  if (o.header_timeout_ms <= 0) return bad("header_timeout_ms", "must be > 0, got " + std::to_string(o.header_timeout_ms));
  if (o.body_timeout_ms <= 0) return bad("body_timeout_ms", "must be > 0, got " + std::to_string(o.body_timeout_ms));
  if (o.idle_timeout_ms <= 0) return bad("idle_timeout_ms", "must be > 0, got " + std::to_string(o.idle_timeout_ms));
  if (o.write_timeout_ms <= 0) return bad("write_timeout_ms", "must be > 0, got " + std::to_string(o.write_timeout_ms));
  if (o.max_connections <= 0) return bad("max_connections", "must be > 0, got " + std::to_string(o.max_connections));
  if (o.io_threads <= 0 || o.io_threads > 256) return bad("io_threads", "must be 1..256, got " + std::to_string(o.io_threads));
  if (o.worker_threads <= 0 || o.worker_threads > 1024)
    return bad("worker_threads", "must be 1..1024, got " + std::to_string(o.worker_threads));
  return Status::Ok();
}

class ServerImpl final : public HttpServer {
 public:
  ServerImpl(const ServerOptions& options, Handler handler)
      : core_(options, std::move(handler)),
        ioc_(options.io_threads),
        acceptor_(net::make_strand(ioc_)),
        retry_timer_(acceptor_.get_executor()),
        workers_(static_cast<size_t>(options.worker_threads)) {}

  ~ServerImpl() override { Shutdown(5000); }

  // Binds and listens (synchronously, before any thread runs).
  Status Listen() {
    const ServerOptions& o = core_.options();
    error_code ec;
    net::ip::address address = net::ip::make_address(o.host == "localhost" ? "127.0.0.1" : o.host, ec);
    if (ec) {
      return Status::InvalidArgument("http server: invalid listen address '" + o.host +
                                     "' (expected an IP address such as 127.0.0.1)");
    }
    tcp::endpoint endpoint(address, o.port);
    std::string where = (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
                        std::to_string(o.port);
    auto fail = [&](const char* step) {
      std::string msg = "http server: cannot " + std::string(step) + " " + where + ": " + ec.message();
      if (ec == net::error::address_in_use) return Status::Unavailable(msg + " (is another server running on this port?)");
      if (ec == boost::system::errc::address_not_available || ec == net::error::access_denied)
        return Status::InvalidArgument(msg);
      return Status::IOError(msg);
    };
    if (acceptor_.open(endpoint.protocol(), ec)) return fail("open a socket for");
    // Lets a restarted server bind while old connections sit in TIME_WAIT; two listeners on one
    // port still fail with EADDRINUSE on Linux.
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec)) return fail("configure");
    if (acceptor_.bind(endpoint, ec)) return fail("bind to");
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec)) return fail("listen on");
    port_ = acceptor_.local_endpoint(ec).port();
    if (ec) return fail("read the bound port of");
    std::string host = address.is_v6() ? "[" + address.to_string() + "]" : o.host;
    base_url_ = "http://" + host + ":" + std::to_string(port_);
    return Status::Ok();
  }

  void Run() {
    work_guard_.emplace(ioc_.get_executor());
    net::post(acceptor_.get_executor(), [this] { DoAccept(); });
    for (int i = 0; i < core_.options().io_threads; ++i) {
      io_threads_.emplace_back([this] { RunIoLoop(); });
    }
    running_ = true;
    Log().Debug(kComponent, "listening", {{"url", base_url_}});
  }

  uint16_t port() const override { return port_; }
  std::string base_url() const override { return base_url_; }
  int open_connections() const override { return core_.open_connections(); }

  void Shutdown(int grace_ms) override {
    std::lock_guard<std::mutex> lock(shutdown_mu_);
    if (shut_down_) return;
    shut_down_ = true;
    core_.SetStopping();
    if (!running_) return;

    // 1. Stop accepting. Done on the acceptor's strand; after this no connection is registered.
    std::promise<void> acceptor_closed;
    net::post(acceptor_.get_executor(), [this, &acceptor_closed] {
      error_code ec;
      acceptor_.close(ec);
      retry_timer_.cancel();
      acceptor_closed.set_value();
    });
    acceptor_closed.get_future().wait();

    // 2. Connections waiting for or reading a request close now; the others answer with
    //    "Connection: close" and then close.
    for (auto& c : core_.Snapshot()) c->CloseIfIdle();

    // 3. In-flight requests get up to the grace period.
    if (!core_.WaitForNoRequests(std::chrono::milliseconds(std::max(grace_ms, 0)))) {
      Log().Warn(kComponent, "shutdown grace period over with requests still in flight; closing their connections",
                 {{"grace_ms", std::to_string(grace_ms)}});
    }

    // 4. Close everything, drop handlers not yet started, wait for running ones.
    for (auto& c : core_.Snapshot()) c->ForceClose();
    workers_.stop();
    workers_.join();

    // 5. Let the I/O threads release the closed connections, then stop them.
    core_.WaitForNoConnections(kDrainTimeout);
    work_guard_.reset();
    ioc_.stop();
    for (auto& t : io_threads_) t.join();
    io_threads_.clear();
    Log().Debug(kComponent, "stopped", {{"url", base_url_}});
  }

 private:
  void RunIoLoop() {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        Log().Error(kComponent, "exception escaped the I/O loop; continuing", {{"error", e.what()}});
      } catch (...) {
        Log().Error(kComponent, "unknown exception escaped the I/O loop; continuing");
      }
    }
  }

  // Runs on the acceptor's strand.
  void DoAccept() {
    if (core_.stopping()) return;
    acceptor_.async_accept(net::make_strand(ioc_), [this](error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (ec) {
        // EMFILE and friends: pause instead of spinning, then try again.
        Log().Warn(kComponent, "accept failed; retrying", {{"error", ec.message()}});
        retry_timer_.expires_after(kAcceptRetryDelay);
        retry_timer_.async_wait([this](error_code tec) {
          if (!tec) DoAccept();
        });
        return;
      }
      if (core_.stopping() || core_.open_connections() >= core_.options().max_connections) {
        Log().Debug(kComponent, core_.stopping() ? "refusing a connection: shutting down"
                                                 : "refusing a connection: max_connections reached",
                    {{"max_connections", std::to_string(core_.options().max_connections)}});
        error_code ignored;
        socket.close(ignored);
      } else {
        try {
          std::make_shared<internal::Connection>(std::move(socket), core_, workers_)->Start();
        } catch (const std::exception& e) {  // e.g. bad_alloc: drop this one, keep accepting
          Log().Error(kComponent, "could not set up an accepted connection", {{"error", e.what()}});
        }
      }
      DoAccept();
    });
  }

  // Destruction order matters: connections still referenced by queued work are destroyed with
  // workers_ or ioc_, and they unregister from core_ and close sockets of ioc_; so core_ is
  // declared first and workers_ after ioc_.
  internal::ServerCore core_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  net::thread_pool workers_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_guard_;
  std::vector<std::thread> io_threads_;
  uint16_t port_ = 0;
  std::string base_url_;

  std::mutex shutdown_mu_;
  bool shut_down_ = false;  // guarded by shutdown_mu_
  bool running_ = false;    // set by Run() before the server is handed out
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const ServerOptions& options, Handler handler) {
  TAJO_RETURN_IF_ERROR(ValidateOptions(options));
  if (!handler) return Status::InvalidArgument("http server: no handler given");
  auto server = std::make_unique<ServerImpl>(options, std::move(handler));
  TAJO_RETURN_IF_ERROR(server->Listen());
  server->Run();
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace tajo::http
