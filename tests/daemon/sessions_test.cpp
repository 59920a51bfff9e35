// Sessions, prompts and evaluations over the API: the lifecycle of a session, direct invocation
// of a skill through a prompt (steps, exports), the prompts that cannot run, and isolation between
// users (another user's session and everything in it is 404).
#include <gtest/gtest.h>

#include <set>

#include <algorithm>

#include <memory>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"

namespace secpilot::testing {
namespace {

constexpr const char* kLookup = "/ThreatIntel.LookupIndicator indicator=198.51.100[.]7";

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string to_text(const boost::json::value& value) {
  return boost::json::serialize(value);
}

class DaemonSessions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    daemon_ = std::make_unique<DaemonProcess>();
    daemon_->start();
    api_ = std::make_unique<Api>(*daemon_);
  }
  static void TearDownTestSuite() {
    api_.reset();
    daemon_.reset();
  }
  static const ApiKeys& keys() { return daemon_->keys(); }

  static inline std::unique_ptr<DaemonProcess> daemon_;
  static inline std::unique_ptr<Api> api_;
};

TEST_F(DaemonSessions, CreateListRenameShowDelete) {
  const auto& alice = keys().contributor;
  auto created = api_->post("/v1/sessions", alice, {{"displayName", "phishing wave"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.object().at("id").as_string());
  EXPECT_EQ(created.header("location"), "/v1/sessions/" + id);
  EXPECT_EQ(created.object().at("displayName").as_string(), "phishing wave");

  auto listed = api_->get("/v1/sessions", alice).object();
  bool found = false;
  for (const auto& item : listed.at("value").as_array())
    found = found || item.at("id").as_string() == id;
  EXPECT_TRUE(found) << boost::json::serialize(listed);

  auto renamed = api_->request("PATCH", "/v1/sessions/" + id, alice,
                               R"({"displayName":"phishing wave, day 2"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  auto shown = api_->get("/v1/sessions/" + id, keys().reader);  // the reader is alice too
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.object().at("displayName").as_string(), "phishing wave, day 2");
  EXPECT_TRUE(shown.object().at("prompts").as_array().empty());

  // Any Unicode name survives the round trip and the export.
  const std::string unicode = "Hameçonnage – 日本語 🎣 \"quoted\"";
  auto named = api_->request("PATCH", "/v1/sessions/" + id, alice,
                             boost::json::serialize(boost::json::object{{"displayName", unicode}}));
  ASSERT_EQ(named.status, 200) << named.body;
  EXPECT_EQ(api_->get("/v1/sessions/" + id, alice).object().at("displayName").as_string(), unicode);
  EXPECT_TRUE(contains(api_->get("/v1/sessions/" + id + "/export", alice).body, "# " + unicode));

  auto deleted = api_->del("/v1/sessions/" + id, alice);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(api_->get("/v1/sessions/" + id, alice).status, 404);
  EXPECT_EQ(api_->del("/v1/sessions/" + id, alice).status, 404);
}

TEST_F(DaemonSessions, DirectInvocationRunsTheSkillAndRecordsTheStep) {
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice, "one lookup");
  auto submitted =
      api_->post("/v1/sessions/" + session + "/prompts", alice, {{"content", kLookup}});
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const auto body = submitted.object();
  const std::string evaluation(body.at("evaluation").at("id").as_string());
  EXPECT_EQ(submitted.header("location"), "/v1/evaluations/" + evaluation);
  EXPECT_EQ(body.at("prompt").at("type").as_string(), "skill");
  EXPECT_EQ(body.at("prompt").at("skillName").as_string(), "ThreatIntel.LookupIndicator");

  auto done = api_->finished(alice, evaluation);
  EXPECT_EQ(done.at("state").as_string(), "completed") << boost::json::serialize(done);
  ASSERT_EQ(done.at("steps").as_array().size(), 1u);
  const auto& step = done.at("steps").as_array()[0].as_object();
  EXPECT_EQ(step.at("skill").as_string(), "ThreatIntel.LookupIndicator");
  EXPECT_EQ(step.at("state").as_string(), "completed");
  EXPECT_EQ(step.at("inputs").at("indicator").as_string(), "198.51.100[.]7");
  EXPECT_EQ(step.at("output").at("verdict").as_string(), "malicious");
  EXPECT_EQ(step.at("output").at("indicator").as_string(), "198.51.100.7");
  EXPECT_EQ(done.at("result").at("json").at("verdict").as_string(), "malicious");
  EXPECT_TRUE(contains(done.at("result").at("content").as_string(), "malicious"));

  auto steps = api_->get("/v1/evaluations/" + evaluation + "/steps", alice);
  ASSERT_EQ(steps.status, 200);
  EXPECT_EQ(steps.object().at("value").as_array().size(), 1u);

  auto markdown = api_->get("/v1/sessions/" + session + "/export?format=markdown", alice);
  ASSERT_EQ(markdown.status, 200) << markdown.body;
  EXPECT_TRUE(contains(markdown.header("content-type"), "text/markdown"));
  EXPECT_TRUE(contains(markdown.body, "# one lookup")) << markdown.body;
  EXPECT_TRUE(contains(markdown.body, kLookup)) << markdown.body;
  EXPECT_TRUE(contains(markdown.body, "ThreatIntel.LookupIndicator")) << markdown.body;
  EXPECT_TRUE(contains(markdown.body, "State: completed")) << markdown.body;
  EXPECT_TRUE(contains(markdown.body, "**malicious**")) << markdown.body;

  auto json = api_->get("/v1/sessions/" + session + "/export?format=json", alice);
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_TRUE(contains(json.header("content-type"), "application/json"));
  const auto exported = json.object();
  const auto& prompts = exported.at("prompts").as_array();
  ASSERT_EQ(prompts.size(), 1u);
  const auto& evaluations = prompts[0].at("evaluations").as_array();
  ASSERT_EQ(evaluations.size(), 1u);
  const auto& exported_steps = evaluations[0].at("steps").as_array();
  ASSERT_EQ(exported_steps.size(), 1u);
  EXPECT_EQ(exported_steps[0].at("skill").as_string(), "ThreatIntel.LookupIndicator");
  EXPECT_EQ(exported_steps[0].at("output").at("verdict").as_string(), "malicious");

  // The default export is Markdown; other formats are refused.
  EXPECT_EQ(api_->get("/v1/sessions/" + session + "/export", alice).body, markdown.body);
  EXPECT_EQ(api_->get("/v1/sessions/" + session + "/export?format=pdf", alice).status, 400);
}

TEST_F(DaemonSessions, QuotedValuesReachTheSkill) {
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice);
  const auto evaluation =
      api_->submit(alice, session, R"(/Misbehaving.Echo text="two words" count=3)");
  auto done = api_->finished(alice, evaluation);
  ASSERT_EQ(done.at("state").as_string(), "completed") << boost::json::serialize(done);
  const auto& output = done.at("steps").as_array()[0].at("output");
  EXPECT_EQ(output.at("text").as_string(), "two words") << boost::json::serialize(output);
}

TEST_F(DaemonSessions, AFreeTextPromptIsPlannedAndTheSkillItNeedsRuns) {
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice);
  const auto evaluation = api_->submit(alice, session, "is 198.51.100[.]7 malicious?");
  auto done = api_->finished(alice, evaluation);
  EXPECT_EQ(done.at("state").as_string(), "completed") << boost::json::serialize(done);
  const auto& steps = done.at("steps").as_array();
  ASSERT_EQ(steps.size(), 1u) << boost::json::serialize(done);
  EXPECT_EQ(steps[0].at("skill").as_string(), "ThreatIntel.LookupIndicator");
  EXPECT_EQ(steps[0].at("inputs").at("indicator").as_string(), "198.51.100.7");
  // The process log says what was planned and why.
  const auto events = api_->events(alice, evaluation);
  const auto plan = std::find_if(events.begin(), events.end(),
                                 [](const SseEvent& event) { return event.type == "plan"; });
  ASSERT_NE(plan, events.end());
  const auto recorded = plan->json();
  EXPECT_EQ(recorded.at("steps").at(0).at("skill").as_string(), "ThreatIntel.LookupIndicator");
  EXPECT_FALSE(recorded.at("candidates").as_array().empty());
  EXPECT_TRUE(contains(recorded.at("explanation").as_string(), "+ ThreatIntel.LookupIndicator"));
}

TEST_F(DaemonSessions, ExtractedIndicatorsAreEachLookedUpInTheNextStep) {
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice);
  const auto evaluation =
      api_->submit(alice, session,
                   "Pull the IOCs out of this report and tell me which ones "
                   "are known bad:\n```\nThe loader beacons to "
                   "198.51.100[.]7 and fetches hxxp://evil[.]example/a.ps1\n```");
  auto done = api_->finished(alice, evaluation);
  EXPECT_EQ(done.at("state").as_string(), "completed") << boost::json::serialize(done);
  const auto& steps = done.at("steps").as_array();
  ASSERT_GE(steps.size(), 3u) << boost::json::serialize(done);
  EXPECT_EQ(steps[0].at("skill").as_string(), "ThreatIntel.ExtractIndicators");
  std::set<std::string> looked_up;
  for (std::size_t i = 1; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].at("skill").as_string(), "ThreatIntel.LookupIndicator");
    looked_up.insert(std::string(steps[i].at("inputs").at("indicator").as_string()));
  }
  // Each indicator the extraction found, refanged, one call each.
  EXPECT_TRUE(looked_up.contains("198.51.100.7")) << boost::json::serialize(done);
  EXPECT_TRUE(looked_up.contains("http://evil.example/a.ps1")) << boost::json::serialize(done);
}

TEST_F(DaemonSessions, AFollowUpPromptReadsTheSessionsEarlierPrompts) {
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice);
  api_->finished(alice, api_->submit(alice, session,
                                     "Extract the IOCs from this: beacon to 203.0.113[.]45 and "
                                     "exfil to 198.51.100[.]7"));
  auto done = api_->finished(alice, api_->submit(alice, session, "look up the second IP"));
  EXPECT_EQ(done.at("state").as_string(), "completed") << boost::json::serialize(done);
  ASSERT_EQ(done.at("steps").as_array().size(), 1u) << boost::json::serialize(done);
  EXPECT_EQ(done.at("steps").at(0).at("inputs").at("indicator").as_string(), "198.51.100.7");
}

TEST_F(DaemonSessions, APromptNoSkillFitsFailsWithTheClosestSkills) {
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice);
  const auto evaluation = api_->submit(alice, session, "block 198.51.100.7 on the firewall");
  auto done = api_->finished(alice, evaluation);
  EXPECT_EQ(done.at("state").as_string(), "failed");
  const std::string error(done.at("error").as_string());
  EXPECT_TRUE(contains(error, "No enabled skill can block")) << error;
  EXPECT_TRUE(contains(error, "/Plugin.Skill")) << error;
  EXPECT_TRUE(done.at("steps").as_array().empty());
}

TEST_F(DaemonSessions, UnknownSkillFailsWithASuggestion) {
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice);
  const auto evaluation =
      api_->submit(alice, session, "/ThreatIntel.LookupIndicatr indicator=192.0.2.1");
  auto done = api_->finished(alice, evaluation);
  EXPECT_EQ(done.at("state").as_string(), "failed");
  EXPECT_TRUE(contains(done.at("error").as_string(), "did you mean ThreatIntel.LookupIndicator"))
      << boost::json::serialize(done);
}

TEST_F(DaemonSessions, PromptsThatCannotBeSubmitted) {
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice);
  auto empty = api_->post("/v1/sessions/" + session + "/prompts", alice, {{"content", ""}});
  EXPECT_EQ(empty.status, 400) << empty.body;
  auto nowhere = api_->post("/v1/sessions/no-such-session/prompts", alice, {{"content", kLookup}});
  EXPECT_EQ(nowhere.status, 404) << nowhere.body;
  // A malformed direct invocation is recorded, and fails saying how to write it.
  const auto evaluation = api_->submit(alice, session, "/ThreatIntel.LookupIndicator indicator");
  auto done = api_->finished(alice, evaluation);
  EXPECT_EQ(done.at("state").as_string(), "failed");
  EXPECT_TRUE(contains(done.at("error").as_string(), "name=value")) << boost::json::serialize(done);
}

TEST_F(DaemonSessions, DirectSkillCallOverRest) {
  const auto& alice = keys().contributor;
  auto reply = api_->post("/v1/skills/ThreatIntel.LookupIndicator:invoke", alice,
                          {{"inputs", {{"indicator", "198.51.100[.]7"}}}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.object().at("result").at("verdict").as_string(), "malicious");
  auto unknown = api_->post("/v1/skills/ThreatIntel.LookupIndicatr:invoke", alice,
                            {{"inputs", {{"indicator", "192.0.2.1"}}}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(contains(unknown.body, "did you mean ThreatIntel.LookupIndicator")) << unknown.body;
  auto missing_input = api_->post("/v1/skills/ThreatIntel.LookupIndicator:invoke", alice,
                                  {{"inputs", boost::json::object{}}});
  EXPECT_EQ(missing_input.status, 400) << missing_input.body;
  EXPECT_EQ(missing_input.header("content-type"), "application/problem+json");
}

// Disabling a plugin for oneself affects only oneself; its skills are refused to that user, both
// directly and in prompts, until they enable it again.
TEST_F(DaemonSessions, DisablingAPluginForOneselfAffectsOnlyOneself) {
  const auto& alice = keys().contributor;
  const auto& bob = keys().bob;
  auto invoke = [&](const std::string& key) {
    return api_->post("/v1/skills/Misbehaving.Echo:invoke", key, {{"inputs", {{"text", "hi"}}}})
        .status;
  };
  auto enabled = [&](const std::string& key) {
    return api_->get("/v1/plugins/Misbehaving", key).object().at("enabled").as_bool();
  };
  ASSERT_EQ(api_->post("/v1/plugins/Misbehaving:disable", bob, boost::json::object{}).status, 200);
  EXPECT_FALSE(enabled(bob));
  EXPECT_TRUE(enabled(alice));
  EXPECT_EQ(invoke(bob), 403);
  EXPECT_EQ(invoke(alice), 200);
  const auto session = api_->create_session(bob);
  auto refused = api_->finished(bob, api_->submit(bob, session, "/Misbehaving.Echo text=hi"));
  EXPECT_EQ(refused.at("state").as_string(), "failed");
  EXPECT_TRUE(contains(refused.at("error").as_string(), "disabled")) << to_text(refused);
  auto skills = api_->get("/v1/skills?plugin=Misbehaving", bob).object();
  ASSERT_FALSE(skills.at("value").as_array().empty());
  for (const auto& skill : skills.at("value").as_array())
    EXPECT_FALSE(skill.at("enabled").as_bool()) << to_text(skill);

  ASSERT_EQ(api_->post("/v1/plugins/Misbehaving:enable", bob, boost::json::object{}).status, 200);
  EXPECT_TRUE(enabled(bob));
  EXPECT_EQ(invoke(bob), 200);
}

// An owner's organisation-wide "disable" applies to everyone, and a user's own toggle (which any
// reader may make) does not undo it: otherwise the owner-only switch protects nothing.
TEST_F(DaemonSessions, OrganisationWideDisableBindsEveryUser) {
  const auto& alice = keys().contributor;
  const boost::json::value org = {{"scope", "organization"}};
  auto invoke = [&] {
    return api_->post("/v1/skills/Misbehaving.Echo:invoke", alice, {{"inputs", {{"text", "hi"}}}})
        .status;
  };
  ASSERT_EQ(api_->post("/v1/plugins/Misbehaving:disable", keys().owner, org).status, 200);
  EXPECT_EQ(invoke(), 403);
  // Alice's reader key turns it back on for herself: allowed as a toggle, but it must not win.
  api_->post("/v1/plugins/Misbehaving:enable", keys().reader, boost::json::object{});
  EXPECT_EQ(invoke(), 403) << "a user's own enable overrides the owner's organisation-wide disable";
  const auto session = api_->create_session(alice);
  auto refused = api_->finished(alice, api_->submit(alice, session, "/Misbehaving.Echo text=hi"));
  EXPECT_EQ(refused.at("state").as_string(), "failed") << to_text(refused);

  ASSERT_EQ(api_->post("/v1/plugins/Misbehaving:enable", keys().owner, org).status, 200);
  EXPECT_EQ(invoke(), 200);
}

// User B (bob) never sees user A's (alice's) session or anything in it: 404, as if it did not
// exist, on every route that names it; and A's things are unchanged afterwards.
TEST_F(DaemonSessions, AnotherUsersSessionIsNotFound) {
  const auto& alice = keys().contributor;
  const auto& bob = keys().bob;
  const auto session = api_->create_session(alice, "alice's secret investigation");
  const auto evaluation = api_->submit(alice, session, kLookup);
  api_->finished(alice, evaluation);
  const auto running = api_->submit(alice, session, "/Misbehaving.Overrun ms=400");

  const std::string s = "/v1/sessions/" + session;
  const std::string e = "/v1/evaluations/" + evaluation;
  struct Attempt {
    std::string method, target, body;
  };
  const std::vector<Attempt> attempts = {
      {"GET", s, ""},
      {"PATCH", s, R"({"displayName":"mine now"})"},
      {"DELETE", s, ""},
      {"POST", s + "/prompts", R"({"content":"/ThreatIntel.LookupIndicator indicator=1.2.3.4"})"},
      {"GET", s + "/export", ""},
      {"GET", s + "/export?format=json", ""},
      {"GET", e, ""},
      {"GET", e + "/steps", ""},
      {"GET", e + "/events", ""},
      {"POST", "/v1/evaluations/" + running + ":cancel", ""},
  };
  for (const auto& attempt : attempts) {
    auto reply = api_->request(attempt.method, attempt.target, bob, attempt.body);
    EXPECT_EQ(reply.status, 404) << attempt.method << " " << attempt.target << " → " << reply.body;
    EXPECT_EQ(reply.header("content-type"), "application/problem+json") << attempt.target;
    EXPECT_FALSE(contains(reply.body, "alice's secret")) << reply.body;
  }
  auto bobs = api_->get("/v1/sessions", bob).object();
  for (const auto& item : bobs.at("value").as_array())
    EXPECT_NE(item.at("id").as_string(), session);

  // Alice's session is as she left it: same name, its prompts, the running one not cancelled.
  auto mine = api_->get(s, alice);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.object().at("displayName").as_string(), "alice's secret investigation");
  EXPECT_EQ(mine.object().at("prompts").as_array().size(), 2u);
  EXPECT_EQ(api_->finished(alice, running).at("state").as_string(), "completed");
}

}  // namespace
}  // namespace secpilot::testing
