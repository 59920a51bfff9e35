// LogHunt: runs KQL hunting queries over local logs (JSON Lines and CSV files, one table per
// file or folder). Written against the public SDK only (<secpilot/sdk.hpp>), as a third-party
// vendor would; the engine lives in log_hunt_core and this file only adapts it to the skill call.
#define SECPILOT_SDK_USE_BOOST_JSON
#include <secpilot/sdk.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "kql/catalogue.hpp"
#include "log_hunt/catalogue_lookup.hpp"
#include "log_hunt/log_store.hpp"
#include "log_hunt/query_engine.hpp"
#include "log_hunt/query_error.hpp"
#include "log_hunt/result_json.hpp"
#include "log_hunt/time.hpp"

namespace {

namespace sdk = secpilot::sdk;
namespace lh = log_hunt;

constexpr int64_t kHardMaxRows = 1'000'000;

std::filesystem::path folder_setting(const sdk::InitContext& init, const char* name,
                                     const char* fallback) {
  std::filesystem::path configured = init.setting_or(name, fallback);
  if (configured.empty()) configured = fallback;
  if (configured.is_relative() && !init.manifest_dir().empty())
    configured = std::filesystem::path(init.manifest_dir()) / configured;
  return configured.lexically_normal();
}

int64_t positive_setting(const sdk::InitContext& init, const char* name, int64_t fallback) {
  const std::string text = init.setting_or(name, "");
  if (text.empty()) return fallback;
  try {
    const int64_t value = std::stoll(text);
    if (value > 0) return value;
  } catch (const std::exception&) {
  }
  throw sdk::Error(SP_ERR_INVALID_INPUT, std::string("setting '") + name + "' is '" + text +
                                             "': it must be a positive whole number");
}

sp_status status_of(lh::ErrorKind kind) {
  switch (kind) {
    case lh::ErrorKind::InvalidQuery:
      return SP_ERR_INVALID_INPUT;
    case lh::ErrorKind::NotFound:
      return SP_ERR_NOT_FOUND;
    case lh::ErrorKind::Unsupported:
      return SP_ERR_UNSUPPORTED;
    case lh::ErrorKind::TooLarge:
      return SP_ERR_TOO_LARGE;
    case lh::ErrorKind::Cancelled:
      return SP_ERR_CANCELLED;
    case lh::ErrorKind::Timeout:
      return SP_ERR_TIMEOUT;
    case lh::ErrorKind::Storage:
      return SP_ERR_UPSTREAM;
  }
  return SP_ERR_INTERNAL;
}

// "line 2, column 9: message", then the query line and a caret under the column, so a person
// (or a model) sees exactly where the problem is.
std::string describe(const lh::QueryError& error, const std::string& query) {
  std::string message = lh::position_prefix(error.range()) + error.what();
  const auto& range = error.range();
  if (!range.known()) return message;
  size_t start = 0;
  for (uint32_t line = 1; line < range.line && start != std::string::npos; ++line) {
    start = query.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return message;
  const size_t end = query.find('\n', start);
  const std::string text = query.substr(start, end == std::string::npos ? end : end - start);
  if (text.size() > 200) return message;
  return message + "\n  " + text + "\n  " +
         std::string(range.column > 0 ? range.column - 1 : 0, ' ') + "^";
}

class LogHuntPlugin {
 public:
  static constexpr const char* config_schema = R"({
    "type": "object",
    "properties": {
      "DataDirectory": {"type": "string", "description": "Folder of log files; relative to the manifest's folder"},
      "SchemaDirectory": {"type": "string", "description": "Folder of table schema JSON files; relative to the manifest's folder"},
      "MaxRows": {"type": "string", "description": "Default row limit of a result"},
      "MaxMemoryMB": {"type": "string", "description": "Memory bound of one query's groups, join tables and sorts"},
      "Now": {"type": "string", "description": "A fixed now() (ISO 8601) for demos and tests; empty: the clock"}
    }
  })";

  explicit LogHuntPlugin(sdk::InitContext& init)
      : max_rows_(positive_setting(init, "MaxRows", 10'000)),
        max_memory_mb_(positive_setting(init, "MaxMemoryMB", 512)) {
    const auto schema_dir = folder_setting(init, "SchemaDirectory", "schema");
    auto loaded = kql::load_catalogue(schema_dir);
    for (const auto& problem : loaded.problems)
      init.warn("schema catalogue: " + problem);
    if (loaded.catalogue.empty())
      init.warn("no table schemas in " + schema_dir.string() +
                ": every table is typed from its data instead");
    auto catalogue = std::make_shared<const kql::Catalogue>(std::move(loaded.catalogue));
    store_ = std::make_unique<lh::LogStore>(folder_setting(init, "DataDirectory", "data"),
                                            lh::catalogue_lookup(catalogue));
    if (auto fixed = init.setting("Now"); fixed && !fixed->empty()) {
      fixed_now_ = lh::parse_datetime(*fixed);
      if (!fixed_now_)
        throw sdk::Error(SP_ERR_INVALID_INPUT,
                         "setting 'Now' is '" + *fixed +
                             "': write an ISO 8601 time such as 2026-11-21T00:00:00Z");
    }
    init.info("LogHunt reads tables from " + store_->directory().string() + " (" +
              std::to_string(store_->tables().size()) + " table(s)), " +
              std::to_string(catalogue->tables().size()) + " table schema(s) known");
  }

  boost::json::value run(sdk::Context& ctx) {
    auto query = ctx.input_string("query");
    if (!query || query->find_first_not_of(" \t\r\n") == std::string::npos)
      throw sdk::Error(SP_ERR_INVALID_INPUT,
                       "the input 'query' is empty: pass a KQL query such as "
                       "`DeviceProcessEvents | where FileName =~ \"powershell.exe\" | take 10`");
    lh::QueryOptions options;
    options.now_ticks = now(ctx);
    options.limits.max_rows = static_cast<size_t>(row_limit(ctx));
    options.limits.max_memory_bytes = static_cast<size_t>(max_memory_mb_) << 20;
    options.limits.cancelled = [&ctx] { return ctx.cancelled(); };
    try {
      lh::QueryResult result = lh::run_query(*query, *store_, options);
      for (const auto& warning : result.warnings)
        ctx.warn(warning);
      return lh::result_to_json(result);
    } catch (const lh::QueryError& error) {
      throw sdk::Error(status_of(error.kind()), describe(error, *query));
    }
  }

 private:
  int64_t now(const sdk::Context& ctx) const {
    if (auto text = ctx.input_string("now"); text && !text->empty()) {
      auto ticks = lh::parse_datetime(*text);
      if (!ticks)
        throw sdk::Error(SP_ERR_INVALID_INPUT,
                         "the input 'now' is '" + *text +
                             "': write an ISO 8601 time such as 2026-11-21T00:00:00Z");
      return *ticks;
    }
    if (fixed_now_) return *fixed_now_;
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count() / 100;
  }

  int64_t row_limit(const sdk::Context& ctx) const {
    const auto* value = ctx.json().if_contains("maxRows");
    if (!value || value->is_null()) return max_rows_;
    if (!value->is_int64() || value->as_int64() < 1 || value->as_int64() > kHardMaxRows)
      throw sdk::Error(
          SP_ERR_INVALID_INPUT,
          "the input 'maxRows' must be a whole number from 1 to " + std::to_string(kHardMaxRows));
    return value->as_int64();
  }

  int64_t max_rows_;
  int64_t max_memory_mb_;
  std::optional<int64_t> fixed_now_;
  std::unique_ptr<lh::LogStore> store_;
};

}  // namespace

SECPILOT_PLUGIN(
    LogHuntPlugin, "LogHunt", "1.0.0",
    sdk::skill<&LogHuntPlugin::run>("RunKql", SP_SKILL_THREAD_SAFE,
                                    "Runs a KQL hunting query over local JSON Lines and CSV logs"));
