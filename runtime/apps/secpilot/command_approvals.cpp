// `secpilot approvals [list|show]`, `secpilot approve ID`, `secpilot deny ID`: the calls of
// skills with side effects that evaluations on the daemon wait to have approved.
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>

#include "cli_context.hpp"
#include "remote_client.hpp"
#include "table.hpp"

namespace secpilot::cli {
namespace {

struct ApprovalsArgs {
  std::string id;
  std::string state = "pending";
  int limit = 50;
  std::string reason;
};

std::string inputs_text(const boost::json::value& approval) {
  const auto* object = approval.if_object();
  const auto* inputs = object ? object->if_contains("inputs") : nullptr;
  return inputs ? boost::json::serialize(*inputs) : "{}";
}

void list_approvals(const GlobalOptions& options, const ApprovalsArgs& args, int& exit_code) {
  auto client = require_remote(options, "approvals", exit_code);
  if (!client) return;
  auto reply = client->json(
      "GET",
      "/v1/approvals?state=" + path_segment(args.state) + "&limit=" + std::to_string(args.limit),
      exit_code);
  if (!reply) return;
  const auto* object = reply->if_object();
  const auto* value = object ? object->if_contains("value") : nullptr;
  const auto approvals = value && value->is_array() ? value->as_array() : boost::json::array();
  if (options.json) {
    print_json(approvals);
    return;
  }
  if (approvals.empty()) {
    std::cout << (args.state == "pending" ? "No approval is waiting.\n" : "No approvals.\n");
    return;
  }
  Table table({"ID", "SKILL", "EFFECTS", "INPUTS", "REQUESTED BY", "REQUESTED", "STATE"}, 60);
  for (const auto& approval : approvals) {
    std::string state = text_of(approval, "state");
    if (const auto by = text_of(approval, "decidedBy"); !by.empty()) state += " by " + by;
    table.add({text_of(approval, "id"), text_of(approval, "skill"),
               text_of(approval, "sideEffects"), inputs_text(approval),
               text_of(approval, "requestedBy"), short_time(text_of(approval, "createdDateTime")),
               state});
  }
  table.print(std::cout);
  if (args.state == "pending")
    std::cout << "\nDecide with `secpilot approve ID` or `secpilot deny ID --reason TEXT`.\n";
}

void show_approval(const GlobalOptions& options, const ApprovalsArgs& args, int& exit_code) {
  auto client = require_remote(options, "approvals show", exit_code);
  if (!client) return;
  auto reply = client->json("GET", "/v1/approvals/" + path_segment(args.id), exit_code);
  if (!reply) return;
  if (options.json) {
    print_json(*reply);
    return;
  }
  std::cout << text_of(*reply, "skill") << " (" << text_of(*reply, "sideEffects") << ")\n"
            << "  id:           " << text_of(*reply, "id") << "\n"
            << "  inputs:       " << inputs_text(*reply) << "\n"
            << "  state:        " << text_of(*reply, "state") << "\n"
            << "  requested by: " << text_of(*reply, "requestedBy") << " at "
            << short_time(text_of(*reply, "createdDateTime")) << "\n"
            << "  evaluation:   " << text_of(*reply, "evaluationId") << "\n"
            << "  arguments:    sha256 " << text_of(*reply, "argsHash") << "\n";
  if (const auto by = text_of(*reply, "decidedBy"); !by.empty()) {
    std::cout << "  decided by:   " << by << " at "
              << short_time(text_of(*reply, "decidedDateTime")) << "\n";
    if (const auto reason = text_of(*reply, "reason"); !reason.empty())
      std::cout << "  reason:       " << reason << "\n";
  }
}

void decide(const GlobalOptions& options, const ApprovalsArgs& args, bool approve, int& exit_code) {
  auto client = require_remote(options, approve ? "approve" : "deny", exit_code);
  if (!client) return;
  boost::json::object body;
  if (!args.reason.empty()) body["reason"] = args.reason;
  const boost::json::value request = std::move(body);
  auto reply = client->json(
      "POST", "/v1/approvals/" + path_segment(args.id) + (approve ? ":approve" : ":deny"),
      exit_code, &request);
  if (!reply) return;
  if (options.json) {
    print_json(*reply);
    return;
  }
  std::cout << (approve ? "Approved " : "Denied ") << text_of(*reply, "skill") << " "
            << inputs_text(*reply) << "; evaluation " << text_of(*reply, "evaluationId")
            << " goes on.\n";
}

}  // namespace

void add_approvals_commands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<ApprovalsArgs>();  // kept alive by the callbacks
  auto add_filters = [args](CLI::App* command) {
    command
        ->add_option("--state", args->state,
                     "pending (default), approved, denied, cancelled or all")
        ->check(CLI::IsMember({"pending", "approved", "denied", "cancelled", "all"}));
    command->add_option("--limit", args->limit, "At most this many (default 50)")
        ->check(CLI::Range(1, 1000));
  };

  auto* approvals = app.add_subcommand(
      "approvals",
      "Calls of skills with side effects waiting for approval: list (the default), show (needs "
      "--server)");
  approvals->require_subcommand(0, 1);
  add_filters(approvals);
  auto* list = approvals->add_subcommand(
      "list", "List approvals: your evaluations' (an owner sees everyone's), newest first");
  add_filters(list);
  list->callback([&options, &exit_code, args] { list_approvals(options, *args, exit_code); });
  auto* show = approvals->add_subcommand("show", "Show one approval");
  show->add_option("ID", args->id, "Approval ID (from `secpilot approvals`)")->required();
  show->callback([&options, &exit_code, args] { show_approval(options, *args, exit_code); });
  // `secpilot approvals` alone lists.
  approvals->callback([approvals, &options, &exit_code, args] {
    if (approvals->get_subcommands().empty()) list_approvals(options, *args, exit_code);
  });

  for (const bool approve : {true, false}) {
    auto* command = app.add_subcommand(
        approve ? "approve" : "deny",
        approve ? "Approve a pending call: the evaluation resumes and makes it (needs --server, "
                  "owner or contributor)"
                : "Deny a pending call: it fails with your reason and the evaluation goes on "
                  "(needs --server, owner or contributor)");
    command->add_option("ID", args->id, "Approval ID (from `secpilot approvals`)")->required();
    command->add_option("--reason", args->reason, "Why: recorded with the decision and audited");
    command->callback(
        [&options, &exit_code, args, approve] { decide(options, *args, approve, exit_code); });
  }
}

}  // namespace secpilot::cli
