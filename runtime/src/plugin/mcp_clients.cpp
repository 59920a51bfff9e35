#include "plugin/mcp_clients.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iterator>
#include <optional>
#include <variant>

#include "secpilot/util/replace_file.hpp"
#include "secpilot/util/sha256.hpp"

namespace secpilot::plugin {
namespace {

namespace json = boost::json;

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

// The cached tool list in `file`, when it is a JSON array.
std::optional<json::array> read_tools(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::system::error_code error;
  auto parsed = json::parse(text, error);
  if (error || !parsed.is_array()) return std::nullopt;
  return std::move(parsed.get_array());
}

// Replaces `file` whole, readable by its owner only.
void write_tools(const std::filesystem::path& file, const json::array& tools, spdlog::logger& log) {
  if (auto failed = replace_file(file, json::serialize(tools), FileAccess::owner_only))
    log.warn("cannot keep the MCP server's tool list in {}: {}", file.string(), failed.message());
}

}  // namespace

McpClients::McpClients(std::function<void()> on_tools_changed, std::filesystem::path tool_cache)
    : on_tools_changed_(std::move(on_tools_changed)), tool_cache_(std::move(tool_cache)) {}

std::shared_ptr<mcp::Client> McpClients::client(const std::string& plugin,
                                                mcp::ClientOptions options,
                                                std::shared_ptr<spdlog::logger> log) {
  const std::string key = fingerprint(plugin, options);
  std::lock_guard lock(mutex_);
  std::erase_if(clients_, [](const auto& entry) { return entry.second.expired(); });
  if (auto running = clients_[key].lock()) return running;
  options.on_tools_changed = on_tools_changed_;
  if (!tool_cache_.empty()) {
    const auto file = tool_cache_ / (key + ".json");
    options.known_tools = read_tools(file);
    options.on_tools_listed = [file, log](const json::array& tools) {
      write_tools(file, tools, *log);
    };
  }
  auto made = std::make_shared<mcp::Client>(std::move(options), std::move(log));
  clients_[key] = made;
  return made;
}

}  // namespace secpilot::plugin
