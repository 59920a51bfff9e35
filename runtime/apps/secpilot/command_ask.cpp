// `secpilot ask "prompt" [--session ID]`: submits a prompt to the daemon, prints the process log
// live from the evaluation's event stream, then the answer. Exit 0 when the evaluation completed,
// 1 when it failed or was cancelled. Ctrl-C asks the daemon to cancel the evaluation (a second one
// quits at once).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli_context.hpp"
#include "follow_events.hpp"
#include "remote_client.hpp"

namespace secpilot::cli {
namespace {

struct AskArgs {
  std::string prompt;
  std::string session;
  bool explain = false;
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
    const boost::json::value body = {{"displayName", one_line(args.prompt, 60)}};
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
  const auto progress = follow_evaluation(
      *client, evaluation_id, "/v1/evaluations/" + path_segment(evaluation_id) + ":cancel",
      exit_code, args.explain);
  if (!progress) return;

  const bool completed = progress->state == "completed";
  if (options.json || (!progress->answered && completed)) {
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
          options, progress->state.empty() ? "failed" : progress->state,
          progress->error.empty() ? "the evaluation ended " + progress->state : progress->error);
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
  command->add_flag("--explain", args->explain,
                    "Print the plan first: its steps and each skill weighed, with its score and "
                    "why it was chosen or left out");
  command->callback([&options, &exit_code, args] { ask(options, *args, exit_code); });
}

}  // namespace secpilot::cli
