// `secpilot keys create|list|revoke`: API keys on the daemon (owners only).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli_context.hpp"
#include "remote_client.hpp"
#include "table.hpp"

namespace secpilot::cli {
namespace {

struct KeysArgs {
  std::string name;
  std::string role;
  std::string user;
  std::string id;
};

// The secret alone on stdout, so that `KEY=$(secpilot keys create ...)` works; the rest on stderr.
void create_key(const GlobalOptions& options, const KeysArgs& args, int& exit_code) {
  auto client = require_remote(options, "keys create", exit_code);
  if (!client) return;
  boost::json::object body{{"name", args.name}, {"role", args.role}};
  if (!args.user.empty()) body["user"] = args.user;
  const boost::json::value request = std::move(body);
  auto reply = client->json("POST", "/v1/keys", exit_code, &request);
  if (!reply) return;
  if (options.json) {
    print_json(*reply);
    return;
  }
  std::cerr << "secpilot: created key " << text_of(*reply, "id") << " '" << text_of(*reply, "name")
            << "' (role " << text_of(*reply, "role") << ", user " << text_of(*reply, "user")
            << "); store its secret now, it is not shown again\n";
  std::cout << text_of(*reply, "secret") << std::endl;
}

void list_keys(const GlobalOptions& options, int& exit_code) {
  auto client = require_remote(options, "keys list", exit_code);
  if (!client) return;
  auto reply = client->json("GET", "/v1/keys", exit_code);
  if (!reply) return;
  const auto* object = reply->if_object();
  const auto* value = object ? object->if_contains("value") : nullptr;
  const auto keys = value && value->is_array() ? value->as_array() : boost::json::array();
  if (options.json) {
    print_json(keys);
    return;
  }
  Table table({"ID", "NAME", "ROLE", "USER", "CREATED", "LAST USED", "STATE"}, 50);
  for (const auto& key : keys) {
    const auto* revoked = key.as_object().if_contains("revoked");
    const bool is_revoked = revoked && revoked->is_bool() && revoked->as_bool();
    const std::string used = short_time(text_of(key, "lastUsedDateTime"));
    table.add({text_of(key, "id"), text_of(key, "name"), text_of(key, "role"), text_of(key, "user"),
               short_time(text_of(key, "createdDateTime")), used.empty() ? "never" : used,
               is_revoked ? "revoked " + short_time(text_of(key, "revokedDateTime")) : "active"});
  }
  table.print(std::cout);
}

void revoke_key(const GlobalOptions& options, const KeysArgs& args, int& exit_code) {
  auto client = require_remote(options, "keys revoke", exit_code);
  if (!client) return;
  if (!client->call("DELETE", "/v1/keys/" + path_segment(args.id), exit_code)) return;
  if (options.json)
    print_json({{"id", args.id}, {"revoked", true}});
  else
    std::cout << "Revoked key " << args.id << ".\n";
}

}  // namespace

void add_keys_commands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<KeysArgs>();  // kept alive by the callbacks
  auto* keys = app.add_subcommand(
      "keys", "API keys of the daemon: create, list, revoke (needs --server and the owner role)");
  keys->require_subcommand(1);

  auto* create =
      keys->add_subcommand("create", "Create a key and print its secret (shown only this once)");
  create->add_option("NAME", args->name, "A name for the key (e.g. who or what uses it)")
      ->required();
  create->add_option("--role", args->role, "owner, contributor or reader")
      ->required()
      ->check(CLI::IsMember({"owner", "contributor", "reader"}));
  create->add_option("--user", args->user, "The user the key acts as (default: its name)");
  create->callback([&options, &exit_code, args] { create_key(options, *args, exit_code); });

  keys->add_subcommand("list", "List keys (never their secrets) and whether they are revoked")
      ->callback([&options, &exit_code] { list_keys(options, exit_code); });

  auto* revoke = keys->add_subcommand("revoke", "Revoke a key: it stops working at once");
  revoke->add_option("ID", args->id, "Key ID (from `secpilot keys list`)")->required();
  revoke->callback([&options, &exit_code, args] { revoke_key(options, *args, exit_code); });
}

}  // namespace secpilot::cli
