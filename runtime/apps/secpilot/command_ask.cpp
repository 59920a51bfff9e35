// `secpilot ask "prompt" [--session ID]`: submits a prompt to the daemon, prints the process log
// live from the evaluation's event stream, then the answer. Exit 0 when the evaluation completed,
// 1 when it failed or was cancelled. Ctrl-C asks the daemon to cancel the evaluation (a second one
// quits at once).
#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <iostream>
#include <thread>

#include "cli_context.hpp"
#include "remote_client.hpp"

namespace secpilot::cli {
namespace {

struct AskArgs {
  std::string prompt;
  std::string session;
};

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int) {
  g_interrupted = 1;
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the program
}

// Cuts `text` to `limit` code points (adding "…"), on one line.
std::string cut(std::string_view text, std::size_t limit) {
  std::string flat;
  bool space = false;
  for (const char c : text) {
    const bool blank = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (blank) {
      space = !flat.empty();
      continue;
    }
    if (space) flat.push_back(' ');
    space = false;
    flat.push_back(c);
  }
  std::size_t points = 0, bytes = 0;
  while (bytes < flat.size()) {
    if (points == limit) return flat.substr(0, bytes) + "…";
    ++bytes;
    while (bytes < flat.size() && (static_cast<unsigned char>(flat[bytes]) & 0xC0) == 0x80)
      ++bytes;
    ++points;
  }
  return flat;
}

// {indicator: 198.51.100[.]7, count: 3}: strings unquoted, long values cut.
std::string describe_inputs(const boost::json::value& inputs) {
  const auto* object = inputs.if_object();
  if (!object || object->empty()) return "{}";
  std::string out = "{";
  for (const auto& [name, value] : *object) {
    if (out.size() > 1) out += ", ";
    out +=
        std::string(name) + ": " +
        cut(value.is_string() ? std::string(value.as_string()) : boost::json::serialize(value), 60);
  }
  return out + "}";
}

// The state of one `ask` while its events arrive.
struct Progress {
  explicit Progress(const GlobalOptions& global) : options(global) {}

  const GlobalOptions& options;
  std::string last_id;
  bool done = false;
  std::string state;  // from "done"
  std::string error;  // from "done"
  bool answered = false;
  bool progressed = false;  // an event arrived since the last (re)connect

  bool on_event(const ServerEvent& event) {
    last_id = event.id;
    progressed = true;
    boost::system::error_code parse_error;
    const auto data = boost::json::parse(event.data, parse_error);
    const boost::json::value empty = boost::json::object();
    const auto& payload = parse_error ? empty : data;
    const bool text = !options.json;
    if (event.type == "step.started" && text) {
      const auto* object = payload.if_object();
      std::cout << "→ " << text_of(payload, "skill") << " "
                << describe_inputs(object && object->contains("inputs") ? object->at("inputs")
                                                                        : empty)
                << std::endl;
    } else if (event.type == "step.finished" && text) {
      const std::string skill = text_of(payload, "skill");
      const std::string step_state = text_of(payload, "state");
      const auto* object = payload.if_object();
      std::int64_t ms = 0;
      if (const auto* duration = object ? object->if_contains("durationMs") : nullptr;
          duration && duration->is_number())
        ms = duration->to_number<std::int64_t>();
      if (step_state == "completed") {
        std::cout << "✓ " << skill << " " << ms << " ms" << std::endl;
      } else {
        const auto* error = object ? object->if_contains("error") : nullptr;
        const boost::json::value none;
        const auto& details = error ? *error : none;
        std::string status = text_of(details, "status", step_state);
        std::string message = text_of(details, "message");
        std::cout << "✗ " << skill << " " << status
                  << (message.empty() ? "" : ": " + cut(message, 160)) << " (" << ms << " ms)"
                  << std::endl;
      }
    } else if (event.type == "state" && text) {
      if (text_of(payload, "state") == "waitingForInput")
        std::cout << "… waiting for input" << std::endl;
    } else if (event.type == "answer") {
      const std::string content = text_of(payload, "content");
      if (text && !content.empty()) {
        std::cout << "\n" << content << (content.back() == '\n' ? "" : "\n") << std::flush;
        answered = true;
      }
    } else if (event.type == "done") {
      done = true;
      state = text_of(payload, "state");
      error = text_of(payload, "error");
      return false;
    }
    return true;
  }
};

void ask(const GlobalOptions& options, const AskArgs& args, int& exit_code) {
  auto client = require_remote(options, "ask", exit_code);
  if (!client) return;
  if (args.prompt.find_first_not_of(" \t\r\n") == std::string::npos) {
    print_error(options, "invalid_input",
                "the prompt is empty: ask a question, or call a skill directly as "
                "\"/Plugin.Skill name=value\"");
    exit_code = kUsage;
    return;
  }

  std::string session = args.session;
  const bool created = session.empty();
  if (created) {
    const boost::json::value body = {{"displayName", cut(args.prompt, 60)}};
    auto made = client->json("POST", "/v1/sessions", exit_code, &body);
    if (!made) return;
    session = text_of(*made, "id");
  }
  const boost::json::value prompt = {{"content", args.prompt}};
  auto submitted =
      client->send("POST", "/v1/sessions/" + path_segment(session) + "/prompts", &prompt);
  if (auto* failure = std::get_if<ApiFailure>(&submitted)) {
    if (created) {  // do not leave an empty session behind
      auto removed = client->send("DELETE", "/v1/sessions/" + path_segment(session));
      (void)removed;
    } else if (failure->exit_code == kNotFound) {
      failure->message += " (`secpilot sessions list` shows your sessions)";
    }
    client->report(*failure, exit_code);
    return;
  }
  const auto& accepted = std::get<ApiReply>(submitted).json;
  const auto* object = accepted.if_object();
  const auto* evaluation = object ? object->if_contains("evaluation") : nullptr;
  const std::string evaluation_id = evaluation ? text_of(*evaluation, "id") : "";
  if (evaluation_id.empty()) {
    print_error(options, "upstream", "the daemon accepted the prompt but named no evaluation");
    exit_code = kUnreachable;
    return;
  }
  if (!options.json)
    std::cout << "Session " << session
              << (created ? " (continue it with --session " + session + ")" : "") << std::endl;

  // Follow the evaluation, reconnecting after the last event seen if the stream breaks.
  Progress progress(options);
  g_interrupted = 0;
  auto* previous = std::signal(SIGINT, on_interrupt);
  const std::function<bool()> interrupted = [] { return g_interrupted != 0; };
  const std::string events = "/v1/evaluations/" + path_segment(evaluation_id) + "/events";
  int failures = 0;
  while (!progress.done) {
    progress.progressed = false;
    auto failure = client->stream_events(
        events, progress.last_id,
        [&](const ServerEvent& event) { return progress.on_event(event); }, interrupted,
        std::chrono::hours(1));
    if (progress.done) break;
    if (failure && failure->status == "cancelled") {
      g_interrupted = 0;
      std::cerr << "secpilot: cancelling the evaluation (Ctrl-C again to quit now)" << std::endl;
      auto cancel =
          client->send("POST", "/v1/evaluations/" + path_segment(evaluation_id) + ":cancel");
      (void)cancel;  // 409 when it has just ended: the stream says how
      continue;
    }
    if (progress.progressed) failures = 0;
    const bool retry = !failure || failure->exit_code == kUnreachable;
    if (!retry || ++failures > 3) {
      std::signal(SIGINT, previous);
      if (failure) {
        client->report(*failure, exit_code);
      } else {
        print_error(options, "upstream",
                    "the event stream of evaluation " + evaluation_id +
                        " kept ending before the evaluation did");
        exit_code = kUnreachable;
      }
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500 * failures));
  }
  std::signal(SIGINT, previous);

  const bool completed = progress.state == "completed";
  if (options.json || (!progress.answered && completed)) {
    auto final_view =
        client->json("GET", "/v1/evaluations/" + path_segment(evaluation_id), exit_code);
    if (!final_view) return;
    if (options.json) {
      print_json(*final_view);
    } else {
      const auto* result =
          final_view->is_object() ? final_view->as_object().if_contains("result") : nullptr;
      const std::string content = result ? text_of(*result, "content") : "";
      if (!content.empty()) std::cout << "\n" << content << (content.back() == '\n' ? "" : "\n");
    }
  }
  if (!completed) {
    if (!options.json)
      print_error(
          options, progress.state.empty() ? "failed" : progress.state,
          progress.error.empty() ? "the evaluation ended " + progress.state : progress.error);
    exit_code = kFailed;
    return;
  }
  exit_code = kOk;
}

}  // namespace

void add_ask_command(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<AskArgs>();  // kept alive by the callback
  auto* command = app.add_subcommand(
      "ask",
      "Ask the daemon: submit a prompt, follow its process log live, print the answer "
      "(needs --server)");
  command
      ->add_option("PROMPT", args->prompt,
                   "The prompt; \"/Plugin.Skill name=value ...\" calls a skill directly")
      ->required();
  command->add_option("--session", args->session,
                      "Add the prompt to this session (default: a new session named after it)");
  command->callback([&options, &exit_code, args] { ask(options, *args, exit_code); });
}

}  // namespace secpilot::cli
