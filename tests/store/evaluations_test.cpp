// Evaluations, steps and events: state changes and their times, the process log, resumable event
// streams, and marking what a crash interrupted.
#include <boost/json.hpp>

#include "store/store_fixture.hpp"

namespace secpilot::store::testing {
namespace {

class StoreEvaluationsTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    session = must(store->create_session("alice", "s"));
    prompt = must(store->add_prompt(session.id, NewPrompt{PromptType::prompt, "hello", "", {}}));
  }
  Session session;
  Prompt prompt;
};

TEST_F(StoreEvaluationsTest, LifecycleStampsTimesAndKeepsTheResult) {
  const auto created = must(store->create_evaluation(prompt.id));
  EXPECT_EQ(created.state, EvaluationState::created);
  EXPECT_EQ(created.result_type, ResultType::none);
  EXPECT_EQ(created.prompt_id, prompt.id);
  EXPECT_EQ(created.session_id, session.id);
  EXPECT_EQ(created.created_ms, clock.load());
  EXPECT_EQ(created.started_ms, 0);
  EXPECT_EQ(created.completed_ms, 0);
  EXPECT_FALSE(created.result_json.has_value());

  tick(100);
  const TimeMs started = clock.load();
  auto running = must(store->update_evaluation(created.id, {.state = EvaluationState::running}));
  EXPECT_EQ(running.state, EvaluationState::running);
  EXPECT_EQ(running.started_ms, started);

  tick(100);
  must(
      store->update_evaluation(created.id, {.state = EvaluationState::waiting_for_input,
                                            .result_content = "Approve the isolation of host-7?"}));
  tick(100);
  running = must(store->update_evaluation(created.id, {.state = EvaluationState::running}));
  EXPECT_EQ(running.started_ms, started);  // the first start is kept

  tick(100);
  boost::json::value structured = {{"verdict", "malicious"}, {"score", 97}};
  const auto completed =
      must(store->update_evaluation(created.id, {EvaluationState::completed, ResultType::success,
                                                 "**Malicious** (97/100)", structured, ""}));
  EXPECT_EQ(completed.state, EvaluationState::completed);
  EXPECT_EQ(completed.completed_ms, clock.load());

  const auto read = must(store->get_evaluation(created.id));
  EXPECT_EQ(read.state, EvaluationState::completed);
  EXPECT_EQ(read.result_type, ResultType::success);
  EXPECT_EQ(read.result_content, "**Malicious** (97/100)");
  ASSERT_TRUE(read.result_json.has_value());
  EXPECT_EQ(*read.result_json, structured);
  EXPECT_EQ(read.started_ms, started);
  EXPECT_EQ(read.completed_ms, completed.completed_ms);
}

TEST_F(StoreEvaluationsTest, FinalStatesAreFinal) {
  const auto evaluation = must(store->create_evaluation(prompt.id));
  EXPECT_EQ(
      error_of(store->update_evaluation(evaluation.id, {.state = EvaluationState::created})).status,
      Status::invalid_input);
  must(store->update_evaluation(evaluation.id,
                                {EvaluationState::cancelled, ResultType::cancelled, "", {}, ""}));
  const Error late = error_of(store->update_evaluation(
      evaluation.id, {EvaluationState::completed, ResultType::success, "too late", {}, ""}));
  EXPECT_EQ(late.status, Status::invalid_input);
  EXPECT_NE(late.message.find("already cancelled"), std::string::npos) << late.message;
  EXPECT_EQ(must(store->get_evaluation(evaluation.id)).state, EvaluationState::cancelled);
  EXPECT_EQ(must(store->get_evaluation(evaluation.id)).started_ms, 0);

  EXPECT_EQ(
      error_of(store->update_evaluation("missing", {.state = EvaluationState::running})).status,
      Status::not_found);
  EXPECT_EQ(error_of(store->create_evaluation("missing")).status, Status::not_found);
  EXPECT_EQ(error_of(store->get_evaluation("missing")).status, Status::not_found);
}

TEST_F(StoreEvaluationsTest, APromptCanBeEvaluatedMoreThanOnce) {
  const auto first = must(store->create_evaluation(prompt.id));
  tick(1);
  const auto second = must(store->create_evaluation(prompt.id));
  const auto other_prompt = must(store->add_prompt(session.id, NewPrompt{}));
  const auto third = must(store->create_evaluation(other_prompt.id));

  const auto of_prompt = must(store->list_evaluations(prompt.id));
  ASSERT_EQ(of_prompt.size(), 2u);
  EXPECT_EQ(of_prompt[0].id, first.id);
  EXPECT_EQ(of_prompt[1].id, second.id);

  const auto of_session = must(store->list_session_evaluations(session.id));
  ASSERT_EQ(of_session.size(), 3u);
  EXPECT_EQ(of_session[2].id, third.id);
}

TEST_F(StoreEvaluationsTest, StepsRecordTheProcessLog) {
  const auto evaluation = must(store->create_evaluation(prompt.id));
  boost::json::object inputs{{"ip", "203.0.113.9"}};
  const auto first = must(store->append_step(evaluation.id, {"ThreatIntel.LookupIp", inputs, 0}));
  const TimeMs first_started = clock.load();
  tick(40);
  const auto second = must(store->append_step(evaluation.id, {"Jamf.IsolateHost", {}, 0}));
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 2);

  tick(60);
  boost::json::value output = {{"reputation", "bad"}};
  must(
      store->finish_step(evaluation.id, first, {StepState::completed, output, Status::ok, "", 12}));
  must(store->finish_step(
      evaluation.id, second,
      {StepState::failed, std::nullopt, Status::unauthorized, "Jamf rejected the token", -1}));

  const auto steps = must(store->list_steps(evaluation.id));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].skill, "ThreatIntel.LookupIp");
  EXPECT_EQ(steps[0].inputs, inputs);
  EXPECT_EQ(steps[0].state, StepState::completed);
  ASSERT_TRUE(steps[0].output.has_value());
  EXPECT_EQ(*steps[0].output, output);
  EXPECT_EQ(steps[0].error_status, Status::ok);
  EXPECT_EQ(steps[0].started_ms, first_started);
  EXPECT_EQ(steps[0].duration_ms, 12);  // as measured by the caller
  EXPECT_EQ(steps[1].state, StepState::failed);
  EXPECT_FALSE(steps[1].output.has_value());
  EXPECT_EQ(steps[1].error_status, Status::unauthorized);
  EXPECT_EQ(steps[1].error_message, "Jamf rejected the token");
  EXPECT_EQ(steps[1].duration_ms, 60);  // not measured: now minus the start

  EXPECT_EQ(error_of(store->finish_step(evaluation.id, 3, {})).status, Status::not_found);
  EXPECT_EQ(error_of(store->finish_step(evaluation.id, 1, {.state = StepState::running})).status,
            Status::invalid_input);
  EXPECT_EQ(error_of(store->append_step("missing", {"P.S", {}, 0})).status, Status::not_found);
  EXPECT_EQ(error_of(store->append_step(evaluation.id, {"", {}, 0})).status, Status::invalid_input);
}

TEST_F(StoreEvaluationsTest, EventsAreNumberedPerEvaluationAndResumable) {
  const auto evaluation = must(store->create_evaluation(prompt.id));
  const auto other = must(store->create_evaluation(prompt.id));
  EXPECT_EQ(must(store->append_event(evaluation.id, "step.started", R"({"seq":1})")), 1);
  EXPECT_EQ(must(store->append_event(other.id, "step.started", "{}")), 1);
  EXPECT_EQ(must(store->append_event(evaluation.id, "step.finished", R"({"seq":1})")), 2);
  EXPECT_EQ(must(store->append_event(evaluation.id, "answer", R"({"text":"hi"})")), 3);

  auto events = must(store->events_after(evaluation.id, 0));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].seq, 1);
  EXPECT_EQ(events[0].type, "step.started");
  EXPECT_EQ(events[0].data, R"({"seq":1})");
  EXPECT_EQ(events[2].type, "answer");
  EXPECT_EQ(events[2].evaluation_id, evaluation.id);

  // Last-Event-ID: 1 resumes with 2 and 3.
  events = must(store->events_after(evaluation.id, 1));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].seq, 2);
  EXPECT_TRUE(must(store->events_after(evaluation.id, 3)).empty());
  EXPECT_EQ(must(store->events_after(evaluation.id, 0, 2)).size(), 2u);
  EXPECT_EQ(error_of(store->events_after(evaluation.id, 0, 0)).status, Status::invalid_input);

  // ... also after a restart, and numbering continues.
  reopen();
  events = must(store->events_after(evaluation.id, 2));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "answer");
  EXPECT_EQ(must(store->append_event(evaluation.id, "done", "{}")), 4);

  EXPECT_EQ(error_of(store->append_event("missing", "done", "{}")).status, Status::not_found);
  EXPECT_EQ(error_of(store->append_event(evaluation.id, "", "{}")).status, Status::invalid_input);
}

// What a stop interrupted fails; an evaluation waiting for an approval waits on, as it waits for
// a person rather than for the process that stopped.
TEST_F(StoreEvaluationsTest, MarkInterruptedFailsWhatWasInFlight) {
  auto make = [&](std::optional<EvaluationState> state) {
    const auto evaluation = must(store->create_evaluation(prompt.id));
    if (state) must(store->update_evaluation(evaluation.id, {.state = *state}));
    return evaluation.id;
  };
  const auto created = make(std::nullopt);
  const auto running = make(EvaluationState::running);
  const auto waiting = make(EvaluationState::waiting_for_input);
  const auto completed = make(EvaluationState::completed);
  const auto cancelled = make(EvaluationState::cancelled);
  const auto step = must(store->append_step(running, {"P.Slow", {}, 0}));
  const auto finished_step = must(store->append_step(running, {"P.Fast", {}, 0}));
  must(store->finish_step(running, finished_step,
                          {StepState::completed, nullptr, Status::ok, "", 1}));
  must(store->append_event(running, "step.started", "{}"));

  tick(500);
  EXPECT_EQ(must(store->mark_interrupted_evaluations()), 2);

  for (const auto& id : {created, running}) {
    const auto evaluation = must(store->get_evaluation(id));
    EXPECT_EQ(evaluation.state, EvaluationState::failed);
    EXPECT_EQ(evaluation.result_type, ResultType::error);
    EXPECT_EQ(evaluation.error, "interrupted: the daemon stopped while this evaluation ran");
    EXPECT_EQ(evaluation.completed_ms, clock.load());
    // A stream resumed after the restart ends with a final event.
    const auto events = must(store->events_after(id, 0));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().type, "done");
    EXPECT_NE(events.back().data.find("interrupted"), std::string::npos);
  }
  EXPECT_EQ(must(store->events_after(running, 0)).back().seq, 2);
  EXPECT_EQ(must(store->get_evaluation(waiting)).state, EvaluationState::waiting_for_input);
  EXPECT_TRUE(must(store->events_after(waiting, 0)).empty());
  EXPECT_EQ(must(store->get_evaluation(completed)).state, EvaluationState::completed);
  EXPECT_EQ(must(store->get_evaluation(cancelled)).state, EvaluationState::cancelled);
  EXPECT_TRUE(must(store->events_after(completed, 0)).empty());

  const auto steps = must(store->list_steps(running));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[step - 1].state, StepState::failed);
  EXPECT_EQ(steps[step - 1].error_status, Status::internal);
  EXPECT_EQ(steps[step - 1].duration_ms, 500);
  EXPECT_EQ(steps[finished_step - 1].state, StepState::completed);

  EXPECT_EQ(must(store->mark_interrupted_evaluations()), 0);
}

}  // namespace
}  // namespace secpilot::store::testing
