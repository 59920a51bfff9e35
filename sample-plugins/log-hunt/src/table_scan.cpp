#include "log_hunt/table_scan.hpp"

#include <cstring>

#include "log_hunt/convert.hpp"

namespace log_hunt {
namespace {

std::vector<std::string> needed_names(const ScanSpec& spec) {
  std::vector<std::string> names;
  for (int index : spec.needed)
    names.push_back(spec.schema[static_cast<size_t>(index)].name);
  return names;
}

}  // namespace

TableScan::TableScan(ScanSpec spec, ExecutionContext& context)
    : spec_(std::move(spec)), context_(context), scanner_(needed_names(spec_)) {
  schema_ = spec_.schema;
  for (const auto& column : schema_)
    row_.push_back(Value::null_of(column.type));
  raw_.resize(spec_.needed.size());
  is_predicate_slot_.assign(spec_.needed.size(), false);
  for (int column : spec_.predicate_columns)
    for (size_t slot = 0; slot < spec_.needed.size(); ++slot)
      if (spec_.needed[slot] == column) is_predicate_slot_[slot] = true;
}

TableScan::~TableScan() {
  close_file();
}

bool TableScan::open_next_file() {
  close_file();
  while (next_file_ < spec_.table.files.size()) {
    const DataFile& file = spec_.table.files[next_file_++];
    file_ = std::make_unique<MappedFile>(file.path);
    ++context_.stats().files_opened;
    format_ = file.format;
    data_ = file_->data();
    pos_ = 0;
    line_number_ = 0;
    malformed_in_file_ = 0;
    if (format_ == FileFormat::Csv) {
      csv_ = std::make_unique<CsvReader>(data_);
      bool malformed = false;
      if (!csv_->next(csv_fields_, malformed)) continue;  // empty file
      ++line_number_;
      csv_header_size_ = csv_fields_.size();
      csv_field_of_slot_.assign(spec_.needed.size(), -1);
      for (size_t field = 0; field < csv_fields_.size(); ++field) {
        std::string name(csv_text(csv_fields_[field], scratch_));
        for (size_t slot = 0; slot < spec_.needed.size(); ++slot)
          if (schema_[static_cast<size_t>(spec_.needed[slot])].name == name)
            csv_field_of_slot_[slot] = static_cast<int>(field);
      }
      context_.stats().bytes_scanned += csv_->offset();
    }
    return true;
  }
  return false;
}

void TableScan::close_file() {
  if (file_ && malformed_in_file_ > 0) {
    const DataFile& file = spec_.table.files[next_file_ - 1];
    context_.warn(file.path.filename().string() + ": skipped " +
                  std::to_string(malformed_in_file_) +
                  (format_ == FileFormat::Csv ? " malformed record(s)" : " malformed line(s)") +
                  ", the first at line " + std::to_string(first_malformed_line_));
  }
  file_.reset();
  csv_.reset();
  data_ = {};
}

void TableScan::materialize_json(size_t slot) {
  const size_t column = static_cast<size_t>(spec_.needed[slot]);
  value_from_json_field(raw_[slot], schema_[column].type, row_[column], scratch_);
}

void TableScan::materialize_csv(size_t slot) {
  const size_t column = static_cast<size_t>(spec_.needed[slot]);
  const int field = csv_field_of_slot_[slot];
  Value& out = row_[column];
  if (field < 0 || static_cast<size_t>(field) >= csv_fields_.size()) {
    out.set_null(schema_[column].type);
    return;
  }
  const CsvField& raw = csv_fields_[static_cast<size_t>(field)];
  std::string_view text = csv_text(raw, scratch_);
  // An empty unquoted field is a missing value, not an empty number or date.
  if (text.empty() && schema_[column].type != Type::String)
    out.set_null(schema_[column].type);
  else
    value_from_text(text, schema_[column].type, out);
}

bool TableScan::read_json_row() {
  while (pos_ < data_.size()) {
    const char* start = data_.data() + pos_;
    const char* newline = static_cast<const char*>(std::memchr(start, '\n', data_.size() - pos_));
    const size_t length = newline ? static_cast<size_t>(newline - start) : data_.size() - pos_;
    pos_ += length + (newline ? 1 : 0);
    ++line_number_;
    std::string_view line(start, length);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.find_first_not_of(" \t") == std::string_view::npos) continue;
    context_.on_row();
    auto& stats = context_.stats();
    ++stats.rows_scanned;
    stats.bytes_scanned += length + 1;
    if (!scanner_.scan(line, raw_.data())) {
      ++stats.malformed_rows;
      if (malformed_in_file_++ == 0) first_malformed_line_ = line_number_;
      continue;
    }
    if (spec_.predicate) {
      for (size_t slot = 0; slot < raw_.size(); ++slot)
        if (is_predicate_slot_[slot]) materialize_json(slot);
      if (!is_true(spec_.predicate->eval(row_))) continue;
      for (size_t slot = 0; slot < raw_.size(); ++slot)
        if (!is_predicate_slot_[slot]) materialize_json(slot);
    } else {
      for (size_t slot = 0; slot < raw_.size(); ++slot)
        materialize_json(slot);
    }
    return true;
  }
  return false;
}

bool TableScan::read_csv_row() {
  bool malformed = false;
  while (true) {
    const size_t before = csv_->offset();
    if (!csv_->next(csv_fields_, malformed)) return false;
    ++line_number_;
    context_.on_row();
    auto& stats = context_.stats();
    ++stats.rows_scanned;
    stats.bytes_scanned += csv_->offset() - before;
    if (malformed || csv_fields_.size() != csv_header_size_) {
      ++stats.malformed_rows;
      if (malformed_in_file_++ == 0) first_malformed_line_ = line_number_;
      continue;
    }
    if (spec_.predicate) {
      for (size_t slot = 0; slot < spec_.needed.size(); ++slot)
        if (is_predicate_slot_[slot]) materialize_csv(slot);
      if (!is_true(spec_.predicate->eval(row_))) continue;
      for (size_t slot = 0; slot < spec_.needed.size(); ++slot)
        if (!is_predicate_slot_[slot]) materialize_csv(slot);
    } else {
      for (size_t slot = 0; slot < spec_.needed.size(); ++slot)
        materialize_csv(slot);
    }
    return true;
  }
}

const Row* TableScan::next() {
  while (true) {
    if (!file_ && !open_next_file()) return nullptr;
    const bool found = format_ == FileFormat::Csv ? read_csv_row() : read_json_row();
    if (found) return &row_;
    close_file();
  }
}

}  // namespace log_hunt
