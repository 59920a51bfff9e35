// Expressions in words: values, conditions, aggregations and group keys.
#include <array>
#include <cctype>

#include "explain/describe.hpp"
#include "kql/functions.hpp"
#include "kql/literals.hpp"
#include "kql/print.hpp"

namespace kql_skills {
namespace {

using kql::BinaryOp;
using kql::Expr;

struct UnitWord {
  std::string_view spelling;
  std::string_view word;
};

constexpr std::array<UnitWord, 25> kUnitWords{{
    {"d", "day"},
    {"day", "day"},
    {"days", "day"},
    {"h", "hour"},
    {"hr", "hour"},
    {"hrs", "hour"},
    {"hour", "hour"},
    {"hours", "hour"},
    {"m", "minute"},
    {"min", "minute"},
    {"mins", "minute"},
    {"minute", "minute"},
    {"minutes", "minute"},
    {"s", "second"},
    {"sec", "second"},
    {"second", "second"},
    {"seconds", "second"},
    {"ms", "millisecond"},
    {"milli", "millisecond"},
    {"millis", "millisecond"},
    {"millisecond", "millisecond"},
    {"milliseconds", "millisecond"},
    {"microsecond", "microsecond"},
    {"microseconds", "microsecond"},
    {"tick", "tick"},
}};

const kql::CallExpr* as_call(const Expr& expr, std::string_view name = {}) {
  const auto* call = std::get_if<kql::CallExpr>(&expr.node);
  return call && (name.empty() || call->name == name) ? call : nullptr;
}

const kql::ColumnRef* as_column(const Expr& expr) {
  return std::get_if<kql::ColumnRef>(&expr.node);
}

bool is_time_column(const Expr& expr) {
  const auto* column = as_column(expr);
  return column && (column->name == "Timestamp" || column->name == "TimeGenerated");
}

std::string negated_verb(bool negated, std::string_view verb) {
  // "contains" -> "does not contain", "starts with" -> "does not start with"
  if (!negated) return std::string(verb);
  std::string base(verb);
  const size_t space = base.find(' ');
  std::string first = base.substr(0, space);
  if (first.ends_with('s')) first.pop_back();
  return "does not " + first + (space == std::string::npos ? "" : base.substr(space));
}

}  // namespace

std::string word_list(const std::vector<std::string>& words, size_t limit) {
  std::string text;
  const size_t shown = std::min(words.size(), limit);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) text += (i + 1 == shown && shown == words.size()) ? " and " : ", ";
    text += words[i];
  }
  if (shown < words.size()) text += " and " + std::to_string(words.size() - shown) + " more";
  return text;
}

std::string_view Describer::slice(const kql::SourceRange& range) const {
  if (range.offset >= text_.size()) return {};
  return text_.substr(range.offset, std::min(range.length, text_.size() - range.offset));
}

std::string Describer::duration(const Expr& expr) const {
  const auto* literal = std::get_if<kql::Literal>(&expr.node);
  if (!literal || literal->type != kql::ScalarType::TimeSpan) return value(expr);
  // Use the spelling: 24h reads "24 hours", not "1 day".
  const std::string_view spelt = slice(expr.range);
  size_t digits = 0;
  while (digits < spelt.size() &&
         (std::isdigit(static_cast<unsigned char>(spelt[digits])) || spelt[digits] == '.'))
    ++digits;
  if (digits > 0 && digits < spelt.size()) {
    std::string unit(spelt.substr(digits));
    for (char& c : unit)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& candidate : kUnitWords) {
      if (candidate.spelling != unit) continue;
      const std::string amount(spelt.substr(0, digits));
      return amount + " " + std::string(candidate.word) + (amount == "1" ? "" : "s");
    }
  }
  return kql::describe_timespan(literal->ticks);
}

std::string Describer::list(const std::vector<kql::ExprPtr>& items) const {
  std::vector<std::string> words;
  for (const auto& item : items) {
    if (!item) continue;
    if (const auto* literal = std::get_if<kql::Literal>(&item->node);
        literal && literal->type == kql::ScalarType::Dynamic && !literal->is_null) {
      words.push_back("the values " + literal->text);
    } else if (std::holds_alternative<kql::SubqueryExpr>(item->node)) {
      std::string text(slice(item->range));
      if (text.size() > 80) text = text.substr(0, 77) + "...";
      words.push_back("the values returned by " + text);
    } else {
      words.push_back(value(*item));
    }
  }
  return word_list(words);
}

std::string Describer::value(const Expr& expr) const {
  if (const auto* literal = std::get_if<kql::Literal>(&expr.node)) {
    if (literal->is_null) return "null";
    switch (literal->type) {
      case kql::ScalarType::String:
        return literal->obfuscated ? "a hidden (obfuscated) string" : "'" + literal->text + "'";
      case kql::ScalarType::DateTime: {
        std::string text = kql::format_datetime(literal->ticks);
        if (text.size() > 10 && text.ends_with("T00:00:00Z")) text = text.substr(0, 10);
        return text;
      }
      case kql::ScalarType::TimeSpan:
        return duration(expr);
      case kql::ScalarType::Dynamic:
        return literal->text;
      default:
        return kql::to_kql(*literal);
    }
  }
  if (const auto* column = as_column(expr)) return column->name;
  if (const auto* call = as_call(expr)) {
    const auto arg = [&](size_t i) { return i < call->args.size() && call->args[i]; };
    if (call->name == "ago" && arg(0)) return duration(*call->args[0]) + " ago";
    if (call->name == "now" && call->args.empty()) return "now";
    if ((call->name == "bin" || call->name == "floor") && arg(0) && arg(1))
      return value(*call->args[0]) + " rounded down to " + duration(*call->args[1]) + " steps";
    if (call->name == "tolower" && arg(0)) return value(*call->args[0]) + " in lower case";
    if (call->name == "toupper" && arg(0)) return value(*call->args[0]) + " in upper case";
    if (call->name == "startofday" && call->args.size() == 1 && arg(0))
      return "the start of the day of " + value(*call->args[0]);
    if (call->name == "tostring" && arg(0)) return value(*call->args[0]) + " as text";
    if (call->name == "parse_json" && arg(0)) return value(*call->args[0]) + " parsed as JSON";
  }
  return kql::to_kql(expr);
}

std::string Describer::condition(const Expr& expr) const {
  if (const auto* binary = std::get_if<kql::BinaryExpr>(&expr.node)) {
    if (binary->op == BinaryOp::And)
      return condition(*binary->left) + " and " + condition(*binary->right);
    if (binary->op == BinaryOp::Or)
      return "either " + condition(*binary->left) + " or " + condition(*binary->right);
    const std::string left = value(*binary->left);
    const std::string right = value(*binary->right);
    const bool time = is_time_column(*binary->left);
    switch (binary->op) {
      case BinaryOp::Equal:
        return left + " is " + right;
      case BinaryOp::NotEqual:
        return left + " is not " + right;
      case BinaryOp::EqualCi:
        return left + " is " + right + " (case-insensitive)";
      case BinaryOp::NotEqualCi:
        return left + " is not " + right + " (case-insensitive)";
      case BinaryOp::Less:
        return left + (time ? " is before " : " is less than ") + right;
      case BinaryOp::LessOrEqual:
        return left + (time ? " is at or before " : " is at most ") + right;
      case BinaryOp::Greater:
        return left + (time ? " is after " : " is greater than ") + right;
      case BinaryOp::GreaterOrEqual:
        return left + (time ? " is at or after " : " is at least ") + right;
      default:
        break;
    }
    const std::string op = kql::binary_op_text(binary->op);
    const bool negated = op.front() == '!';
    const bool case_sensitive = op.ends_with("_cs");
    const std::string suffix = case_sensitive ? " (case-sensitive)" : "";
    const std::string subject =
        std::holds_alternative<kql::StarExpr>(binary->left->node) ? "some column" : left;
    if (op.find("hasprefix") != std::string::npos)
      return subject + (negated ? " has no word starting with " : " has a word starting with ") +
             right + suffix;
    if (op.find("hassuffix") != std::string::npos)
      return subject + (negated ? " has no word ending with " : " has a word ending with ") +
             right + suffix;
    if (op.find("has") != std::string::npos)
      return subject + " " + negated_verb(negated, "contains the word") + " " + right + suffix;
    if (op.find("contains") != std::string::npos)
      return subject + " " + negated_verb(negated, "contains") + " " + right + suffix;
    if (op.find("startswith") != std::string::npos)
      return subject + " " + negated_verb(negated, "starts with") + " " + right + suffix;
    if (op.find("endswith") != std::string::npos)
      return subject + " " + negated_verb(negated, "ends with") + " " + right + suffix;
    if (binary->op == BinaryOp::MatchesRegex)
      return subject + " matches the regular expression " + right;
    return kql::to_kql(expr);
  }
  if (const auto* in = std::get_if<kql::InExpr>(&expr.node)) {
    const std::string left = value(*in->left);
    switch (in->op) {
      case kql::InOp::In:
        return left + " is one of " + list(in->items);
      case kql::InOp::NotIn:
        return left + " is none of " + list(in->items);
      case kql::InOp::InCi:
        return left + " is one of " + list(in->items) + " (case-insensitive)";
      case kql::InOp::NotInCi:
        return left + " is none of " + list(in->items) + " (case-insensitive)";
      case kql::InOp::HasAny:
        return left + " contains any of the words " + list(in->items);
      case kql::InOp::HasAll:
        return left + " contains all of the words " + list(in->items);
    }
  }
  if (const auto* between = std::get_if<kql::BetweenExpr>(&expr.node))
    return value(*between->left) + (between->negated ? " is not between " : " is between ") +
           value(*between->low) + " and " + value(*between->high);
  if (const auto* call = as_call(expr); call && call->args.size() >= 1 && call->args[0]) {
    const std::string subject = value(*call->args[0]);
    if (call->name == "not") return "it is not the case that " + condition(*call->args[0]);
    if (call->name == "isempty") return subject + " is empty";
    if (call->name == "isnotempty") return subject + " is not empty";
    if (call->name == "isnull") return subject + " is null";
    if (call->name == "isnotnull") return subject + " is not null";
    if (call->name == "ipv4_is_private") return subject + " is a private IPv4 address";
    if (call->name == "ipv4_is_in_range" && call->args.size() == 2 && call->args[1])
      return subject + " is in the range " + value(*call->args[1]);
  }
  if (as_column(expr)) return value(expr) + " is true";
  return kql::to_kql(expr) + " holds";
}

std::string Describer::filter(const Expr& predicate) const {
  // Split the top-level `and`s; a lower time bound on Timestamp/TimeGenerated reads best first.
  std::vector<const Expr*> parts;
  std::vector<const Expr*> pending{&predicate};
  while (!pending.empty()) {
    const Expr* expr = pending.back();
    pending.pop_back();
    const auto* binary = std::get_if<kql::BinaryExpr>(&expr->node);
    if (binary && binary->op == BinaryOp::And && parts.size() + pending.size() < 64) {
      pending.push_back(binary->right.get());
      pending.push_back(binary->left.get());
    } else {
      parts.push_back(expr);
    }
  }
  std::string window;
  std::vector<std::string> clauses;
  for (const Expr* part : parts) {
    const auto* binary = std::get_if<kql::BinaryExpr>(&part->node);
    if (window.empty() && binary &&
        (binary->op == BinaryOp::Greater || binary->op == BinaryOp::GreaterOrEqual) &&
        is_time_column(*binary->left)) {
      if (const auto* ago = as_call(*binary->right, "ago"); ago && ago->args.size() == 1) {
        std::string amount = duration(*ago->args[0]);
        if (amount.starts_with("1 ")) amount = amount.substr(2);  // "the last day"
        window = "from the last " + amount;
        continue;
      }
    }
    clauses.push_back(condition(*part));
  }
  std::string text = window;
  if (!clauses.empty()) text += (text.empty() ? "where " : " where ") + word_list(clauses, 64);
  return text;
}

std::string Describer::aggregate(const Expr& expr) const {
  const auto* call = as_call(expr);
  if (!call) return value(expr);
  const auto arg = [&](size_t i) {
    return i < call->args.size() && call->args[i] ? value(*call->args[i]) : std::string();
  };
  const std::string& name = call->name;
  const bool time = !call->args.empty() && call->args[0] && is_time_column(*call->args[0]);
  if (name == "count") return "the number of rows";
  if (name == "countif" && !call->args.empty() && call->args[0])
    return "the number of rows where " + condition(*call->args[0]);
  if (name == "dcount" || name == "count_distinct")
    return "the number of distinct " + arg(0) + " values";
  if (name == "dcountif" && call->args.size() >= 2 && call->args[1])
    return "the number of distinct " + arg(0) + " values where " + condition(*call->args[1]);
  if (name == "sum") return "the sum of " + arg(0);
  if (name == "avg") return "the average " + arg(0);
  if (name == "min") return (time ? "the earliest " : "the smallest ") + arg(0);
  if (name == "max") return (time ? "the latest " : "the largest ") + arg(0);
  if (name == "make_set") return "the distinct values of " + arg(0);
  if (name == "make_list") return "the list of " + arg(0) + " values";
  if (name == "arg_max")
    return "the row with the " + std::string(time ? "latest " : "largest ") + arg(0);
  if (name == "arg_min")
    return "the row with the " + std::string(time ? "earliest " : "smallest ") + arg(0);
  if (name == "take_any" || name == "any") return "any one " + arg(0) + " value";
  if (name == "percentile") return "the " + arg(1) + "th percentile of " + arg(0);
  if (const kql::FunctionSignature* function = kql::find_function(name))
    return std::string(function->summary) + (call->args.empty() ? "" : " of " + arg(0));
  return kql::to_kql(expr);
}

std::string Describer::group_key(const Expr& expr) const {
  if (const auto* call = as_call(expr); call && (call->name == "bin" || call->name == "floor") &&
                                        call->args.size() == 2 && call->args[0] && call->args[1]) {
    // "1 hour" -> "1-hour bins", "5 minutes" -> "5-minute bins"
    std::string size = duration(*call->args[1]);
    if (const size_t space = size.find(' '); space != std::string::npos) {
      std::string unit = size.substr(space + 1);
      if (unit.ends_with('s')) unit.pop_back();
      size = size.substr(0, space) + "-" + unit;
    }
    return size + " bins of " + value(*call->args[0]);
  }
  return value(expr);
}

}  // namespace kql_skills
