#include "key_value.hpp"

#include "text_util.hpp"

namespace posture {

std::vector<KeyValue> parse_key_values(std::string_view text, std::string_view file,
                                       Separator separator) {
  std::vector<KeyValue> entries;
  for (const auto& line : split_lines(text)) {
    std::string_view content = trim(line.text);
    if (separator == Separator::equals) content = trim(content.substr(0, content.find('#')));
    if (content.empty() || content.front() == '#') continue;
    KeyValue entry;
    entry.file = file;
    entry.line = line.number;
    entry.text = std::string(content);
    if (separator == Separator::blanks) {
      const size_t end = content.find_first_of(" \t");
      entry.key = std::string(content.substr(0, end));
      entry.value = end == std::string_view::npos ? "" : std::string(trim(content.substr(end)));
    } else {
      const size_t equals = content.find('=');
      entry.key = std::string(trim(content.substr(0, equals)));
      std::string_view value =
          equals == std::string_view::npos ? "" : trim(content.substr(equals + 1));
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front())
        value = value.substr(1, value.size() - 2);
      entry.value = std::string(value);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

const KeyValue* last_value(const std::vector<KeyValue>& entries, std::string_view key) {
  const KeyValue* found = nullptr;
  for (const auto& entry : entries)
    if (entry.key == key) found = &entry;
  return found;
}

Evidence evidence_of(const KeyValue& entry, std::string note) {
  return {entry.file, entry.line, entry.text, std::move(note)};
}

}  // namespace posture
