#include <mutex>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/log.h"
#include "http/server.h"

namespace tajo::http {
namespace {

using ::testing::HasSubstr;

HttpRequest Req(std::string method, std::string target) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  return r;
}

// A handler that answers "<tag>".
Handler Tag(std::string tag) {
  return [tag](HttpRequest&) { return HttpResponse::Text(200, tag); };
}

class LogCapture {
 public:
  LogCapture() {
    Log().SetSink([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() { Log().SetSink(nullptr); }
  std::string All() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

TEST(RouterTest, MatchesLiteralRoutesByMethodAndPath) {
  Router router;
  router.Add("GET", "/healthz", Tag("health"));
  router.Add("POST", "/webhooks/hubspot", Tag("hubspot"));
  router.Add("GET", "/", Tag("root"));

  auto r1 = Req("GET", "/healthz");
  EXPECT_EQ(router.Handle(r1).body, "health");
  auto r2 = Req("POST", "/webhooks/hubspot?x=1");  // the query does not take part in routing
  EXPECT_EQ(router.Handle(r2).body, "hubspot");
  auto r3 = Req("GET", "/");
  EXPECT_EQ(router.Handle(r3).body, "root");
  auto r4 = Req("GET", "/healthz/");  // a trailing slash is another path
  EXPECT_EQ(router.Handle(r4).status, 404);
}

TEST(RouterTest, CapturesNamedSegmentsPercentDecoded) {
  Router router;
  router.Add("GET", "/crm/v3/objects/{objectType}/{objectId}", [](HttpRequest& req) {
    return HttpResponse::Json(200, req.Param("objectType") + "|" + req.Param("objectId"));
  });
  auto req = Req("GET", "/crm/v3/objects/contacts/12345?properties=email");
  HttpResponse res = router.Handle(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "contacts|12345");
  EXPECT_EQ(req.path_params.size(), 2u);

  // %2F stays inside its segment: it decodes to '/' in the parameter, it does not split it.
  auto enc = Req("GET", "/crm/v3/objects/p_my%20obj/a%2Fb");
  EXPECT_EQ(router.Handle(enc).body, "p_my obj|a/b");

  // A {name} segment needs something to match; too few or too many segments do not match.
  auto empty = Req("GET", "/crm/v3/objects//12");
  EXPECT_EQ(router.Handle(empty).status, 404);
  auto short_path = Req("GET", "/crm/v3/objects/contacts");
  EXPECT_EQ(router.Handle(short_path).status, 404);
  auto long_path = Req("GET", "/crm/v3/objects/contacts/1/extra");
  EXPECT_EQ(router.Handle(long_path).status, 404);
}

TEST(RouterTest, LiteralSegmentsCompareDecoded) {
  Router router;
  router.Add("GET", "/a b/c", Tag("spaced"));
  auto req = Req("GET", "/a%20b/%63");
  EXPECT_EQ(router.Handle(req).body, "spaced");
}

TEST(RouterTest, CatchAllTakesTheRestOfThePath) {
  Router router;
  router.Add("GET", "/files/{path...}", [](HttpRequest& req) { return HttpResponse::Text(200, req.Param("path")); });
  auto deep = Req("GET", "/files/a/b%20c/d.txt");
  EXPECT_EQ(router.Handle(deep).body, "a/b c/d.txt");
  auto dir = Req("GET", "/files/");
  HttpResponse dir_res = router.Handle(dir);
  EXPECT_EQ(dir_res.status, 200);
  EXPECT_EQ(dir_res.body, "");
  auto bare = Req("GET", "/files");
  EXPECT_EQ(router.Handle(bare).status, 404);
}

TEST(RouterTest, FirstAddedMatchingRouteWins) {
  Router router;
  router.Add("GET", "/contacts/search", Tag("literal"));
  router.Add("GET", "/contacts/{id}", Tag("param"));
  auto search = Req("GET", "/contacts/search");
  EXPECT_EQ(router.Handle(search).body, "literal");
  auto byid = Req("GET", "/contacts/42");
  EXPECT_EQ(router.Handle(byid).body, "param");
}

TEST(RouterTest, UnmatchedPathGetsDefault404) {
  Router router;
  router.Add("GET", "/a", Tag("a"));
  auto req = Req("GET", "/nope");
  HttpResponse res = router.Handle(req);
  EXPECT_EQ(res.status, 404);
  EXPECT_THAT(*res.headers.Get("Content-Type"), HasSubstr("text/plain"));
  // Not an origin-form path at all.
  auto star = Req("OPTIONS", "*");
  EXPECT_EQ(router.Handle(star).status, 404);
}

TEST(RouterTest, CustomNotFoundHandler) {
  Router router;
  router.SetNotFound([](HttpRequest& req) { return HttpResponse::Json(404, "{\"path\":\"" + req.Path() + "\"}"); });
  auto req = Req("GET", "/missing");
  HttpResponse res = router.Handle(req);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, "{\"path\":\"/missing\"}");
}

TEST(RouterTest, OtherMethodGets405WithAllow) {
  Router router;
  router.Add("GET", "/items/{id}", Tag("get"));
  router.Add("PATCH", "/items/{id}", Tag("patch"));
  router.Add("GET", "/items/{other}", Tag("dup"));  // same method twice: listed once
  router.Add("POST", "/other", Tag("post"));
  auto req = Req("DELETE", "/items/7");
  HttpResponse res = router.Handle(req);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers.Get("Allow").value_or(""), "GET, PATCH");
  // A path that matches nothing is still a 404, not a 405.
  auto none = Req("DELETE", "/nothing");
  EXPECT_EQ(router.Handle(none).status, 404);
}

TEST(RouterTest, Custom405HandlerKeepsTheAllowHeader) {
  Router router;
  router.Add("GET", "/items/{id}", Tag("get"));
  router.SetMethodNotAllowed([](HttpRequest& req) {
    return HttpResponse::Json(405, "{\"code\":\"method_not_allowed\",\"method\":\"" + req.method + "\"}");
  });
  auto req = Req("PUT", "/items/7");
  HttpResponse res = router.Handle(req);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.body, "{\"code\":\"method_not_allowed\",\"method\":\"PUT\"}");
  EXPECT_EQ(res.headers.Get("Allow").value_or(""), "GET");
  EXPECT_TRUE(req.path_params.empty());
}

TEST(RouterTest, HeadFallsBackToGet) {
  Router router;
  router.Add("GET", "/doc/{id}", [](HttpRequest& req) { return HttpResponse::Text(200, req.Param("id")); });
  auto req = Req("HEAD", "/doc/9");
  HttpResponse res = router.Handle(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(req.Param("id"), "9");
}

TEST(RouterTest, ParamsFromEarlierMatchesDoNotLeak) {
  Router router;
  router.Add("GET", "/a/{x}", Tag("a"));
  auto req = Req("GET", "/zzz");
  req.path_params["stale"] = "1";
  EXPECT_EQ(router.Handle(req).status, 404);
  EXPECT_TRUE(req.path_params.empty());
  auto r405 = Req("POST", "/a/1");
  EXPECT_EQ(router.Handle(r405).status, 405);
  EXPECT_TRUE(r405.path_params.empty());
}

TEST(RouterTest, MalformedPatternsAreLoggedAndNeverMatch) {
  LogCapture log;
  Router router;
  router.Add("GET", "no-slash", Tag("x"));
  router.Add("GET", "/a/{rest...}/b", Tag("x"));
  router.Add("GET", "/a/x{id}", Tag("x"));
  router.Add("GET", "/a/{}", Tag("x"));
  router.Add("GET", "/b/{a.b}", Tag("x"));
  router.Add("GET", "/d/{id}/{id}", Tag("x"));
  std::string logged = log.All();
  EXPECT_THAT(logged, HasSubstr("no-slash"));
  EXPECT_THAT(logged, HasSubstr("must be the last one"));
  EXPECT_THAT(logged, HasSubstr("whole {name}"));
  EXPECT_THAT(logged, HasSubstr("invalid parameter name"));
  EXPECT_THAT(logged, HasSubstr("appears twice"));
  for (const char* path : {"no-slash", "/a/r/b", "/a/x1", "/a/{}", "/a/", "/b/x", "/d/1/2"}) {
    auto req = Req("GET", path);
    EXPECT_EQ(router.Handle(req).status, 404) << path;
  }
}

TEST(RouterTest, AsHandlerDispatches) {
  Router router;
  router.Add("GET", "/x/{id}", [](HttpRequest& req) { return HttpResponse::Text(200, req.Param("id")); });
  Handler h = router.AsHandler();
  auto req = Req("GET", "/x/abc");
  EXPECT_EQ(h(req).body, "abc");
}

}  // namespace
}  // namespace tajo::http
