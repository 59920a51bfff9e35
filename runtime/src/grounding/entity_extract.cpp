// extract_entities(): refang once, then run the scanners in order over the refanged text.
#include "grounding/entity_refang.hpp"
#include "grounding/entity_scan.hpp"
#include "grounding/entity_sink.hpp"
#include "secpilot/grounding/entities.hpp"

namespace secpilot::grounding {
std::vector<Entity> extract_entities(std::string_view text, const ExtractOptions& options) {
  if (options.max_entities == 0 || text.empty()) return {};
  const detail::RefangedText refanged(text);
  detail::EntitySink sink(refanged, options.max_entities);
  detail::ScanState state(refanged, sink);
  if (options.scripts) detail::scan_code(state);
  detail::scan_urls(state);
  detail::scan_emails(state);
  detail::scan_paths(state);
  detail::scan_words(state);
  return std::move(sink).finish();
}

}  // namespace secpilot::grounding
