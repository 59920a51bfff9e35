#include "posture/apt_config.hpp"

#include <optional>

#include "text_util.hpp"

namespace posture {
namespace {

struct Token {
  enum Kind { word, string, open, close, semicolon, clear, end } kind;
  std::string text;
  int line;
};

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}

  Token next() {
    if (pending_) {
      Token token = std::move(*pending_);
      pending_.reset();
      return token;
    }
    skip_blanks_and_comments();
    if (pos_ >= text_.size()) return {Token::end, "", line_};
    const char c = text_[pos_];
    const int line = line_;
    if (c == '{' || c == '}' || c == ';') {
      ++pos_;
      return {c == '{' ? Token::open : c == '}' ? Token::close : Token::semicolon, "", line};
    }
    if (c == '"') {
      const size_t end = text_.find('"', pos_ + 1);
      const size_t stop = end == std::string_view::npos ? text_.size() : end;
      std::string value(text_.substr(pos_ + 1, stop - pos_ - 1));
      count_lines(pos_, stop);
      pos_ = stop == text_.size() ? stop : stop + 1;
      return {Token::string, std::move(value), line};
    }
    if (c == '#') {  // "#clear key;" (or #include, not followed); else a comment line
      const size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != ' ' && text_[pos_] != '\t' &&
             text_[pos_] != '\n')
        ++pos_;
      if (iequals(text_.substr(start, pos_ - start), "#clear")) return {Token::clear, "", line};
      skip_to_line_end();
      return next();
    }
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           std::string_view(" \t\r\n{};\"").find(text_[pos_]) == std::string_view::npos)
      ++pos_;
    return {Token::word, std::string(text_.substr(start, pos_ - start)), line};
  }

 private:
  void count_lines(size_t from, size_t to) {
    for (size_t i = from; i < to && i < text_.size(); ++i)
      if (text_[i] == '\n') ++line_;
  }
  void skip_to_line_end() {
    while (pos_ < text_.size() && text_[pos_] != '\n')
      ++pos_;
  }
  void skip_blanks_and_comments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (text_.substr(pos_, 2) == "//") {
        skip_to_line_end();
      } else if (text_.substr(pos_, 2) == "/*") {
        const size_t end = text_.find("*/", pos_ + 2);
        const size_t stop = end == std::string_view::npos ? text_.size() : end + 2;
        count_lines(pos_, stop);
        pos_ = stop;
      } else {
        return;
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;

 public:
  // Gives a token back, to be returned by the next call.
  void unread(Token token) { pending_ = std::move(token); }

 private:
  std::optional<Token> pending_;
};

std::string scoped(const std::vector<std::string>& scope, std::string_view key) {
  std::string full;
  for (const auto& part : scope)
    full += part + "::";
  full += to_lower(key);
  return full;
}

bool valid_part_name(std::string_view name) {
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-' || c == '.'))
      return false;
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos || name.substr(dot) == ".conf";
}

}  // namespace

const AptValue* AptConfig::scalar(std::string_view key) const {
  auto found = values.find(to_lower(key));
  return found == values.end() || found->second.empty() ? nullptr : &found->second.back();
}

std::vector<AptValue> AptConfig::list(std::string_view key) const {
  auto found = values.find(to_lower(key));
  return found == values.end() ? std::vector<AptValue>{} : found->second;
}

void parse_apt_config(std::string_view text, std::string_view file, AptConfig& config) {
  Tokenizer tokens(text);
  std::vector<std::string> scope;
  for (Token token = tokens.next(); token.kind != Token::end; token = tokens.next()) {
    switch (token.kind) {
      case Token::close:
        if (!scope.empty()) scope.pop_back();
        break;
      case Token::string:  // a list item: 'Origins-Pattern { "origin=Debian"; };'
        if (!scope.empty()) {
          std::string key;
          for (const auto& part : scope)
            key += (key.empty() ? "" : "::") + part;
          config.values[key].push_back({token.text, std::string(file), token.line});
        }
        break;
      case Token::clear: {
        const Token key = tokens.next();
        const std::string prefix = scoped(scope, key.text);
        std::erase_if(config.values, [&](const auto& entry) {
          return entry.first == prefix || entry.first.starts_with(prefix + "::");
        });
        break;
      }
      case Token::word: {
        const Token after = tokens.next();
        if (after.kind == Token::open) {
          scope.push_back(to_lower(token.text));
        } else if (after.kind != Token::string && after.kind != Token::word) {
          tokens.unread(after);  // a malformed line: let '}' and ';' keep their meaning
        } else {
          config.values[scoped(scope, token.text)].push_back(
              {after.text, std::string(file), token.line});
          if (Token brace = tokens.next(); brace.kind == Token::open)
            scope.push_back(to_lower(token.text));  // 'Key "value" { ... };' is rare but valid
          else
            tokens.unread(std::move(brace));
        }
        break;
      }
      default:
        break;
    }
  }
}

AptConfig load_apt_config(const RootFs& fs) {
  AptConfig config;
  const auto dir = fs.stat("/etc/apt");
  config.present = dir && S_ISDIR(dir->st_mode);
  if (!config.present) return config;
  std::vector<std::string> files;
  for (const auto& name : fs.list("/etc/apt/apt.conf.d").names)
    if (valid_part_name(name)) files.push_back(join_host_path("/etc/apt/apt.conf.d", name));
  files.emplace_back("/etc/apt/apt.conf");
  for (const auto& path : files) {
    const FileText file = fs.read(path);
    if (file.state != FileText::State::ok) continue;
    config.files.push_back(path);
    parse_apt_config(file.text, path, config);
  }
  return config;
}

}  // namespace posture
