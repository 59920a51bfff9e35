// A tabular operator of an executing query: pulls rows from its input, one at a time.
#pragma once

#include <memory>

#include "log_hunt/value.hpp"

namespace log_hunt {

class Operator {
 public:
  virtual ~Operator() = default;
  // The next row, or nullptr when there are no more. The row stays valid until the next call:
  // an operator that keeps rows copies them.
  virtual const Row* next() = 0;
  const Schema& schema() const { return schema_; }

 protected:
  Schema schema_;
};

using OperatorPtr = std::unique_ptr<Operator>;

}  // namespace log_hunt
