// Tests of the libcurl Transport against tiny loopback servers written here with plain POSIX
// sockets (and OpenSSL for TLS), so that they depend on nothing else in tajo. 127.0.0.1 only.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/client.h"

namespace tajo::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Listens on 127.0.0.1:<ephemeral>; returns the fd and sets `port`.
int ListenLoopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    ::close(fd);
    return -1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

// Waits up to `ms` for `fd` to be readable. 1 readable, 0 timeout, -1 error.
int WaitReadable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  int rc = ::poll(&p, 1, ms);
  if (rc < 0) return -1;
  return rc;
}

std::string HttpReply(int status, const std::string& body,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  for (auto& [k, v] : headers) out += k + ": " + v + "\r\n";
  return out + "\r\n" + body;
}

// A tiny HTTP/1.1 server: one thread per connection, keep-alive, Content-Length bodies only.
class LoopbackServer {
 public:
  struct Request {
    std::string method;
    std::string target;
    Headers headers;
    std::string body;
  };
  struct Reply {
    std::string raw{};   // bytes to write, as they are
    bool close = false;  // close the connection after writing
    bool hang = false;   // never answer; wait for the client to go away
  };
  using Handler = std::function<Reply(const Request&)>;

  explicit LoopbackServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ListenLoopback(port_);
    if (listen_fd_ >= 0) accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~LoopbackServer() {
    stop_ = true;
    if (accept_thread_.joinable()) accept_thread_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
  }

  bool ok() const { return listen_fd_ >= 0; }
  int port() const { return port_; }
  std::string Url(const std::string& target) const {
    return "http://127.0.0.1:" + std::to_string(port_) + target;
  }
  int connections() const { return connections_.load(); }

 private:
  void AcceptLoop() {
    while (!stop_) {
      if (WaitReadable(listen_fd_, 20) != 1) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++connections_;
      std::lock_guard<std::mutex> lock(mu_);
      threads_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  // Reads more bytes into `buf`; false when the peer closed, on error, or on stop.
  bool ReadMore(int fd, std::string& buf) {
    while (!stop_) {
      int rc = WaitReadable(fd, 20);
      if (rc < 0) return false;
      if (rc == 0) continue;
      char chunk[4096];
      ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) return false;
      buf.append(chunk, static_cast<size_t>(n));
      return true;
    }
    return false;
  }

  void Serve(int fd) {
    std::string buf;
    for (;;) {
      size_t end;
      while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
        if (!ReadMore(fd, buf)) return Close(fd);
      }
      Request req;
      std::string head = buf.substr(0, end);
      buf.erase(0, end + 4);
      size_t line_end = head.find("\r\n");
      std::string request_line = head.substr(0, line_end);
      size_t sp1 = request_line.find(' ');
      size_t sp2 = request_line.rfind(' ');
      req.method = request_line.substr(0, sp1);
      req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
      size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
      while (pos < head.size()) {
        size_t next = head.find("\r\n", pos);
        if (next == std::string::npos) next = head.size();
        std::string line = head.substr(pos, next - pos);
        size_t colon = line.find(':');
        if (colon != std::string::npos) {
          std::string value = line.substr(colon + 1);
          value.erase(0, value.find_first_not_of(' '));
          req.headers.Add(line.substr(0, colon), value);
        }
        pos = next + 2;
      }
      size_t length = std::stoul(req.headers.Get("Content-Length").value_or("0"));
      while (buf.size() < length) {
        if (!ReadMore(fd, buf)) return Close(fd);
      }
      req.body = buf.substr(0, length);
      buf.erase(0, length);

      Reply reply = handler_(req);
      if (reply.hang) {
        std::string ignored;
        while (ReadMore(fd, ignored)) {
        }
        return Close(fd);
      }
      size_t written = 0;
      while (written < reply.raw.size()) {
        ssize_t n = ::send(fd, reply.raw.data() + written, reply.raw.size() - written, MSG_NOSIGNAL);
        if (n <= 0) return Close(fd);
        written += static_cast<size_t>(n);
      }
      if (reply.close) return Close(fd);
    }
  }

  static void Close(int fd) {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<std::thread> threads_;  // guarded by mu_
};

ClientRequest Request(std::string method, std::string url, std::string body = "") {
  ClientRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.body = std::move(body);
  r.timeout_ms = 5000;
  r.connect_timeout_ms = 2000;
  return r;
}

class CurlTransportTest : public ::testing::Test {
 protected:
  std::unique_ptr<Transport> transport_ = NewCurlTransport();
};

TEST_F(CurlTransportTest, GetRoundTripWithHeaders) {
  LoopbackServer server([](const LoopbackServer::Request& req) {
    std::string body = req.method + " " + req.target + " " + req.headers.Get("X-Test").value_or("-") + " " +
                       req.headers.Get("User-Agent").value_or("-");
    return LoopbackServer::Reply{HttpReply(200, body, {{"X-Reply", "yes"},
                                                       {"Set-Cookie", "a=1"},
                                                       {"Set-Cookie", "b=2"},
                                                       {"X-Spaced", "  padded value  "}})};
  });
  ASSERT_TRUE(server.ok());
  auto req = Request("GET", server.Url("/crm/v3/objects/contacts?limit=100&after=abc"));
  req.headers.Set("X-Test", "42");
  auto r = transport_->Send(req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "GET /crm/v3/objects/contacts?limit=100&after=abc 42 tajo/0.1");
  EXPECT_EQ(r->headers.Get("x-reply"), "yes");
  EXPECT_EQ(r->headers.GetAll("Set-Cookie"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(r->headers.Get("X-Spaced"), "padded value");
}

TEST_F(CurlTransportTest, PostPutPatchDeleteSendTheirBodies) {
  LoopbackServer server([](const LoopbackServer::Request& req) {
    std::string body = req.method + "|" + req.headers.Get("Content-Type").value_or("none") + "|" +
                       req.headers.Get("Content-Length").value_or("none") + "|" +
                       (req.headers.Has("Expect") ? "expect" : "no-expect") + "|" + req.body;
    return LoopbackServer::Reply{HttpReply(req.method == "POST" ? 201 : 200, body)};
  });
  ASSERT_TRUE(server.ok());
  auto post = Request("POST", server.Url("/v3/contacts"), R"({"email":"a@example.com"})");
  post.headers.Set("Content-Type", "application/json");
  auto r = transport_->Send(post);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, R"(POST|application/json|25|no-expect|{"email":"a@example.com"})");

  r = transport_->Send(Request("PUT", server.Url("/v3/contacts/1")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "PUT|none|0|no-expect|");  // not curl's default form content type

  r = transport_->Send(Request("PATCH", server.Url("/crm/v3/objects/contacts/1"), "{}"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "PATCH|none|2|no-expect|{}");

  r = transport_->Send(Request("DELETE", server.Url("/v3/contacts/1")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "DELETE|none|none|no-expect|");
}

TEST_F(CurlTransportTest, ErrorStatusesAreResponsesNotErrors) {
  LoopbackServer server([](const LoopbackServer::Request& req) {
    int status = std::stoi(req.target.substr(1));
    return LoopbackServer::Reply{HttpReply(status, R"({"message":"nope"})", {{"Retry-After", "3"}})};
  });
  ASSERT_TRUE(server.ok());
  for (int status : {301, 404, 429, 503}) {
    auto r = transport_->Send(Request("GET", server.Url("/" + std::to_string(status))));
    ASSERT_TRUE(r.ok()) << status << ": " << r.status().ToString();
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(r->headers.Get("Retry-After"), "3");
  }
}

TEST_F(CurlTransportTest, ReusesConnections) {
  LoopbackServer server([](const LoopbackServer::Request&) { return LoopbackServer::Reply{HttpReply(200, "ok")}; });
  ASSERT_TRUE(server.ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(transport_->Send(Request("GET", server.Url("/x"))).ok());
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(CurlTransportTest, AcceptsAndDecodesGzip) {
  static const std::string kGzip(
      "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xcb\x48\xcd\xc9\xc9\xd7\x51\x48\xaf\xca\x2c\x50\x28\xcf\x2f\xca\x49"
      "\x01\x00\xeb\x83\x46\x82\x11\x00\x00\x00",
      37);
  std::string accept_encoding;
  LoopbackServer server([&](const LoopbackServer::Request& req) {
    accept_encoding = req.headers.Get("Accept-Encoding").value_or("");
    return LoopbackServer::Reply{HttpReply(200, kGzip, {{"Content-Encoding", "gzip"}})};
  });
  ASSERT_TRUE(server.ok());
  auto r = transport_->Send(Request("GET", server.Url("/gz")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(accept_encoding, HasSubstr("gzip"));
  EXPECT_EQ(r->body, "hello, gzip world");
}

TEST_F(CurlTransportTest, ConnectionRefusedIsUnavailableAndNotSent) {
  int port = 0;
  int fd = ListenLoopback(port);
  ASSERT_GE(fd, 0);
  ::close(fd);  // nobody listens there any more
  auto r = transport_->Send(Request("POST", "http://127.0.0.1:" + std::to_string(port) + "/v3/contacts", "{}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("POST http://127.0.0.1:" + std::to_string(port) + "/v3/contacts"));
  EXPECT_TRUE(RequestNotSent(r.status()));
}

TEST_F(CurlTransportTest, ServerThatNeverAnswersTimesOut) {
  LoopbackServer server([](const LoopbackServer::Request&) { return LoopbackServer::Reply{.hang = true}; });
  ASSERT_TRUE(server.ok());
  auto req = Request("POST", server.Url("/hang"), "{}");
  req.timeout_ms = 300;
  auto r = transport_->Send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(r.status().message(), HasSubstr("timed out"));
  EXPECT_FALSE(RequestNotSent(r.status()));  // the server had the request: a POST must not be repeated
}

TEST_F(CurlTransportTest, TruncatedBodyIsUnavailableAndTheUrlIsRedacted) {
  LoopbackServer server([](const LoopbackServer::Request&) {
    return LoopbackServer::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", /*close=*/true};
  });
  ASSERT_TRUE(server.ok());
  auto r = transport_->Send(Request("GET", server.Url("/contacts?access_token=s3cr3t-t0ken-value")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("truncated"));
  EXPECT_THAT(r.status().message(), HasSubstr(server.Url("/contacts?access_token=[REDACTED]")));
  EXPECT_THAT(r.status().message(), Not(HasSubstr("s3cr3t-t0ken-value")));
}

TEST_F(CurlTransportTest, GarbageResponsesAreErrorsNotCrashes) {
  const std::vector<std::string> garbage = {
      std::string("\x00\x01\x02garbage\r\n\r\n", 14),
      "HTTP/1.1 abc OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n",
      "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nnotgz",
      "",  // closes without a byte
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n",  // headers never end
  };
  size_t next = 0;
  std::mutex mu;
  LoopbackServer server([&](const LoopbackServer::Request&) {
    std::lock_guard<std::mutex> lock(mu);
    return LoopbackServer::Reply{garbage[next++ % garbage.size()], /*close=*/true};
  });
  ASSERT_TRUE(server.ok());
  for (size_t i = 0; i < garbage.size(); ++i) {
    auto r = transport_->Send(Request("GET", server.Url("/g")));
    ASSERT_FALSE(r.ok()) << "case " << i << " got status " << r->status;
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << "case " << i << ": " << r.status().ToString();
    EXPECT_THAT(r.status().message(), HasSubstr(server.Url("/g"))) << "case " << i;
  }
}

TEST_F(CurlTransportTest, OversizedBodyIsRefused) {
  auto transport = NewCurlTransport({.max_response_bytes = 1000});
  LoopbackServer server([](const LoopbackServer::Request&) {
    return LoopbackServer::Reply{HttpReply(200, std::string(5000, 'x'))};
  });
  ASSERT_TRUE(server.ok());
  auto r = transport->Send(Request("GET", server.Url("/big")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(r.status().message(), HasSubstr("1000 bytes"));
}

TEST_F(CurlTransportTest, MalformedRequestsAreInvalidArguments) {
  std::vector<ClientRequest> bad = {
      Request("GET", "not a url"),
      Request("GET", "/relative/path"),
      Request("GET", "ftp://127.0.0.1/file"),
      Request("GE T", "http://127.0.0.1:1/"),
      Request("", "http://127.0.0.1:1/"),
  };
  bad.push_back(Request("GET", "http://127.0.0.1:1/"));
  bad.back().headers.Add("X-Injected", "a\r\nHost: evil");
  bad.push_back(Request("GET", "http://127.0.0.1:1/"));
  bad.back().headers.Add("Bad Name", "x");
  bad.push_back(Request("GET", "http://127.0.0.1:1/"));
  bad.back().timeout_ms = 0;
  for (size_t i = 0; i < bad.size(); ++i) {
    auto r = transport_->Send(bad[i]);
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << i << ": " << r.status().ToString();
  }
}

TEST_F(CurlTransportTest, SendAllRunsRequestsConcurrently) {
  constexpr int kRequests = 5;
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  int max_in_flight = 0;
  LoopbackServer server([&](const LoopbackServer::Request& req) {
    std::unique_lock<std::mutex> lock(mu);
    ++in_flight;
    max_in_flight = std::max(max_in_flight, in_flight);
    cv.notify_all();
    // Hold every request until all five are here at once (or give up after 3 s: then the
    // overlap assertion below fails instead of the test hanging).
    cv.wait_for(lock, std::chrono::seconds(3), [&] { return max_in_flight >= kRequests; });
    --in_flight;
    return LoopbackServer::Reply{HttpReply(200, req.target)};
  });
  ASSERT_TRUE(server.ok());
  std::vector<ClientRequest> requests;
  for (int i = 0; i < kRequests; ++i) requests.push_back(Request("GET", server.Url("/r" + std::to_string(i))));
  auto results = transport_->SendAll(requests);
  ASSERT_EQ(results.size(), static_cast<size_t>(kRequests));
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status().ToString();
    EXPECT_EQ(results[i]->body, "/r" + std::to_string(i));  // results in request order
  }
  EXPECT_EQ(max_in_flight, kRequests);

  // A second batch reuses the five open connections.
  results = transport_->SendAll(requests);
  for (auto& r : results) ASSERT_TRUE(r.ok());
  EXPECT_EQ(server.connections(), kRequests);
}

TEST_F(CurlTransportTest, SendAllReportsEachFailureInPlace) {
  LoopbackServer server([](const LoopbackServer::Request& req) {
    if (req.target == "/cut") return LoopbackServer::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab", true};
    return LoopbackServer::Reply{HttpReply(200, "fine")};
  });
  ASSERT_TRUE(server.ok());
  auto results = transport_->SendAll({Request("GET", server.Url("/a")), Request("GET", "nonsense"),
                                      Request("GET", server.Url("/cut")), Request("GET", server.Url("/b"))});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(results[2].status().code(), StatusCode::kUnavailable);
  ASSERT_TRUE(results[3].ok());
  EXPECT_EQ(results[3]->body, "fine");
  EXPECT_TRUE(transport_->SendAll({}).empty());
}

TEST_F(CurlTransportTest, SendIsSafeFromManyThreads) {
  LoopbackServer server([](const LoopbackServer::Request& req) {
    return LoopbackServer::Reply{HttpReply(200, req.target)};
  });
  ASSERT_TRUE(server.ok());
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string target = "/t" + std::to_string(t) + "/" + std::to_string(i);
        auto r = transport_->Send(Request("GET", server.Url(target)));
        if (r.ok() && r->body == target) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 40);
  EXPECT_LE(server.connections(), 4);  // each thread's connection is kept and reused
}

// ---- TLS ---------------------------------------------------------------------------------

// A self-signed certificate for 127.0.0.1, written to a PEM file, and a one-connection-at-a-time
// HTTPS server that answers "ok" to anything.
class TlsServer {
 public:
  TlsServer() {
    // OpenSSL writes with write(2): a client that hangs up mid-handshake must not kill the test.
    std::signal(SIGPIPE, SIG_IGN);
    key_ = EVP_EC_gen("P-256");
    cert_ = X509_new();
    if (key_ == nullptr || cert_ == nullptr) return;
    X509_set_version(cert_, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert_), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert_), 86'400);
    X509_set_pubkey(cert_, key_);
    X509_NAME* name = X509_get_subject_name(cert_);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert_, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert_, cert_, nullptr, nullptr, 0);
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1");
    if (san == nullptr) return;
    X509_add_ext(cert_, san, -1);
    X509_EXTENSION_free(san);
    if (X509_sign(cert_, key_, EVP_sha256()) == 0) return;

    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr ? tmp : "/tmp") + "/tajo-curl-test-XXXXXX";
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) return;
    cert_path_ = pattern;
    FILE* f = ::fdopen(fd, "w");
    PEM_write_X509(f, cert_);
    std::fclose(f);

    ssl_ctx_ = SSL_CTX_new(TLS_server_method());
    if (ssl_ctx_ == nullptr || SSL_CTX_use_certificate(ssl_ctx_, cert_) != 1 ||
        SSL_CTX_use_PrivateKey(ssl_ctx_, key_) != 1) {
      return;
    }
    listen_fd_ = ListenLoopback(port_);
    if (listen_fd_ >= 0) thread_ = std::thread([this] { Loop(); });
  }
  ~TlsServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    if (!cert_path_.empty()) std::filesystem::remove(cert_path_);
    SSL_CTX_free(ssl_ctx_);
    X509_free(cert_);
    EVP_PKEY_free(key_);
  }

  bool ok() const { return listen_fd_ >= 0; }
  const std::string& cert_path() const { return cert_path_; }
  std::string Url(const std::string& target) const {
    return "https://127.0.0.1:" + std::to_string(port_) + target;
  }

 private:
  void Loop() {
    while (!stop_) {
      if (WaitReadable(listen_fd_, 20) != 1) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      timeval tv{2, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      SSL* ssl = SSL_new(ssl_ctx_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) == 1) {
        std::string buf;
        char chunk[4096];
        while (buf.find("\r\n\r\n") == std::string::npos) {
          int n = SSL_read(ssl, chunk, sizeof chunk);
          if (n <= 0) break;
          buf.append(chunk, static_cast<size_t>(n));
        }
        const std::string reply = HttpReply(200, "ok", {{"Connection", "close"}});
        SSL_write(ssl, reply.data(), static_cast<int>(reply.size()));
        SSL_shutdown(ssl);
      }
      ERR_clear_error();
      SSL_free(ssl);
      ::close(fd);
    }
  }

  EVP_PKEY* key_ = nullptr;
  X509* cert_ = nullptr;
  SSL_CTX* ssl_ctx_ = nullptr;
  std::string cert_path_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(CurlTransportTlsTest, VerifiesCertificatesAndTrustsTheGivenBundle) {
  TlsServer server;
  ASSERT_TRUE(server.ok());

  // The system store does not know this self-signed certificate: refused, and not retryable.
  auto strict = NewCurlTransport();
  auto r = strict->Send(Request("GET", server.Url("/tls")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
  EXPECT_THAT(r.status().message(), HasSubstr("certificate"));
  EXPECT_TRUE(RequestNotSent(r.status()));

  // With the certificate as an extra CA it is trusted.
  auto trusting = NewCurlTransport({.ca_bundle = server.cert_path()});
  r = trusting->Send(Request("GET", server.Url("/tls")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok");
}

TEST(CurlTransportTlsTest, MissingCaBundleIsAClearError) {
  TlsServer server;
  ASSERT_TRUE(server.ok());
  auto transport = NewCurlTransport({.ca_bundle = "/nonexistent/ca.pem"});
  auto r = transport->Send(Request("GET", server.Url("/tls")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
  EXPECT_THAT(r.status().message(), HasSubstr("/nonexistent/ca.pem"));
}

}  // namespace
}  // namespace tajo::http
