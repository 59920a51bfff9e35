// libFuzzer target: KQL text through kql_core's parser and, when it recovered statements, the
// semantic checker against the shipped Defender and Sentinel tables (what the Kql plugin runs).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kql/catalogue.hpp"
#include "kql/check.hpp"
#include "kql/parse.hpp"

namespace {

const kql::Catalogue& catalogue() {
  static const kql::CatalogueLoad load = kql::load_catalogue(KQL_SCHEMA_DIR);
  return load.catalogue;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const kql::ParseResult parsed = kql::parse(text);
  for (const auto& diagnostic : parsed.diagnostics) {
    if (diagnostic.range.offset > text.size() || diagnostic.message.empty()) std::abort();
  }
  if (!parsed.ast.statements.empty()) (void)kql::check(parsed.ast, catalogue());
  return 0;
}
