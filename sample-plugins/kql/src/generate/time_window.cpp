// Time windows in requests: "last 24 hours", "past 7 days", "since yesterday", "today".
#include <array>
#include <cctype>
#include <string>

#include "generate/request.hpp"

namespace kql_skills {
namespace {

struct Unit {
  std::string_view word;
  std::string_view kql;  // the KQL unit letter
  int multiplier;        // weeks and months are written in days
  std::string_view singular;
};

constexpr std::array<Unit, 17> kUnits{{
    {"minutes", "m", 1, "minute"},
    {"minute", "m", 1, "minute"},
    {"mins", "m", 1, "minute"},
    {"min", "m", 1, "minute"},
    {"hours", "h", 1, "hour"},
    {"hour", "h", 1, "hour"},
    {"hrs", "h", 1, "hour"},
    {"hr", "h", 1, "hour"},
    {"days", "d", 1, "day"},
    {"day", "d", 1, "day"},
    {"weeks", "d", 7, "week"},
    {"week", "d", 7, "week"},
    {"months", "d", 30, "month"},
    {"month", "d", 30, "month"},
    {"h", "h", 1, "hour"},
    {"d", "d", 1, "day"},
    {"m", "m", 1, "minute"},
}};

const Unit* find_unit(std::string_view word) {
  for (const auto& unit : kUnits)
    if (unit.word == word) return &unit;
  return nullptr;
}

TimeWindow window(std::string phrase, std::string lower_kql, std::string upper_kql = "") {
  return TimeWindow{std::move(phrase), std::move(lower_kql), std::move(upper_kql), true};
}

// "24 hours" / "24h" / "7 days" at `pos`; returns the window or nullopt.
std::optional<TimeWindow> amount_at(std::string_view text, size_t pos) {
  size_t digits = pos;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
    ++digits;
  int amount = 1;
  if (digits > pos) {
    if (digits - pos > 5) return std::nullopt;
    amount = std::stoi(std::string(text.substr(pos, digits - pos)));
  }
  size_t unit_start = digits;
  if (unit_start < text.size() && text[unit_start] == ' ' && digits > pos) ++unit_start;
  size_t unit_end = unit_start;
  while (unit_end < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_end])))
    ++unit_end;
  const Unit* unit = find_unit(text.substr(unit_start, unit_end - unit_start));
  if (!unit || amount <= 0) return std::nullopt;
  if (digits == pos && unit->word.size() <= 1) return std::nullopt;  // "last m" is no window
  const int kql_amount = amount * unit->multiplier;
  std::string phrase = "the last " + (amount == 1 ? std::string(unit->singular)
                                                  : std::to_string(amount) + " " +
                                                        std::string(unit->singular) + "s");
  return window(std::move(phrase),
                "ago(" + std::to_string(kql_amount) + std::string(unit->kql) + ")");
}

}  // namespace

std::optional<TimeWindow> read_time_window(std::string_view text) {
  static constexpr std::array<std::string_view, 6> kLeads{
      "in the last ", "in the past ", "last ", "past ", "previous ", "within the last "};
  for (auto lead : kLeads) {
    size_t from = 0;
    while ((from = text.find(lead, from)) != std::string_view::npos) {
      if (from == 0 || text[from - 1] == ' ') {
        if (auto found = amount_at(text, from + lead.size())) return found;
      }
      from += lead.size();
    }
  }
  if (text.find("since yesterday") != std::string_view::npos)
    return window("since the start of yesterday", "startofday(ago(1d))");
  if (text.find("yesterday") != std::string_view::npos)
    return window("yesterday", "startofday(ago(1d))", "startofday(now())");
  if (text.find("today") != std::string_view::npos) return window("today", "startofday(now())");
  if (text.find("this week") != std::string_view::npos)
    return window("this week", "startofweek(now())");
  if (text.find("this month") != std::string_view::npos)
    return window("this month", "startofmonth(now())");
  // "24h", "7d" written alone ("failed logons 24h").
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])) ||
        (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))))
      continue;
    size_t end = i;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])))
      ++end;
    if (end < text.size() && (text[end] == 'h' || text[end] == 'd') &&
        (end + 1 == text.size() || !std::isalnum(static_cast<unsigned char>(text[end + 1]))))
      return amount_at(text, i);
  }
  return std::nullopt;
}

}  // namespace kql_skills
