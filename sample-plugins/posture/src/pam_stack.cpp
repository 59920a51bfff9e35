#include "pam_stack.hpp"

#include "text_util.hpp"

namespace posture {
namespace {

constexpr int kMaxIncludeDepth = 8;

// Splits a PAM line into words, keeping "[...]" control groups together.
std::vector<std::string> pam_words(std::string_view line) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    if (i >= line.size()) break;
    size_t end = i;
    if (line[i] == '[') {
      end = line.find(']', i);
      end = end == std::string_view::npos ? line.size() : end + 1;
    } else {
      while (end < line.size() && line[end] != ' ' && line[end] != '\t')
        ++end;
    }
    words.emplace_back(line.substr(i, end - i));
    i = end;
  }
  return words;
}

void load_into(const RootFs& fs, const std::string& path, PamStack& stack, int depth) {
  FileText file = fs.read(path);
  if (depth == 0) {
    stack.state = file.state;
    stack.error = file.error;
    stack.file = path;
  }
  if (file.state != FileText::State::ok) return;
  for (const auto& line : split_lines(file.text)) {
    const std::string_view text = trim(line.text);
    if (text.empty() || text.front() == '#') continue;
    auto words = pam_words(text.substr(0, text.find('#')));
    if (words.empty()) continue;
    if (words[0] == "@include") {
      if (words.size() >= 2 && depth < kMaxIncludeDepth)
        load_into(fs, join_host_path("/etc/pam.d", words[1]), stack, depth + 1);
      continue;
    }
    if (words.size() < 3) continue;  // PAM skips a line without type, control and module
    PamRule rule;
    rule.type = to_lower(words[0]);
    if (!rule.type.empty() && rule.type.front() == '-') rule.type.erase(0, 1);
    rule.control = words[1];
    rule.module = words[2].substr(words[2].rfind('/') + 1);
    rule.args.assign(words.begin() + 3, words.end());
    rule.file = path;
    rule.line = line.number;
    rule.text = std::string(text);
    stack.rules.push_back(std::move(rule));
  }
}

}  // namespace

std::vector<const PamRule*> PamStack::find(std::string_view type, std::string_view module) const {
  std::vector<const PamRule*> found;
  for (const auto& rule : rules)
    if (rule.type == type && rule.module == module) found.push_back(&rule);
  return found;
}

PamStack load_pam_stack(const RootFs& fs, std::string_view service) {
  PamStack stack;
  load_into(fs, join_host_path("/etc/pam.d", service), stack, 0);
  return stack;
}

const std::string* arg_value(const PamRule& rule, std::string_view name, std::string& storage) {
  const std::string* found = nullptr;
  for (const auto& arg : rule.args)
    if (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 &&
        arg[name.size()] == '=') {
      storage = arg.substr(name.size() + 1);
      found = &storage;
    }
  return found;
}

bool has_arg(const PamRule& rule, std::string_view flag) {
  for (const auto& arg : rule.args)
    if (arg == flag) return true;
  return false;
}

}  // namespace posture
