// ThreatIntel: indicator reputation from local feed files, and indicator extraction from text.
// Written against the public SDK only (<secpilot/sdk.hpp>), as a third-party vendor would; the
// logic lives in threat_intel_core and this file only adapts it to the skill calls.
#define SECPILOT_SDK_USE_BOOST_JSON
#include <secpilot/sdk.hpp>

#include <filesystem>
#include <string>

#include <boost/json.hpp>

#include "threat_intel/extract.hpp"
#include "threat_intel/feed_store.hpp"
#include "threat_intel/indicator.hpp"
#include "threat_intel/reputation.hpp"
#include "threat_intel/result_json.hpp"

namespace {

namespace sdk = secpilot::sdk;
namespace ti = threat_intel;

// Texts above this are refused rather than scanned: a skill input is not a log archive.
constexpr size_t kMaxTextBytes = size_t{16} << 20;

std::filesystem::path feed_directory(const sdk::InitContext& init) {
  std::filesystem::path configured = init.setting_or("FeedDirectory", "feeds");
  if (configured.empty()) configured = "feeds";
  if (configured.is_relative() && !init.manifest_dir().empty())
    configured = std::filesystem::path(init.manifest_dir()) / configured;
  return configured.lexically_normal();
}

void log_snapshot(const sdk::CallContext& ctx, const ti::Snapshot& snapshot, bool reload) {
  ctx.info(std::string(reload ? "reloaded" : "loaded") + " threat-intel feeds from " +
           snapshot.directory.string() + ": " + std::to_string(snapshot.feeds_loaded()) +
           " feeds, " + std::to_string(snapshot.index.entry_count()) + " entries, " +
           std::to_string(snapshot.skipped_lines()) + " malformed lines skipped");
  for (const auto& problem : snapshot.problems)
    ctx.warn(problem);
  for (const auto& feed : snapshot.index.feeds()) {
    if (!feed.status.error.empty()) ctx.warn("feed " + feed.status.name + ": " + feed.status.error);
    if (feed.status.skipped_lines > 0)
      ctx.warn("feed " + feed.status.name + " (" + feed.status.file + "): skipped " +
               std::to_string(feed.status.skipped_lines) +
               " malformed lines, first: " + feed.status.problems.front());
  }
}

class ThreatIntelPlugin {
 public:
  static constexpr const char* config_schema = R"({
    "type": "object",
    "properties": {
      "FeedDirectory": {
        "type": "string",
        "description": "Folder of feed files; relative paths are relative to the manifest's folder"
      }
    }
  })";

  explicit ThreatIntelPlugin(sdk::InitContext& init) : store_(feed_directory(init)) {
    log_snapshot(init, *store_.current(), false);
  }

  // The answer is JSON text written directly: building a document cost several times the lookup.
  std::string lookup(sdk::Context& ctx) {
    auto indicator_text = ctx.input_string("indicator");
    if (!indicator_text)
      throw sdk::Error(SP_ERR_INVALID_INPUT,
                       "the input 'indicator' is missing: pass the IP, domain, URL or hash to "
                       "look up, e.g. indicator=198.51.100.7");
    std::optional<ti::TypeHint> hint;
    if (auto type = ctx.input_string("type"); type && !type->empty()) {
      hint = ti::parse_type_hint(*type);
      if (!hint)
        throw sdk::Error(SP_ERR_INVALID_INPUT, "the input 'type' is '" + *type + "': use one of " +
                                                   std::string(ti::kTypeHintNames) +
                                                   ", or leave it out to detect the type");
    }
    auto classified = ti::classify_indicator(*indicator_text, hint);
    if (!classified.indicator) throw sdk::Error(SP_ERR_INVALID_INPUT, classified.error);

    auto [snapshot, reloaded] = store_.acquire();
    if (reloaded) log_snapshot(ctx, *snapshot, true);
    if (snapshot->feeds_loaded() == 0) {
      std::string why = snapshot->problems.empty() ? "no feed files (*.txt, *.csv, ...) in it"
                                                   : snapshot->problems.front();
      throw sdk::Error(SP_ERR_UPSTREAM,
                       "no threat-intel feed is loaded from " + snapshot->directory.string() +
                           " (" + why +
                           "), so a verdict would mean nothing: add feed files there or set "
                           "the ThreatIntel FeedDirectory setting (see docs/plugins/"
                           "threat-intel.md)");
    }
    ti::Reputation reputation = ti::assess(snapshot->index, *classified.indicator);
    return ti::reputation_json(reputation, *indicator_text, *snapshot);
  }

  boost::json::value extract(sdk::Context& ctx) {
    auto text = ctx.input_string("text");
    if (!text)
      throw sdk::Error(SP_ERR_INVALID_INPUT,
                       "the input 'text' is missing: pass the report, e-mail or log excerpt to "
                       "scan");
    if (text->size() > kMaxTextBytes)
      throw sdk::Error(SP_ERR_TOO_LARGE, "the text is " + std::to_string(text->size()) +
                                             " bytes; ExtractIndicators scans at most " +
                                             std::to_string(kMaxTextBytes) +
                                             ": split it and call the skill per part");
    return ti::extraction_json(ti::extract_indicators(*text));
  }

 private:
  ti::FeedStore store_;
};

}  // namespace

SECPILOT_PLUGIN(ThreatIntelPlugin, "ThreatIntel", "2.0.0",
                sdk::skill<&ThreatIntelPlugin::lookup>(
                    "LookupIndicator", SP_SKILL_THREAD_SAFE,
                    "Reputation of an IP, domain, URL or file hash from local threat-intel feeds"),
                sdk::skill<&ThreatIntelPlugin::extract>(
                    "ExtractIndicators", SP_SKILL_THREAD_SAFE,
                    "Indicators (IPs, domains, URLs, e-mails, hashes, CVEs) found in free text"));
