// extract_session_entities(): every turn's entities, tagged with the turn they came from.
#include "secpilot/grounding/entities.hpp"

namespace secpilot::grounding {

std::vector<SessionEntity> extract_session_entities(std::span<const Turn> turns,
                                                    const ExtractOptions& options) {
  std::vector<SessionEntity> out;
  for (std::size_t turn = 0; turn < turns.size(); ++turn)
    for (Entity& entity : extract_entities(turns[turn].text, options))
      out.push_back({std::move(entity), turn, turns[turn].role});
  return out;
}

}  // namespace secpilot::grounding
