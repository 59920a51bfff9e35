// Router: patterns, parameters, custom methods, precedence, 404/405/OPTIONS, bad patterns.
#include "secpilot/server/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace secpilot::server {
namespace {

RouteHandler answer(std::string text) {
  return [text](const Request&, const PathParams&) -> Reply { return server::text(200, text); };
}

Request request(std::string method, std::string target) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  return r;
}

const Response& as_response(const Reply& reply) {
  return std::get<Response>(reply);
}

TEST(ServerRouter, MatchesLiteralsAndDecodesParameters) {
  Router router;
  router.get("/v1/sessions/{id}/prompts/{prompt}", answer("prompt"));
  const RouteMatch found = router.match("GET", "/v1/sessions/s%201/prompts/p%2F2");
  ASSERT_NE(found.handler, nullptr);
  EXPECT_EQ(found.pattern, "/v1/sessions/{id}/prompts/{prompt}");
  EXPECT_EQ(found.params["id"], "s 1");
  EXPECT_EQ(found.params["prompt"], "p/2");  // an encoded slash stays inside its segment
  EXPECT_EQ(found.params["missing"], "");
  EXPECT_FALSE(router.match("GET", "/v1/sessions/s1/prompts").path_found());
  EXPECT_FALSE(router.match("GET", "/v1/sessions/s1/prompts/p2/x").path_found());
  EXPECT_FALSE(router.match("GET", "/v1/sessions//prompts/p2").path_found());
}

TEST(ServerRouter, RootAndLiteralOnlyRoutes) {
  Router router;
  router.get("/", answer("root")).get("/healthz", answer("ok"));
  EXPECT_EQ(router.match("GET", "/").pattern, "/");
  EXPECT_EQ(router.match("GET", "/healthz").pattern, "/healthz");
  EXPECT_FALSE(router.match("GET", "/healthz/").path_found());
  EXPECT_FALSE(router.match("GET", "healthz").path_found());
}

TEST(ServerRouter, CustomMethodSuffix) {
  Router router;
  router.get("/v1/skills/{name}", answer("show"));
  router.post("/v1/skills/{name}:invoke", answer("invoke"));
  router.post("/v1/evaluations/{id}:cancel", answer("cancel"));

  RouteMatch found = router.match("POST", "/v1/skills/ThreatIntel.Lookup:invoke");
  ASSERT_NE(found.handler, nullptr);
  EXPECT_EQ(found.pattern, "/v1/skills/{name}:invoke");
  EXPECT_EQ(found.params["name"], "ThreatIntel.Lookup");

  // The verb route is the more specific one, so GET on it is a 405, not a skill named "x:invoke".
  found = router.match("GET", "/v1/skills/ThreatIntel.Lookup:invoke");
  EXPECT_EQ(found.handler, nullptr);
  EXPECT_EQ(found.pattern, "/v1/skills/{name}:invoke");
  EXPECT_EQ(found.allow, "POST, OPTIONS");

  // An encoded colon is data, not a custom method.
  found = router.match("GET", "/v1/skills/a%3Ainvoke");
  ASSERT_NE(found.handler, nullptr);
  EXPECT_EQ(found.params["name"], "a:invoke");

  // An empty name is no custom method: the segment is just a name, which has no POST.
  found = router.match("POST", "/v1/skills/:invoke");
  EXPECT_EQ(found.handler, nullptr);
  EXPECT_EQ(found.pattern, "/v1/skills/{name}");
  EXPECT_EQ(router.match("POST", "/v1/skills/x:other").handler, nullptr);
  EXPECT_EQ(router.match("POST", "/v1/evaluations/e1:cancel").params["id"], "e1");
}

TEST(ServerRouter, LiteralBeatsParameterWhateverTheOrder) {
  Router router;
  router.get("/v1/sessions/{id}", answer("one"));
  router.get("/v1/sessions/export", answer("export"));
  router.get("/v1/{collection}/export", answer("collection"));
  EXPECT_EQ(router.match("GET", "/v1/sessions/export").pattern, "/v1/sessions/export");
  EXPECT_EQ(router.match("GET", "/v1/sessions/abc").pattern, "/v1/sessions/{id}");
  EXPECT_EQ(router.match("GET", "/v1/plugins/export").pattern, "/v1/{collection}/export");
}

TEST(ServerRouter, RestParameter) {
  Router router;
  router.get("/ui/{path...}", answer("asset"));
  router.get("/ui/index.html", answer("index"));
  RouteMatch found = router.match("GET", "/ui/js/app%20main.js");
  ASSERT_NE(found.handler, nullptr);
  EXPECT_EQ(found.params["path"], "js/app main.js");
  EXPECT_EQ(router.match("GET", "/ui/index.html").pattern, "/ui/index.html");
  EXPECT_FALSE(router.match("GET", "/ui").path_found());
}

TEST(ServerRouter, HandleAnswers404And405WithProblemDetails) {
  Router router;
  router.get("/v1/sessions/{id}", answer("show"));
  router.del("/v1/sessions/{id}", answer("delete"));

  Reply reply = router.handle(request("GET", "/v1/sessions/abc?x=1"));
  EXPECT_EQ(as_response(reply).body, "show");

  const Response missing = as_response(router.handle(request("GET", "/v1/nothing?key=secret")));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/problem+json");
  const auto body = boost::json::parse(missing.body).as_object();
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_EQ(body.at("title").as_string(), "Not Found");
  EXPECT_EQ(body.at("type").as_string(), "about:blank");
  EXPECT_EQ(body.at("instance").as_string(), "/v1/nothing");  // no query: it may hold secrets
  EXPECT_NE(std::string(body.at("detail").as_string()).find("GET /v1/nothing"), std::string::npos);

  const Response wrong = as_response(router.handle(request("POST", "/v1/sessions/abc")));
  EXPECT_EQ(wrong.status, 405);
  ASSERT_EQ(wrong.headers.size(), 1u);
  EXPECT_EQ(wrong.headers[0].first, "Allow");
  EXPECT_EQ(wrong.headers[0].second, "GET, HEAD, DELETE, OPTIONS");
}

TEST(ServerRouter, HeadUsesGetAndOptionsIsAnswered) {
  Router router;
  router.get("/v1/plugins", answer("list"));
  RouteMatch head = router.match("HEAD", "/v1/plugins");
  ASSERT_NE(head.handler, nullptr);
  EXPECT_EQ(head.pattern, "/v1/plugins");

  const Response options = as_response(router.handle(request("OPTIONS", "/v1/plugins")));
  EXPECT_EQ(options.status, 204);
  EXPECT_EQ(options.headers.at(0).second, "GET, HEAD, OPTIONS");
}

TEST(ServerRouter, RejectsMalformedPatternsAndDuplicates) {
  Router router;
  for (const char* bad : {"", "v1/x", "/v1//x", "/v1/x/", "/v1/{", "/v1/{1x}", "/v1/{a}/{a}",
                          "/v1/{a}:", "/v1/{a}:in voke", "/v1/{a}:x/more", "/v1/{rest...}/x",
                          "/v1/{rest...}:verb", "/v1/a{b}", "/v1/a b", "/v1/%41"}) {
    EXPECT_THROW(router.add("GET", bad, answer("x")), std::invalid_argument) << bad;
  }
  EXPECT_THROW(router.add("GE T", "/x", answer("x")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/x", nullptr), std::invalid_argument);
  router.get("/v1/sessions/{id}", answer("x"));
  EXPECT_THROW(router.get("/v1/sessions/{other}", answer("y")), std::invalid_argument);
  EXPECT_NO_THROW(router.post("/v1/sessions/{other}", answer("y")));
  try {
    router.add("GET", "/v1/{1x}", answer("x"));
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'/v1/{1x}'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace secpilot::server
