// infer_schema(): a table's columns and types from its first rows, for tables the schema
// catalogue does not know and for columns a catalogue table has beyond its documented ones.
#include <algorithm>

#include "log_hunt/convert.hpp"
#include "log_hunt/csv.hpp"
#include "log_hunt/data_directory.hpp"
#include "log_hunt/json_scan.hpp"
#include "log_hunt/text.hpp"
#include "log_hunt/time.hpp"

namespace log_hunt {
namespace {

// Widens what a column has been so far with one more observed type.
Type merge(Type seen, Type next) {
  if (seen == Type::Unknown) return next;
  if (next == Type::Unknown || seen == next) return seen;
  if ((seen == Type::Long && next == Type::Real) || (seen == Type::Real && next == Type::Long))
    return Type::Real;
  if (seen == Type::Dynamic || next == Type::Dynamic) return Type::Dynamic;
  return Type::String;
}

Type type_of_json_string(std::string_view text) {
  if (text.size() >= 10 && text[4] == '-' && parse_datetime(text)) return Type::DateTime;
  return Type::String;
}

Type type_of_csv_text(std::string_view text) {
  if (text.empty()) return Type::Unknown;
  std::string lower;
  for (char c : text)
    lower += ascii_lower(c);
  if (lower == "true" || lower == "false") return Type::Bool;
  bool integral = true;
  for (size_t i = 0; i < text.size(); ++i)
    integral = integral && ((text[i] >= '0' && text[i] <= '9') || (i == 0 && text[i] == '-'));
  if (integral && text != "-") return Type::Long;
  if (parse_real(text)) return Type::Real;
  if (text.size() >= 10 && text[4] == '-' && parse_datetime(text)) return Type::DateTime;
  return Type::String;
}

class SchemaBuilder {
 public:
  void observe(std::string_view name, Type type) {
    auto it = std::find_if(columns_.begin(), columns_.end(),
                           [&](const Column& column) { return column.name == name; });
    if (it == columns_.end())
      columns_.push_back({std::string(name), type});
    else
      it->type = merge(it->type, type);
  }
  Schema finish() {
    for (auto& column : columns_)
      if (column.type == Type::Unknown) column.type = Type::String;
    return std::move(columns_);
  }

 private:
  Schema columns_;
};

void sample_json_lines(std::string_view data, size_t& budget, SchemaBuilder& builder) {
  size_t pos = 0;
  std::string scratch;
  while (pos < data.size() && budget > 0) {
    size_t newline = data.find('\n', pos);
    if (newline == std::string_view::npos) newline = data.size();
    std::string_view line = data.substr(pos, newline - pos);
    pos = newline + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    --budget;
    for_each_member(line, [&](std::string_view key, const RawField& field) {
      Type type = Type::Unknown;
      switch (field.kind) {
        case RawField::String:
          if (field.has_escapes()) {
            decode_json_string(field.text(), scratch);
            type = type_of_json_string(scratch);
          } else {
            type = type_of_json_string(field.text());
          }
          break;
        case RawField::Number: {
          std::string_view text = field.text();
          type = text.find_first_of(".eE") == std::string_view::npos ? Type::Long : Type::Real;
          break;
        }
        case RawField::True:
        case RawField::False:
          type = Type::Bool;
          break;
        case RawField::Object:
        case RawField::Array:
          type = Type::Dynamic;
          break;
        default:
          break;
      }
      builder.observe(key, type);
    });
  }
}

void sample_csv(std::string_view data, size_t& budget, SchemaBuilder& builder) {
  CsvReader reader(data);
  std::vector<CsvField> fields;
  bool malformed = false;
  if (!reader.next(fields, malformed)) return;
  std::vector<std::string> header;
  std::string scratch;
  for (const auto& field : fields)
    header.emplace_back(csv_text(field, scratch));
  for (const auto& name : header)
    builder.observe(name, Type::Unknown);
  while (budget > 0 && reader.next(fields, malformed)) {
    --budget;
    for (size_t i = 0; i < fields.size() && i < header.size(); ++i)
      builder.observe(header[i], type_of_csv_text(csv_text(fields[i], scratch)));
  }
}

}  // namespace

Schema infer_schema(const StoredTable& table, size_t sample_rows) {
  SchemaBuilder builder;
  size_t budget = sample_rows;
  for (const auto& file : table.files) {
    if (budget == 0) break;
    MappedFile mapped(file.path);
    // Only the start of a big file is sampled.
    std::string_view data = mapped.data().substr(0, size_t{4} << 20);
    if (file.format == FileFormat::Csv)
      sample_csv(data, budget, builder);
    else
      sample_json_lines(data, budget, builder);
  }
  return builder.finish();
}

}  // namespace log_hunt
