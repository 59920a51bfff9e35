// The answer a person reads: verdicts first (Summary templates, or what a result says of itself),
// then results rendered as Markdown (bullets, tables, KQL rows), then the sources; nothing a skill
// returns can turn into a link, a heading or HTML.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "orchestrator/answer.hpp"
#include "orchestrator/json_markdown.hpp"
#include "util/json_template.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;

store::Step completed(std::string skill, std::string inputs, std::string output) {
  store::Step step;
  step.seq = 1;
  step.skill = std::move(skill);
  step.inputs = json::parse(inputs).as_object();
  step.output = json::parse(output);
  step.state = store::StepState::completed;
  step.started_ms = 1'795'165'201'000;  // 2026-11-20T09:00:01Z
  step.duration_ms = 12;
  return step;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(JsonTemplate, ReadsDottedPathsIndexesAndLengths) {
  const auto doc =
      json::parse(R"({"verdict":"malicious","matches":[{"feed":"feodo"},{"feed":"x"}]})");
  EXPECT_EQ(json_at_path(doc, "verdict"), json::value("malicious"));
  EXPECT_EQ(json_at_path(doc, "matches.1.feed"), json::value("x"));
  EXPECT_EQ(json_at_path(doc, "matches.length"), json::value(2u));
  EXPECT_FALSE(json_at_path(doc, "matches.2.feed"));
  EXPECT_FALSE(json_at_path(doc, "nope"));
  EXPECT_TRUE(json_template_problems("{{a}} and {{ b.c }}").empty());
  EXPECT_EQ(json_template_problems("{{a} oops").size(), 1u);
  EXPECT_EQ(json_template_problems("{{ }}").size(), 1u);
}

TEST(Answer, ASummaryTemplateOpensTheAnswer) {
  manifest::Skill spec;
  spec.summary =
      "**{{verdict}}** for {{inputs.indicator}} ({{matches.length}} feeds, first "
      "{{matches.0.feed}}; {{missing}})";
  const auto step = completed("ThreatIntel.LookupIndicator", R"({"indicator":"203.0.113.45"})",
                              R"({"verdict":"malicious","matches":[{"feed":"feodo-sample"}]})");
  EXPECT_EQ(summarize_step(step, &spec),
            "**malicious** for 203.0.113.45 (1 feeds, first feodo-sample; —)");
}

TEST(Answer, WithoutATemplateTheResultsOwnVerdictSeverityOrCountIsUsed) {
  EXPECT_EQ(
      summarize_step(completed("A.B", "{}", R"({"verdict":"suspicious","score":55})"), nullptr),
      "**suspicious** (score 55)");
  EXPECT_EQ(summarize_step(completed("A.B", "{}", R"({"severity":"high"})"), nullptr),
            "severity **high**");
  EXPECT_EQ(summarize_step(completed("A.B", "{}", R"({"row_count":3,"rows":[]})"), nullptr),
            "3 rows");
  EXPECT_EQ(summarize_step(completed("A.B", "{}", R"({"name":"x"})"), nullptr), "");
}

TEST(Answer, VerdictsComeFirstThenDetailsThenSources) {
  store::Step failed;
  failed.seq = 2;
  failed.skill = "Jamf.GetComputer";
  failed.state = store::StepState::failed;
  failed.error_status = Status::unauthorized;
  failed.error_message = "the token endpoint refused the client id and secret";
  const std::vector<store::Step> steps = {
      completed("ThreatIntel.LookupIndicator", R"({"indicator":"203.0.113.45"})",
                R"({"verdict":"malicious","confidence":90})"),
      failed};
  const std::string answer = compose_answer(steps, skills::Catalog{});
  const auto verdict =
      answer.find("- **ThreatIntel.LookupIndicator:** **malicious** (confidence 90)");
  const auto failure =
      answer.find("- **Jamf.GetComputer** failed (unauthorized): the token endpoint");
  const auto details = answer.find("### ThreatIntel.LookupIndicator");
  const auto sources = answer.find("**Sources**");
  ASSERT_NE(verdict, std::string::npos) << answer;
  ASSERT_NE(failure, std::string::npos) << answer;
  ASSERT_NE(details, std::string::npos) << answer;
  ASSERT_NE(sources, std::string::npos) << answer;
  EXPECT_LT(verdict, details);
  EXPECT_LT(details, sources);
  EXPECT_TRUE(contains(answer,
                       "1. ThreatIntel.LookupIndicator (indicator=203.0.113.45), "
                       "2026-11-20T09:00:01.000Z, 12 ms"))
      << answer;
}

TEST(JsonMarkdown, RecordsBecomeTablesAndKqlRowsTooBounded) {
  const std::string detections = json_to_markdown(json::parse(R"({"count":3,"detections":[
      {"id":4127,"severity":"high","hostname":"mbp-fin-12","tags":["a"]},
      {"id":4126,"severity":"high","hostname":"ws-fin-07"},
      {"id":4119,"severity":"low","hostname":"ws-mkt-03"}]})"),
                                                  {.max_rows = 2});
  EXPECT_TRUE(contains(detections, "- **count:** 3")) << detections;
  EXPECT_TRUE(contains(detections, "| id | severity | hostname |")) << detections;
  EXPECT_TRUE(contains(detections, "| 4127 | high | mbp-fin-12 |")) << detections;
  EXPECT_FALSE(contains(detections, "ws-mkt-03")) << detections;
  EXPECT_TRUE(contains(detections, "and 1 more")) << detections;

  const std::string rows = json_to_markdown(json::parse(
      R"({"columns":[{"name":"DeviceName","type":"string"},{"name":"count_","type":"long"}],
          "rows":[["ws-fin-07",12],["srv-files-01",3]],"row_count":2})"));
  EXPECT_TRUE(contains(rows, "| DeviceName | count\\_ |")) << rows;
  EXPECT_TRUE(contains(rows, "| ws-fin-07 | 12 |")) << rows;
}

TEST(JsonMarkdown, NothingInAResultBecomesMarkupOrBreaksATable) {
  const std::string text = json_to_markdown(json::parse(
      R"({"note":"<script>alert(1)</script> [click](https://evil.example) # heading\n| x |",
          "rows_like":[{"cell":"a|b\nc"}]})"));
  EXPECT_FALSE(contains(text, "<script>")) << text;
  EXPECT_FALSE(contains(text, "[click](")) << text;
  EXPECT_TRUE(contains(text, "\\<script\\>")) << text;
  EXPECT_TRUE(contains(text, "| a\\|b c |")) << text;
  const std::string huge = json_to_markdown(json::value(std::string(100'000, 'x')));
  EXPECT_LT(huge.size(), 1000u);
}

}  // namespace
}  // namespace secpilot::orchestrator
