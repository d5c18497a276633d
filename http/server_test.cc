// Tests of the inbound HTTP server, driven by a plain POSIX-socket client (server_test_client.h)
// so they depend on nothing but the server itself. Loopback only. Timeouts under test are small
// (200 ms); every wait for the server has a generous upper bound so a slow (sanitized) build
// never flakes.
#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/log.h"
#include "http/server.h"
#include "http/server_test_client.h"

namespace tajo::http {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using namespace test_client;  // NOLINT: test helpers

// Answers "<METHOD> <target> <body size>".
HttpResponse Echo(HttpRequest& req) {
  return HttpResponse::Text(200, req.method + " " + req.target + " " + std::to_string(req.body.size()));
}

std::unique_ptr<HttpServer> StartOrDie(ServerOptions options, Handler handler) {
  auto server = HttpServer::Start(options, std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  if (!server.ok()) return nullptr;
  return std::move(server).value();
}

class LogCapture {
 public:
  LogCapture() {
    Log().SetSink([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      text_ += std::string(line) + "\n";
    });
  }
  ~LogCapture() { Log().SetSink(nullptr); }
  std::string text() {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }

 private:
  std::mutex mu_;
  std::string text_;
};

// A latch a handler can block on until the test releases it.
struct Gate {
  std::promise<void> entered;
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
  std::atomic<bool> entered_once{false};

  void EnterAndWait() {
    if (!entered_once.exchange(true)) entered.set_value();
    opened.wait();
  }
};

// ---------------------------------------------------------------------------------------------

TEST(HttpServerTest, AnswersWithStandardHeaders) {
  ServerOptions o;
  o.server_name = "tajo-test";
  auto server = StartOrDie(o, [](HttpRequest& req) {
    HttpResponse r = HttpResponse::Json(201, "{\"ok\":true}");
    r.headers.Set("X-Remote-Seen", req.remote_address.empty() ? "no" : "yes");
    r.headers.Set("X-Header-In", req.headers.Get("x-custom").value_or(""));
    return r;
  });
  ASSERT_TRUE(server);
  EXPECT_NE(server->port(), 0);
  EXPECT_EQ(server->base_url(), "http://127.0.0.1:" + std::to_string(server->port()));

  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/x", "X-Custom: hello\r\n")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_line, "HTTP/1.1 201 Created");
  EXPECT_EQ(r->body, "{\"ok\":true}");
  EXPECT_EQ(r->Header("Content-Length"), "11");
  EXPECT_EQ(r->Header("Content-Type"), "application/json;charset=utf-8");
  EXPECT_EQ(r->Header("Server"), "tajo-test");
  EXPECT_THAT(r->Header("Date").value_or(""),
              MatchesRegex("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"));
  EXPECT_EQ(r->Header("X-Remote-Seen"), "yes");
  EXPECT_EQ(r->Header("X-Header-In"), "hello");
  EXPECT_FALSE(r->Header("Connection").has_value());  // keep-alive is the HTTP/1.1 default
}

TEST(HttpServerTest, FramingIsTheServersAndBadHeadersAreDropped) {
  ServerOptions o;
  o.server_name = "";
  auto server = StartOrDie(o, [](HttpRequest& req) {
    if (req.target == "/empty") return HttpResponse::Empty(204);
    HttpResponse r = HttpResponse::Text(200, "abc");
    r.headers.Set("Content-Length", "999");              // wrong: the server owns framing
    r.headers.Set("X-Injected", "a\r\nSet-Cookie: evil"); // response splitting attempt
    r.headers.Add("X-Multi", "1");
    r.headers.Add("X-Multi", "2");
    return r;
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/a")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("Content-Length"), "3");
  EXPECT_EQ(r->body, "abc");
  EXPECT_FALSE(r->Header("X-Injected").has_value());
  EXPECT_FALSE(r->Header("Set-Cookie").has_value());
  EXPECT_FALSE(r->Header("Server").has_value());  // server_name "" omits it
  int multi = 0;
  for (auto& [k, v] : r->headers) multi += k == "X-Multi";
  EXPECT_EQ(multi, 2);

  ASSERT_TRUE(c.Send(Get("/empty")));
  auto r204 = c.ReadResponse();
  ASSERT_TRUE(r204);
  EXPECT_EQ(r204->status, 204);
  EXPECT_FALSE(r204->Header("Content-Length").has_value());

  // HEAD: the length of the body it would get, no body bytes; the connection stays usable.
  ASSERT_TRUE(c.Send("HEAD /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto rh = c.ReadResponse(/*head=*/true);
  ASSERT_TRUE(rh);
  EXPECT_EQ(rh->Header("Content-Length"), "3");
  ASSERT_TRUE(c.Send(Get("/a")));
  auto again = c.ReadResponse();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(again->body, "abc");
}

TEST(HttpServerTest, RoutesThroughRouterWithParams404And405) {
  Router router;
  router.Add("GET", "/crm/v3/objects/{objectType}/{objectId}", [](HttpRequest& req) {
    return HttpResponse::Json(200, "{\"type\":\"" + req.Param("objectType") + "\",\"id\":\"" + req.Param("objectId") +
                                       "\",\"props\":\"" + req.Query("properties").value_or("") + "\"}");
  });
  router.Add("POST", "/crm/v3/objects/{objectType}/{objectId}", Echo);
  auto server = StartOrDie({}, router.AsHandler());
  ASSERT_TRUE(server);
  Client c(server->port());

  ASSERT_TRUE(c.Send(Get("/crm/v3/objects/contacts/a%20b?properties=email%2Cfirstname")));
  auto ok = c.ReadResponse();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "{\"type\":\"contacts\",\"id\":\"a b\",\"props\":\"email,firstname\"}");

  ASSERT_TRUE(c.Send(Get("/nowhere")));
  auto nf = c.ReadResponse();
  ASSERT_TRUE(nf);
  EXPECT_EQ(nf->status, 404);

  ASSERT_TRUE(c.Send("DELETE /crm/v3/objects/contacts/1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto na = c.ReadResponse();
  ASSERT_TRUE(na);
  EXPECT_EQ(na->status, 405);
  EXPECT_EQ(na->Header("Allow"), "GET, POST");
}

TEST(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  std::mutex mu;
  std::vector<std::string> remotes;
  auto server = StartOrDie({}, [&](HttpRequest& req) {
    std::lock_guard<std::mutex> lock(mu);
    remotes.push_back(req.remote_address);
    return Echo(req);
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c.Send(Post("/k?i=" + std::to_string(i), std::string(10 + i, 'x'))));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "POST /k?i=" + std::to_string(i) + " " + std::to_string(10 + i));
  }
  EXPECT_EQ(server->open_connections(), 1);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(remotes.size(), 5u);
  EXPECT_THAT(remotes[0], MatchesRegex("127\\.0\\.0\\.1:[0-9]+"));
  for (auto& r : remotes) EXPECT_EQ(r, remotes[0]);  // the same client socket every time
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  auto server = StartOrDie({}, Echo);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/1") + Post("/2", "hello") + Get("/3")));
  for (const char* expected : {"GET /1 0", "POST /2 5", "GET /3 0"}) {
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, expected);
  }
}

TEST(HttpServerTest, ConnectionCloseIsHonoured) {
  auto server = StartOrDie({}, Echo);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/bye", "Connection: close\r\n")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /bye 0");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(c.WaitClosed());
}

TEST(HttpServerTest, HandlerMayAskToClose) {
  auto server = StartOrDie({}, [](HttpRequest&) {
    HttpResponse r = HttpResponse::Text(200, "done");
    r.headers.Set("Connection", "close");
    return r;
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(c.WaitClosed());
}

// Sends `request` on a fresh loopback socket and reads until the server ends the connection.
struct RawOutcome {
  std::string bytes;  // everything received
  int error = 0;      // errno of the failing recv (ECONNRESET for a reset); 0 for an orderly EOF
  bool timed_out = false;
};
RawOutcome SendAndReadToEnd(uint16_t port, const std::string& request) {
  RawOutcome out;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ADD_FAILURE() << "connect failed: " << std::strerror(errno);
    if (fd >= 0) ::close(fd);
    out.error = -1;
    return out;
  }
  EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, kWaitMs) <= 0) {
      out.timed_out = true;
      break;
    }
    char tmp[4096];
    ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n == 0) break;
    if (n < 0) {
      out.error = errno;
      break;
    }
    out.bytes.append(tmp, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

// Answers 200 with 1000 bytes, delivered with the fault named by the path.
HttpResponse FaultyHandler(HttpRequest& req) {
  HttpResponse r = HttpResponse::Text(200, std::string(1000, 'x'));
  if (req.Path() == "/reset") r.fault = ConnectionFault::kReset;
  if (req.Path() == "/truncate") r.fault = ConnectionFault::kTruncateBody;
  return r;
}

TEST(HttpServerTest, ResetFaultAbortsWithoutAResponse) {
  auto server = StartOrDie({}, FaultyHandler);
  ASSERT_TRUE(server);
  RawOutcome o = SendAndReadToEnd(server->port(), Get("/reset"));
  EXPECT_FALSE(o.timed_out);
  EXPECT_EQ(o.error, ECONNRESET) << std::strerror(o.error);
  EXPECT_EQ(o.bytes, "");
  // The server goes on serving.
  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/fine")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.size(), 1000u);
}

TEST(HttpServerTest, TruncateFaultSendsFullLengthHalfTheBodyThenCloses) {
  auto server = StartOrDie({}, FaultyHandler);
  ASSERT_TRUE(server);
  RawOutcome o = SendAndReadToEnd(server->port(), Get("/truncate"));
  EXPECT_FALSE(o.timed_out);
  EXPECT_EQ(o.error, 0) << std::strerror(o.error);  // an orderly close, after the partial body
  size_t end = o.bytes.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos) << o.bytes;
  std::string head = o.bytes.substr(0, end);
  EXPECT_THAT(head, HasSubstr("HTTP/1.1 200 OK"));
  EXPECT_THAT(head, HasSubstr("Content-Length: 1000"));
  EXPECT_THAT(head, HasSubstr("Connection: close"));
  EXPECT_EQ(o.bytes.substr(end + 4), std::string(500, 'x'));
}

TEST(HttpServerTest, ResponsesWithoutAFaultAreUnaffected) {
  auto server = StartOrDie({}, FaultyHandler);
  ASSERT_TRUE(server);
  Client c(server->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send(Get("/normal")));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, std::string(1000, 'x'));
    EXPECT_EQ(r->Header("Content-Length"), "1000");
    EXPECT_FALSE(r->Header("Connection"));
  }
  // A faulty answer on another connection leaves this one open for more.
  EXPECT_EQ(SendAndReadToEnd(server->port(), Get("/reset")).error, ECONNRESET);
  EXPECT_EQ(SendAndReadToEnd(server->port(), Get("/truncate")).error, 0);
  EXPECT_TRUE(c.IsOpenAndQuiet());
  ASSERT_TRUE(c.Send(Get("/normal")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.size(), 1000u);
  // HEAD with a truncate fault has no body to cut: answered normally.
  ASSERT_TRUE(c.Send("HEAD /truncate HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  auto h = c.ReadResponse(/*head=*/true);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->Header("Content-Length"), "1000");
}

TEST(HttpServerTest, Http10ClosesByDefaultAndKeepsAliveOnRequest) {
  auto server = StartOrDie({}, Echo);
  ASSERT_TRUE(server);
  {
    Client c(server->port());
    ASSERT_TRUE(c.Send("GET /old HTTP/1.0\r\n\r\n"));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "GET /old 0");
    EXPECT_EQ(r->Header("Connection"), "close");
    EXPECT_TRUE(c.WaitClosed());
  }
  Client k(server->port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(k.Send("GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto r = k.ReadResponse();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->Header("Connection"), "keep-alive");
  }
}

TEST(HttpServerTest, BodyOverLimitGets413AndClose) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  auto server = StartOrDie(o, Echo);
  ASSERT_TRUE(server);
  {
    Client c(server->port());  // exactly at the limit: fine
    ASSERT_TRUE(c.Send(Post("/up", std::string(1024, 'a'))));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "POST /up 1024");
  }
  {
    Client c(server->port());  // declared too large in Content-Length
    ASSERT_TRUE(c.Send(Post("/up", std::string(4096, 'a'))));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->Header("Connection"), "close");
    EXPECT_TRUE(c.WaitClosed());
  }
  {
    Client c(server->port());  // chunked, found too large while reading
    ASSERT_TRUE(c.Send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "400\r\n" + std::string(1024, 'b') + "\r\n10\r\n" + std::string(16, 'c') + "\r\n0\r\n\r\n"));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_TRUE(c.WaitClosed());
  }
}

// The 413 goes out before the body is read. Closing right away would make the kernel answer the
// rest of the upload with a reset, which on a real network can destroy the 413 before the client
// reads it. The server instead stops sending and drains input for a while (lingering close): the
// client can finish its upload, read the 413 and then sees an orderly end of stream.
TEST(HttpServerTest, RejectedUploadIsDrainedNotReset) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  auto server = StartOrDie(o, Echo);
  ASSERT_TRUE(server);
  Client c(server->port());
  std::string request = Post("/up", std::string(16 << 20, 'u'));
  std::atomic<bool> sent_all{false};
  std::thread sender([&] { sent_all = c.Send(request); });
  auto r = c.ReadResponse();
  sender.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(sent_all) << "the upload was cut off by a reset";
  EXPECT_TRUE(c.WaitClosed());
}

TEST(HttpServerTest, ChunkedBodyWithinLimitIsDelivered) {
  auto server = StartOrDie({}, [](HttpRequest& req) { return HttpResponse::Text(200, req.body); });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello world");
}

TEST(HttpServerTest, Expect100ContinueWith2KBody) {
  ServerOptions o;
  o.max_body_bytes = 4096;
  auto server = StartOrDie(o, Echo);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\nExpect: 100-continue\r\n\r\n"));
  // Like curl: wait for the interim response before sending the body.
  auto interim = c.ReadResponse();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status_line, "HTTP/1.1 100 Continue");
  ASSERT_TRUE(c.Send(std::string(2048, 'z')));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "POST /big 2048");

  // Too large: refused at once with 413, no 100 Continue, so the client never sends the body.
  Client big(server->port());
  ASSERT_TRUE(big.Send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n"));
  auto refused = big.ReadResponse();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
}

TEST(HttpServerTest, MalformedRequestsGet400AndClose) {
  auto server = StartOrDie({}, Echo);
  ASSERT_TRUE(server);
  for (const std::string& bad : {std::string("GARBAGE\r\n\r\n"),
                                std::string("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
                                std::string("GET / HTTP/1.1\r\nNoColonHere\r\n\r\n"),
                                std::string("GET / HTTP/9\r\n\r\n"),
                                std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")}) {
    Client c(server->port());
    ASSERT_TRUE(c.Send(bad));
    auto r = c.ReadResponse();
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_EQ(r->Header("Connection"), "close") << bad;
    EXPECT_TRUE(c.WaitClosed()) << bad;
  }
  // The server is still fine.
  Client ok(server->port());
  ASSERT_TRUE(ok.Send(Get("/fine")));
  auto r = ok.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(HttpServerTest, OversizedHeadersGet431) {
  ServerOptions o;
  o.max_header_bytes = 4096;
  auto server = StartOrDie(o, Echo);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/h", "X-Big: " + std::string(8000, 'h') + "\r\n")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_TRUE(c.WaitClosed());
}

TEST(HttpServerTest, HandlerExceptionBecomesGeneric500AndIsLogged) {
  LogCapture log;
  auto server = StartOrDie({}, [](HttpRequest& req) -> HttpResponse {
    if (req.target == "/std") throw std::runtime_error("boom-detail-xyz");
    if (req.target == "/other") throw 42;
    return HttpResponse::Text(200, "fine");
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/std")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_THAT(r->body, Not(HasSubstr("boom")));
  ASSERT_TRUE(c.Send(Get("/other")));
  auto r2 = c.ReadResponse();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 500);
  // The connection survives a failing handler.
  ASSERT_TRUE(c.Send(Get("/ok")));
  auto r3 = c.ReadResponse();
  ASSERT_TRUE(r3);
  EXPECT_EQ(r3->body, "fine");
  std::string logged = log.text();
  EXPECT_THAT(logged, HasSubstr("boom-detail-xyz"));
  EXPECT_THAT(logged, HasSubstr("/std"));
  EXPECT_THAT(logged, HasSubstr("not a std::exception"));
}

TEST(HttpServerTest, InvalidStatusFromHandlerBecomes500) {
  LogCapture log;
  auto server = StartOrDie({}, [](HttpRequest&) { return HttpResponse::Text(42, "?"); });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/")));
  auto r = c.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_THAT(log.text(), HasSubstr("invalid status"));
}

TEST(HttpServerTest, HeaderTimeoutClosesSlowLoris) {
  ServerOptions o;
  o.header_timeout_ms = 200;
  auto server = StartOrDie(o, Echo);
  ASSERT_TRUE(server);
  Client loris(server->port());
  ASSERT_TRUE(loris.Send("GET /slow HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n"));  // never finishes
  Client silent(server->port());                                          // never says a word
  EXPECT_TRUE(loris.WaitClosed());
  EXPECT_TRUE(silent.WaitClosed());
  EXPECT_EQ(loris.received(), "");  // closed without an answer
  EXPECT_TRUE(WaitUntil([&] { return server->open_connections() == 0; }));
}

TEST(HttpServerTest, BodyTimeoutClosesSlowUpload) {
  ServerOptions o;
  o.body_timeout_ms = 200;
  auto server = StartOrDie(o, Echo);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send("POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"));
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_EQ(c.received(), "");
}

TEST(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o;
  o.idle_timeout_ms = 200;
  auto server = StartOrDie(o, Echo);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.Send(Get("/once")));
  ASSERT_TRUE(c.ReadResponse());
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_TRUE(WaitUntil([&] { return server->open_connections() == 0; }));
}

TEST(HttpServerTest, ConnectionsBeyondMaxAreClosedAtOnce) {
  ServerOptions o;
  o.max_connections = 2;
  auto server = StartOrDie(o, Echo);
  ASSERT_TRUE(server);
  auto c1 = std::make_unique<Client>(server->port());
  Client c2(server->port());
  ASSERT_TRUE(WaitUntil([&] { return server->open_connections() == 2; }));
  Client c3(server->port());
  EXPECT_TRUE(c3.WaitClosed());
  EXPECT_EQ(c3.received(), "");
  // The admitted ones still work, and a slot frees when one leaves.
  ASSERT_TRUE(c2.Send(Get("/2")));
  auto r = c2.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /2 0");
  c1.reset();
  ASSERT_TRUE(WaitUntil([&] { return server->open_connections() == 1; }));
  Client c4(server->port());
  ASSERT_TRUE(c4.Send(Get("/4")));
  auto r4 = c4.ReadResponse();
  ASSERT_TRUE(r4);
  EXPECT_EQ(r4->body, "GET /4 0");
}

// The test: it keeps answering while clients are slow or idle.
TEST(HttpServerTest, KeepsAnsweringWith200IdleConnectionsOpen) {
  ServerOptions o;
  o.io_threads = 1;
  o.worker_threads = 2;
  o.header_timeout_ms = 120'000;  // the idle clients must outlive the test, not time out
  o.idle_timeout_ms = 120'000;
  auto server = StartOrDie(o, [](HttpRequest& req) {
    return HttpResponse::Text(200, "pong " + req.Query("i").value_or("?"));
  });
  ASSERT_TRUE(server);

  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 200; ++i) {
    idle.push_back(std::make_unique<Client>(server->port()));
    ASSERT_TRUE(idle.back()->connected());
    if (i % 2 == 1) {
      ASSERT_TRUE(idle.back()->Send("GET /half-a-request-li"));  // and stops there
    }
  }
  ASSERT_TRUE(WaitUntil([&] { return server->open_connections() == 200; }))
      << "open: " << server->open_connections();

  // 25 requests each on a new connection (accept keeps working) and 25 on one keep-alive one.
  Client keep(server->port());
  for (int i = 0; i < 50; ++i) {
    std::optional<RawResponse> r;
    if (i < 25) {
      Client fresh(server->port());
      ASSERT_TRUE(fresh.Send(Get("/ping?i=" + std::to_string(i), "Connection: close\r\n")));
      r = fresh.ReadResponse();
    } else {
      ASSERT_TRUE(keep.Send(Get("/ping?i=" + std::to_string(i))));
      r = keep.ReadResponse();
    }
    ASSERT_TRUE(r) << "request " << i << " got no answer";
    EXPECT_GE(server->open_connections(), 200) << "request " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "pong " + std::to_string(i));
  }

  // All 200 idle connections are still open on both sides.
  EXPECT_GE(server->open_connections(), 200);
  for (size_t i = 0; i < idle.size(); ++i) EXPECT_TRUE(idle[i]->IsOpenAndQuiet()) << "idle client " << i;
}

TEST(HttpServerTest, SlowHandlerDoesNotBlockOtherConnections) {
  ServerOptions o;
  o.worker_threads = 2;
  Gate gate;
  auto server = StartOrDie(o, [&](HttpRequest& req) {
    if (req.target == "/slow") gate.EnterAndWait();
    return Echo(req);
  });
  ASSERT_TRUE(server);
  Client slow(server->port());
  ASSERT_TRUE(slow.Send(Get("/slow")));
  ASSERT_EQ(gate.entered.get_future().wait_for(std::chrono::milliseconds(kWaitMs)), std::future_status::ready);
  Client fast(server->port());
  ASSERT_TRUE(fast.Send(Get("/fast")));
  auto r = fast.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /fast 0");
  gate.open.set_value();
  auto rs = slow.ReadResponse();
  ASSERT_TRUE(rs);
  EXPECT_EQ(rs->body, "GET /slow 0");
}

TEST(HttpServerTest, ManyConcurrentClients) {
  ServerOptions o;
  o.io_threads = 2;
  o.worker_threads = 3;
  std::atomic<int> calls{0};
  auto server = StartOrDie(o, [&](HttpRequest& req) {
    calls.fetch_add(1);
    return HttpResponse::Text(200, req.body);
  });
  ASSERT_TRUE(server);
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Client c(server->port());
      for (int i = 0; i < 25; ++i) {
        std::string body = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (!c.Send(Post("/c", body))) return;
        auto r = c.ReadResponse();
        if (r && r->body == body) good.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 100);
  EXPECT_EQ(calls.load(), 100);
}

TEST(HttpServerTest, ClientLeavingDuringHandlerIsHarmless) {
  Gate gate;
  auto server = StartOrDie({}, [&](HttpRequest& req) {
    gate.EnterAndWait();
    return Echo(req);
  });
  ASSERT_TRUE(server);
  {
    Client c(server->port());
    ASSERT_TRUE(c.Send(Get("/gone")));
    ASSERT_EQ(gate.entered.get_future().wait_for(std::chrono::milliseconds(kWaitMs)), std::future_status::ready);
  }  // the client disconnects while its handler runs
  gate.open.set_value();
  EXPECT_TRUE(WaitUntil([&] { return server->open_connections() == 0; }));
}

TEST(HttpServerTest, GracefulShutdownLetsInFlightHandlerFinish) {
  Gate gate;
  auto server = StartOrDie({}, [&](HttpRequest& req) {
    if (req.target == "/slow") gate.EnterAndWait();
    return HttpResponse::Text(200, "finished " + req.target);
  });
  ASSERT_TRUE(server);
  const uint16_t port = server->port();
  Client busy(port);
  ASSERT_TRUE(busy.Send(Get("/slow")));
  ASSERT_EQ(gate.entered.get_future().wait_for(std::chrono::milliseconds(kWaitMs)), std::future_status::ready);
  Client idle(port);
  ASSERT_TRUE(WaitUntil([&] { return server->open_connections() == 2; }));

  std::thread stopper([&] { server->Shutdown(/*grace_ms=*/30'000); });
  // It stops accepting and drops the idle connection right away...
  EXPECT_TRUE(WaitUntil([&] { return !CanConnect(port); }));
  EXPECT_TRUE(idle.WaitClosed());
  // ...while the in-flight handler is still running; when it returns, its answer goes out.
  EXPECT_TRUE(busy.IsOpenAndQuiet());
  gate.open.set_value();
  auto r = busy.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "finished /slow");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(busy.WaitClosed());
  stopper.join();

  EXPECT_FALSE(CanConnect(port));
  EXPECT_EQ(server->open_connections(), 0);
  server->Shutdown();  // idempotent
  server.reset();      // and the destructor after it is fine
}

TEST(HttpServerTest, ShutdownClosesConnectionsWhenGraceRunsOut) {
  LogCapture log;
  Gate gate;
  auto server = StartOrDie({}, [&](HttpRequest& req) {
    gate.EnterAndWait();
    return Echo(req);
  });
  ASSERT_TRUE(server);
  Client busy(server->port());
  ASSERT_TRUE(busy.Send(Get("/stuck")));
  ASSERT_EQ(gate.entered.get_future().wait_for(std::chrono::milliseconds(kWaitMs)), std::future_status::ready);
  std::thread stopper([&] { server->Shutdown(/*grace_ms=*/100); });
  EXPECT_TRUE(busy.WaitClosed());  // closed although its handler has not returned
  EXPECT_EQ(busy.received(), "");
  gate.open.set_value();  // Shutdown then joins the worker
  stopper.join();
  EXPECT_THAT(log.text(), HasSubstr("grace period over"));
}

TEST(HttpServerTest, DestructorShutsDown) {
  uint16_t port;
  {
    auto server = StartOrDie({}, Echo);
    ASSERT_TRUE(server);
    port = server->port();
    Client c(port);
    ASSERT_TRUE(c.Send(Get("/")));
    ASSERT_TRUE(c.ReadResponse());
  }  // c (declared after) is gone first; the server destructor closes whatever is left
  EXPECT_FALSE(CanConnect(port));
}

TEST(HttpServerTest, PortInUseIsAClearError) {
  auto first = StartOrDie({}, Echo);
  ASSERT_TRUE(first);
  ServerOptions o;
  o.port = first->port();
  auto second = HttpServer::Start(o, Echo);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("127.0.0.1:" + std::to_string(first->port())));
  EXPECT_THAT(second.status().message(), HasSubstr("in use"));
  // The first one is unaffected.
  Client c(first->port());
  ASSERT_TRUE(c.Send(Get("/still")));
  ASSERT_TRUE(c.ReadResponse());
}

TEST(HttpServerTest, BadOptionsAreRejected) {
  ServerOptions bad_host;
  bad_host.host = "not an address";
  auto r1 = HttpServer::Start(bad_host, Echo);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r1.status().message(), HasSubstr("not an address"));

  ServerOptions bad_threads;
  bad_threads.io_threads = 0;
  auto r2 = HttpServer::Start(bad_threads, Echo);
  ASSERT_FALSE(r2.ok());
  EXPECT_THAT(r2.status().message(), HasSubstr("io_threads"));

  ServerOptions bad_timeout;
  bad_timeout.header_timeout_ms = -1;
  auto r3 = HttpServer::Start(bad_timeout, Echo);
  ASSERT_FALSE(r3.ok());
  EXPECT_THAT(r3.status().message(), HasSubstr("header_timeout_ms"));

  auto r4 = HttpServer::Start({}, nullptr);
  ASSERT_FALSE(r4.ok());
  EXPECT_THAT(r4.status().message(), HasSubstr("handler"));
}

}  // namespace
}  // namespace tajo::http
