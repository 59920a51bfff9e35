// PowerShell's -join over constant lists, the usual way to rebuild a string from character codes:
//   -join [char[]](73,69,88)               [char[]](73,69,88) -join ''
//   (73,69,88 | %{[char]$_}) -join ''      -join ('73,69,88'.Split(',') | ForEach-Object {[char][int]$_})
//   ('I','e','x') -join ''                 [string]::Join('', [char[]](73,69,88))
// The whole expression becomes one string literal.
#include "paren_index.hpp"
#include "rewriter.hpp"
#include "scan_util.hpp"
#include "script_analysis/text_encoding.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

constexpr Syntax kPs = Syntax::PowerShell;
constexpr size_t kMaxDepth = 8;

struct Items {
  std::vector<std::string> values;
  size_t end = 0;
};

bool to_characters(const std::vector<int64_t>& codes, std::vector<std::string>& out) {
  for (int64_t code : codes) {
    if (code < 0 || code > 0x10FFFF) return false;
    std::string character;
    append_utf8(character, static_cast<uint32_t>(code));
    out.push_back(std::move(character));
  }
  return true;
}

// Splits a literal of numbers ("73,69,88") on a one-character separator into codes.
std::optional<std::vector<int64_t>> split_numbers(std::string_view value,
                                                  std::string_view separator) {
  if (separator.size() != 1) return std::nullopt;
  std::vector<int64_t> codes;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(separator[0], start);
    if (end == std::string_view::npos) end = value.size();
    std::string_view piece = trim(value.substr(start, end - start));
    if (!piece.empty()) {
      auto number = parse_integer_expression(piece, 0);
      if (!number || number->end != piece.size()) return std::nullopt;
      codes.push_back(number->value);
    }
    start = end + 1;
  }
  if (codes.empty()) return std::nullopt;
  return codes;
}

// Numbers feeding a pipeline: 73,69,88 or (73,69,88) or '73,69'.Split(',') or '73,69' -split ','.
std::optional<std::pair<std::vector<int64_t>, size_t>> number_source(std::string_view text,
                                                                     size_t pos) {
  if (auto literal = parse_operand(text, pos, kPs)) {
    size_t at = skip_blanks(text, literal->end);
    std::optional<Literal> separator;
    size_t end = 0;
    if (imatch_at(text, at, ".split(")) {
      separator = parse_operand(text, skip_blanks(text, at + 7), kPs);
      if (separator) {
        end = skip_blanks(text, separator->end);
        if (end >= text.size() || text[end] != ')') return std::nullopt;
        ++end;
      }
    } else if (size_t op = match_word(text, at, "-split"); op != std::string_view::npos) {
      separator = parse_operand(text, skip_blanks(text, op), kPs);
      if (separator) end = separator->end;
    }
    if (!separator || !literal->constant) return std::nullopt;
    auto codes = split_numbers(literal->value, separator->value);
    if (!codes) return std::nullopt;
    return std::make_pair(std::move(*codes), end);
  }
  if (pos < text.size() && text[pos] == '(') {
    auto list = parse_integer_list(text, pos + 1);
    if (!list) return std::nullopt;
    size_t close = skip_spaces(text, list->end);
    if (close >= text.size() || text[close] != ')') return std::nullopt;
    return std::make_pair(std::move(list->values), close + 1);
  }
  auto list = parse_integer_list(text, pos);
  if (!list) return std::nullopt;
  return std::make_pair(std::move(list->values), list->end);
}

// | %{[char]$_}  | ForEach-Object { [char][int]$_ }  | foreach {[char]$_}
std::optional<size_t> char_cast_block(std::string_view text, size_t pos) {
  size_t at = skip_spaces(text, pos);
  if (at >= text.size() || text[at] != '|') return std::nullopt;
  at = skip_spaces(text, at + 1);
  if (at < text.size() && text[at] == '%') {
    ++at;
  } else if (size_t end = match_word(text, at, "foreach-object"); end != std::string_view::npos) {
    at = end;
  } else if (size_t end2 = match_word(text, at, "foreach"); end2 != std::string_view::npos) {
    at = end2;
  } else {
    return std::nullopt;
  }
  at = skip_spaces(text, at);
  if (at >= text.size() || text[at] != '{') return std::nullopt;
  at = skip_spaces(text, at + 1);
  if (!imatch_at(text, at, "[char]")) return std::nullopt;
  at = skip_blanks(text, at + 6);
  if (imatch_at(text, at, "[int]")) at = skip_blanks(text, at + 5);
  if (!imatch_at(text, at, "$_")) return std::nullopt;
  at = skip_spaces(text, at + 2);
  if (at >= text.size() || text[at] != '}') return std::nullopt;
  return at + 1;
}

std::optional<Items> items_at(std::string_view text, size_t pos, size_t depth);

// [char[]](73,69) / [char[]]@(73,69) / [char[]]'abc'
std::optional<Items> char_array_cast(std::string_view text, size_t pos) {
  if (!imatch_at(text, pos, "[char[]]")) return std::nullopt;
  size_t at = skip_blanks(text, pos + 8);
  Items items;
  if (auto literal = parse_operand(text, at, kPs); literal && literal->constant) {
    for (size_t i = 0; i < literal->value.size(); ++i)
      items.values.emplace_back(1, literal->value[i]);
    items.end = literal->end;
    return items;
  }
  if (at < text.size() && text[at] == '@') ++at;
  if (at >= text.size() || text[at] != '(') return std::nullopt;
  auto list = parse_integer_list(text, at + 1);
  if (!list) return std::nullopt;
  size_t close = skip_spaces(text, list->end);
  if (close >= text.size() || text[close] != ')') return std::nullopt;
  if (!to_characters(list->values, items.values)) return std::nullopt;
  items.end = close + 1;
  return items;
}

// 'a','b','c' (two or more constant literals)
std::optional<Items> literal_list(std::string_view text, size_t pos) {
  Items items;
  size_t at = pos;
  while (items.values.size() < 100000) {
    auto literal = parse_operand(text, at, kPs);
    if (!literal || !literal->constant) break;
    items.values.push_back(std::move(literal->value));
    items.end = literal->end;
    size_t comma = skip_spaces(text, literal->end);
    if (comma >= text.size() || text[comma] != ',') break;
    at = skip_spaces(text, comma + 1);
  }
  if (items.values.size() < 2) return std::nullopt;
  return items;
}

// Numbers piped through a [char] cast: 73,69 | %{[char]$_}
std::optional<Items> piped_codes(std::string_view text, size_t pos) {
  auto source = number_source(text, pos);
  if (!source) return std::nullopt;
  auto end = char_cast_block(text, source->second);
  if (!end) return std::nullopt;
  Items items;
  if (!to_characters(source->first, items.values)) return std::nullopt;
  items.end = *end;
  return items;
}

// Any of the list forms, possibly inside grouping parentheses.
std::optional<Items> items_at(std::string_view text, size_t pos, size_t depth) {
  if (pos >= text.size() || depth > kMaxDepth) return std::nullopt;
  if (auto cast = char_array_cast(text, pos)) return cast;
  if (auto piped = piped_codes(text, pos)) return piped;
  if (auto literals = literal_list(text, pos)) return literals;
  if (text[pos] == '(') {
    auto inner = items_at(text, skip_spaces(text, pos + 1), depth + 1);
    if (!inner) return std::nullopt;
    size_t close = skip_spaces(text, inner->end);
    if (close >= text.size() || text[close] != ')') return std::nullopt;
    inner->end = close + 1;
    return inner;
  }
  return std::nullopt;
}

std::string join(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.append(separator);
    out.append(values[i]);
  }
  return out;
}

struct Found {
  size_t begin = 0;
  size_t end = 0;
  std::string value;
};

// At a "-join" keyword: the unary form after it, or the binary form around it.
std::optional<Found> join_at(std::string_view text, size_t pos, const ParenIndex& parens) {
  size_t after = match_word(text, pos, "-join");
  if (after == std::string_view::npos) return std::nullopt;
  // Binary: (list) -join 'separator'
  size_t before = previous_non_space(text, pos);
  if (before != std::string_view::npos && text[before] == ')') {
    if (auto open = parens.open_of(before)) {
      auto separator = parse_operand(text, skip_blanks(text, after), kPs);
      // The list is the group itself, or a [char[]] cast written just before it.
      size_t start = *open;
      size_t cast = *open;
      while (cast > 0 && (is_blank(text[cast - 1]) || text[cast - 1] == '@'))
        --cast;
      if (cast >= 8 && imatch_at(text, cast - 8, "[char[]]")) start = cast - 8;
      auto items = items_at(text, start, 0);
      if (items && items->end == before + 1 && separator && separator->constant)
        return Found{start, separator->end, join(items->values, separator->value)};
    }
  }
  // Unary: -join (list)
  if (auto items = items_at(text, skip_blanks(text, after), 0))
    return Found{pos, items->end, join(items->values, "")};
  return std::nullopt;
}

// [string]::Join('separator', list)
std::optional<Found> string_join_at(std::string_view text, size_t pos) {
  size_t at = 0;
  if (imatch_at(text, pos, "[string]::join("))
    at = pos + 15;
  else if (imatch_at(text, pos, "[system.string]::join("))
    at = pos + 22;
  else
    return std::nullopt;
  auto separator = parse_operand(text, skip_spaces(text, at), kPs);
  if (!separator || !separator->constant) return std::nullopt;
  size_t comma = skip_spaces(text, separator->end);
  if (comma >= text.size() || text[comma] != ',') return std::nullopt;
  auto items = items_at(text, skip_spaces(text, comma + 1), 0);
  if (!items) return std::nullopt;
  size_t close = skip_spaces(text, items->end);
  if (close >= text.size() || text[close] != ')') return std::nullopt;
  return Found{pos, close + 1, join(items->values, separator->value)};
}

}  // namespace

std::optional<Rewrite> evaluate_join_operator(const TransformInput& input) {
  const std::string_view text = input.text;
  if (ifind(text, "join") == std::string_view::npos) return std::nullopt;
  const ParenIndex parens(text, kPs);
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    size_t skipped = skip_literal_or_comment(text, i, kPs);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    std::optional<Found> found;
    if (text[i] == '-')
      found = join_at(text, i, parens);
    else if (text[i] == '[')
      found = string_join_at(text, i);
    if (!found || found->begin < out.position()) {
      ++i;
      continue;
    }
    out.replace(found->begin, found->end, quote_literal(found->value, kPs));
    i = found->end;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis
