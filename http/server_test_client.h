// A minimal blocking HTTP/1.1 client on plain POSIX sockets, for the inbound server's tests: it
// sends raw bytes and parses responses by hand, so the tests depend on nothing but the server
// (and can send malformed or half-finished requests on purpose). Loopback only.
//
// Test-only; not thread-safe (one Client per thread).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "http/message.h"

namespace tajo::http::test_client {

using Clock = std::chrono::steady_clock;

inline constexpr int kWaitMs = 10'000;  // upper bound for anything the server should do "promptly"

struct RawResponse {
  int status = 0;
  std::string status_line;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::optional<std::string> Header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (EqualsIgnoreCase(k, name)) return v;
    return std::nullopt;
  }
};

// A blocking loopback client with poll-bounded reads.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ADD_FAILURE() << "connect to 127.0.0.1:" << port << " failed: " << std::strerror(errno);
      Close();
    }
  }
  ~Client() { Close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (status line, headers, Content-Length body). nullopt on EOF, error or
  // timeout. `head` means the response to a HEAD request: no body whatever Content-Length says.
  std::optional<RawResponse> ReadResponse(bool head = false, int timeout_ms = kWaitMs) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return std::nullopt;
    }
    RawResponse r;
    std::string head_text = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    size_t line_end = head_text.find("\r\n");
    r.status_line = head_text.substr(0, line_end);
    if (r.status_line.size() < 12 || r.status_line.compare(0, 5, "HTTP/") != 0) return std::nullopt;
    r.status = std::stoi(r.status_line.substr(9, 3));
    size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
    while (pos < head_text.size()) {
      size_t eol = head_text.find("\r\n", pos);
      if (eol == std::string::npos) eol = head_text.size();
      std::string line = head_text.substr(pos, eol - pos);
      size_t colon = line.find(':');
      std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(line.substr(0, colon), value);
      pos = eol + 2;
    }
    size_t length = 0;
    if (auto cl = r.Header("Content-Length")) length = std::stoul(*cl);
    if (head || r.status < 200 || r.status == 204 || r.status == 304) length = 0;
    while (buf_.size() < length) {
      if (!Fill(deadline)) return std::nullopt;
    }
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  // True when the server closes the connection (EOF or reset) before the timeout. Bytes that
  // arrive meanwhile are kept in received().
  bool WaitClosed(int timeout_ms = kWaitMs) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      int r = Poll(deadline);
      if (r <= 0) return false;  // timeout
      char tmp[4096];
      ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      buf_.append(tmp, static_cast<size_t>(n));
    }
  }

  // True when the connection is open with nothing to read (the server neither answered nor
  // closed).
  bool IsOpenAndQuiet() {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
  }

  const std::string& received() const { return buf_; }

 private:
  int Poll(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left < 0) left = 0;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(left));
  }
  bool Fill(Clock::time_point deadline) {
    if (Poll(deadline) <= 0) return false;
    char tmp[16384];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buf_;
};

// Whether a TCP connection to the port is accepted by the kernel (listening socket open).
inline bool CanConnect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Polls `pred` until it holds or the bound passes.
inline bool WaitUntil(const std::function<bool()>& pred, int timeout_ms = kWaitMs) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!pred()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

inline std::string Get(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n";
}

inline std::string Post(const std::string& target, const std::string& body, const std::string& extra_headers = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + extra_headers + "\r\n" + body;
}

}  // namespace tajo::http::test_client
