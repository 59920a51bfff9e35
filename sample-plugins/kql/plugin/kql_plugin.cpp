// Kql: validates, explains and writes KQL hunting queries for Microsoft Defender XDR Advanced
// Hunting and Microsoft Sentinel. Written against the public SDK only (<secpilot/sdk.hpp>); the
// logic lives in kql_core (the front end) and kql_skills (the three skills), and this file
// only adapts it to the skill calls.
#define SECPILOT_SDK_USE_BOOST_JSON
#include <secpilot/sdk.hpp>

#include <filesystem>
#include <string>

#include <boost/json.hpp>

#include "kql/catalogue.hpp"
#include "kql_skills/explain.hpp"
#include "kql_skills/generate.hpp"
#include "kql_skills/validate.hpp"

namespace {

namespace sdk = secpilot::sdk;

// A query or request above these is refused rather than parsed: skill inputs are not files.
constexpr size_t kMaxQueryBytes = size_t{1} << 20;
constexpr size_t kMaxRequestBytes = size_t{16} << 10;

std::filesystem::path schema_directory(const sdk::InitContext& init) {
  std::filesystem::path configured = init.setting_or("SchemaDirectory", "schema");
  if (configured.empty()) configured = "schema";
  if (configured.is_relative() && !init.manifest_dir().empty())
    configured = std::filesystem::path(init.manifest_dir()) / configured;
  return configured.lexically_normal();
}

kql::Catalogue load(const sdk::InitContext& init) {
  const std::filesystem::path directory = schema_directory(init);
  kql::CatalogueLoad load = kql::load_catalogue(directory);
  for (const auto& problem : load.problems)
    init.warn("table schemas: " + problem);
  if (load.catalogue.empty())
    throw sdk::Error(SP_ERR_INTERNAL,
                     "no KQL table schemas could be read from " + directory.string() +
                         ": the plugin's schema folder is missing or empty; reinstall the "
                         "plugin or set its SchemaDirectory setting (docs/plugins/kql.md)");
  init.info("loaded " + std::to_string(load.catalogue.tables().size()) + " table schemas from " +
            directory.string());
  return std::move(load.catalogue);
}

std::string required_text(const sdk::Context& ctx, const char* name, size_t limit,
                          const char* example) {
  auto value = ctx.input_string(name);
  if (!value || value->find_first_not_of(" \t\r\n") == std::string::npos)
    throw sdk::Error(SP_ERR_INVALID_INPUT,
                     std::string("the input '") + name + "' is missing or empty: pass " + example);
  if (value->size() > limit)
    throw sdk::Error(SP_ERR_TOO_LARGE, std::string("the input '") + name + "' is " +
                                           std::to_string(value->size()) + " bytes; at most " +
                                           std::to_string(limit) + " are accepted");
  return *value;
}

class KqlPlugin {
 public:
  static constexpr const char* config_schema = R"({
    "type": "object",
    "properties": {
      "SchemaDirectory": {
        "type": "string",
        "description": "Folder of table schema files (*.json); relative to the manifest's folder"
      }
    }
  })";

  explicit KqlPlugin(sdk::InitContext& init) : catalogue_(load(init)) {}

  boost::json::value validate(sdk::Context& ctx) const {
    const std::string query = required_text(ctx, "query", kMaxQueryBytes,
                                            "the KQL query to check, e.g. query=\"SigninLogs | "
                                            "take 10\"");
    kql::CheckOptions options;
    if (auto request = ctx.input_string("request"))
      options.wants_latest = kql_skills::asks_for_latest(*request);
    return kql_skills::validation_json(kql_skills::validate(query, catalogue_, options), query);
  }

  boost::json::value explain(sdk::Context& ctx) const {
    const std::string query =
        required_text(ctx, "query", kMaxQueryBytes, "the KQL query to explain");
    return kql_skills::explanation_json(kql_skills::explain(query, catalogue_));
  }

  boost::json::value generate(sdk::Context& ctx) const {
    const std::string request = required_text(ctx, "request", kMaxRequestBytes,
                                              "what to hunt for, e.g. request=\"failed sign-ins "
                                              "for alice@contoso.com in the last 24 hours\"");
    return kql_skills::generation_json(kql_skills::generate(request, catalogue_));
  }

 private:
  const kql::Catalogue catalogue_;  // read-only after construction: the skills are thread-safe
};

}  // namespace

SECPILOT_PLUGIN(
    KqlPlugin, "Kql", "1.0.0",
    sdk::skill<&KqlPlugin::validate>(
        "ValidateKql", SP_SKILL_THREAD_SAFE,
        "Syntax, schema, type and cost check of a KQL query, with output columns"),
    sdk::skill<&KqlPlugin::explain>("ExplainKql", SP_SKILL_THREAD_SAFE,
                                    "A KQL query explained step by step in plain language"),
    sdk::skill<&KqlPlugin::generate>("GenerateKql", SP_SKILL_THREAD_SAFE,
                                     "A KQL hunting query written from a plain-language request"));
