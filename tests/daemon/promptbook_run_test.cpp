// Promptbooks over the API and `secpilot promptbook run`: listing and showing them (broken ones
// with their errors), running one — its steps submitted in order in one session, each after the
// previous evaluation ended — into a new or an existing session, parameter checks, a failing or
// cancelled step stopping the run, a step waiting for an approval, who may run and see runs, the
// run's event stream, reloading, and the shipped promptbooks on the sample plugins.
#include <gtest/gtest.h>

#include <memory>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "fakes/fake_http_service.hpp"
#include "fakes/red_canary_api.hpp"
#include "support/files.hpp"
#include "support/run.hpp"

namespace secpilot::testing {
namespace {

namespace json = boost::json;

// Two direct calls with typed parameters and defaults.
constexpr const char* kLookupAndEcho = R"(Name: LookupAndEcho
DisplayName: Lookup and echo
Description: Looks an IP address up, then echoes a note about it.
Tags: [test, triage]
Parameters:
  - Name: indicator
    Description: The IP address to look up
    Type: ip
    Required: true
  - Name: note
    Description: What to say about it
    Default: checked
  - Name: count
    Type: integer
    Default: 2
Steps:
  - Name: Reputation
    Skill: ThreatIntel.LookupIndicator
    Inputs:
      indicator: <indicator>
  - Name: Echo
    Skill: Misbehaving.Echo
    Inputs:
      text: <note> <indicator>
      count: <count>
)";

// A free-text step in the middle that the planner abstains on (no skill translates): it fails,
// and the last step never runs.
constexpr const char* kStopsAtThePlanner = R"(Name: StopsAtThePlanner
Description: Echo, then a question for the planner, then an echo that never comes.
Parameters:
  - Name: topic
    Default: the weather
Steps:
  - Skill: Misbehaving.Echo
    Inputs:
      text: before
  - Name: Question
    Prompt: Translate what we know about <topic> into Spanish.
  - Skill: Misbehaving.Echo
    Inputs:
      text: after
)";

// A skill that fails at once.
constexpr const char* kStopsAtAFailure = R"(Name: StopsAtAFailure
Description: A failing call, then an echo that never comes.
Steps:
  - Name: Boom
    Skill: Misbehaving.ThrowTyped
  - Skill: Misbehaving.Echo
    Inputs:
      text: never
)";

// A step that runs until it is cancelled.
constexpr const char* kWaitsForCancel = R"(Name: WaitsForCancel
Description: Runs until cancelled, then an echo that never comes.
Steps:
  - Name: Long
    Skill: Misbehaving.UntilCancelled
  - Skill: Misbehaving.Echo
    Inputs:
      text: never
)";

// Calls a skill no plugin has: listed as broken, never run.
constexpr const char* kBroken = R"(Name: Broken
Description: Calls a skill that does not exist.
Steps:
  - Skill: ThreatIntel.LookupIndicatorr
    Inputs:
      indicator: 192.0.2.1
)";

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string text(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

std::vector<std::string> types(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& event : events)
    out.push_back(event.type);
  return out;
}

const json::object* find_named(const json::array& items, std::string_view name) {
  for (const auto& item : items)
    if (item.at("name").as_string() == name) return &item.as_object();
  return nullptr;
}

class DaemonPromptbooks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Relative to the config file's folder: <daemon dir>/promptbooks.
    daemon_ = std::make_unique<DaemonProcess>(
        DaemonOptions{.config = "promptbook_dirs: [ promptbooks ]\n"});
    write_file(folder() / "lookup-and-echo.yaml", kLookupAndEcho);
    write_file(folder() / "stops-at-the-planner.yaml", kStopsAtThePlanner);
    write_file(folder() / "stops-at-a-failure.yml", kStopsAtAFailure);
    write_file(folder() / "nested" / "waits-for-cancel.yaml", kWaitsForCancel);
    write_file(folder() / "broken.yaml", kBroken);
    daemon_->start();
    api_ = std::make_unique<Api>(*daemon_);
  }
  static void TearDownTestSuite() {
    api_.reset();
    daemon_.reset();
  }
  static std::filesystem::path folder() { return daemon_->dir() / "promptbooks"; }
  static const ApiKeys& keys() { return daemon_->keys(); }
  static const std::string& alice() { return daemon_->keys().contributor; }

  // Starts a run; fails the test unless the daemon accepted it.
  static json::object start(std::string_view name, const json::object& body,
                            const std::string& key = alice()) {
    auto reply = api_->post("/v1/promptbooks/" + std::string(name) + ":run", key, body);
    require_status(reply, 202, "run " + std::string(name));
    return reply.object();
  }
  // The run's whole event stream, once it has ended.
  static std::vector<SseEvent> run_events(std::string_view run, std::int64_t after = 0,
                                          const std::string& key = alice()) {
    net::Headers headers;
    if (after > 0) headers.emplace_back("Last-Event-ID", std::to_string(after));
    auto reply = api_->get("/v1/promptbooks/runs/" + std::string(run) + "/events", key, headers);
    require_status(reply, 200, "stream the run's events");
    return parse_events(reply.body);
  }
  // Waits for the run to end (its stream's "done"), then reads it.
  static json::object finished(std::string_view run, const std::string& key = alice()) {
    run_events(run, 0, key);
    auto reply = api_->get("/v1/promptbooks/runs/" + std::string(run), key);
    require_status(reply, 200, "read the run");
    return reply.object();
  }
  static json::object session(const std::string& id) {
    auto reply = api_->get("/v1/sessions/" + id, alice());
    require_status(reply, 200, "read the session");
    return reply.object();
  }
  static std::size_t session_count(const std::string& key) {
    auto reply = api_->get("/v1/sessions?limit=1000", key);
    require_status(reply, 200, "list sessions");
    return reply.object().at("value").as_array().size();
  }
  static RunResult cli(std::vector<std::string> args, const std::string& key = alice()) {
    std::vector<std::string> command = {
        std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot", "--server",
        "http://127.0.0.1:" + std::to_string(daemon_->port()), "--key", key};
    command.insert(command.end(), args.begin(), args.end());
    return run(command);
  }

  static inline std::unique_ptr<DaemonProcess> daemon_;
  static inline std::unique_ptr<Api> api_;
};

TEST_F(DaemonPromptbooks, ListsUsablePromptbooksWithTheirParametersAndBrokenOnesWithWhy) {
  auto reply = api_->get("/v1/promptbooks", keys().reader);  // reading needs no more than reader
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto listed = reply.object();
  const auto& usable = listed.at("value").as_array();
  std::vector<std::string> names;
  for (const auto& item : usable)
    names.emplace_back(item.at("name").as_string());
  EXPECT_EQ(names, (std::vector<std::string>{"LookupAndEcho", "StopsAtAFailure",
                                             "StopsAtThePlanner", "WaitsForCancel"}));
  const auto* book = find_named(usable, "LookupAndEcho");
  ASSERT_NE(book, nullptr);
  EXPECT_EQ(book->at("displayName").as_string(), "Lookup and echo");
  EXPECT_EQ(book->at("description").as_string(),
            "Looks an IP address up, then echoes a note about it.");
  EXPECT_EQ(book->at("tags"), (json::array{"test", "triage"}));
  EXPECT_EQ(book->at("steps").as_int64(), 2);
  const auto& parameters = book->at("parameters").as_array();
  ASSERT_EQ(parameters.size(), 3u);
  EXPECT_EQ(parameters[0].at("name").as_string(), "indicator");
  EXPECT_EQ(parameters[0].at("type").as_string(), "ip");
  EXPECT_TRUE(parameters[0].at("required").as_bool());
  EXPECT_EQ(parameters[1].at("default").as_string(), "checked");
  EXPECT_FALSE(parameters[1].at("required").as_bool());
  EXPECT_EQ(parameters[2].at("type").as_string(), "integer");

  const auto& broken = listed.at("broken").as_array();
  ASSERT_EQ(broken.size(), 1u) << reply.body;
  EXPECT_EQ(broken[0].at("name").as_string(), "Broken");
  EXPECT_TRUE(contains(broken[0].at("error").as_string(), "ThreatIntel.LookupIndicatorr"))
      << reply.body;
  EXPECT_TRUE(contains(text(broken[0].at("diagnostics")), "did you mean")) << reply.body;
}

TEST_F(DaemonPromptbooks, ShowsOnePromptbookByAnyCaseOfItsName) {
  auto reply = api_->get("/v1/promptbooks/lookupandecho", keys().reader);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto shown = reply.object();
  EXPECT_EQ(shown.at("name").as_string(), "LookupAndEcho");
  const auto& steps = shown.at("steps").as_array();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].at("kind").as_string(), "skill");
  EXPECT_EQ(steps[0].at("skill").as_string(), "ThreatIntel.LookupIndicator");
  EXPECT_EQ(steps[0].at("prompt").as_string(),
            "/ThreatIntel.LookupIndicator indicator=<indicator>");
  EXPECT_EQ(steps[1].at("name").as_string(), "Echo");
  EXPECT_TRUE(shown.at("warnings").as_array().empty()) << reply.body;
  EXPECT_EQ(shown.at("parameters").as_array()[2].at("default").as_string(), "2");
}

TEST_F(DaemonPromptbooks, UnknownAndBrokenPromptbooksSayWhy) {
  auto unknown = api_->get("/v1/promptbooks/LookupAndEcko", alice());
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_TRUE(contains(unknown.body, "did you mean LookupAndEcho?")) << unknown.body;
  auto run_unknown = api_->post("/v1/promptbooks/LookupAndEcko:run", alice(),
                                {{"parameters", {{"indicator", "192.0.2.1"}}}});
  EXPECT_EQ(run_unknown.status, 404) << run_unknown.body;
  EXPECT_EQ(run_unknown.header("content-type"), "application/problem+json");
  EXPECT_TRUE(contains(run_unknown.body, "did you mean LookupAndEcho?")) << run_unknown.body;

  auto broken = api_->get("/v1/promptbooks/Broken", alice());
  EXPECT_EQ(broken.status, 422) << broken.body;
  EXPECT_TRUE(contains(broken.body, "ThreatIntel.LookupIndicatorr")) << broken.body;
  auto run_broken = api_->post("/v1/promptbooks/Broken:run", alice(), json::object{});
  EXPECT_EQ(run_broken.status, 422) << run_broken.body;

  auto no_run = api_->get("/v1/promptbooks/runs/no-such-run", alice());
  EXPECT_EQ(no_run.status, 404) << no_run.body;
}

TEST_F(DaemonPromptbooks, RunSubmitsEveryStepInOrderInANewSession) {
  const auto before = session_count(alice());
  auto reply = api_->post("/v1/promptbooks/LookupAndEcho:run", alice(),
                          {{"parameters", {{"indicator", "198.51.100.7"}}}});
  ASSERT_EQ(reply.status, 202) << reply.body;
  const auto started = reply.object();
  const std::string run(started.at("id").as_string());
  EXPECT_EQ(reply.header("location"), "/v1/promptbooks/runs/" + run);
  EXPECT_EQ(started.at("promptbook").as_string(), "LookupAndEcho");
  EXPECT_TRUE(started.at("sessionCreated").as_bool());
  // The parameters as resolved: defaults applied, values typed.
  EXPECT_EQ(started.at("parameters").at("note").as_string(), "checked");
  EXPECT_EQ(started.at("parameters").at("count").as_int64(), 2);
  const auto& first = started.at("steps").as_array()[0];
  EXPECT_FALSE(first.at("evaluationId").as_string().empty()) << reply.body;
  EXPECT_EQ(started.at("steps").as_array()[1].at("state").as_string(), "pending");

  const auto events = run_events(run);
  EXPECT_EQ(types(events), (std::vector<std::string>{"step.submitted", "step.ended",
                                                     "step.submitted", "step.ended", "done"}));
  EXPECT_EQ(events.back().json().at("state").as_string(), "completed");

  const auto done = finished(run);
  EXPECT_EQ(done.at("state").as_string(), "completed") << json::serialize(done);
  EXPECT_FALSE(done.at("endedDateTime").as_string().empty());
  const auto& steps = done.at("steps").as_array();
  ASSERT_EQ(steps.size(), 2u);
  for (const auto& step : steps)
    EXPECT_EQ(step.at("state").as_string(), "completed") << json::serialize(step);

  // One new session, named after the promptbook, holding the two prompts in order.
  const std::string session_id(done.at("sessionId").as_string());
  EXPECT_EQ(session_count(alice()), before + 1);
  const auto shown = session(session_id);
  EXPECT_EQ(shown.at("displayName").as_string(), "Lookup and echo");
  const auto& prompts = shown.at("prompts").as_array();
  ASSERT_EQ(prompts.size(), 2u);
  EXPECT_EQ(prompts[0].at("content").as_string(),
            "/ThreatIntel.LookupIndicator indicator=198.51.100.7");
  EXPECT_EQ(prompts[0].at("id"), steps[0].at("promptId"));
  EXPECT_EQ(prompts[1].at("content").as_string(),
            "/Misbehaving.Echo text=\"checked 198.51.100.7\" count=2");
  // Each step waited for the one before: the second evaluation was created after the first ended.
  const auto one = api_->evaluation(alice(), std::string(steps[0].at("evaluationId").as_string()));
  const auto two = api_->evaluation(alice(), std::string(steps[1].at("evaluationId").as_string()));
  EXPECT_LE(std::string(one.at("completedDateTime").as_string()),
            std::string(two.at("createdDateTime").as_string()));
  EXPECT_EQ(one.at("steps").as_array()[0].at("output").at("verdict").as_string(), "malicious");
  EXPECT_EQ(two.at("steps").as_array()[0].at("output").at("text").as_string(),
            "checked 198.51.100.7");
  EXPECT_EQ(two.at("steps").as_array()[0].at("output").at("count").as_int64(), 2);
}

TEST_F(DaemonPromptbooks, RunGoesOnInAGivenSession) {
  const auto session_id = api_->create_session(alice(), "ongoing case");
  api_->finished(alice(), api_->submit(alice(), session_id, "/Misbehaving.Echo text=first"));
  const auto started = start(
      "LookupAndEcho", {{"parameters", {{"indicator", "192.0.2.10"}}}, {"sessionId", session_id}});
  EXPECT_EQ(started.at("sessionId").as_string(), session_id);
  EXPECT_FALSE(started.at("sessionCreated").as_bool());
  const auto done = finished(std::string(started.at("id").as_string()));
  EXPECT_EQ(done.at("state").as_string(), "completed") << json::serialize(done);
  const auto shown = session(session_id);
  EXPECT_EQ(shown.at("displayName").as_string(), "ongoing case");
  const auto& prompts = shown.at("prompts").as_array();
  ASSERT_EQ(prompts.size(), 3u);
  EXPECT_EQ(prompts[1].at("sequence").as_int64(), 2);
  EXPECT_EQ(prompts[1].at("content").as_string(),
            "/ThreatIntel.LookupIndicator indicator=192.0.2.10");

  // Someone else's session is not found, and no run starts.
  auto elsewhere =
      api_->post("/v1/promptbooks/LookupAndEcho:run", keys().bob,
                 {{"parameters", {{"indicator", "192.0.2.10"}}}, {"sessionId", session_id}});
  EXPECT_EQ(elsewhere.status, 404) << elsewhere.body;
  EXPECT_EQ(session(session_id).at("prompts").as_array().size(), 3u);
}

TEST_F(DaemonPromptbooks, ParametersAreCheckedBeforeAnythingRuns) {
  const auto before = session_count(alice());
  auto run_with = [&](json::object body) {
    return api_->post("/v1/promptbooks/LookupAndEcho:run", alice(), body);
  };
  auto missing = run_with({{"parameters", json::object{}}});
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_TRUE(contains(missing.body, "indicator")) << missing.body;
  auto unknown = run_with({{"parameters", {{"indicator", "192.0.2.1"}, {"colour", "red"}}}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_TRUE(contains(unknown.body, "colour")) << unknown.body;
  auto not_an_ip = run_with({{"parameters", {{"indicator", "not-an-address"}}}});
  EXPECT_EQ(not_an_ip.status, 400) << not_an_ip.body;
  auto not_a_count = run_with({{"parameters", {{"indicator", "192.0.2.1"}, {"count", "many"}}}});
  EXPECT_EQ(not_a_count.status, 400) << not_a_count.body;
  EXPECT_TRUE(contains(not_a_count.body, "count")) << not_a_count.body;
  auto not_an_object = run_with({{"parameters", json::array{"192.0.2.1"}}});
  EXPECT_EQ(not_an_object.status, 400) << not_an_object.body;
  auto misspelt = run_with({{"parameters", {{"indicator", "192.0.2.1"}}}, {"sessionID", "x"}});
  EXPECT_EQ(misspelt.status, 400) << misspelt.body;
  EXPECT_TRUE(contains(misspelt.body, "sessionID")) << misspelt.body;
  EXPECT_EQ(missing.header("content-type"), "application/problem+json");
  EXPECT_EQ(session_count(alice()), before) << "a refused run left a session behind";
}

TEST_F(DaemonPromptbooks, AFreeTextStepThePlannerAbstainsOnStopsTheRun) {
  const auto started = start("StopsAtThePlanner", {});
  const std::string run(started.at("id").as_string());
  const auto events = run_events(run);
  EXPECT_EQ(types(events), (std::vector<std::string>{"step.submitted", "step.ended",
                                                     "step.submitted", "step.ended", "done"}));
  const auto done = finished(run);
  EXPECT_EQ(done.at("state").as_string(), "failed") << json::serialize(done);
  EXPECT_EQ(done.at("stoppedAtStep").as_int64(), 2);
  const auto& steps = done.at("steps").as_array();
  // The run says which step stopped it, with the planner's own message.
  const auto question =
      api_->evaluation(alice(), std::string(steps[1].at("evaluationId").as_string()));
  EXPECT_EQ(question.at("state").as_string(), "failed");
  EXPECT_FALSE(question.at("error").as_string().empty());
  EXPECT_EQ(done.at("error").as_string(),
            "step 2 (Question) failed: " + std::string(question.at("error").as_string()));
  EXPECT_EQ(steps[0].at("state").as_string(), "completed");
  EXPECT_EQ(steps[1].at("state").as_string(), "failed");
  EXPECT_EQ(steps[1].at("prompt").as_string(),
            "Translate what we know about the weather into Spanish.");
  EXPECT_EQ(steps[2].at("state").as_string(), "skipped");
  EXPECT_FALSE(steps[2].as_object().contains("evaluationId"));
  // The third step was never submitted.
  EXPECT_EQ(session(std::string(done.at("sessionId").as_string())).at("prompts").as_array().size(),
            2u);
}

TEST_F(DaemonPromptbooks, AFailingSkillStopsTheRun) {
  const auto started = start("StopsAtAFailure", {});
  const auto done = finished(std::string(started.at("id").as_string()));
  EXPECT_EQ(done.at("state").as_string(), "failed") << json::serialize(done);
  EXPECT_EQ(done.at("stoppedAtStep").as_int64(), 1);
  EXPECT_TRUE(contains(done.at("error").as_string(), "no incident INC-42"))
      << json::serialize(done);
  EXPECT_EQ(done.at("steps").as_array()[1].at("state").as_string(), "skipped");
}

TEST_F(DaemonPromptbooks, CancellingARunStopsItsStepAndTheRest) {
  const auto started = start("WaitsForCancel", {});
  const std::string run(started.at("id").as_string());
  const std::string evaluation(started.at("steps").as_array()[0].at("evaluationId").as_string());
  LiveEvents stream(daemon_->port(), alice(), evaluation);
  ASSERT_EQ(stream.status(), 200);
  ASSERT_EQ(types(stream.until("step.started")).back(), "step.started");

  EXPECT_EQ(api_->request("POST", "/v1/promptbooks/runs/" + run + ":cancel", keys().bob).status,
            404)
      << "another user's run is not even acknowledged";
  auto cancel = api_->request("POST", "/v1/promptbooks/runs/" + run + ":cancel", alice());
  EXPECT_EQ(cancel.status, 202) << cancel.body;
  const auto done = finished(run);
  EXPECT_EQ(done.at("state").as_string(), "cancelled") << json::serialize(done);
  EXPECT_TRUE(contains(done.at("error").as_string(), "cancelled by alice during step 1 (Long)"))
      << json::serialize(done);
  EXPECT_EQ(done.at("steps").as_array()[0].at("state").as_string(), "cancelled");
  EXPECT_EQ(done.at("steps").as_array()[1].at("state").as_string(), "skipped");
  auto again = api_->request("POST", "/v1/promptbooks/runs/" + run + ":cancel", alice());
  EXPECT_EQ(again.status, 409) << again.body;
}

TEST_F(DaemonPromptbooks, ReadersCannotRunAndRunsAreTheirUsersOwn) {
  const json::object body{{"parameters", {{"indicator", "192.0.2.1"}}}};
  auto by_reader = api_->post("/v1/promptbooks/LookupAndEcho:run", keys().reader, body);
  EXPECT_EQ(by_reader.status, 403) << by_reader.body;
  auto by_nobody = api_->post("/v1/promptbooks/LookupAndEcho:run", "", body);
  EXPECT_EQ(by_nobody.status, 401) << by_nobody.body;
  EXPECT_EQ(api_->get("/v1/promptbooks", "").status, 401);

  const std::string run(start("LookupAndEcho", body).at("id").as_string());
  finished(run);
  // The reader acts as alice, so may read alice's run; bob may not even learn it exists.
  EXPECT_EQ(api_->get("/v1/promptbooks/runs/" + run, keys().reader).status, 200);
  EXPECT_EQ(api_->get("/v1/promptbooks/runs/" + run, keys().bob).status, 404);
  EXPECT_EQ(api_->get("/v1/promptbooks/runs/" + run + "/events", keys().bob).status, 404);
  EXPECT_EQ(api_->request("POST", "/v1/promptbooks/runs/" + run + ":cancel", keys().reader).status,
            403);
  // Every run is audited.
  auto audit = api_->get("/v1/audit?action=promptbook.run", keys().owner);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_TRUE(contains(audit.body, run)) << audit.body;
}

TEST_F(DaemonPromptbooks, RunEventsResumeAfterTheLastEventId) {
  const std::string run(
      start("LookupAndEcho", {{"parameters", {{"indicator", "192.0.2.7"}}}}).at("id").as_string());
  const auto all = run_events(run);
  ASSERT_EQ(all.size(), 5u);
  for (std::size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(all[i].id, static_cast<std::int64_t>(i + 1));
  EXPECT_EQ(all[0].json().at("step").as_int64(), 1);
  EXPECT_EQ(all[0].json().at("name").as_string(), "Reputation");
  EXPECT_EQ(all[2].json().at("prompt").as_string(),
            "/Misbehaving.Echo text=\"checked 192.0.2.7\" count=2");
  const auto tail = run_events(run, 3);
  EXPECT_EQ(types(tail), (std::vector<std::string>{"step.ended", "done"}));
  EXPECT_TRUE(run_events(run, 5).empty()) << "after done, nothing more comes and the stream ends";
  auto bad = api_->get("/v1/promptbooks/runs/" + run + "/events?after=soon", alice());
  EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST_F(DaemonPromptbooks, ReloadPicksUpANewPromptbook) {
  EXPECT_EQ(api_->get("/v1/promptbooks/EchoOnce", alice()).status, 404);
  write_file(folder() / "echo-once.yaml", R"(Name: EchoOnce
Description: One echo.
Steps:
  - Skill: Misbehaving.Echo
    Inputs:
      text: once
)");
  daemon_->hangup();
  EXPECT_TRUE(eventually([] {
    return api_->get("/v1/promptbooks/EchoOnce", alice()).status == 200;
  })) << daemon_->log();
  const auto done = finished(std::string(start("EchoOnce", {}).at("id").as_string()));
  EXPECT_EQ(done.at("state").as_string(), "completed") << json::serialize(done);
}

TEST_F(DaemonPromptbooks, CliRunPrintsEachStepLiveAndExitsZero) {
  const auto result = cli({"promptbook", "run", "LookupAndEcho", "--param",
                           "indicator=198.51.100.7", "--param", "note=seen"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string& out = result.out;
  const std::vector<std::string> in_order = {
      "Promptbook LookupAndEcho, run ",
      "[1/2] Reputation",
      "→ ThreatIntel.LookupIndicator {indicator: 198.51.100.7}",
      "✓ ThreatIntel.LookupIndicator",
      "[2/2] Echo",
      "→ Misbehaving.Echo {text: seen 198.51.100.7, count: 2}",
      "✓ Misbehaving.Echo",
      "Promptbook LookupAndEcho completed: 2 step(s)"};
  std::size_t at = 0;
  for (const auto& line : in_order) {
    const auto found = out.find(line, at);
    ASSERT_NE(found, std::string::npos) << "'" << line << "' missing or out of order in:\n" << out;
    at = found + line.size();
  }
  EXPECT_TRUE(contains(out, "malicious")) << "the step's answer is printed:\n" << out;
}

TEST_F(DaemonPromptbooks, CliRunIntoASessionAndAsJson) {
  const auto session_id = api_->create_session(alice(), "cli session");
  const auto result = cli({"--json", "promptbook", "run", "LookupAndEcho", "--param",
                           "indicator=192.0.2.44", "--session", session_id});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto view = json::parse(result.out).as_object();
  EXPECT_EQ(view.at("state").as_string(), "completed");
  EXPECT_EQ(view.at("sessionId").as_string(), session_id);
  EXPECT_EQ(session(session_id).at("prompts").as_array().size(), 2u);
}

TEST_F(DaemonPromptbooks, CliRunFailsWithTheStepThatStoppedIt) {
  const auto failed = cli({"promptbook", "run", "StopsAtThePlanner"});
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_TRUE(contains(failed.out, "[1/3]")) << failed.out;
  EXPECT_TRUE(contains(failed.out,
                       "[2/3] Question: Translate what we know about the weather into Spanish."))
      << failed.out;
  EXPECT_FALSE(contains(failed.out, "[3/3]")) << failed.out;
  EXPECT_TRUE(contains(failed.err, "step 2 (Question) failed")) << failed.err;

  const auto missing = cli({"promptbook", "run", "LookupAndEcho"});
  EXPECT_EQ(missing.exit_code, 2) << missing.out << missing.err;
  EXPECT_TRUE(contains(missing.err, "indicator")) << missing.err;
  const auto malformed = cli({"promptbook", "run", "LookupAndEcho", "--param", "indicator"});
  EXPECT_EQ(malformed.exit_code, 2) << malformed.err;
  EXPECT_TRUE(contains(malformed.err, "name=value")) << malformed.err;
  const auto unknown =
      cli({"promptbook", "run", "LookupAndEcko", "--param", "indicator=192.0.2.1"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.err;
  EXPECT_TRUE(contains(unknown.err, "did you mean LookupAndEcho?")) << unknown.err;
  const auto as_reader =
      cli({"promptbook", "run", "LookupAndEcho", "--param", "indicator=192.0.2.1"}, keys().reader);
  EXPECT_EQ(as_reader.exit_code, 6) << as_reader.err;

  // Without a daemon there is nothing to run on: the error says what to pass.
  const auto local = run(
      {std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot", "promptbook", "run", "LookupAndEcho"},
      {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
  EXPECT_EQ(local.exit_code, 2) << local.err;
  EXPECT_TRUE(contains(local.err, "--server")) << local.err;
}

// A step with side effects waits for an approval, and so does the run; once approved, the run goes
// on. RedCanary's UpdateDetectionState (a write) against the Red Canary fake.
TEST(DaemonPromptbookApprovals, ARunWaitsForItsStepsApproval) {
  fakes::FakeHttpService service;
  fakes::RedCanaryApi red_canary{service,
                                 std::string(SECPILOT_SOURCE_DIR) + "/tests/fakes/data/red-canary"};
  DaemonProcess daemon(
      {.config = "promptbook_dirs: [ promptbooks ]\n"
                 "plugins:\n  RedCanary:\n    settings: { InstanceURL: \"" +
                 red_canary.instance_url() + "\" }\n    secrets: { ApiToken: \"" +
                 fakes::RedCanaryApi::kDefaultToken +
                 "\" }\n    egress: [\"127.0.0.1:" + std::to_string(service.port()) + "\"]\n"});
  write_file(daemon.dir() / "promptbooks" / "acknowledge.yaml", R"(Name: AcknowledgeAndEcho
Description: Acknowledges a Red Canary detection, then says so.
Parameters:
  - Name: detection
    Type: incident_id
Steps:
  - Name: Acknowledge
    Skill: RedCanary.UpdateDetectionState
    Inputs:
      id: <detection>
      state: acknowledged
  - Skill: Misbehaving.Echo
    Inputs:
      text: acknowledged <detection>
)");
  daemon.start();
  Api api(daemon);
  const auto& alice = daemon.keys().contributor;
  const auto writes = [&] {
    const auto all = service.requests();
    return std::count_if(all.begin(), all.end(), [](const auto& request) {
      return request.method == "PATCH" && request.path.starts_with("/openapi/v3/detections/4127/");
    });
  };

  auto started = api.post("/v1/promptbooks/AcknowledgeAndEcho:run", alice,
                          {{"parameters", {{"detection", "4127"}}}});
  ASSERT_EQ(started.status, 202) << started.body;
  const auto view = started.object();
  const std::string run(view.at("id").as_string());
  const std::string evaluation(view.at("steps").as_array()[0].at("evaluationId").as_string());
  LiveEvents stream(daemon.port(), alice, evaluation);
  const auto events = stream.until("approval.requested");
  ASSERT_FALSE(events.empty());
  ASSERT_EQ(events.back().type, "approval.requested") << events.back().data;
  const std::string approval(events.back().json().at("id").as_string());

  auto waiting = api.get("/v1/promptbooks/runs/" + run, alice).object();
  EXPECT_EQ(waiting.at("state").as_string(), "waitingForInput") << json::serialize(waiting);
  EXPECT_EQ(waiting.at("steps").as_array()[0].at("state").as_string(), "waitingForInput");
  EXPECT_EQ(waiting.at("steps").as_array()[1].at("state").as_string(), "pending");
  EXPECT_EQ(writes(), 0);

  auto approved = api.request("POST", "/v1/approvals/" + approval + ":approve", alice);
  ASSERT_EQ(approved.status, 200) << approved.body;
  require_status(api.get("/v1/promptbooks/runs/" + run + "/events", alice), 200, "follow the run");
  const auto done = api.get("/v1/promptbooks/runs/" + run, alice).object();
  EXPECT_EQ(done.at("state").as_string(), "completed") << json::serialize(done);
  EXPECT_EQ(done.at("steps").as_array()[1].at("state").as_string(), "completed");
  EXPECT_EQ(writes(), 1);
}

// The promptbooks secpilot ships, with the sample plugins and no promptbook_dirs in the config:
// they load clean, and the indicator triage runs its three calls before its free-text verdict.
TEST(DaemonShippedPromptbooks, LoadCleanAndRunTheirCalls) {
  DaemonProcess daemon;
  daemon.start();
  Api api(daemon);
  const auto& alice = daemon.keys().contributor;
  auto listed = api.get("/v1/promptbooks", alice);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const auto books = listed.object();
  for (const char* name : {"IncidentReport", "IndicatorTriage", "SuspiciousScriptTriage"})
    EXPECT_NE(find_named(books.at("value").as_array(), name), nullptr) << name << listed.body;
  EXPECT_TRUE(books.at("broken").as_array().empty()) << listed.body;

  auto started = api.post("/v1/promptbooks/IndicatorTriage:run", alice,
                          {{"parameters", {{"indicator", "198.51.100[.]7"}}}});
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string run(started.object().at("id").as_string());
  require_status(api.get("/v1/promptbooks/runs/" + run + "/events", alice), 200, "follow the run");
  const auto done = api.get("/v1/promptbooks/runs/" + run, alice).object();
  const auto& steps = done.at("steps").as_array();
  ASSERT_EQ(steps.size(), 4u) << json::serialize(done);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(steps[i].at("state").as_string(), "completed") << json::serialize(steps[i]);
  // The verdict is the planner's: it was submitted, and the run ended as it did.
  EXPECT_TRUE(steps[3].as_object().contains("evaluationId")) << json::serialize(done);
  EXPECT_EQ(done.at("state").as_string(), steps[3].at("state").as_string())
      << json::serialize(done);
}

}  // namespace
}  // namespace secpilot::testing
