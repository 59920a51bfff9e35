// union: the legs one after the other. Columns are unified by name in order of first
// appearance (a column whose legs disagree on its type is reported as dynamic); a leg lacking a
// column gives nulls. `withsource=Name` adds the leg's table name as the first column.
#include "operators.hpp"

namespace log_hunt {
namespace {

class UnionOperator : public Operator {
 public:
  UnionOperator(std::vector<OperatorPtr> legs, std::vector<std::string> names, std::string source)
      : legs_(std::move(legs)), names_(std::move(names)), with_source_(!source.empty()) {
    if (with_source_) schema_.push_back({source, Type::String});
    for (const auto& leg : legs_) {
      std::vector<size_t> mapping;
      for (const auto& column : leg->schema()) {
        int index = find_column(schema_, column.name);
        if (index < 0) {
          schema_.push_back(column);
          index = static_cast<int>(schema_.size() - 1);
        } else if (schema_[static_cast<size_t>(index)].type != column.type) {
          schema_[static_cast<size_t>(index)].type = Type::Dynamic;
        }
        mapping.push_back(static_cast<size_t>(index));
      }
      mappings_.push_back(std::move(mapping));
    }
  }

  const Row* next() override {
    while (current_ < legs_.size()) {
      if (const Row* in = legs_[current_]->next()) {
        row_.assign(schema_.size(), Value());
        for (size_t i = 0; i < schema_.size(); ++i)
          row_[i] = Value::null_of(schema_[i].type);
        if (with_source_) row_[0] = Value::of_string(names_[current_]);
        const auto& mapping = mappings_[current_];
        for (size_t i = 0; i < mapping.size(); ++i)
          row_[mapping[i]] = (*in)[i];
        return &row_;
      }
      ++current_;
    }
    return nullptr;
  }

 private:
  std::vector<OperatorPtr> legs_;
  std::vector<std::string> names_;
  bool with_source_;
  std::vector<std::vector<size_t>> mappings_;
  size_t current_ = 0;
  Row row_;
};

}  // namespace

OperatorPtr make_union(std::vector<OperatorPtr> legs, std::vector<std::string> leg_names,
                       std::string with_source) {
  return std::make_unique<UnionOperator>(std::move(legs), std::move(leg_names),
                                         std::move(with_source));
}

}  // namespace log_hunt
