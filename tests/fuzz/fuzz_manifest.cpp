// libFuzzer target: a manifest's text through the parser, then every lint check, then the
// diagnostics' formatting, as `secpilot manifest lint` runs them (without reading libraries).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "secpilot/manifest/parser.hpp"

namespace {

void format_all(const std::vector<secpilot::manifest::Diagnostic>& diagnostics) {
  for (const auto& diagnostic : diagnostics)
    (void)secpilot::manifest::format_diagnostic(diagnostic);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace manifest = secpilot::manifest;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = manifest::parse_manifest(text, "/fuzz/plugin/manifest.yaml");
  format_all(parsed.diagnostics);
  if (parsed.manifest) format_all(manifest::lint(*parsed.manifest, {.check_files = false}));
  return 0;
}
