#include "log_hunt/csv.hpp"

#include <cstring>

namespace log_hunt {

bool CsvReader::next(std::vector<CsvField>& fields, bool& malformed) {
  fields.clear();
  malformed = false;
  // Skip blank lines between records.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r'))
    ++pos_;
  if (pos_ >= data_.size()) return false;
  const char* p = data_.data() + pos_;
  const char* end = data_.data() + data_.size();
  while (true) {
    CsvField field;
    if (p < end && *p == '"') {
      field.quoted = true;
      const char* start = ++p;
      while (true) {
        const char* quote =
            static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
        if (!quote) {
          malformed = true;
          field.raw = std::string_view(start, static_cast<size_t>(end - start));
          fields.push_back(field);
          pos_ = data_.size();
          return true;
        }
        if (quote + 1 < end && quote[1] == '"') {
          field.has_doubled_quotes = true;
          p = quote + 2;
          continue;
        }
        field.raw = std::string_view(start, static_cast<size_t>(quote - start));
        p = quote + 1;
        break;
      }
      // Anything between the closing quote and the separator is kept out, and marks the line.
      while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
        malformed = true;
        ++p;
      }
    } else {
      const char* start = p;
      while (p < end && *p != ',' && *p != '\n' && *p != '\r')
        ++p;
      field.raw = std::string_view(start, static_cast<size_t>(p - start));
    }
    fields.push_back(field);
    if (p >= end) {
      pos_ = data_.size();
      return true;
    }
    if (*p == ',') {
      ++p;
      continue;
    }
    // End of record: CRLF or LF.
    if (*p == '\r') ++p;
    if (p < end && *p == '\n') ++p;
    pos_ = static_cast<size_t>(p - data_.data());
    return true;
  }
}

std::string_view csv_text(const CsvField& field, std::string& scratch) {
  if (!field.has_doubled_quotes) return field.raw;
  scratch.clear();
  for (size_t i = 0; i < field.raw.size(); ++i) {
    scratch += field.raw[i];
    if (field.raw[i] == '"' && i + 1 < field.raw.size() && field.raw[i + 1] == '"') ++i;
  }
  return scratch;
}

}  // namespace log_hunt
