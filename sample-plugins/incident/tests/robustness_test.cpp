// Any document, however mangled, is either read or refused with an InputError: every value of
// the test exports is replaced in turn by each other JSON kind, and the result is summarized and
// reported on for every audience.
#include <gtest/gtest.h>

#include "incident/input_error.hpp"
#include "incident/report.hpp"
#include "test_data.hpp"

namespace incident {
namespace {

namespace json = boost::json;

// Pointers to every value in the document, depth first.
void collect(json::value& value, std::vector<json::value*>& out) {
  out.push_back(&value);
  if (auto* object = value.if_object())
    for (auto& item : *object)
      collect(item.value(), out);
  else if (auto* array = value.if_array())
    for (auto& item : *array)
      collect(item, out);
}

// Reads, summarizes and reports; fails the test on anything but an InputError.
void exercise(const json::value& document, const std::string& where) {
  try {
    const Summary summary =
        summarize(read_incident(document, {.input_name = "incident", .allow_session = true}));
    for (Audience audience : {Audience::ciso, Audience::soc_analyst, Audience::it_admin})
      (void)report_json(write_report(summary, audience), summary);
    (void)summary_json(summary);
  } catch (const InputError&) {
  } catch (const std::exception& error) {
    ADD_FAILURE() << where << ": " << error.what();
  }
}

TEST(Robustness, EveryValueReplacedByEveryKindIsReadOrRefused) {
  const json::value replacements[] = {nullptr,        7,   -1.5, "x", "", json::array{},
                                      json::object{}, true};
  for (const char* file :
       {"defender_xdr_incident.json", "defender_xdr_api_incident.json", "sentinel_incident.json",
        "generic_incident.json", "session_export.json"}) {
    const json::value original = json::parse(testing::read_data(file));
    json::value scratch = original;
    std::vector<json::value*> nodes;
    collect(scratch, nodes);
    // The session export is large (a script analysis inside): every 7th value is enough there.
    const std::size_t stride = std::string(file).starts_with("session") ? 7 : 1;
    for (std::size_t i = 0; i < nodes.size(); i += stride) {
      for (const auto& replacement : replacements) {
        json::value document = original;
        std::vector<json::value*> targets;
        collect(document, targets);
        *targets[i] = replacement;
        exercise(document, std::string(file) + " value " + std::to_string(i) + " = " +
                               json::serialize(replacement));
      }
    }
  }
}

TEST(Robustness, TruncatedTextIsAlwaysAClearError) {
  const std::string text = testing::read_data("generic_incident.json");
  for (std::size_t size = 0; size + 1 < text.size(); size += 97) {
    const auto message = testing::read_error(text.substr(0, size));
    EXPECT_FALSE(message.empty()) << size;
  }
}

}  // namespace
}  // namespace incident
