// CSV records as RFC 4180 writes them: comma-separated, fields optionally in double quotes,
// a doubled quote for a quote, line breaks allowed inside quotes, CRLF or LF line ends.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace log_hunt {

struct CsvField {
  std::string_view raw;  // inside the quotes when quoted
  bool quoted = false;
  bool has_doubled_quotes = false;
};

// Reads records one by one from a buffer that stays alive while the reader is used.
class CsvReader {
 public:
  explicit CsvReader(std::string_view data) : data_(data) {}

  // The next record's fields into `fields`; false at the end of the data. A record with an
  // unterminated quote runs to the end of the data and sets `malformed`.
  bool next(std::vector<CsvField>& fields, bool& malformed);

  size_t offset() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// A field's text with doubled quotes undone.
std::string_view csv_text(const CsvField& field, std::string& scratch);

}  // namespace log_hunt
