#include "secpilot/config/daemon_config.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <span>
#include <sstream>
#include <thread>

#include "config/settings_yaml.hpp"
#include "manifest/text.hpp"

namespace secpilot::config {
namespace {

using detail::value_mark;
using detail::YamlProblem;
using detail::YamlProblems;
using manifest::detail::iequals;

constexpr std::string_view kRoleNames[] = {"owner", "contributor", "reader"};  // by Role
constexpr std::string_view kFormatNames[] = {"text", "json"};
constexpr std::string_view kLevelNames[] = {"trace", "debug",    "info", "warning",
                                            "error", "critical", "off"};

constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * kKiB;
constexpr std::size_t kGiB = 1024 * kMiB;

// "a, b or c"
std::string one_of(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// The known key an unknown one was probably meant to be: a typo of it, or the start of it
// ("rate_limit" for rate_limit_per_minute). Empty when nothing is close.
std::string_view guess_key(std::string_view word, std::span<const std::string_view> known) {
  if (auto typo = manifest::detail::nearest(word, known); !typo.empty()) return typo;
  if (word.size() < 4) return {};
  std::string_view found;
  for (std::string_view candidate : known) {
    if (candidate.size() > word.size() && iequals(candidate.substr(0, word.size()), word)) {
      if (!found.empty()) return {};  // ambiguous
      found = candidate;
    }
  }
  return found;
}

std::string_view kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "empty";
  }
}

// A value as it may appear in a message: short, on one line. Only for values that are not secret.
std::string shown(std::string_view text) {
  std::string out(text.substr(0, 40));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (text.size() > 40) out += "...";
  return out;
}

std::filesystem::path current_directory() {
  std::error_code error;
  auto path = std::filesystem::current_path(error);
  return error ? std::filesystem::path("/") : path;
}

std::filesystem::path default_store_path() {
  // systemd's StateDirectory= exports the folder(s) it created, separated by ':'.
  if (const char* state = std::getenv("STATE_DIRECTORY"); state && *state) {
    std::string_view first(state);
    first = first.substr(0, first.find(':'));
    if (!first.empty()) return std::filesystem::path(first) / "secpilot.db";
  }
  return current_directory() / "secpilot.db";
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Reads one document into a DaemonConfig, collecting every problem rather than stopping at one.
class Reader {
 public:
  Reader(std::string origin, std::filesystem::path base, DaemonConfig& config)
      : origin_(std::move(origin)), base_(std::move(base)), config_(config) {}

  void read(const YAML::Node& root);

  YamlProblems errors;
  YamlProblems warnings;

 private:
  using FieldFn =
      std::function<void(std::string_view name, const YAML::Node& key, const YAML::Node& value)>;

  void error(const YAML::Mark& mark, std::string text) {
    errors.push_back({mark, std::move(text)});
  }

  // True for a mapping; false, quietly, for an empty section (defaults apply); false with a
  // problem for anything else.
  bool section(const YAML::Node& key, const YAML::Node& value, std::string_view path,
               std::string_view example);
  // Calls `field` once per known key of `map`; reports unknown keys (with a guess) and keys
  // given twice (keys ignore case, so "Listen" repeats "listen").
  void fields(const YAML::Node& map, std::string_view path, std::span<const std::string_view> known,
              const FieldFn& field);

  bool read_bool(const YAML::Node& key, const YAML::Node& value, std::string_view path, bool& out);
  bool read_integer(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                    long long min, long long max, long long example, long long& out);
  template <class T>
  void read_number(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                   long long min, long long max, T& out) {
    long long number = 0;
    if (read_integer(key, value, path, min, max, static_cast<long long>(out), number))
      out = static_cast<T>(number);
  }
  template <class Rep, class Period>
  void read_duration(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                     long long min, long long max, std::chrono::duration<Rep, Period>& out) {
    long long number = 0;
    if (read_integer(key, value, path, min, max, static_cast<long long>(out.count()), number))
      out = std::chrono::duration<Rep, Period>(number);
  }
  // A decimal number such as 0.7 (for the few keys that are not whole numbers).
  bool read_decimal(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                    double min, double max, double& out);
  std::optional<std::string> read_text(const YAML::Node& key, const YAML::Node& value,
                                       std::string_view path);
  // A non-empty path, resolved against the config file's folder.
  std::optional<std::filesystem::path> read_path(const YAML::Node& key, const YAML::Node& value,
                                                 std::string_view path);
  // The index of the choice written (case-insensitive), with a guess when it is a typo.
  std::optional<std::size_t> read_choice(const YAML::Node& key, const YAML::Node& value,
                                         std::string_view path, std::string_view what,
                                         std::span<const std::string_view> choices);

  std::filesystem::path resolve(const std::filesystem::path& path) const {
    return (path.is_absolute() ? path : base_ / path).lexically_normal();
  }

  void read_listen(const YAML::Node& key, const YAML::Node& value);
  void read_tls(const YAML::Node& key, const YAML::Node& value);
  void read_plugin_dirs(const YAML::Node& key, const YAML::Node& value);
  // A list of folders (plugin_dirs, promptbook_dirs), each resolved against the file's folder.
  void read_folders(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                    std::string_view example, std::vector<std::filesystem::path>& out);
  void read_store(const YAML::Node& key, const YAML::Node& value);
  void read_api_keys(const YAML::Node& key, const YAML::Node& value);
  void read_api_key(const YAML::Node& entry, std::size_t index, std::map<std::string, int>& names,
                    std::map<std::string, int>& hashes);
  void read_roles(const YAML::Node& key, const YAML::Node& value);
  void read_limits(const YAML::Node& key, const YAML::Node& value);
  void read_threads(const YAML::Node& key, const YAML::Node& value);
  void read_log(const YAML::Node& key, const YAML::Node& value);
  void read_reload(const YAML::Node& key, const YAML::Node& value);
  void read_mcp(const YAML::Node& key, const YAML::Node& value);
  void read_http_client(const YAML::Node& key, const YAML::Node& value);
  void read_model(const YAML::Node& key, const YAML::Node& value);
  void read_model_field(std::string_view name, const YAML::Node& key, const YAML::Node& value,
                        model::ModelOptions& options);
  void read_model_loop(const YAML::Node& key, const YAML::Node& value, model::LoopLimits& loop);

  std::string origin_;
  std::filesystem::path base_;
  DaemonConfig& config_;
  std::optional<YAML::Mark> listen_mark_;
  std::optional<YAML::Mark> security_mark_;
};

bool Reader::section(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                     std::string_view example) {
  if (value.IsMap()) return true;
  if (value.IsNull()) return false;
  error(value_mark(key, value), std::string(path) + " must be a mapping, not " +
                                    std::string(kind_name(value)) + " — write e.g. " +
                                    std::string(example));
  return false;
}

void Reader::fields(const YAML::Node& map, std::string_view path,
                    std::span<const std::string_view> known, const FieldFn& field) {
  std::map<std::string_view, YAML::Mark> seen;
  for (const auto& item : map) {
    const YAML::Node& key = item.first;
    if (!key.IsScalar()) {
      error(key.Mark(), "a key must be a plain name, not " + std::string(kind_name(key)) +
                            " — write name: value");
      continue;
    }
    const std::string& name = key.Scalar();
    const auto match = std::find_if(known.begin(), known.end(),
                                    [&](std::string_view k) { return iequals(k, name); });
    if (match == known.end()) {
      std::string text = "unknown key '" + shown(name) + "'";
      if (!path.empty()) text += " in " + std::string(path);
      const std::string_view guess = guess_key(name, known);
      if (!guess.empty())
        text += " — did you mean '" + std::string(guess) + "'?";
      else
        text += " — use " + one_of(known);
      error(key.Mark(), std::move(text));
      continue;
    }
    if (auto [first, inserted] = seen.emplace(*match, key.Mark()); !inserted) {
      error(key.Mark(), "'" + name + "' is given twice (first on line " +
                            std::to_string(first->second.line + 1) +
                            ") — keep one; keys ignore case");
      continue;
    }
    field(*match, key, item.second);
  }
}

bool Reader::read_bool(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                       bool& out) {
  bool parsed = false;
  if (value.IsScalar() && YAML::convert<bool>::decode(value, parsed)) {
    out = parsed;
    return true;
  }
  error(value_mark(key, value),
        std::string(path) + " must be true or false, not " +
            (value.IsScalar() ? "'" + shown(value.Scalar()) + "'" : std::string(kind_name(value))));
  return false;
}

bool Reader::read_integer(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                          long long min, long long max, long long example, long long& out) {
  const YAML::Mark mark = value_mark(key, value);
  const std::string fix = " — write e.g. " + key.Scalar() + ": " + std::to_string(example);
  if (!value.IsScalar()) {
    error(mark, std::string(path) + " must be a whole number, not " +
                    std::string(kind_name(value)) + fix);
    return false;
  }
  const std::string& text = value.Scalar();
  long long number = 0;
  const auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), number);
  const bool numeric = !text.empty() && end == text.data() + text.size();
  if (code == std::errc::invalid_argument || !numeric) {
    error(mark, std::string(path) + " must be a whole number, not '" + shown(text) + "'" + fix);
    return false;
  }
  if (code == std::errc::result_out_of_range || number < min || number > max) {
    error(mark, std::string(path) + " is " + shown(text) + ", out of range — use " +
                    std::to_string(min) + " to " + std::to_string(max));
    return false;
  }
  out = number;
  return true;
}

bool Reader::read_decimal(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                          double min, double max, double& out) {
  std::ostringstream range_text;
  range_text << min << " to " << max;
  const std::string range = range_text.str();
  const std::string text = value.IsScalar() ? value.Scalar() : std::string();
  double number = 0;
  const auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!value.IsScalar() || text.empty() || code != std::errc() ||
      end != text.data() + text.size()) {
    error(value_mark(key, value),
          std::string(path) + " must be a number, not " +
              (value.IsScalar() ? "'" + shown(text) + "'" : std::string(kind_name(value))) +
              " — write e.g. " + key.Scalar() + ": 0.2 (" + range + ")");
    return false;
  }
  if (number < min || number > max) {
    error(value.Mark(), std::string(path) + " is " + shown(text) + ", out of range — use " + range);
    return false;
  }
  out = number;
  return true;
}

std::optional<std::string> Reader::read_text(const YAML::Node& key, const YAML::Node& value,
                                             std::string_view path) {
  if (value.IsNull()) {
    error(key.Mark(), std::string(path) +
                          " has no value — write one (\"\" for an empty text), "
                          "or remove the line");
    return std::nullopt;
  }
  if (value.IsScalar()) return value.Scalar();
  error(value_mark(key, value), std::string(path) + " must be a single value, not " +
                                    std::string(kind_name(value)) + " — quote it");
  return std::nullopt;
}

std::optional<std::filesystem::path> Reader::read_path(const YAML::Node& key,
                                                       const YAML::Node& value,
                                                       std::string_view path) {
  auto text = read_text(key, value, path);
  if (!text) return std::nullopt;
  if (text->empty()) {
    error(value_mark(key, value), std::string(path) +
                                      " is empty — write a path (relative paths are relative to "
                                      "this file's folder), or remove the line");
    return std::nullopt;
  }
  return resolve(*text);
}

std::optional<std::size_t> Reader::read_choice(const YAML::Node& key, const YAML::Node& value,
                                               std::string_view path, std::string_view what,
                                               std::span<const std::string_view> choices) {
  auto text = read_text(key, value, path);
  if (!text) return std::nullopt;
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (iequals(choices[i], *text)) return i;
  std::string message =
      "unknown " + std::string(what) + " '" + shown(*text) + "' for " + std::string(path) + " — ";
  const std::string_view guess = manifest::detail::nearest(*text, choices);
  if (guess.empty())
    message += "use " + one_of(choices);
  else
    message += "did you mean '" + std::string(guess) + "'? The choices are " + one_of(choices);
  error(value_mark(key, value), std::move(message));
  return std::nullopt;
}

void Reader::read(const YAML::Node& root) {
  if (root.IsNull()) return;  // an empty file: every default
  if (!root.IsMap()) {
    error(root.Mark(), "the config must be a mapping of keys (listen:, plugin_dirs:, ...), not " +
                           std::string(kind_name(root)) +
                           " — see docs/configuration.md or packaging/secpilotd.yaml");
    return;
  }
  static constexpr std::string_view known[] = {"listen",
                                               "tls",
                                               "plugin_dirs",
                                               "store",
                                               "plugins",
                                               "security",
                                               "query_backends",
                                               "api_keys",
                                               "roles",
                                               "limits",
                                               "threads",
                                               "shutdown_grace_seconds",
                                               "log",
                                               "reload",
                                               "mcp",
                                               "http_client",
                                               "model",
                                               "promptbook_dirs"};
  fields(root, "", known, [&](std::string_view name, const YAML::Node& key, const YAML::Node& v) {
    if (name == "listen") {
      read_listen(key, v);
    } else if (name == "tls") {
      read_tls(key, v);
    } else if (name == "plugin_dirs") {
      read_plugin_dirs(key, v);
    } else if (name == "store") {
      read_store(key, v);
    } else if (name == "plugins") {
      detail::SettingsYaml::read_plugins(key, v, config_.settings, errors);
    } else if (name == "security") {
      security_mark_ = key.Mark();
      detail::SettingsYaml::read_security(key, v, config_.settings, errors);
    } else if (name == "query_backends") {
      detail::SettingsYaml::read_query_backends(key, v, config_.settings, errors);
    } else if (name == "api_keys") {
      read_api_keys(key, v);
    } else if (name == "roles") {
      read_roles(key, v);
    } else if (name == "limits") {
      read_limits(key, v);
    } else if (name == "threads") {
      read_threads(key, v);
    } else if (name == "shutdown_grace_seconds") {
      read_duration(key, v, name, 0, 3600, config_.shutdown_grace);
    } else if (name == "log") {
      read_log(key, v);
    } else if (name == "reload") {
      read_reload(key, v);
    } else if (name == "mcp") {
      read_mcp(key, v);
    } else if (name == "http_client") {
      read_http_client(key, v);
    } else if (name == "model") {
      read_model(key, v);
    } else if (name == "promptbook_dirs") {
      config_.promptbook_dirs.emplace();
      read_folders(key, v, "promptbook_dirs", "/usr/share/secpilot/promptbooks",
                   *config_.promptbook_dirs);
    }
  });

  if (listen_mark_ && !config_.listen.is_loopback() && !config_.tls)
    warnings.push_back({*listen_mark_, "listen address " + config_.listen.to_string() +
                                           " is reachable from other machines over plain HTTP, "
                                           "so API keys cross the network in clear text — add "
                                           "tls:, or listen on 127.0.0.1 behind a TLS proxy"});
  if (security_mark_ && config_.settings.allow_writable_plugins())
    warnings.push_back({*security_mark_,
                        "allow_writable_plugins is on: a plugin library others can write to will "
                        "be loaded, so they can run code as secpilotd — turn it off outside "
                        "development"});
  if (security_mark_ && config_.settings.isolation().untrusted == IsolationMode::in_process)
    warnings.push_back({*security_mark_,
                        "isolation is in_process: untrusted plugins run inside secpilotd, where "
                        "a crash takes the daemon down and their code can read every secret — "
                        "use process outside development, and trust plugins one by one"});
}

void Reader::read_listen(const YAML::Node& key, const YAML::Node& value) {
  if (!value.IsScalar()) {
    error(value_mark(key, value),
          "listen must be one \"host:port\" value, not " + std::string(kind_name(value)) +
              " — write e.g. listen: 127.0.0.1:8480 (quote IPv6: listen: \"[::1]:8480\")");
    return;
  }
  auto address = parse_listen_address(value.Scalar());
  if (!address) {
    error(value.Mark(), "listen: " + address.error().message);
    return;
  }
  config_.listen = std::move(*address);
  listen_mark_ = value.Mark();
}

void Reader::read_tls(const YAML::Node& key, const YAML::Node& value) {
  if (!section(key, value, "tls",
               "tls: { certificate: /etc/secpilot/tls.crt, key: /etc/secpilot/tls.key }"))
    return;
  static constexpr std::string_view known[] = {"certificate", "key"};
  std::optional<std::filesystem::path> certificate;
  std::optional<std::filesystem::path> private_key;
  bool written_wrong = false;
  fields(value, "tls", known, [&](std::string_view name, const YAML::Node& k, const YAML::Node& v) {
    auto path = read_path(k, v, name == "certificate" ? "tls.certificate" : "tls.key");
    if (!path) written_wrong = true;
    (name == "certificate" ? certificate : private_key) = std::move(path);
  });
  if (certificate && private_key) {
    config_.tls = TlsFiles{*certificate, *private_key};
  } else if (!written_wrong && (certificate || private_key)) {
    error(key.Mark(), certificate ? "tls has a certificate but no key — add key: with the path of "
                                    "the certificate's private key (PEM), or remove tls:"
                                  : "tls has a key but no certificate — add certificate: with the "
                                    "path of the certificate chain (PEM), or remove tls:");
  }
}

void Reader::read_plugin_dirs(const YAML::Node& key, const YAML::Node& value) {
  read_folders(key, value, "plugin_dirs", "/usr/lib/secpilot/plugins", config_.plugin_dirs);
}

void Reader::read_folders(const YAML::Node& key, const YAML::Node& value, std::string_view path,
                          std::string_view example, std::vector<std::filesystem::path>& out) {
  if (value.IsNull()) return;
  if (!value.IsSequence()) {
    error(value_mark(key, value), std::string(path) + " must be a list of folders, not " +
                                      std::string(kind_name(value)) + " — write e.g. " +
                                      std::string(path) + ": [ " + std::string(example) + " ]");
    return;
  }
  for (const auto& item : value)
    if (auto folder = read_path(item, item, "each entry of " + std::string(path)))
      out.push_back(std::move(*folder));
}

void Reader::read_store(const YAML::Node& key, const YAML::Node& value) {
  if (!section(key, value, "store", "store: { path: /var/lib/secpilot/secpilot.db }")) return;
  static constexpr std::string_view known[] = {"path"};
  fields(value, "store", known, [&](std::string_view, const YAML::Node& k, const YAML::Node& v) {
    if (auto path = read_path(k, v, "store.path")) config_.store.path = std::move(*path);
  });
}

void Reader::read_api_keys(const YAML::Node& key, const YAML::Node& value) {
  if (value.IsNull()) return;
  if (!value.IsSequence()) {
    error(value_mark(key, value),
          "api_keys must be a list, not " + std::string(kind_name(value)) +
              " — write one entry per key: - { name: ci, role: owner, sha256: \"...\" }");
    return;
  }
  std::map<std::string, int> names;   // lower-cased name -> line
  std::map<std::string, int> hashes;  // hash -> line
  std::size_t index = 0;
  for (const auto& entry : value)
    read_api_key(entry, index++, names, hashes);
}

void Reader::read_api_key(const YAML::Node& entry, std::size_t index,
                          std::map<std::string, int>& names, std::map<std::string, int>& hashes) {
  const std::string path = "api_keys[" + std::to_string(index) + "]";
  if (!entry.IsMap()) {
    error(entry.Mark(), path + " must be a mapping, not " + std::string(kind_name(entry)) +
                            " — write { name: ci, role: owner, user: ci-bot, sha256: \"...\" }");
    return;
  }
  static constexpr std::string_view known[] = {"name", "role", "user", "sha256"};
  BootstrapApiKey api_key;
  bool has_name = false;
  bool has_role = false;
  bool has_hash = false;
  bool valid = true;
  fields(entry, path, known, [&](std::string_view name, const YAML::Node& k, const YAML::Node& v) {
    const std::string field_path = path + "." + std::string(name);
    if (name == "name" || name == "user") {
      auto text = read_text(k, v, field_path);
      if (text && text->empty()) {
        error(value_mark(k, v), field_path + " is empty — write a name, e.g. ci");
        text.reset();
      }
      if (!text) {
        valid = false;
      } else if (name == "name") {
        const std::string folded = manifest::detail::lower(*text);
        if (auto [first, inserted] = names.emplace(folded, v.Mark().line + 1); !inserted) {
          error(v.Mark(), "API key name '" + shown(*text) + "' is used twice (first on line " +
                              std::to_string(first->second) + ") — give each key its own name");
          valid = false;
        }
        api_key.name = std::move(*text);
        has_name = true;
      } else {
        api_key.user = std::move(*text);
      }
    } else if (name == "role") {
      has_role = true;
      if (auto role = read_choice(k, v, field_path, "role", kRoleNames))
        api_key.role = static_cast<Role>(*role);
      else
        valid = false;
    } else if (name == "sha256") {
      has_hash = true;
      // Never echo the value: someone may have pasted the key itself here.
      const std::string fix =
          " — write the SHA-256 of the key, never the key itself: printf %s \"$KEY\" | sha256sum";
      auto text = read_text(k, v, field_path);
      if (!text) {
        valid = false;
      } else if (text->size() != 64) {
        error(value_mark(k, v), field_path + " must be 64 hexadecimal digits, not " +
                                    std::to_string(text->size()) + " characters" + fix);
        valid = false;
      } else if (auto bad = std::find_if_not(text->begin(), text->end(), is_hex);
                 bad != text->end()) {
        error(value_mark(k, v), field_path + " has a character that is not hexadecimal (at " +
                                    std::to_string(bad - text->begin() + 1) + " of 64)" + fix);
        valid = false;
      } else {
        api_key.sha256 = manifest::detail::lower(*text);
        if (auto [first, inserted] = hashes.emplace(api_key.sha256, v.Mark().line + 1); !inserted) {
          error(v.Mark(), field_path + " repeats the hash on line " +
                              std::to_string(first->second) +
                              " — one key, one entry; give each client its own key");
          valid = false;
        }
      }
    }
  });
  const auto missing = [&](std::string_view what, std::string_view example) {
    error(entry.Mark(), path + " has no " + std::string(what) + " — add " + std::string(example));
    valid = false;
  };
  if (!has_name) missing("name", "name: (what the key is for, e.g. ci)");
  if (!has_role) missing("role", "role: owner, contributor or reader");
  if (!has_hash) missing("sha256", "sha256: (printf %s \"$KEY\" | sha256sum)");
  if (!valid) return;
  if (api_key.user.empty()) api_key.user = api_key.name;
  config_.api_keys.push_back(std::move(api_key));
}

void Reader::read_roles(const YAML::Node& key, const YAML::Node& value) {
  if (!section(key, value, "roles", "roles: { upload_manifests: owner }")) return;
  static constexpr std::string_view known[] = {"upload_manifests"};
  fields(value, "roles", known, [&](std::string_view, const YAML::Node& k, const YAML::Node& v) {
    static constexpr std::string_view uploaders[] = {"owner", "contributor"};
    if (v.IsScalar() && iequals(v.Scalar(), "reader")) {
      error(v.Mark(),
            "readers may not upload manifests (roles.upload_manifests) — use owner or "
            "contributor");
      return;
    }
    if (auto role = read_choice(k, v, "roles.upload_manifests", "role", uploaders))
      config_.roles.upload_manifests = *role == 0 ? Role::owner : Role::contributor;
  });
}

void Reader::read_limits(const YAML::Node& key, const YAML::Node& value) {
  if (!section(key, value, "limits", "limits: { max_body_bytes: 1048576 }")) return;
  static constexpr std::string_view known[] = {
      "max_body_bytes",         "max_header_bytes",           "request_timeout_seconds",
      "idle_timeout_seconds",   "max_concurrent_evaluations", "rate_limit_per_minute",
      "failed_auth_per_minute", "skill_timeout_seconds",      "max_result_bytes"};
  Limits& limits = config_.limits;
  fields(value, "limits", known,
         [&](std::string_view name, const YAML::Node& k, const YAML::Node& v) {
           const std::string path = "limits." + std::string(name);
           if (name == "max_body_bytes")
             read_number(k, v, path, kKiB, kGiB, limits.max_body_bytes);
           else if (name == "max_header_bytes")
             read_number(k, v, path, kKiB, kMiB, limits.max_header_bytes);
           else if (name == "request_timeout_seconds")
             read_duration(k, v, path, 1, 3600, limits.request_timeout);
           else if (name == "idle_timeout_seconds")
             read_duration(k, v, path, 1, 86400, limits.idle_timeout);
           else if (name == "max_concurrent_evaluations")
             read_number(k, v, path, 1, 100000, limits.max_concurrent_evaluations);
           else if (name == "rate_limit_per_minute")
             read_number(k, v, path, 0, 1000000, limits.rate_limit_per_minute);
           else if (name == "failed_auth_per_minute")
             read_number(k, v, path, 0, 1000000, limits.failed_auth_per_minute);
           else if (name == "skill_timeout_seconds")
             read_duration(k, v, path, 1, 3600, limits.skill_timeout);
           else if (name == "max_result_bytes")
             read_number(k, v, path, kKiB, kGiB, limits.max_result_bytes);
         });
}

void Reader::read_threads(const YAML::Node& key, const YAML::Node& value) {
  if (!section(key, value, "threads", "threads: { io: 0, work: 0 }")) return;
  static constexpr std::string_view known[] = {"io", "work"};
  fields(value, "threads", known,
         [&](std::string_view name, const YAML::Node& k, const YAML::Node& v) {
           read_number(k, v, "threads." + std::string(name), 0, 1024,
                       name == "io" ? config_.threads.io : config_.threads.work);
         });
}

void Reader::read_log(const YAML::Node& key, const YAML::Node& value) {
  if (!section(key, value, "log", "log: { format: text, level: info }")) return;
  static constexpr std::string_view known[] = {"format", "level"};
  fields(value, "log", known, [&](std::string_view name, const YAML::Node& k, const YAML::Node& v) {
    if (name == "format") {
      if (auto format = read_choice(k, v, "log.format", "log format", kFormatNames))
        config_.log.format = static_cast<LogFormat>(*format);
      return;
    }
    // spdlog's short spellings are accepted too.
    if (v.IsScalar() && iequals(v.Scalar(), "warn")) {
      config_.log.level = LogLevel::warning;
    } else if (v.IsScalar() && iequals(v.Scalar(), "err")) {
      config_.log.level = LogLevel::error;
    } else if (auto level = read_choice(k, v, "log.level", "log level", kLevelNames)) {
      config_.log.level = static_cast<LogLevel>(*level);
    }
  });
}

void Reader::read_reload(const YAML::Node& key, const YAML::Node& value) {
  if (!section(key, value, "reload", "reload: { watch_plugin_dirs: true }")) return;
  static constexpr std::string_view known[] = {"watch_plugin_dirs", "debounce_milliseconds"};
  fields(value, "reload", known,
         [&](std::string_view name, const YAML::Node& k, const YAML::Node& v) {
           if (name == "watch_plugin_dirs")
             read_bool(k, v, "reload.watch_plugin_dirs", config_.reload.watch_plugin_dirs);
           else
             read_duration(k, v, "reload.debounce_milliseconds", 0, 60000, config_.reload.debounce);
         });
}

void Reader::read_mcp(const YAML::Node& key, const YAML::Node& value) {
  constexpr std::string_view example = "mcp: { allowed_origins: [ \"https://ide.example.com\" ] }";
  if (!section(key, value, "mcp", example)) return;
  static constexpr std::string_view known[] = {"allowed_origins"};
  fields(value, "mcp", known, [&](std::string_view, const YAML::Node& k, const YAML::Node& v) {
    if (v.IsNull()) return;
    if (!v.IsSequence()) {
      error(value_mark(k, v), "mcp.allowed_origins must be a list of origins, not " +
                                  std::string(kind_name(v)) + " — write e.g. " +
                                  std::string(example));
      return;
    }
    for (const auto& item : v) {
      auto origin = read_text(item, item, "each entry of mcp.allowed_origins");
      if (!origin) continue;
      // What a browser sends: scheme://host[:port], nothing after it.
      const auto scheme_end = origin->find("://");
      const bool well_formed =
          (origin->starts_with("http://") || origin->starts_with("https://")) &&
          origin->size() > scheme_end + 3 && origin->find('/', scheme_end + 3) == std::string::npos;
      if (!well_formed) {
        error(item.Mark(), "mcp.allowed_origins entry '" + *origin +
                               "' is not an origin — write scheme://host[:port], e.g. "
                               "https://ide.example.com, with no path");
        continue;
      }
      config_.mcp.allowed_origins.push_back(std::move(*origin));
    }
  });
}

void Reader::read_http_client(const YAML::Node& key, const YAML::Node& value) {
  if (!section(key, value, "http_client", "http_client: { default_timeout_seconds: 30 }")) return;
  static constexpr std::string_view known[] = {"default_timeout_seconds", "max_timeout_seconds",
                                               "ca_file"};
  net::HttpClientOptions& http = config_.http_client;
  std::optional<YAML::Mark> timeout_mark;
  fields(value, "http_client", known,
         [&](std::string_view name, const YAML::Node& k, const YAML::Node& v) {
           const std::string path = "http_client." + std::string(name);
           if (name == "ca_file") {
             // "" (or nothing) means the system's trust store alone.
             if (auto text = read_text(k, v, path))
               http.ca_file = text->empty() ? std::string() : resolve(*text).string();
             return;
           }
           std::chrono::seconds seconds = std::chrono::duration_cast<std::chrono::seconds>(
               name == "default_timeout_seconds" ? http.default_timeout : http.max_timeout);
           long long number = 0;
           if (!read_integer(k, v, path, 1, 3600, seconds.count(), number)) return;
           (name == "default_timeout_seconds" ? http.default_timeout : http.max_timeout) =
               std::chrono::seconds(number);
           if (!timeout_mark || name == "default_timeout_seconds") timeout_mark = v.Mark();
         });
  if (timeout_mark && http.default_timeout > http.max_timeout)
    error(*timeout_mark, "http_client.default_timeout_seconds (" +
                             std::to_string(http.default_timeout.count() / 1000) +
                             ") exceeds max_timeout_seconds (" +
                             std::to_string(http.max_timeout.count() / 1000) +
                             ") — lower the default or raise the maximum");
}

void Reader::read_model(const YAML::Node& key, const YAML::Node& value) {
  if (!section(key, value, "model",
               "model: { provider: openai, model: gpt-4.1, api_key: \"${OPENAI_API_KEY}\" }"))
    return;
  static constexpr std::string_view known[] = {
      "provider",     "base_url",   "model",       "deployment",
      "api_version",  "api_key",    "stream",      "request_timeout_seconds",
      "max_attempts", "max_tokens", "temperature", "parallel_tool_calls",
      "loop"};
  model::ModelOptions options;
  std::map<std::string, YAML::Mark, std::less<>> marks;  // where each key is, for validate()
  const std::size_t errors_before = errors.size();
  fields(value, "model", known,
         [&](std::string_view name, const YAML::Node& k, const YAML::Node& v) {
           marks.emplace(std::string(name), value_mark(k, v));
           read_model_field(name, k, v, options);
         });
  if (!marks.contains("provider")) {
    error(key.Mark(), "model has no provider — add provider: " + one_of(model::provider_names()));
    return;
  }
  if (errors.size() != errors_before) return;  // validate() would only add follow-on problems
  for (const model::OptionProblem& problem : model::validate(options)) {
    const auto mark = marks.find(problem.key);
    error(mark == marks.end() ? key.Mark() : mark->second,
          "model." + problem.key + ": " + problem.message);
  }
  for (const model::OptionProblem& risk : model::risks(options)) {
    const auto mark = marks.find(risk.key);
    warnings.push_back({mark == marks.end() ? key.Mark() : mark->second,
                        "model." + risk.key + ": " + risk.message});
  }
  if (errors.size() == errors_before) config_.model = std::move(options);
}

void Reader::read_model_field(std::string_view name, const YAML::Node& k, const YAML::Node& v,
                              model::ModelOptions& options) {
  const std::string path = "model." + std::string(name);
  if (name == "provider") {
    // Aliases (llamacpp) are accepted quietly; read_choice explains anything else.
    if (v.IsScalar()) {
      if (auto provider = model::provider_from_name(v.Scalar())) {
        options.provider = *provider;
        return;
      }
    }
    if (auto index = read_choice(k, v, path, "provider", model::provider_names()))
      options.provider = static_cast<model::Provider>(*index);
  } else if (name == "base_url" || name == "model" || name == "deployment" ||
             name == "api_version") {
    auto text = read_text(k, v, path);
    if (!text) return;
    (name == "base_url"     ? options.base_url
     : name == "model"      ? options.model
     : name == "deployment" ? options.deployment
                            : options.api_version) = std::move(*text);
  } else if (name == "api_key") {
    auto text = read_text(k, v, path);
    if (!text) return;
    if (!text->empty() && text->find("${") == std::string::npos)
      warnings.push_back({value_mark(k, v),
                          "model.api_key is written into the file — keep the key in the "
                          "environment and write api_key: \"${OPENAI_API_KEY}\" (see Secrets "
                          "from the environment in docs/configuration.md)"});
    auto expanded = expand_environment(*text);  // the value itself is never quoted
    if (!expanded)
      error(value_mark(k, v), path + ": " + expanded.error().message);
    else
      options.api_key = std::move(*expanded);
  } else if (name == "stream") {
    read_bool(k, v, path, options.stream);
  } else if (name == "parallel_tool_calls") {
    read_bool(k, v, path, options.parallel_tool_calls);
  } else if (name == "request_timeout_seconds") {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options.request_timeout);
    read_duration(k, v, path, 1, 3600, seconds);
    options.request_timeout = seconds;
  } else if (name == "max_attempts") {
    read_number(k, v, path, 1, 10, options.max_attempts);
  } else if (name == "max_tokens") {
    long long tokens = 0;
    if (read_integer(k, v, path, 1, 1'000'000, 1024, tokens))
      options.max_tokens = static_cast<int>(tokens);
  } else if (name == "temperature") {
    double temperature = 0;
    if (read_decimal(k, v, path, 0.0, 2.0, temperature)) options.temperature = temperature;
  } else if (name == "loop") {
    read_model_loop(k, v, options.loop);
  }
}

void Reader::read_model_loop(const YAML::Node& key, const YAML::Node& value,
                             model::LoopLimits& loop) {
  if (!section(key, value, "model.loop", "loop: { max_rounds: 8, max_tool_calls: 24 }")) return;
  static constexpr std::string_view known[] = {"max_rounds",         "max_tool_calls",
                                               "max_total_tokens",   "time_limit_seconds",
                                               "max_parallel_calls", "max_tool_output_bytes"};
  fields(value, "model.loop", known,
         [&](std::string_view name, const YAML::Node& k, const YAML::Node& v) {
           const std::string path = "model.loop." + std::string(name);
           if (name == "max_rounds")
             read_number(k, v, path, 1, 100, loop.max_rounds);
           else if (name == "max_tool_calls")
             read_number(k, v, path, 1, 1000, loop.max_tool_calls);
           else if (name == "max_total_tokens")
             read_number(k, v, path, 0, 100'000'000, loop.max_total_tokens);
           else if (name == "time_limit_seconds")
             read_duration(k, v, path, 1, 86400, loop.time_limit);
           else if (name == "max_parallel_calls")
             read_number(k, v, path, 1, 64, loop.max_parallel_calls);
           else if (name == "max_tool_output_bytes")
             read_number(k, v, path, 256, 16 * kMiB, loop.max_tool_output_bytes);
         });
}

// A hint for the one YAML mistake this file invites: an unquoted IPv6 listen address, which
// YAML reads as the start of a list.
std::string syntax_hint(std::string_view yaml, int line) {
  std::string_view rest = yaml;
  for (int i = 0; i < line && !rest.empty(); ++i) {
    const auto newline = rest.find('\n');
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  }
  const std::string_view text = rest.substr(0, rest.find('\n'));
  const auto open = text.find(": [");
  if (open != std::string_view::npos && text.find("]:", open) != std::string_view::npos)
    return "quote an IPv6 address with its port: listen: \"[::1]:8480\"";
  return "fix the YAML here (indentation, a missing ':' or closing bracket, or quote the value)";
}

std::string format(std::string_view origin, std::string_view severity, const YamlProblem& p) {
  return detail::yaml_location(origin, p.mark) + ": " + std::string(severity) + ": " + p.text;
}

void sort_by_position(YamlProblems& problems) {
  std::stable_sort(
      problems.begin(), problems.end(), [](const YamlProblem& a, const YamlProblem& b) {
        return std::pair(a.mark.line, a.mark.column) < std::pair(b.mark.line, b.mark.column);
      });
}

struct FileText {
  std::string text;
  std::string problem;  // empty when read
};

FileText read_file(const std::filesystem::path& path) {
  const std::string fix = " — check the path given to --config";
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error))
    return {{}, path.string() + ": error: cannot read the config file: it is a folder" + fix};
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    const int code = errno;
    return {{},
            path.string() + ": error: cannot read the config file: " +
                (code ? std::string(std::strerror(code)) : std::string("cannot open it")) + fix};
  }
  std::stringstream text;
  text << file.rdbuf();
  return {text.str(), {}};
}

Expected<DaemonConfig> to_expected(ConfigCheck&& check, Status status) {
  if (check.ok()) return std::move(check.config);
  std::string message;
  for (const std::string& problem : check.problems) {
    if (!message.empty()) message += '\n';
    message += problem;
  }
  return make_error(status, std::move(message));
}

}  // namespace

std::string_view role_name(Role role) noexcept {
  return kRoleNames[static_cast<std::size_t>(role)];
}

std::optional<Role> role_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < std::size(kRoleNames); ++i)
    if (iequals(kRoleNames[i], name)) return static_cast<Role>(i);
  return std::nullopt;
}

std::string_view log_format_name(LogFormat format) noexcept {
  return kFormatNames[static_cast<std::size_t>(format)];
}

std::string_view log_level_name(LogLevel level) noexcept {
  return kLevelNames[static_cast<std::size_t>(level)];
}

bool ListenAddress::is_ipv6() const noexcept {
  return host.find(':') != std::string::npos;
}

bool ListenAddress::is_loopback() const noexcept {
  if (is_ipv6()) {
    in6_addr address{};
    return inet_pton(AF_INET6, host.c_str(), &address) == 1 && IN6_IS_ADDR_LOOPBACK(&address);
  }
  in_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

std::string ListenAddress::to_string() const {
  const std::string port_text = std::to_string(port);
  return is_ipv6() ? "[" + host + "]:" + port_text : host + ":" + port_text;
}

Expected<ListenAddress> parse_listen_address(std::string_view text) {
  const auto bad = [&](const std::string& what) {
    return make_error(Status::invalid_input, "'" + shown(text) + "' " + what);
  };
  const std::string examples =
      "127.0.0.1:8480 (this machine only), 0.0.0.0:8480 (every interface) or \"[::1]:8480\"";
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return bad("has no closing ']' — write an IPv6 address as \"[::1]:8480\"");
    host = text.substr(1, close - 1);
    const std::string_view after = text.substr(close + 1);
    if (after.empty() || after.front() != ':')
      return bad("has no port — write \"[" + std::string(host) + "]:8480\"");
    port = after.substr(1);
    in6_addr address{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &address) != 1)
      return bad("is not an IPv6 address in brackets — write e.g. \"[::1]:8480\"");
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      if (!text.empty() &&
          std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return bad("has no host — write e.g. 127.0.0.1:" + std::string(text));
      return bad("has no port — write host:port, e.g. " + examples);
    }
    if (text.find(':') != colon)
      return bad("looks like an IPv6 address without brackets — write \"[::1]:8480\"");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.empty()) return bad("has no host — write e.g. " + examples);
    in_addr address{};
    if (inet_pton(AF_INET, std::string(host).c_str(), &address) != 1) {
      if (iequals(host, "localhost"))
        return bad("names a host — write 127.0.0.1:" + std::string(port) +
                   " or \"[::1]:" + std::string(port) + "\"");
      return bad("does not start with an IP address — a daemon binds to an address: write e.g. " +
                 examples);
    }
  }
  unsigned number = 0;
  const auto [end, code] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || code != std::errc() || end != port.data() + port.size() || number > 65535)
    return bad("has no valid port (0 to 65535; 0 picks a free one) — write e.g. " + examples);
  ListenAddress address;
  address.host = std::string(host);
  address.port = static_cast<std::uint16_t>(number);
  return address;
}

unsigned resolve_thread_count(unsigned configured) noexcept {
  if (configured > 0) return configured;
  return std::max(1u, std::thread::hardware_concurrency());
}

DaemonConfig DaemonConfig::defaults() {
  DaemonConfig config;
  config.store.path = default_store_path();
  return config;
}

ConfigCheck check_daemon_config(std::string_view yaml, const std::filesystem::path& origin) {
  ConfigCheck check;
  check.config = DaemonConfig::defaults();
  std::filesystem::path base = current_directory();
  if (!origin.empty()) {
    check.config.source = (base / origin).lexically_normal();
    base = check.config.source.parent_path();
  }
  const std::string name = origin.string();

  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    check.problems.push_back(
        format(name, "error", {e.mark, e.msg + " — " + syntax_hint(yaml, e.mark.line)}));
    return check;
  }
  Reader reader(name, base, check.config);
  reader.read(root);
  sort_by_position(reader.errors);
  sort_by_position(reader.warnings);
  for (const YamlProblem& problem : reader.errors)
    check.problems.push_back(format(name, "error", problem));
  for (const YamlProblem& warning : reader.warnings)
    check.warnings.push_back(format(name, "warning", warning));
  return check;
}

ConfigCheck check_daemon_config_file(const std::filesystem::path& path) {
  FileText file = read_file(path);
  if (!file.problem.empty()) {
    ConfigCheck check;
    check.config = DaemonConfig::defaults();
    check.problems.push_back(std::move(file.problem));
    return check;
  }
  return check_daemon_config(file.text, path);
}

Expected<DaemonConfig> parse_daemon_config(std::string_view yaml,
                                           const std::filesystem::path& origin) {
  return to_expected(check_daemon_config(yaml, origin), Status::invalid_input);
}

Expected<DaemonConfig> load_daemon_config(const std::filesystem::path& path) {
  FileText file = read_file(path);
  if (!file.problem.empty()) return make_error(Status::not_found, std::move(file.problem));
  return to_expected(check_daemon_config(file.text, path), Status::invalid_input);
}

}  // namespace secpilot::config
