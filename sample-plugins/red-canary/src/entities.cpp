// The shape checks mirror the host's for skill inputs, so that an entity this result yields is
// one the next skill will accept.
#include "red_canary/entities.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

#include <boost/json/array.hpp>

#include "text.hpp"
namespace red_canary {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 8> kTypes = {"host", "user",   "ip",  "domain",
                                                    "url",  "sha256", "md5", "mitre_technique"};

bool is_hex(std::string_view text, std::size_t length) {
  return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

bool is_ip(std::string_view value) {
  char text[64];
  if (value.empty() || value.size() >= sizeof text) return false;
  value.copy(text, value.size());
  text[value.size()] = '\0';
  unsigned char buffer[16];
  return ::inet_pton(AF_INET, text, buffer) == 1 || ::inet_pton(AF_INET6, text, buffer) == 1;
}

bool is_domain(std::string_view value) {
  if (value.size() > 253 || value.find('.') == std::string_view::npos || is_ip(value)) return false;
  std::size_t start = 0;
  std::string_view label;
  while (start <= value.size()) {
    auto end = value.find('.', start);
    if (end == std::string_view::npos) end = value.size();
    label = value.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_') return false;
    start = end + 1;
  }
  return std::any_of(label.begin(), label.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

bool is_technique(std::string_view value) {
  auto digits = [&](std::size_t at, std::size_t n) {
    return std::all_of(value.begin() + static_cast<long>(at),
                       value.begin() + static_cast<long>(at + n),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (value.size() != 5 && value.size() != 9) return false;
  if (value[0] != 'T' || !digits(1, 4)) return false;
  return value.size() == 5 || (value[5] == '.' && digits(6, 3));
}

// Characters that end a URL inside a command line.
bool ends_url(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '"' || c == '\'' || c == '|' ||
         c == ';' || c == ')' || c == '<' || c == '>' || c == '`' || c == '&';
}

}  // namespace

void EntitySet::add(std::string_view type, std::string_view value) {
  std::string normal;
  if (type == "ip" && is_ip(value)) {
    normal = value;
  } else if (type == "domain" && is_domain(value)) {
    normal = detail::lower(value);
  } else if ((type == "sha256" && is_hex(value, 64)) || (type == "md5" && is_hex(value, 32))) {
    normal = detail::lower(value);
  } else if (type == "mitre_technique" && is_technique(value)) {
    normal = value;
  } else if (type == "url" && value.size() > 8 &&
             (detail::lower(value.substr(0, 7)) == "http://" ||
              detail::lower(value.substr(0, 8)) == "https://")) {
    normal = value;
  } else if ((type == "host" || type == "user") && !value.empty()) {
    normal = value;
  } else {
    return;
  }
  auto& list = values_[std::string(type)];
  if (std::find(list.begin(), list.end(), normal) == list.end()) list.push_back(std::move(normal));
}

void EntitySet::add_urls_in(std::string_view text) {
  const std::string folded = detail::lower(text);
  for (std::size_t at = 0; at < text.size();) {
    const auto http = folded.find("http://", at);
    const auto https = folded.find("https://", at);
    const auto start = std::min(http, https);
    if (start == std::string::npos) return;
    auto end = start;
    while (end < text.size() && !ends_url(text[end]))
      ++end;
    const std::string_view url = text.substr(start, end - start);
    add("url", url);
    const auto host_start = url.find("://") + 3;
    auto host = url.substr(host_start, url.find_first_of("/:?#", host_start) - host_start);
    if (is_ip(host))
      add("ip", host);
    else
      add("domain", host);
    at = end;
  }
}

json::object EntitySet::to_json() const {
  json::object out;
  for (auto type : kTypes) {
    json::array list;
    if (auto it = values_.find(type); it != values_.end())
      for (const auto& value : it->second)
        list.push_back(json::value(value));
    out[type] = std::move(list);
  }
  return out;
}

}  // namespace red_canary
