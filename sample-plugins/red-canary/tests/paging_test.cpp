#include "red_canary/paging.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "red_canary/envelope.hpp"
#include "red_canary/errors.hpp"
#include "scripted_transport.hpp"

namespace red_canary {
namespace {

namespace json = boost::json;
using testing::json_response;
using testing::Script;

json::object parse(std::string_view text) {
  return json::parse(text).as_object();
}

// A page of detections with these ids, and the envelope parts given.
std::string page(std::initializer_list<int> ids, std::string extra = "") {
  json::array data;
  for (int id : ids)
    data.push_back(json::object{{"type", "Detection"}, {"id", id}, {"attributes", json::object{}}});
  std::string text = R"({"data": )" + json::serialize(data);
  if (!extra.empty()) text += ", " + extra;
  return text + "}";
}

TEST(Envelope, MorePagesFollowWhenLinksNextSaysSo) {
  EXPECT_TRUE(has_more_pages(
      parse(R"({"links": {"next": "https://x/openapi/v3/detections?page=2"}})"), 3, 3, 100));
  EXPECT_TRUE(has_more_pages(parse(R"({"links": {"next": {"href": "https://x/p2"}}})"), 3, 3, 100));
  EXPECT_FALSE(has_more_pages(parse(R"({"links": {"self": "https://x/p1"}})"), 3, 3, 3));
}

TEST(Envelope, OrWhenFewerThanTotalItemsArrived) {
  EXPECT_TRUE(has_more_pages(parse(R"({"meta": {"total_items": 7}})"), 3, 3, 100));
  EXPECT_FALSE(has_more_pages(parse(R"({"meta": {"total_items": 7}})"), 7, 1, 100));
}

TEST(Envelope, OrElseWhenThePageCameBackFull) {
  EXPECT_TRUE(has_more_pages(parse("{}"), 50, 50, 50));
  EXPECT_FALSE(has_more_pages(parse("{}"), 49, 49, 50));
  EXPECT_FALSE(has_more_pages(parse(R"({"links": {"next": "x"}})"), 0, 0, 50));  // empty page
}

TEST(Envelope, DataIsAListOrOneObject) {
  EXPECT_EQ(data_items(parse(page({1, 2})), "x").size(), 2u);
  EXPECT_EQ(data_items(parse(R"({"data": {"id": 1}})"), "x").size(), 1u);
  EXPECT_EQ(single_item(parse(page({4127})), "x").at("id"), 4127);
}

TEST(Envelope, AnythingElseIsAnUpstreamErrorNamingTheSubject) {
  for (const char* body : {R"({"detections": []})", R"({"data": "none"})", R"({"data": [1]})"}) {
    try {
      data_items(parse(body), "the detections list");
      ADD_FAILURE() << body;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::upstream);
      EXPECT_NE(std::string(e.what()).find("the detections list"), std::string::npos) << e.what();
    }
  }
  try {
    single_item(parse(R"({"data": []})"), "detection 9");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
  }
}

PageQuery detections_query() {
  PageQuery query;
  query.path = "detections";
  query.subject = {"the detections list", true};
  query.per_page = 100;
  return query;
}

TEST(Paging, FollowsPagesUntilTheTotalArrived) {
  Script script;
  script.responses.push_back(json_response(200, page({1, 2, 3}, R"("meta": {"total_items": 7})")));
  script.responses.push_back(json_response(200, page({4, 5, 6}, R"("meta": {"total_items": 7})")));
  script.responses.push_back(json_response(200, page({7}, R"("meta": {"total_items": 7})")));
  auto client = script.client();
  auto collected = collect(client, detections_query(), 25);
  EXPECT_EQ(collected.items.size(), 7u);
  EXPECT_EQ(collected.pages, 3);
  EXPECT_FALSE(collected.more_available);
  ASSERT_EQ(script.sent.size(), 3u);
  EXPECT_NE(script.sent[2].url.find("detections?page=3&per_page=100"), std::string::npos)
      << script.sent[2].url;
}

TEST(Paging, StopsAtTheLimitAndSaysMoreExist) {
  Script script;
  script.responses.push_back(json_response(200, page({1, 2, 3}, R"("links": {"next": "p2"})")));
  script.responses.push_back(json_response(200, page({4, 5, 6}, R"("links": {"next": "p3"})")));
  auto client = script.client();
  auto collected = collect(client, detections_query(), 4);
  EXPECT_EQ(collected.items.size(), 4u);
  EXPECT_EQ(collected.pages, 2);
  EXPECT_TRUE(collected.more_available);
}

TEST(Paging, AFilterReadsOnUntilEnoughItemsPass) {
  Script script;
  script.responses.push_back(json_response(200, page({1, 2, 3}, R"("links": {"next": "p2"})")));
  script.responses.push_back(json_response(200, page({4, 5, 6}, R"("links": {"self": "p2"})")));
  auto client = script.client();
  auto even = [](const json::object& item) { return item.at("id").as_int64() % 2 == 0; };
  auto collected = collect(client, detections_query(), 10, even);
  ASSERT_EQ(collected.items.size(), 3u);
  EXPECT_EQ(collected.items[2].at("id"), 6);
  EXPECT_EQ(collected.scanned, 6u);
  EXPECT_FALSE(collected.more_available);
}

TEST(Paging, ThePageBudgetBoundsTheRequests) {
  Script script;
  for (int i = 0; i < 3; ++i)
    script.responses.push_back(json_response(200, page({1, 2}, R"("links": {"next": "more"})")));
  auto client = script.client();
  auto query = detections_query();
  query.max_pages = 2;
  auto none = [](const json::object&) { return false; };
  auto collected = collect(client, query, 10, none);
  EXPECT_EQ(collected.pages, 2);
  EXPECT_TRUE(collected.more_available);
  EXPECT_EQ(script.sent.size(), 2u);
}

}  // namespace
}  // namespace red_canary
