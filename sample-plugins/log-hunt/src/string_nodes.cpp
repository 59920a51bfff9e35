// has, contains, startswith, endswith, hasprefix, hassuffix (case-insensitive unless _cs, each
// with a negation) and `matches regex`. A constant needle or pattern is prepared once per query.
#include <optional>
#include <regex>

#include "kql_regex.hpp"
#include "log_hunt/text.hpp"
#include "scalar_nodes.hpp"

namespace log_hunt {
namespace {

using kql::BinaryOp;

enum class Test { Has, HasPrefix, HasSuffix, Contains, StartsWith, EndsWith };

struct PredicateKind {
  Test test;
  bool case_sensitive;
  bool negated;
};

PredicateKind kind_of(BinaryOp op) {
  switch (op) {
    case BinaryOp::Has:
      return {Test::Has, false, false};
    case BinaryOp::NotHas:
      return {Test::Has, false, true};
    case BinaryOp::HasCs:
      return {Test::Has, true, false};
    case BinaryOp::NotHasCs:
      return {Test::Has, true, true};
    case BinaryOp::HasPrefix:
      return {Test::HasPrefix, false, false};
    case BinaryOp::NotHasPrefix:
      return {Test::HasPrefix, false, true};
    case BinaryOp::HasPrefixCs:
      return {Test::HasPrefix, true, false};
    case BinaryOp::NotHasPrefixCs:
      return {Test::HasPrefix, true, true};
    case BinaryOp::HasSuffix:
      return {Test::HasSuffix, false, false};
    case BinaryOp::NotHasSuffix:
      return {Test::HasSuffix, false, true};
    case BinaryOp::HasSuffixCs:
      return {Test::HasSuffix, true, false};
    case BinaryOp::NotHasSuffixCs:
      return {Test::HasSuffix, true, true};
    case BinaryOp::Contains:
      return {Test::Contains, false, false};
    case BinaryOp::NotContains:
      return {Test::Contains, false, true};
    case BinaryOp::ContainsCs:
      return {Test::Contains, true, false};
    case BinaryOp::NotContainsCs:
      return {Test::Contains, true, true};
    case BinaryOp::StartsWith:
      return {Test::StartsWith, false, false};
    case BinaryOp::NotStartsWith:
      return {Test::StartsWith, false, true};
    case BinaryOp::StartsWithCs:
      return {Test::StartsWith, true, false};
    case BinaryOp::NotStartsWithCs:
      return {Test::StartsWith, true, true};
    case BinaryOp::EndsWith:
      return {Test::EndsWith, false, false};
    case BinaryOp::NotEndsWith:
      return {Test::EndsWith, false, true};
    case BinaryOp::EndsWithCs:
      return {Test::EndsWith, true, false};
    case BinaryOp::NotEndsWithCs:
      return {Test::EndsWith, true, true};
    default:
      return {Test::Contains, false, false};
  }
}

bool run_test(Test test, const TermMatcher& matcher, std::string_view text) {
  switch (test) {
    case Test::Has:
      return matcher.has(text);
    case Test::HasPrefix:
      return matcher.has_prefix(text);
    case Test::HasSuffix:
      return matcher.has_suffix(text);
    case Test::Contains:
      return matcher.contains(text);
    case Test::StartsWith:
      return matcher.starts_with(text);
    case Test::EndsWith:
      return matcher.ends_with(text);
  }
  return false;
}

// The text a string operator sees: strings as they are, anything else as tostring() gives it.
std::string_view text_of(const Value& value, std::string& scratch) {
  if (value.is_string_like()) return value.text;
  scratch.clear();
  append_text(value, scratch);
  return scratch;
}

class StringPredicateExpression : public Expression {
 public:
  StringPredicateExpression(PredicateKind kind, ExpressionPtr left, ExpressionPtr right)
      : Expression(Type::Bool), kind_(kind), left_(std::move(left)), right_(std::move(right)) {
    if (right_->is_constant()) {
      std::string scratch;
      matcher_.emplace(text_of(constant_value(*right_), scratch), kind_.case_sensitive);
    }
  }

  const Value& eval(const Row& row) override {
    std::string_view text = text_of(left_->eval(row), left_scratch_);
    bool holds;
    if (matcher_) {
      holds = run_test(kind_.test, *matcher_, text);
    } else {
      TermMatcher matcher(text_of(right_->eval(row), right_scratch_), kind_.case_sensitive);
      holds = run_test(kind_.test, matcher, text);
    }
    result_.set_bool(kind_.negated ? !holds : holds);
    return result_;
  }

 private:
  PredicateKind kind_;
  ExpressionPtr left_, right_;
  std::optional<TermMatcher> matcher_;
  std::string left_scratch_, right_scratch_;
  Value result_;
};

class RegexMatchExpression : public Expression {
 public:
  RegexMatchExpression(ExpressionPtr left, ExpressionPtr pattern)
      : Expression(Type::Bool), left_(std::move(left)), pattern_(std::move(pattern)) {
    if (pattern_->is_constant()) regex_ = compile(to_text(constant_value(*pattern_)));
  }

  static std::regex compile(const std::string& pattern) { return compile_kql_regex(pattern); }

  const Value& eval(const Row& row) override {
    std::string_view text = regex_input(text_of(left_->eval(row), scratch_));
    if (!regex_) {
      std::string pattern = to_text(pattern_->eval(row));
      if (pattern != last_pattern_) {
        dynamic_regex_ = compile(pattern);
        last_pattern_ = pattern;
      }
    }
    const std::regex& regex = regex_ ? *regex_ : dynamic_regex_;
    result_.set_bool(std::regex_search(text.begin(), text.end(), regex));
    return result_;
  }

 private:
  ExpressionPtr left_, pattern_;
  std::optional<std::regex> regex_;
  std::regex dynamic_regex_;
  std::string last_pattern_;
  std::string scratch_;
  Value result_;
};

}  // namespace

ExpressionPtr make_string_predicate(BinaryOp op, ExpressionPtr left, ExpressionPtr right) {
  return std::make_unique<StringPredicateExpression>(kind_of(op), std::move(left),
                                                     std::move(right));
}

ExpressionPtr make_regex_match(ExpressionPtr left, ExpressionPtr pattern) {
  return std::make_unique<RegexMatchExpression>(std::move(left), std::move(pattern));
}

}  // namespace log_hunt
