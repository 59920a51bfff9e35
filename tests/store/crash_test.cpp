// Crash safety: a process that writes the store and dies by SIGKILL, without closing it, leaves
// everything it committed intact, and the next start marks its running evaluations failed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "store/store_fixture.hpp"

namespace secpilot::store::testing {
namespace {

using StoreCrashTest = StoreFixture;

// Reads from fd until a newline (excluded) or the end.
std::string read_line(int fd) {
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n')
    line += c;
  return line;
}

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) ::_exit(3);
    done += static_cast<std::size_t>(n);
  }
}

// Forks a child that runs body(write end of a pipe) and must die by signal; returns its pid and the
// read end. Exceptions in the child end it with exit code 2, which the parent reports.
template <class Body>
std::pair<pid_t, int> fork_child(Body&& body) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    try {
      body(fds[1]);
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(4);  // body must not return
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

void expect_killed(pid_t pid) {
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with code " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
}

TEST_F(StoreCrashTest, CommittedDataSurvivesSigkillAndRunningWorkIsMarkedFailed) {
  close();  // nothing of SQLite's may be open across fork()
  auto [pid, from_child] = fork_child([this](int to_parent) {
    auto child = open();
    const auto session = must(child->create_session("alice", "before the crash"));
    const auto prompt =
        must(child->add_prompt(session.id, NewPrompt{PromptType::prompt, "q", "", {}}));
    const auto done = must(child->create_evaluation(prompt.id));
    must(child->update_evaluation(done.id, {.state = EvaluationState::running}));
    must(child->append_step(done.id, {"P.S", {{"x", 1}}, 0}));
    must(child->finish_step(done.id, 1, {StepState::completed, "ok", Status::ok, "", 5}));
    must(child->update_evaluation(
        done.id, {EvaluationState::completed, ResultType::success, "the answer", {}, ""}));
    const auto running = must(child->create_evaluation(prompt.id));
    must(child->update_evaluation(running.id, {.state = EvaluationState::running}));
    must(child->append_step(running.id, {"P.Slow", {}, 0}));
    must(child->append_event(running.id, "step.started", R"({"skill":"P.Slow"})"));
    const auto key = must(child->create_api_key("ci", Role::owner, "alice"));
    must(child->append_audit({0, 0, "alice", "skill.invoke", "P.Slow", AuditOutcome::ok, {}}));
    write_all(to_parent, session.id + " " + done.id + " " + running.id + " " + key.secret + "\n");
    ::raise(SIGKILL);  // no destructor, no close, no checkpoint
  });
  std::istringstream ids(read_line(from_child));
  ::close(from_child);
  expect_killed(pid);
  std::string session_id, done_id, running_id, secret;
  ids >> session_id >> done_id >> running_id >> secret;
  ASSERT_FALSE(secret.empty()) << "the child did not report its records";

  // The WAL the child left behind is still there, to be recovered.
  EXPECT_TRUE(std::filesystem::exists(file().string() + "-wal"));
  store = open();
  EXPECT_EQ(must(store->get_session(session_id, "alice")).display_name, "before the crash");
  EXPECT_EQ(must(store->list_prompts(session_id)).size(), 1u);
  const auto done = must(store->get_evaluation(done_id));
  EXPECT_EQ(done.state, EvaluationState::completed);
  EXPECT_EQ(done.result_content, "the answer");
  EXPECT_EQ(must(store->list_steps(done_id)).at(0).state, StepState::completed);
  EXPECT_EQ(must(store->find_key_by_secret(secret)).user, "alice");
  EXPECT_EQ(must(store->list_audit({})).size(), 1u);
  EXPECT_EQ(must(store->get_evaluation(running_id)).state, EvaluationState::running);

  EXPECT_EQ(must(store->mark_interrupted_evaluations()), 1);
  const auto interrupted = must(store->get_evaluation(running_id));
  EXPECT_EQ(interrupted.state, EvaluationState::failed);
  EXPECT_EQ(interrupted.error, "interrupted: the daemon stopped while this evaluation ran");
  EXPECT_EQ(must(store->list_steps(running_id)).at(0).state, StepState::failed);
  const auto events = must(store->events_after(running_id, 0));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].seq, 2);
  EXPECT_EQ(events[1].type, "done");
  EXPECT_EQ(must(store->get_evaluation(done_id)).state, EvaluationState::completed);

  close();
  EXPECT_EQ(raw_sql(file(), "PRAGMA integrity_check"), "ok");
}

TEST_F(StoreCrashTest, KillInTheMiddleOfWritesLeavesAConsistentFile) {
  close();
  auto [pid, from_child] = fork_child([this](int to_parent) {
    auto child = open();
    const auto session = must(child->create_session("alice", "busy"));
    const auto prompt = must(child->add_prompt(session.id, NewPrompt{}));
    const auto evaluation = must(child->create_evaluation(prompt.id));
    must(child->update_evaluation(evaluation.id, {.state = EvaluationState::running}));
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0;; ++i) {
          (void)child->append_event(evaluation.id, "step.finished",
                                    R"({"writer":)" + std::to_string(t) + "}");
          (void)child->append_audit(
              {0, 0, "alice", "skill.invoke", "P.S", AuditOutcome::ok, {{"i", i}}});
        }
      });
    }
    write_all(to_parent, evaluation.id + "\n");
    for (auto& writer : writers)
      writer.join();  // never: the parent kills us while they write
  });
  const std::string evaluation_id = read_line(from_child);
  ::close(from_child);
  ASSERT_FALSE(evaluation_id.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(pid, SIGKILL);
  expect_killed(pid);

  store = open();
  const auto events = must(store->events_after(evaluation_id, 0, 10000));
  ASSERT_FALSE(events.empty());
  for (std::size_t i = 0; i < events.size(); ++i)
    ASSERT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1)) << "a gap in the event numbers";
  EXPECT_FALSE(must(store->list_audit({})).empty());
  EXPECT_EQ(must(store->mark_interrupted_evaluations()), 1);
  EXPECT_EQ(must(store->get_evaluation(evaluation_id)).state, EvaluationState::failed);
  close();
  EXPECT_EQ(raw_sql(file(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(raw_sql(file(), "PRAGMA foreign_key_check"), "");
}

}  // namespace
}  // namespace secpilot::store::testing
