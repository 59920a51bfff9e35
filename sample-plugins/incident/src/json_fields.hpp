// Reading members of exported JSON leniently: exports differ in case ("Properties"), write ids
// as numbers or strings, and leave optional members null.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace incident {

// The member named `key`, matched exactly first and then case-insensitively; nullptr when absent.
const boost::json::value* member(const boost::json::object& object, std::string_view key);

// A string member as text, a number as its decimal text, a boolean as "true"/"false"; "" for
// anything else, including null and absent members.
std::string text(const boost::json::object& object, std::string_view key);

// The first of `keys` whose text() is not empty.
std::string first_text(const boost::json::object& object,
                       std::initializer_list<std::string_view> keys);

const boost::json::object* object_member(const boost::json::object& object, std::string_view key);
const boost::json::array* array_member(const boost::json::object& object, std::string_view key);

// The texts of an array of strings (or numbers); a single string counts as a list of one.
std::vector<std::string> text_list(const boost::json::object& object, std::string_view key);

// Up to `limit` member names, for messages that say what an object has instead.
std::string member_names(const boost::json::object& object, std::size_t limit = 8);

}  // namespace incident
