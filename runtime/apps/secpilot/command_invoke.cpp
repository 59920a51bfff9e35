// `secpilot invoke Plugin.Skill --input key=value... | --json '{...}'`, in this process or, with
// --server, on the daemon (POST /v1/skills/{Plugin.Skill}:invoke).
#include <CLI/CLI.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "cli_context.hpp"
#include "remote_client.hpp"
#include "secpilot/skills/executor.hpp"

namespace secpilot::cli {
namespace {

struct InvokeArgs {
  std::string skill;
  std::vector<std::string> inputs;
  std::string json;
  double timeout_seconds = 0;
  bool raw = false;
};

// Builds the inputs object from --json and --input key=value (the latter wins per key). Values
// stay strings; the host converts them to each input's declared type.
Expected<boost::json::object> collect_inputs(const InvokeArgs& args) {
  boost::json::object inputs;
  if (!args.json.empty()) {
    boost::system::error_code error;
    auto parsed = boost::json::parse(args.json, error);
    if (error || !parsed.is_object())
      return make_error(Status::invalid_input,
                        "--json must be a JSON object such as '{\"indicator\": \"192.0.2.1\"}'" +
                            (error ? " (" + error.message() + ")" : std::string()));
    inputs = std::move(parsed.as_object());
  }
  for (const auto& item : args.inputs) {
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0)
      return make_error(Status::invalid_input, "--input '" + item + "' must look like name=value");
    inputs[item.substr(0, equals)] = item.substr(equals + 1);
  }
  return inputs;
}

// The daemon runs the skill with its own timeout; --timeout bounds how long we wait for it.
void invoke_remote(const GlobalOptions& options, const InvokeArgs& args, boost::json::object inputs,
                   int& exit_code) {
  auto client = RemoteClient::connect(options, exit_code);
  if (!client) return;
  const boost::json::value body = {{"inputs", std::move(inputs)}};
  std::chrono::milliseconds wait{0};
  if (args.timeout_seconds > 0)
    wait = std::chrono::milliseconds(static_cast<long>(args.timeout_seconds * 1000));
  auto result =
      client->send("POST", "/v1/skills/" + path_segment(args.skill) + ":invoke", &body, wait);
  if (auto* failure = std::get_if<ApiFailure>(&result)) {
    // A problem naming the skill is the skill's own error (e.g. "no such incident"), not an
    // unknown skill: exit 1, as locally.
    if (failure->from_skill) failure->exit_code = kFailed;
    if (failure->exit_code == kNotFound)
      failure->message += " (`secpilot skills list` shows them all)";
    if (failure->http_status == 403 &&
        failure->message.find("disabled for you") != std::string::npos)
      failure->message += " (`secpilot plugins enable " +
                          args.skill.substr(0, args.skill.find('.')) + "` turns it back on)";
    if (failure->exit_code == kFailed && !options.json &&
        failure->message.rfind(args.skill, 0) != 0)
      failure->message = args.skill + " failed (" + failure->status + "): " + failure->message;
    client->report(*failure, exit_code);
    return;
  }
  const auto& reply = std::get<ApiReply>(result);
  const auto* object = reply.json.if_object();
  const auto* output = object ? object->if_contains("result") : nullptr;
  if (!output) {
    print_error(options, "upstream", "the daemon's answer has no result");
    exit_code = kUnreachable;
    return;
  }
  if (args.raw) {
    std::cout << boost::json::serialize(*output) << '\n';
    return;
  }
  print_json(*output);
}

void invoke(const GlobalOptions& options, const InvokeArgs& args, int& exit_code) {
  auto inputs = collect_inputs(args);
  if (!inputs) {
    print_error(options, "invalid_input", inputs.error().message);
    exit_code = kUsage;
    return;
  }
  if (options.remote()) return invoke_remote(options, args, std::move(*inputs), exit_code);
  auto host = make_host(options, exit_code);
  if (!host) return;
  const auto* entry = host->catalog().find(args.skill);
  if (!entry) {
    std::string message = "no skill named '" + args.skill + "'";
    auto close = host->catalog().suggest(args.skill);
    if (!close.empty()) message += " — did you mean " + close.front() + "?";
    message += " (`secpilot skills list` shows them all)";
    print_error(options, "not_found", message);
    exit_code = kNotFound;
    return;
  }
  skills::InvokeOptions invoke_options;
  if (args.timeout_seconds > 0)
    invoke_options.timeout =
        std::chrono::milliseconds(static_cast<long>(args.timeout_seconds * 1000));
  auto result = skills::invoke(*entry, boost::json::serialize(*inputs), invoke_options);
  if (!result) {
    const auto& error = result.error();
    std::string message = error.message;
    if (!options.json && message.rfind(entry->full_name, 0) != 0)
      message =
          entry->full_name + " failed (" + std::string(status_name(error.status)) + "): " + message;
    print_error(options, status_name(error.status), message);
    exit_code = kFailed;
    return;
  }
  if (args.raw) {
    std::cout << *result << '\n';
    return;
  }
  print_json(boost::json::parse(*result));
}

}  // namespace

void add_invoke_command(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<InvokeArgs>();  // kept alive by the callback
  auto* command = app.add_subcommand("invoke", "Run one skill and print its JSON result");
  command->add_option("SKILL", args->skill, "Plugin.Skill (or an alias)")->required();
  command->add_option("-i,--input", args->inputs, "An input as name=value (repeatable)");
  command->add_option("--json", args->json, "All inputs as one JSON object");
  command
      ->add_option("--timeout", args->timeout_seconds,
                   "Seconds before the call is cancelled (default: the skill's TimeoutSeconds, "
                   "else 30; with --server, how long to wait for the daemon)")
      ->check(CLI::PositiveNumber);
  command->add_flag("--raw", args->raw,
                    "Print the result exactly as the plugin returned it (with --server: compact, "
                    "as the daemon relayed it)");
  command->callback([&options, &exit_code, args] { invoke(options, *args, exit_code); });
}

}  // namespace secpilot::cli
