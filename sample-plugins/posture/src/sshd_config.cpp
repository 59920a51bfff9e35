#include "posture/sshd_config.hpp"

#include <set>

#include "text_util.hpp"

namespace posture {
namespace {

// sshd's own limit on nested Include files (READCONF_MAX_DEPTH).
constexpr int kMaxIncludeDepth = 16;
constexpr std::string_view kSshDir = "/etc/ssh";

// sshd's argument splitting: blanks separate, double or single quotes group, a backslash escapes
// a quote, and a word starting with '#' ends the line.
std::vector<std::string> split_arguments(std::string_view text) {
  std::vector<std::string> args;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
      ++i;
    if (i >= text.size() || text[i] == '#') break;
    std::string arg;
    char quote = 0;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (quote == 0 && (c == ' ' || c == '\t')) break;
      if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\'')) {
        arg += text[++i];
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else {
        arg += c;
      }
    }
    args.push_back(std::move(arg));
  }
  return args;
}

class Loader {
 public:
  Loader(const RootFs& fs, SshdConfig& config) : fs_(fs), config_(config) {}

  void load_file(const std::string& path, const std::string& match, int depth) {
    FileText file = fs_.read(path);
    if (depth == 0) {
      config_.state = file.state;
      config_.error = file.error;
    }
    if (file.state != FileText::State::ok) {
      if (depth > 0)
        config_.problems.push_back({path, 0, "", "cannot read this included file: " + file.error});
      return;
    }
    config_.files.push_back(path);
    if (file.truncated)
      config_.problems.push_back({path, 0, "", "only the first 4 MiB of this file were read"});
    // A Match block ends at the end of the file it started in: sshd restores the including
    // file's Match state after an Include.
    std::string current_match = match;
    for (const auto& line : split_lines(file.text)) {
      SshdDirective directive;
      if (!parse_sshd_line(line.text, directive)) continue;
      directive.file = path;
      directive.line = line.number;
      if (directive.keyword == "match") {
        if (directive.args.empty())
          config_.problems.push_back(
              {path, line.number, "match", "Match has no criteria: sshd refuses to start with it"});
        // Without criteria the block matches nothing sshd could evaluate; keep its lines out of
        // the global section all the same.
        current_match = directive.args.empty() ? "(no criteria)" : join(directive.args, " ");
        continue;
      }
      if (directive.args.empty()) {
        config_.problems.push_back(
            {path, line.number, directive.keyword,
             "'" + directive.text + "' has no value: sshd refuses to start with this line"});
        continue;
      }
      if (directive.keyword == "include") {
        include(directive, current_match, depth);
        continue;
      }
      directive.match = current_match;
      config_.directives.push_back(std::move(directive));
    }
  }

 private:
  void include(const SshdDirective& directive, const std::string& match, int depth) {
    if (depth + 1 > kMaxIncludeDepth) {
      config_.problems.push_back({directive.file, directive.line, "include",
                                  "Include nested more than 16 deep: sshd refuses to start"});
      return;
    }
    for (const auto& pattern : directive.args) {
      const std::string absolute =
          pattern.front() == '/' ? pattern : join_host_path(kSshDir, pattern);
      for (const auto& path : fs_.glob(absolute))
        load_file(path, match, depth + 1);
    }
  }

  const RootFs& fs_;
  SshdConfig& config_;
};

}  // namespace

bool parse_sshd_line(std::string_view line, SshdDirective& directive) {
  line = trim(line);
  if (line.empty() || line.front() == '#') return false;
  size_t end = line.find_first_of(" \t=");
  if (end == std::string_view::npos) end = line.size();
  directive.keyword = to_lower(line.substr(0, end));
  std::string_view rest = line.substr(end);
  rest = trim(rest);
  if (!rest.empty() && rest.front() == '=') rest = trim(rest.substr(1));
  directive.args = split_arguments(rest);
  directive.text = std::string(line);
  return true;
}

const SshdDirective* SshdConfig::effective(std::string_view keyword) const {
  const SshdDirective* global = nullptr;
  for (const auto& directive : directives) {
    if (directive.keyword != keyword) continue;
    if (iequals(directive.match, "all")) return &directive;
    if (directive.match.empty() && !global) global = &directive;
  }
  return global;
}

std::vector<const SshdDirective*> SshdConfig::conditional(std::string_view keyword) const {
  std::vector<const SshdDirective*> found;
  std::set<std::string> blocks;
  for (const auto& directive : directives)
    if (directive.keyword == keyword && !directive.match.empty() &&
        !iequals(directive.match, "all") &&
        blocks.insert(directive.file + ":" + directive.match).second)
      found.push_back(&directive);
  return found;
}

SshdConfig load_sshd_config(const RootFs& fs) {
  SshdConfig config;
  Loader(fs, config).load_file(std::string(kSshdConfigPath), "", 0);
  return config;
}

}  // namespace posture
