// Where a token, node or diagnostic sits in the query text.
#ifndef KQL_SOURCE_RANGE_HPP
#define KQL_SOURCE_RANGE_HPP

#include <cstddef>
#include <cstdint>

namespace kql {

// `offset` and `length` count bytes of the UTF-8 text; `line` and `column` are 1-based and count
// characters (code points), as an editor shows them. A default range (line 0) means "no position".
struct SourceRange {
  size_t offset = 0;
  uint32_t line = 0;
  uint32_t column = 0;
  size_t length = 0;

  size_t end() const { return offset + length; }
  bool known() const { return line != 0; }
};

// The range from the start of `first` to the end of `last`.
inline SourceRange span(const SourceRange& first, const SourceRange& last) {
  SourceRange joined = first;
  if (last.end() > first.offset) joined.length = last.end() - first.offset;
  return joined;
}

}  // namespace kql

#endif  // KQL_SOURCE_RANGE_HPP
