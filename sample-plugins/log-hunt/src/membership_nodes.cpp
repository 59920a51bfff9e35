// in, !in, in~, !in~ (a hash set of the items' keys), has_any and has_all (one term matcher per
// item), and dynamic access: bag.member, bag["key"], array[i].
#include <unordered_set>

#include <boost/json/parse.hpp>

#include "log_hunt/text.hpp"
#include "scalar_nodes.hpp"

namespace log_hunt {
namespace {

using kql::InOp;

std::string key_of(const Value& value, bool ignore_case) {
  std::string key;
  if (ignore_case && value.is_string_like()) {
    append_key(Value::of_string(to_lower_copy(value.text)), key);
  } else if (value.type == Type::Dynamic) {
    append_key(unwrap_dynamic(value), key);
  } else {
    append_key(value.type == Type::Guid ? Value::of_string(value.text) : value, key);
  }
  return key;
}

class InExpression : public Expression {
 public:
  InExpression(bool negated, bool ignore_case, ExpressionPtr left, const std::vector<Value>& items)
      : Expression(Type::Bool),
        negated_(negated),
        ignore_case_(ignore_case),
        left_(std::move(left)) {
    for (const auto& item : items)
      keys_.insert(key_of(item, ignore_case_));
  }

  const Value& eval(const Row& row) override {
    const Value& value = left_->eval(row);
    if (value.is_null && !value.is_string_like()) {
      result_.set_bool(negated_);
      return result_;
    }
    key_.clear();
    if (value.is_string_like() && !ignore_case_) {
      append_key(value.type == Type::Guid ? Value::of_string(value.text) : value, key_);
    } else {
      key_ = key_of(value, ignore_case_);
    }
    const bool found = keys_.count(key_) > 0;
    result_.set_bool(negated_ ? !found : found);
    return result_;
  }

 private:
  bool negated_;
  bool ignore_case_;
  ExpressionPtr left_;
  std::unordered_set<std::string> keys_;
  std::string key_;
  Value result_;
};

class HasAnyExpression : public Expression {
 public:
  HasAnyExpression(bool all, ExpressionPtr left, const std::vector<Value>& items)
      : Expression(Type::Bool), all_(all), left_(std::move(left)) {
    for (const auto& item : items)
      matchers_.emplace_back(to_text(item), false);
  }

  const Value& eval(const Row& row) override {
    const Value& value = left_->eval(row);
    std::string_view text;
    if (value.is_string_like()) {
      text = value.text;
    } else {
      scratch_ = to_text(value);
      text = scratch_;
    }
    bool holds = all_;
    for (const auto& matcher : matchers_) {
      if (matcher.has(text) != all_) {
        holds = !all_;
        break;
      }
    }
    result_.set_bool(holds);
    return result_;
  }

 private:
  bool all_;
  ExpressionPtr left_;
  std::vector<TermMatcher> matchers_;
  std::string scratch_;
  Value result_;
};

class MemberExpression : public Expression {
 public:
  MemberExpression(ExpressionPtr object, ExpressionPtr index, std::string member)
      : Expression(Type::Dynamic),
        object_(std::move(object)),
        index_(std::move(index)),
        member_(std::move(member)) {}

  const Value& eval(const Row& row) override {
    const Value& object = object_->eval(row);
    const boost::json::value* document = as_document(object, scratch_);
    const boost::json::value* found = nullptr;
    if (document && !index_) {
      if (const auto* bag = document->if_object()) found = bag->if_contains(member_);
    } else if (document) {
      const Value& index = index_->eval(row);
      if (const auto* bag = document->if_object(); bag && index.is_string_like()) {
        found = bag->if_contains(index.text);
      } else if (const auto* array = document->if_array(); array && index.is_integral()) {
        int64_t at =
            index.integer < 0 ? static_cast<int64_t>(array->size()) + index.integer : index.integer;
        if (at >= 0 && static_cast<size_t>(at) < array->size())
          found = &(*array)[static_cast<size_t>(at)];
      }
    }
    if (found)
      result_ = Value::of_json(*found);
    else
      result_ = Value::null_of(Type::Dynamic);
    return result_;
  }

 private:
  ExpressionPtr object_;
  ExpressionPtr index_;  // null for `.member`
  std::string member_;
  boost::json::value scratch_;
  Value result_;
};

}  // namespace

const boost::json::value* as_document(const Value& value, boost::json::value& scratch) {
  if (value.type == Type::Dynamic) return value.is_null ? nullptr : value.json.get();
  if (value.is_string_like() && !value.text.empty() &&
      (value.text.front() == '{' || value.text.front() == '[')) {
    boost::system::error_code error;
    scratch = boost::json::parse(value.text, error);
    if (!error) return &scratch;
  }
  return nullptr;
}

ExpressionPtr make_membership(InOp op, ExpressionPtr left, std::vector<Value> items) {
  switch (op) {
    case InOp::In:
      return std::make_unique<InExpression>(false, false, std::move(left), items);
    case InOp::NotIn:
      return std::make_unique<InExpression>(true, false, std::move(left), items);
    case InOp::InCi:
      return std::make_unique<InExpression>(false, true, std::move(left), items);
    case InOp::NotInCi:
      return std::make_unique<InExpression>(true, true, std::move(left), items);
    case InOp::HasAll:
      return std::make_unique<HasAnyExpression>(true, std::move(left), items);
    case InOp::HasAny:
    default:
      return std::make_unique<HasAnyExpression>(false, std::move(left), items);
  }
}

ExpressionPtr make_member(ExpressionPtr object, std::string member) {
  return std::make_unique<MemberExpression>(std::move(object), nullptr, std::move(member));
}

ExpressionPtr make_index(ExpressionPtr object, ExpressionPtr index) {
  return std::make_unique<MemberExpression>(std::move(object), std::move(index), std::string());
}

}  // namespace log_hunt
