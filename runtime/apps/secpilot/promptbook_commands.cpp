// `secpilot promptbook list|show|lint`: the promptbooks of local folders, and every problem in
// promptbook files. `secpilot promptbook run` runs one on the daemon (--server) and prints each
// step's process log live.
#include <CLI/CLI.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <sstream>

#include "cli_context.hpp"
#include "follow_events.hpp"
#include "remote_client.hpp"
#include "secpilot/promptbook/describe.hpp"
#include "secpilot/promptbook/registry.hpp"
#include "secpilot/util/ascii.hpp"
#include "table.hpp"

namespace secpilot::cli {
namespace {

namespace fs = std::filesystem;

struct PromptbookArgs {
  std::vector<fs::path> dirs;  // --promptbooks-dir
  std::string name;
  std::vector<std::string> files;
  std::vector<std::string> params;  // run: --param name=value
  std::string session;              // run: --session
};

// --promptbooks-dir, else $SECPILOT_PROMPTBOOKS_DIR, else the folder the build or the
// installation provides.
std::vector<fs::path> promptbook_dirs(const PromptbookArgs& args) {
  return search_dirs(args.dirs, "SECPILOT_PROMPTBOOKS_DIR",
                     {"../promptbooks", "../share/secpilot/promptbooks"});
}

std::optional<promptbook::Registry> discover(const PromptbookArgs& args) {
  const auto dirs = promptbook_dirs(args);
  if (dirs.empty()) {
    std::cerr << "secpilot: warning: no promptbook folder: pass --promptbooks-dir DIR or set "
                 "SECPILOT_PROMPTBOOKS_DIR\n";
    return std::nullopt;
  }
  return promptbook::Registry(dirs);
}

std::string text_of(const boost::json::value* value) {
  if (!value || value->is_null()) return {};
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_bool()) return value->as_bool() ? "yes" : "no";
  return boost::json::serialize(*value);
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Broken files go to stderr: they never stop the others from being listed.
void report_broken(const promptbook::Registry& registry) {
  for (const auto& file : registry.files())
    if (file.broken())
      std::cerr << "secpilot: warning: " << file.path.string() << ": " << file.error << '\n';
}

void list(const GlobalOptions& options, const PromptbookArgs& args, int& exit_code) {
  exit_code = kOk;
  const auto registry = discover(args);
  std::vector<std::shared_ptr<const promptbook::Promptbook>> books;
  if (registry) books = registry->list();
  if (options.json) {
    boost::json::array views, broken;
    for (const auto& book : books)
      views.push_back(promptbook::describe(*book, false));
    if (registry)
      for (const auto& file : registry->files())
        if (file.broken()) broken.push_back(promptbook::describe_broken(file));
    print_json(
        boost::json::object{{"promptbooks", std::move(views)}, {"broken", std::move(broken)}});
    return;
  }
  if (registry) report_broken(*registry);
  Table table({"NAME", "PARAMETERS", "STEPS", "DESCRIPTION"}, 70);
  for (const auto& book : books) {
    std::vector<std::string> names;
    for (const auto& parameter : book->parameters)
      names.push_back(parameter.name);
    table.add({book->name, joined(names), std::to_string(book->steps.size()), book->description});
  }
  table.print(std::cout);
}

// Continuation lines of a multi-line text, indented under its first.
std::string indented(const std::string& text, std::string_view indent) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

void print_promptbook(const boost::json::object& view, const promptbook::PromptbookFile* file) {
  const std::string display = text_of(view.if_contains("displayName"));
  std::cout << text_of(view.if_contains("name")) << (display.empty() ? "" : " — " + display)
            << "\n  file: " << text_of(view.if_contains("file")) << "\n";
  std::vector<std::string> tags;
  for (const auto& tag : view.at("tags").as_array())
    tags.push_back(text_of(&tag));
  if (!tags.empty()) std::cout << "  tags: " << joined(tags) << "\n";
  const std::string description = text_of(view.if_contains("description"));
  if (!description.empty()) std::cout << "\n" << description << "\n";

  std::cout << "\nParameters:\n";
  const auto& parameters = view.at("parameters").as_array();
  if (parameters.empty()) {
    std::cout << "  (none)\n";
  } else {
    Table table({"NAME", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION"}, 70);
    for (const auto& item : parameters) {
      const auto& p = item.as_object();
      table.add({text_of(p.if_contains("name")), text_of(p.if_contains("type")),
                 text_of(p.if_contains("required")), text_of(p.if_contains("default")),
                 text_of(p.if_contains("description"))});
    }
    table.print(std::cout);
  }

  std::cout << "\nSteps:\n";
  for (const auto& item : view.at("steps").as_array()) {
    const auto& step = item.as_object();
    std::ostringstream head;
    head << "  " << text_of(step.if_contains("number")) << ". ";
    const std::string name = text_of(step.if_contains("name"));
    if (!name.empty()) head << name << ": ";
    std::cout << head.str()
              << indented(text_of(step.if_contains("prompt")), std::string(head.str().size(), ' '))
              << "\n";
  }
  if (file && !file->diagnostics.empty()) {
    std::cout << "\nWarnings:\n";
    for (const auto& diagnostic : file->diagnostics)
      std::cout << "  " << manifest::format_diagnostic(diagnostic) << "\n";
  }
}

void show(const GlobalOptions& options, const PromptbookArgs& args, int& exit_code) {
  const auto registry = discover(args);
  const auto book = registry ? registry->find(args.name) : nullptr;
  if (!book) {
    // A file by that name that did not lint clean says why, rather than "not found".
    if (registry)
      for (const auto& file : registry->files())
        if (file.broken() && iequals_ascii(file.name, args.name)) {
          print_error(options, "invalid_input",
                      "promptbook " + file.name + " is broken: " + file.error);
          exit_code = kFailed;
          return;
        }
    std::string message = "no promptbook named '" + args.name + "'";
    const std::string close = registry ? registry->suggest(args.name) : std::string();
    if (!close.empty()) message += " — did you mean " + close + "?";
    print_error(options, "not_found", message + " (`secpilot promptbook list` shows them all)");
    exit_code = kNotFound;
    return;
  }
  const promptbook::PromptbookFile* file = nullptr;
  for (const auto& candidate : registry->files())
    if (candidate.promptbook == book) file = &candidate;
  auto view = promptbook::describe(*book, true);
  exit_code = kOk;
  if (options.json) {
    boost::json::array warnings;
    if (file)
      for (const auto& diagnostic : file->diagnostics)
        warnings.push_back(promptbook::describe_diagnostic(diagnostic));
    view["warnings"] = std::move(warnings);
    print_json(view);
    return;
  }
  print_promptbook(view, file);
}

void lint(const GlobalOptions& options, const PromptbookArgs& args, int& exit_code) {
  // Direct calls are checked against the skills of the local plugin folders, when there are any.
  std::unique_ptr<plugin::PluginHost> host;
  if (!plugin_dirs(options).empty()) {
    host = make_host(options, exit_code);
    if (!host) return;
  } else {
    std::cerr << "secpilot: note: skills not checked: no plugin folder (pass --plugins-dir DIR "
                 "or set SECPILOT_PLUGINS_DIR)\n";
  }
  const skills::Catalog* catalog = host ? &host->catalog() : nullptr;
  std::size_t errors = 0, warnings = 0;
  boost::json::array report;
  for (const auto& file : args.files) {
    for (const auto& diagnostic : promptbook::lint_file(file, catalog)) {
      if (diagnostic.severity == manifest::Severity::Error) ++errors;
      if (diagnostic.severity == manifest::Severity::Warning) ++warnings;
      if (options.json)
        report.push_back(promptbook::describe_diagnostic(diagnostic));
      else
        std::cout << manifest::format_diagnostic(diagnostic) << '\n';
    }
  }
  if (options.json)
    print_json(report);
  else
    std::cerr << args.files.size() << " file(s): " << errors << " error(s), " << warnings
              << " warning(s)\n";
  exit_code = errors ? kFailed : kOk;
}

// --param name=value, each name once, as text: the daemon converts each value to its parameter's
// type. nullopt after printing what is wrong.
std::optional<boost::json::object> run_parameters(const GlobalOptions& options,
                                                  const std::vector<std::string>& params,
                                                  int& exit_code) {
  boost::json::object parameters;
  for (const auto& param : params) {
    const auto equals = param.find('=');
    const std::string name = param.substr(0, equals);
    std::string problem;
    if (equals == std::string::npos || name.empty())
      problem =
          "--param " + param + " is not name=value — write e.g. --param indicator=198.51.100.7";
    else if (parameters.contains(name))
      problem = "--param " + name + " is given twice — give each parameter once";
    if (!problem.empty()) {
      print_error(options, "invalid_input", problem);
      exit_code = kUsage;
      return std::nullopt;
    }
    parameters[name] = param.substr(equals + 1);
  }
  return parameters;
}

// Below, cli::text_of (a member of a JSON object) is named in full: this file's text_of hides it.

// What the run's event stream says between the evaluations of its steps.
struct RunProgress {
  bool done = false;
  std::string state;  // from "done"
  std::string error;
  std::string evaluation_id;  // from "step.submitted": the step to follow next
  std::string step_line;      // "[2/4] Network connections" for that step

  bool on_event(const ServerEvent& event, std::size_t steps) {
    boost::system::error_code parse_error;
    const auto data = boost::json::parse(event.data, parse_error);
    if (parse_error) return true;
    if (event.type == "step.submitted") {
      evaluation_id = cli::text_of(data, "evaluationId");
      const auto* number = data.as_object().if_contains("step");
      step_line = "[" + (number ? boost::json::serialize(*number) : std::string("?")) + "/" +
                  std::to_string(steps) + "] " +
                  cli::text_of(data, "name", cli::text_of(data, "kind"));
      const std::string prompt = cli::text_of(data, "prompt");
      if (!prompt.empty()) step_line += ": " + one_line(prompt, 160);
      return false;  // follow that step's evaluation, then come back
    }
    if (event.type == "done") {
      done = true;
      state = cli::text_of(data, "state");
      error = cli::text_of(data, "error");
      return false;
    }
    return true;
  }
};

// Starts the run on the daemon, then follows it: the run's own stream says which evaluation each
// step is, and each evaluation's stream is printed as `secpilot ask` prints it.
void run(const GlobalOptions& options, const PromptbookArgs& args, int& exit_code) {
  auto client = require_remote(options, "promptbook run", exit_code);
  if (!client) return;
  auto parameters = run_parameters(options, args.params, exit_code);
  if (!parameters) return;
  boost::json::object body{{"parameters", std::move(*parameters)}};
  if (!args.session.empty()) body["sessionId"] = args.session;
  const boost::json::value request = std::move(body);
  auto started =
      client->send("POST", "/v1/promptbooks/" + path_segment(args.name) + ":run", &request);
  if (auto* failure = std::get_if<ApiFailure>(&started)) {
    // A missing, unknown or mistyped parameter is the command line's to fix.
    if (failure->http_status == 400) failure->exit_code = kUsage;
    if (failure->http_status == 404 && !args.session.empty() &&
        failure->message.find("session") != std::string::npos)
      failure->message += " (`secpilot sessions list` shows your sessions)";
    client->report(*failure, exit_code);
    return;
  }
  const auto& view = std::get<ApiReply>(started).json;
  const std::string run_id = cli::text_of(view, "id");
  const std::string session = cli::text_of(view, "sessionId");
  const auto* steps = view.is_object() ? view.as_object().if_contains("steps") : nullptr;
  const std::size_t step_count = steps && steps->is_array() ? steps->as_array().size() : 0;
  if (run_id.empty()) {
    print_error(options, "upstream", "the daemon accepted the run but named no run id");
    exit_code = kUnreachable;
    return;
  }
  if (!options.json)
    std::cout << "Promptbook " << cli::text_of(view, "promptbook") << ", run " << run_id
              << ", session " << session
              << (args.session.empty() ? " (continue it with --session " + session + ")" : "")
              << std::endl;

  const std::string run_path = "/v1/promptbooks/runs/" + path_segment(run_id);
  const FollowedStream run_stream{run_path + "/events", "promptbook run", run_id,
                                  run_path + ":cancel"};
  std::string last_run_event;
  RunProgress progress;
  while (!progress.done) {
    progress.evaluation_id.clear();
    if (!follow_events(
            *client, run_stream, last_run_event,
            [&](const ServerEvent& event) { return progress.on_event(event, step_count); },
            exit_code))
      return;
    if (progress.evaluation_id.empty()) continue;
    if (!options.json) std::cout << "\n" << progress.step_line << std::endl;
    // Ctrl-C during a step cancels the whole run, not only that step.
    if (!follow_evaluation(*client, progress.evaluation_id, run_path + ":cancel", exit_code))
      return;
  }

  if (options.json) {
    auto final_view = client->json("GET", run_path, exit_code);
    if (!final_view) return;
    print_json(*final_view);
  }
  if (progress.state != "completed") {
    if (!options.json)
      print_error(options, progress.state.empty() ? "failed" : progress.state,
                  progress.error.empty() ? "the run ended " + progress.state : progress.error);
    exit_code = kFailed;
    return;
  }
  if (!options.json)
    std::cout << "\nPromptbook " << cli::text_of(view, "promptbook") << " completed: " << step_count
              << " step(s) in session " << session << std::endl;
  exit_code = kOk;
}

}  // namespace

void add_promptbook_commands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<PromptbookArgs>();  // kept alive by the callbacks
  auto* group = app.add_subcommand("promptbook",
                                   "Promptbooks: list, show and lint them, run one on the daemon");
  group->require_subcommand(1);
  group->add_option("--promptbooks-dir", args->dirs,
                    "Folder of promptbooks (repeatable; default $SECPILOT_PROMPTBOOKS_DIR or the "
                    "installation's promptbooks folder)");
  auto* list_command = group->add_subcommand("list", "List the promptbooks, and broken files");
  list_command->callback([&options, &exit_code, args] { list(options, *args, exit_code); });
  auto* show_command = group->add_subcommand("show", "Show a promptbook's parameters and steps");
  show_command->add_option("NAME", args->name, "The promptbook's Name")->required();
  show_command->callback([&options, &exit_code, args] { show(options, *args, exit_code); });
  auto* lint_command = group->add_subcommand(
      "lint", "Report every problem in promptbook files; exit 0 when clean, 1 on errors");
  lint_command->add_option("FILE", args->files, "Promptbook files (.yaml, .yml, .json)")
      ->required()
      ->check(CLI::ExistingFile);
  lint_command->callback([&options, &exit_code, args] { lint(options, *args, exit_code); });
  auto* run_command = group->add_subcommand(
      "run",
      "Run a promptbook on the daemon (needs --server): its steps in one session, each step's "
      "process log printed live; exit 1 when a step fails");
  run_command->add_option("NAME", args->name, "The promptbook's Name (as the daemon knows it)")
      ->required();
  run_command->add_option("--param", args->params,
                          "A parameter's value, name=value (repeatable; `promptbook show NAME` "
                          "lists them)");
  run_command->add_option("--session", args->session,
                          "Run in this session (default: a new session named after the "
                          "promptbook)");
  run_command->callback([&options, &exit_code, args] { run(options, *args, exit_code); });
}

}  // namespace secpilot::cli
