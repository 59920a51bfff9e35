// Normalising a request's text and matching words and phrases in it.
#include "generate/request.hpp"

#include <cctype>

namespace kql_skills {
namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Undoes the usual defanging (198.51.100[.]7, hxxps://, evil(.)com, user[@]example.com) and
// lower-cases, so that word matching and entity extraction see plain text.
std::string refang(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("[.]") || rest.starts_with("(.)") || rest.starts_with("{.}")) {
      out += '.';
      i += 2;
    } else if (rest.starts_with("[@]") || rest.starts_with("(@)")) {
      out += '@';
      i += 2;
    } else if (rest.starts_with("[:]")) {
      out += ':';
      i += 2;
    } else if ((rest.starts_with("hxxp") || rest.starts_with("HXXP")) && rest.size() > 4 &&
               (rest[4] == ':' || rest[4] == 's' || rest[4] == 'S')) {
      out += "http";
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

bool Request::has(std::string_view phrase) const {
  size_t from = 0;
  while ((from = lower.find(phrase, from)) != std::string::npos) {
    const bool starts = from == 0 || !is_word_char(lower[from - 1]);
    const size_t end = from + phrase.size();
    const bool ends =
        end >= lower.size() || !is_word_char(lower[end]) || !is_word_char(phrase.back());
    if (starts && ends) return true;
    ++from;
  }
  return false;
}

bool Request::has_any(std::initializer_list<std::string_view> phrases) const {
  for (auto phrase : phrases)
    if (has(phrase)) return true;
  return false;
}

// Entities and the time window are read by entities.cpp and time_window.cpp.
void extract_entities(const std::string& refanged, Entities& entities);

Request read_request(std::string_view text) {
  Request request;
  request.text = std::string(text);
  const std::string refanged = refang(text);
  request.lower.reserve(refanged.size());
  bool space = false;
  for (char c : refanged) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !request.lower.empty();
      continue;
    }
    if (space) request.lower += ' ';
    space = false;
    request.lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  extract_entities(refanged, request.entities);
  request.entities.window = read_time_window(request.lower);
  return request;
}

}  // namespace kql_skills
