// Typed access to a skill's inputs (the host has already checked them against the manifest's
// Inputs; this adds the rules the manifest cannot say), with errors naming the input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "jamf/timestamp.hpp"

namespace jamf {

class Inputs {
 public:
  explicit Inputs(const boost::json::object& object) : object_(object) {}

  // A string input, trimmed; nullopt when absent, null or blank. Control characters are refused.
  std::optional<std::string> text(const char* name) const;
  // A whole number in [low, high] (a JSON number or a string of digits); nullopt when absent.
  std::optional<std::int64_t> integer(const char* name, std::int64_t low, std::int64_t high) const;
  // A date (2026-11-20) or date-time (2026-11-20T09:14:03Z); nullopt when absent.
  std::optional<Timestamp> time(const char* name) const;
  // A Jamf Pro computer id: a positive whole number, returned as the API writes it ("42").
  std::optional<std::string> computer_id(const char* name) const;

 private:
  const boost::json::object& object_;
};

}  // namespace jamf
