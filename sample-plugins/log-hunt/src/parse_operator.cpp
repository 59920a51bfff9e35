// parse / parse-where. kind=simple (and relaxed): the pattern is matched left to right from the
// start of the text: a literal must come next (first) or, after a column or `*`, at its first
// occurrence; a column captures up to there (the last one to the end). No regular expression
// and no backtracking, so long texts cost a few memchr-speed searches. kind=regex: the pattern
// becomes one regular expression (texts as fragments, columns as lazy groups). Captures convert
// to their declared types; a row whose text does not match gets empty strings and nulls (parse)
// or is dropped (parse-where).
#include <regex>

#include "kql_regex.hpp"
#include "log_hunt/convert.hpp"
#include "operators.hpp"

namespace log_hunt {
namespace {

// Capturing groups a regex fragment opens: `(` not escaped, not `(?`, outside `[...]`.
size_t capturing_groups(std::string_view fragment) {
  size_t groups = 0;
  bool in_class = false;
  for (size_t i = 0; i < fragment.size(); ++i) {
    const char c = fragment[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(' && (i + 1 >= fragment.size() || fragment[i + 1] != '?')) {
      ++groups;
    }
  }
  return groups;
}

std::string escape_regex(std::string_view text) {
  static const std::string kSpecial = R"(\^$.|?*+()[]{}/)";
  std::string out;
  for (char c : text) {
    if (kSpecial.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

class ParseOperator : public Operator {
 public:
  ParseOperator(OperatorPtr input, ExpressionPtr source, const std::vector<kql::ParsePart>& pattern,
                bool keep_only_matches, bool regex_texts)
      : input_(std::move(input)),
        source_(std::move(source)),
        keep_only_matches_(keep_only_matches) {
    schema_ = input_->schema();
    std::string regex = "^";
    size_t group = 0;  // capturing groups so far, the fragments' own included
    for (size_t i = 0; i < pattern.size(); ++i) {
      const auto& part = pattern[i];
      const bool last = i + 1 == pattern.size();
      switch (part.kind) {
        case kql::ParsePart::Kind::Text:
          regex += regex_texts ? part.text : escape_regex(part.text);
          if (regex_texts) group += capturing_groups(part.text);
          break;
        case kql::ParsePart::Kind::Wildcard:
          regex += last ? "[\\s\\S]*" : "[\\s\\S]*?";
          break;
        case kql::ParsePart::Kind::Column: {
          regex += last ? "([\\s\\S]*)" : "([\\s\\S]*?)";
          groups_.push_back(++group);
          Type type = part.type == Type::Unknown ? Type::String : part.type;
          int index = find_column(schema_, part.text);
          if (index < 0) {
            schema_.push_back({part.text, type});
            index = static_cast<int>(schema_.size() - 1);
          } else {
            schema_[static_cast<size_t>(index)].type = type;
          }
          targets_.push_back(static_cast<size_t>(index));
          break;
        }
      }
    }
    regex_texts_ = regex_texts;
    pattern_ = pattern;
    if (regex_texts) regex_ = compile_kql_regex(regex);
  }

  const Row* next() override {
    while (const Row* in = input_->next()) {
      row_ = *in;
      row_.resize(schema_.size());
      text_ = to_text(source_->eval(*in));
      const bool matched = regex_texts_ ? match_regex() : match_simple();
      bool converted = true;
      for (size_t i = 0; i < targets_.size(); ++i) {
        const size_t column = targets_[i];
        const Type type = schema_[column].type;
        if (matched) {
          value_from_text(captures_[i], type, row_[column]);
          converted = converted && (!row_[column].is_null || row_[column].is_string_like());
        } else {
          row_[column] = Value::null_of(type);
        }
      }
      if (keep_only_matches_ && (!matched || !converted)) continue;
      return &row_;
    }
    return nullptr;
  }

 private:
  bool match_regex() {
    std::smatch match;
    if (text_.size() > kMaxRegexInput) text_.resize(kMaxRegexInput);
    if (!std::regex_search(text_, match, regex_)) return false;
    captures_.clear();
    for (size_t group : groups_)
      captures_.push_back(match.str(group));
    return true;
  }

  bool match_simple() {
    captures_.clear();
    const std::string_view text = text_;
    size_t pos = 0;
    bool open_capture = false;  // a column waits for the next literal to end it
    bool skipping = false;      // `*` waits for the next literal
    size_t capture_start = 0;
    for (const auto& part : pattern_) {
      switch (part.kind) {
        case kql::ParsePart::Kind::Text: {
          const size_t at =
              (open_capture || skipping)
                  ? text.find(part.text, pos)
                  : (text.substr(pos, part.text.size()) == part.text ? pos
                                                                     : std::string_view::npos);
          if (at == std::string_view::npos) return false;
          if (open_capture) captures_.emplace_back(text.substr(capture_start, at - capture_start));
          open_capture = skipping = false;
          pos = at + part.text.size();
          break;
        }
        case kql::ParsePart::Kind::Wildcard:
          if (open_capture) captures_.emplace_back();  // two open ends in a row: the first is empty
          open_capture = false;
          skipping = true;
          break;
        case kql::ParsePart::Kind::Column:
          if (open_capture) captures_.emplace_back();
          open_capture = true;
          skipping = false;
          capture_start = pos;
          break;
      }
    }
    if (open_capture) captures_.emplace_back(text.substr(capture_start));
    return true;
  }

  OperatorPtr input_;
  ExpressionPtr source_;
  bool keep_only_matches_;
  bool regex_texts_ = false;
  std::vector<kql::ParsePart> pattern_;
  std::vector<std::string> captures_;
  std::vector<size_t> groups_;  // kind=regex: the group of each column
  std::vector<size_t> targets_;
  std::regex regex_;
  std::string text_;
  Row row_;
};

}  // namespace

OperatorPtr make_parse(OperatorPtr input, ExpressionPtr source, std::vector<kql::ParsePart> pattern,
                       bool keep_only_matches, bool regex_texts) {
  return std::make_unique<ParseOperator>(std::move(input), std::move(source), pattern,
                                         keep_only_matches, regex_texts);
}

}  // namespace log_hunt
