// Literals that take more than one token: strings (adjacent ones concatenate), datetime(...),
// timespan(...), guid(...), dynamic(...) and the typed forms long(1), bool(null), ...
#include <cmath>
#include <cstdio>

#include "kql/literals.hpp"
#include "parser/parser.hpp"
#include "text.hpp"

namespace kql::detail {
namespace {

bool is_guid_text(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!is_ascii_digit(c) && !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

void append_json_string(std::string& json, std::string_view text) {
  json += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        json += "\\\"";
        break;
      case '\\':
        json += "\\\\";
        break;
      case '\n':
        json += "\\n";
        break;
      case '\r':
        json += "\\r";
        break;
      case '\t':
        json += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          json += escaped;
        } else {
          json += c;
        }
    }
  }
  json += '"';
}

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

}  // namespace

ExprPtr Parser::parse_string_literal() {
  const Token& first = advance();
  Literal literal;
  literal.type = ScalarType::String;
  literal.text = first.value;
  literal.obfuscated = first.obfuscated;
  while (at(TokenKind::String)) {  // "a" "b" is "ab"
    const Token& next = advance();
    literal.text += next.value;
    literal.obfuscated = literal.obfuscated || next.obfuscated;
  }
  return make_expr(range_from(first), std::move(literal));
}

ExprPtr Parser::parse_typed_literal(const Token& token) {
  Literal literal;
  const std::string& content = token.value;
  if (token.word == "datetime") {
    literal.type = ScalarType::DateTime;
    if (content == "null") {
      literal.is_null = true;
    } else if (auto ticks = parse_datetime_text(content)) {
      literal.ticks = *ticks;
    } else {
      report(token.range, "'" + content + "' is not a date KQL can read",
             "write datetime(2024-01-31) or datetime(2024-01-31 13:45:00) (ISO 8601, UTC "
             "unless an offset is given)");
    }
  } else if (token.word == "timespan" || token.word == "time") {
    literal.type = ScalarType::TimeSpan;
    if (content == "null") {
      literal.is_null = true;
    } else if (auto ticks = parse_timespan_text(content)) {
      literal.ticks = *ticks;
    } else {
      report(token.range, "'" + content + "' is not a timespan KQL can read",
             "write timespan(1d), timespan(02:30:00) or timespan(1.12:00:00)");
    }
  } else {
    literal.type = ScalarType::Guid;
    if (content == "null") {
      literal.is_null = true;
    } else if (is_guid_text(content)) {
      literal.text = to_lower(content);
    } else {
      report(token.range, "'" + content + "' is not a GUID",
             "write guid(74be27de-1e4e-49d9-b579-fe0b331d3642)");
    }
  }
  return make_expr(token.range, std::move(literal));
}

// `long(5)`, `real(1.5)`, `bool(null)`, `int(-1)`: typed constants; not conversions.
ExprPtr Parser::parse_typed_call_literal(const Token& word) {
  const std::string type_word(word.text);
  const std::string convert =
      type_word == "string" ? "tostring"
      : type_word == "int"  ? "toint"
      : type_word == "bool" || type_word == "boolean"
          ? "tobool"
          : "to" + (type_word == "double" ? std::string("real") : type_word);
  const std::string hint =
      type_word + "(...) takes a constant; use " + convert + "(x) to convert a value";
  expect(TokenKind::LeftParen, "'('", hint);
  Literal literal;
  literal.type = parse_type_name(type_word).value_or(ScalarType::Unknown);
  bool negative = accept(TokenKind::Minus);
  const Token& value = peek();
  if (at_word("null")) {
    advance();
    literal.is_null = true;
  } else if (value.kind == TokenKind::Long || value.kind == TokenKind::Real) {
    advance();
    const double number =
        value.kind == TokenKind::Long ? static_cast<double>(value.integer) : value.real;
    literal.integer =
        (value.kind == TokenKind::Long ? value.integer : static_cast<int64_t>(number)) *
        (negative ? -1 : 1);
    literal.real = number * (negative ? -1 : 1);
    if (literal.type == ScalarType::Bool) literal.boolean = number != 0;
  } else if (value.kind == TokenKind::Identifier &&
             (value.text == "true" || value.text == "false")) {
    advance();
    literal.boolean = value.text == "true";
    literal.integer = literal.boolean ? 1 : 0;
  } else if (value.kind == TokenKind::String && literal.type == ScalarType::String) {
    literal.text = advance().value;
  } else {
    fail(value.range, type_word + "(...) needs a constant or null here", hint);
  }
  expect(TokenKind::RightParen, "')' after the constant", hint);
  return make_expr(range_from(word), std::move(literal));
}

ExprPtr Parser::parse_dynamic_literal(const Token& word) {
  expect(TokenKind::LeftParen, "'(' after 'dynamic'", "write dynamic([\"a\", \"b\"])");
  Literal literal;
  literal.type = ScalarType::Dynamic;
  if (at_word("null")) {
    advance();
    literal.is_null = true;
  } else {
    write_dynamic_value(literal.text);
  }
  expect(TokenKind::RightParen, "')' to close dynamic(...)", "write dynamic([\"a\", \"b\"])");
  return make_expr(range_from(word), std::move(literal));
}

// One JSON-like value inside dynamic(...), written out as compact JSON.
void Parser::write_dynamic_value(std::string& json) {
  DepthGuard guard(*this);
  const std::string hint =
      "dynamic(...) holds constants only: numbers, strings, true/false, null, [arrays] and "
      "{\"key\": value} bags; build values from columns with pack_array() or bag_pack()";
  const Token& token = peek();
  if (accept(TokenKind::LeftBracket)) {
    json += '[';
    if (!at(TokenKind::RightBracket)) {
      do {
        if (at(TokenKind::RightBracket)) break;
        if (json.back() != '[') json += ',';
        write_dynamic_value(json);
      } while (accept(TokenKind::Comma));
    }
    expect(TokenKind::RightBracket, "']' or ',' in the array", hint);
    json += ']';
    return;
  }
  if (accept(TokenKind::LeftBrace)) {
    json += '{';
    if (!at(TokenKind::RightBrace)) {
      do {
        if (at(TokenKind::RightBrace)) break;
        if (json.back() != '{') json += ',';
        const Token& key = peek();
        if (key.kind == TokenKind::String) {
          append_json_string(json, advance().value);
        } else if (key.kind == TokenKind::Identifier) {
          append_json_string(json, advance().text);
        } else {
          fail_expected("a property name", hint);
        }
        expect(TokenKind::Colon, "':' after the property name", hint);
        json += ':';
        write_dynamic_value(json);
      } while (accept(TokenKind::Comma));
    }
    expect(TokenKind::RightBrace, "'}' or ',' in the bag", hint);
    json += '}';
    return;
  }
  const bool negative = accept(TokenKind::Minus);
  const Token& value = peek();
  switch (value.kind) {
    case TokenKind::Long:
      advance();
      json += (negative ? "-" : "") + std::to_string(value.integer);
      return;
    case TokenKind::Real:
      advance();
      json += json_number(negative ? -value.real : value.real);
      return;
    case TokenKind::String:
      if (negative) break;
      advance();
      append_json_string(json, value.value);
      while (at(TokenKind::String)) {  // adjacent strings concatenate
        json.pop_back();
        const std::string more = advance().value;
        std::string piece;
        append_json_string(piece, more);
        json += piece.substr(1);
      }
      return;
    case TokenKind::TimeSpan:
      advance();
      append_json_string(json, format_timespan_literal(negative ? -value.ticks : value.ticks));
      return;
    case TokenKind::TypedLiteral:
      if (negative) break;
      advance();
      if (value.word == "datetime") {
        auto ticks = parse_datetime_text(value.value);
        if (!ticks)
          report(value.range, "'" + value.value + "' is not a date KQL can read",
                 "write datetime(2024-01-31)");
        append_json_string(json, format_datetime(ticks.value_or(0)));
      } else {
        append_json_string(json, value.value);
      }
      return;
    case TokenKind::Identifier:
      if (negative) break;
      if (value.text == "true" || value.text == "false" || value.text == "null") {
        advance();
        json += value.text;
        return;
      }
      break;
    default:
      break;
  }
  fail(token.range, "expected a constant inside dynamic(...), found " + describe(value), hint);
}

}  // namespace kql::detail
