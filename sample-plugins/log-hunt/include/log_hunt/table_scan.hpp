// The source of every query: reads a stored table's files row by row.
//
// Only `needed` columns are read; the others stay null in the row. Leading `where` predicates are
// pushed down here: a line's predicate columns are decoded first and the rest only when the
// predicate holds, so a filter costs a scan of the line plus the few values it tests. Reading
// stops as soon as nobody pulls, so `take 10` reads about ten lines of a huge file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "log_hunt/csv.hpp"
#include "log_hunt/data_directory.hpp"
#include "log_hunt/execution_context.hpp"
#include "log_hunt/expression.hpp"
#include "log_hunt/json_scan.hpp"
#include "log_hunt/operator.hpp"

namespace log_hunt {

struct ScanSpec {
  StoredTable table;
  Schema schema;                       // the table's columns (catalogue and inferred)
  std::vector<int> needed;             // schema indices to read
  std::vector<int> predicate_columns;  // the subset of `needed` the predicate reads
  ExpressionPtr predicate;             // may be null
};

class TableScan : public Operator {
 public:
  TableScan(ScanSpec spec, ExecutionContext& context);
  ~TableScan() override;
  const Row* next() override;

 private:
  bool open_next_file();
  void close_file();
  // One row from the current file into row_; false at its end.
  bool read_json_row();
  bool read_csv_row();
  void materialize_json(size_t slot);
  void materialize_csv(size_t slot);

  ScanSpec spec_;
  ExecutionContext& context_;
  Row row_;
  std::vector<bool> is_predicate_slot_;  // per index into spec_.needed

  size_t next_file_ = 0;
  std::unique_ptr<MappedFile> file_;
  FileFormat format_ = FileFormat::JsonLines;
  std::string_view data_;
  size_t pos_ = 0;
  uint64_t line_number_ = 0;
  uint64_t malformed_in_file_ = 0;
  uint64_t first_malformed_line_ = 0;

  JsonFieldScanner scanner_;
  std::vector<RawField> raw_;

  std::unique_ptr<CsvReader> csv_;
  std::vector<CsvField> csv_fields_;
  std::vector<int> csv_field_of_slot_;  // -1: not in this file
  size_t csv_header_size_ = 0;

  std::string scratch_;
};

}  // namespace log_hunt
