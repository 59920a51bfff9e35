#include "plugin/mcp_clients.hpp"

#include <variant>

#include "secpilot/util/sha256.hpp"

namespace secpilot::plugin {
namespace {

// What makes two groups' servers the same server: everything the client is made from. Hashed, so
// that the key holds no secret from the environment or the headers.
std::string fingerprint(const std::string& plugin, const mcp::ClientOptions& options) {
  std::string text;
  const auto add = [&](std::string_view part) {
    text += part;
    text += '\0';
  };
  add(plugin);
  add(std::to_string(options.timeout.count()));
  if (const auto* command = std::get_if<mcp::StdioCommand>(&options.server)) {
    add("stdio");
    for (const auto& argument : command->argv)
      add(argument);
    add(command->directory.string());
    for (const auto& [name, value] : command->environment) {
      add(name);
      add(value);
    }
  } else {
    const auto& endpoint = std::get<mcp::HttpEndpoint>(options.server);
    add("http");
    add(endpoint.url);
    for (const auto& [name, value] : endpoint.headers) {
      add(name);
      add(value);
    }
    for (const auto& pattern : endpoint.egress.patterns())
      add(pattern);
  }
  return sha256_hex(text);
}

}  // namespace

McpClients::McpClients(std::function<void()> on_tools_changed)
    : on_tools_changed_(std::move(on_tools_changed)) {}

std::shared_ptr<mcp::Client> McpClients::client(const std::string& plugin,
                                                mcp::ClientOptions options,
                                                std::shared_ptr<spdlog::logger> log) {
  const std::string key = fingerprint(plugin, options);
  std::lock_guard lock(mutex_);
  std::erase_if(clients_, [](const auto& entry) { return entry.second.expired(); });
  if (auto running = clients_[key].lock()) return running;
  options.on_tools_changed = on_tools_changed_;
  auto made = std::make_shared<mcp::Client>(std::move(options), std::move(log));
  clients_[key] = made;
  return made;
}

}  // namespace secpilot::plugin
