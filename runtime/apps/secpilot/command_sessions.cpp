// `secpilot sessions list|show|export|delete`: the caller's sessions on the daemon.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli_context.hpp"
#include "remote_client.hpp"
#include "table.hpp"

namespace secpilot::cli {
namespace {

struct SessionsArgs {
  std::string id;
  int limit = 50;
  std::string search;
  std::string format = "markdown";
  std::string output;
};

const boost::json::array& items(const boost::json::value& reply, std::string_view key) {
  static const boost::json::array none;
  const auto* object = reply.if_object();
  const auto* value = object ? object->if_contains(key) : nullptr;
  return value && value->is_array() ? value->as_array() : none;
}

void list_sessions(const GlobalOptions& options, const SessionsArgs& args, int& exit_code) {
  auto client = require_remote(options, "sessions list", exit_code);
  if (!client) return;
  std::string path = "/v1/sessions?limit=" + std::to_string(args.limit);
  if (!args.search.empty()) path += "&q=" + path_segment(args.search);
  auto reply = client->json("GET", path, exit_code);
  if (!reply) return;
  const auto& sessions = items(*reply, "value");
  if (options.json) {
    print_json(sessions);
    return;
  }
  if (sessions.empty()) {
    std::cout << (args.search.empty() ? "No sessions yet: `secpilot ask \"...\"` starts one.\n"
                                      : "No session matches.\n");
    return;
  }
  Table table({"ID", "NAME", "MODIFIED"}, 60);
  for (const auto& session : sessions)
    table.add({text_of(session, "id"), text_of(session, "displayName"),
               short_time(text_of(session, "lastModifiedDateTime"))});
  table.print(std::cout);
}

void show_session(const GlobalOptions& options, const SessionsArgs& args, int& exit_code) {
  auto client = require_remote(options, "sessions show", exit_code);
  if (!client) return;
  auto reply = client->json("GET", "/v1/sessions/" + path_segment(args.id), exit_code);
  if (!reply) return;
  if (options.json) {
    print_json(*reply);
    return;
  }
  std::cout << text_of(*reply, "displayName") << "\n"
            << "  id:       " << text_of(*reply, "id") << "\n"
            << "  created:  " << short_time(text_of(*reply, "createdDateTime")) << "\n"
            << "  modified: " << short_time(text_of(*reply, "lastModifiedDateTime")) << "\n\n";
  const auto& prompts = items(*reply, "prompts");
  if (prompts.empty()) {
    std::cout << "No prompts yet: secpilot ask --session " << text_of(*reply, "id") << " \"...\"\n";
    return;
  }
  Table table({"#", "PROMPT", "STATE", "EVALUATION", "ERROR"}, 60);
  for (const auto& prompt : prompts) {
    std::string sequence;
    if (const auto* seq = prompt.as_object().if_contains("sequence"); seq && seq->is_number())
      sequence = std::to_string(seq->to_number<std::int64_t>());
    const auto& evaluations = items(prompt, "evaluations");
    if (evaluations.empty()) {
      table.add({sequence, text_of(prompt, "content"), "-", "", ""});
      continue;
    }
    // Every evaluation of the prompt (a prompt is evaluated again when it is retried).
    bool first = true;
    for (const auto& evaluation : evaluations) {
      table.add({first ? sequence : "", first ? text_of(prompt, "content") : "",
                 text_of(evaluation, "state"), text_of(evaluation, "id"),
                 text_of(evaluation, "error")});
      first = false;
    }
  }
  table.print(std::cout);
}

void export_session(const GlobalOptions& options, const SessionsArgs& args, int& exit_code) {
  auto client = require_remote(options, "sessions export", exit_code);
  if (!client) return;
  auto reply = client->call(
      "GET", "/v1/sessions/" + path_segment(args.id) + "/export?format=" + args.format, exit_code);
  if (!reply) return;
  std::string body = reply->body;
  if (!body.empty() && body.back() != '\n') body.push_back('\n');
  if (args.output.empty() || args.output == "-") {
    std::cout << body << std::flush;
    return;
  }
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  if (out) out << body;
  if (out) out.close();
  if (!out) {
    print_error(options, "failed",
                "cannot write " + args.output + ": " + std::string(std::strerror(errno)));
    exit_code = kFailed;
    return;
  }
  if (!options.json) std::cerr << "secpilot: wrote " << args.output << "\n";
}

void delete_session(const GlobalOptions& options, const SessionsArgs& args, int& exit_code) {
  auto client = require_remote(options, "sessions delete", exit_code);
  if (!client) return;
  if (!client->call("DELETE", "/v1/sessions/" + path_segment(args.id), exit_code)) return;
  if (options.json)
    print_json({{"id", args.id}, {"deleted", true}});
  else
    std::cout << "Deleted session " << args.id << ".\n";
}

}  // namespace

void add_sessions_commands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<SessionsArgs>();  // kept alive by the callbacks
  auto* sessions = app.add_subcommand("sessions",
                                      "Your sessions on the daemon: list, show, export, delete "
                                      "(needs --server)");
  sessions->require_subcommand(1);

  auto* list = sessions->add_subcommand("list", "List your sessions, most recent first");
  list->add_option("--limit", args->limit, "At most this many (default 50)")
      ->check(CLI::Range(1, 1000));
  list->add_option("--search", args->search, "Only sessions whose name contains this text");
  list->callback([&options, &exit_code, args] { list_sessions(options, *args, exit_code); });

  auto* show = sessions->add_subcommand("show", "Show a session's prompts and their evaluations");
  show->add_option("ID", args->id, "Session ID")->required();
  show->callback([&options, &exit_code, args] { show_session(options, *args, exit_code); });

  auto* exported = sessions->add_subcommand(
      "export", "Export a session with its process logs and answers, as Markdown or JSON");
  exported->add_option("ID", args->id, "Session ID")->required();
  exported->add_option("--format", args->format, "markdown (default) or json")
      ->check(CLI::IsMember({"markdown", "json"}));
  exported->add_option("-o,--output", args->output, "Write to this file instead of stdout");
  exported->callback([&options, &exit_code, args] { export_session(options, *args, exit_code); });

  auto* remove = sessions->add_subcommand("delete", "Delete a session and everything in it");
  remove->add_option("ID", args->id, "Session ID")->required();
  remove->callback([&options, &exit_code, args] { delete_session(options, *args, exit_code); });
}

}  // namespace secpilot::cli
