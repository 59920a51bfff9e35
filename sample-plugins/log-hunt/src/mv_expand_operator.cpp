// mv-expand: one output row per element of the expanded arrays (bags expand into one-property
// bags), the arrays of one row expanded side by side with nulls where one runs out. A null
// expands to one row with null, an empty array or bag to none.
#include <boost/json.hpp>

#include "log_hunt/convert.hpp"
#include "operators.hpp"
#include "scalar_nodes.hpp"

namespace log_hunt {
namespace {

class MvExpandOperator : public Operator {
 public:
  MvExpandOperator(OperatorPtr input, std::vector<ExpandItem> items, std::string item_index,
                   int64_t limit)
      : input_(std::move(input)), items_(std::move(items)), limit_(limit) {
    schema_ = input_->schema();
    for (auto& item : items_) {
      const Type type = item.to_type.value_or(Type::Dynamic);
      int index = find_column(schema_, item.column.name);
      if (index < 0) {
        schema_.push_back({item.column.name, type});
        index = static_cast<int>(schema_.size() - 1);
      } else {
        schema_[static_cast<size_t>(index)].type = type;
      }
      targets_.push_back(static_cast<size_t>(index));
    }
    if (!item_index.empty()) {
      schema_.push_back({item_index, Type::Long});
      index_column_ = static_cast<int>(schema_.size() - 1);
    }
  }

  const Row* next() override {
    while (true) {
      if (position_ < count_) {
        row_ = base_;
        for (size_t i = 0; i < items_.size(); ++i) {
          const auto& elements = elements_[i];
          const Type type = items_[i].to_type.value_or(Type::Dynamic);
          if (position_ < elements.size())
            value_from_json(elements[position_], type, row_[targets_[i]]);
          else
            row_[targets_[i]] = Value::null_of(type);
        }
        if (index_column_ >= 0)
          row_[static_cast<size_t>(index_column_)] =
              Value::of_long(static_cast<int64_t>(position_));
        ++position_;
        return &row_;
      }
      const Row* in = input_->next();
      if (!in) return nullptr;
      base_ = *in;
      base_.resize(schema_.size());
      count_ = 0;
      position_ = 0;
      elements_.assign(items_.size(), {});
      for (size_t i = 0; i < items_.size(); ++i) {
        const Value& value = items_[i].array->eval(*in);
        boost::json::value scratch;
        const boost::json::value* document = as_document(value, scratch);
        auto& elements = elements_[i];
        if (!document) {
          elements.push_back(value.is_null ? boost::json::value(nullptr) : to_json(value));
        } else if (const auto* array = document->if_array()) {
          elements.assign(array->begin(), array->end());
        } else if (const auto* bag = document->if_object()) {
          for (const auto& member : *bag)
            elements.push_back(boost::json::object{{member.key(), member.value()}});
        } else {
          elements.push_back(*document);
        }
        count_ = std::max(count_, elements.size());
      }
      if (limit_ >= 0) count_ = std::min(count_, static_cast<size_t>(limit_));
    }
  }

 private:
  OperatorPtr input_;
  std::vector<ExpandItem> items_;
  int64_t limit_;
  std::vector<size_t> targets_;
  int index_column_ = -1;
  Row base_;
  std::vector<std::vector<boost::json::value>> elements_;
  size_t count_ = 0;
  size_t position_ = 0;
  Row row_;
};

}  // namespace

OperatorPtr make_mv_expand(OperatorPtr input, std::vector<ExpandItem> items, std::string item_index,
                           int64_t limit) {
  return std::make_unique<MvExpandOperator>(std::move(input), std::move(items),
                                            std::move(item_index), limit);
}

}  // namespace log_hunt
