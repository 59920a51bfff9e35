// Detecting which accepted shape a document is, and reading it with the matching reader.
#include <optional>

#include "incident/input_error.hpp"
#include "incident/read.hpp"
#include "json_fields.hpp"
#include "readers.hpp"
#include "shape.hpp"
#include "text_util.hpp"

namespace incident {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccepted =
    "Accepted shapes: (1) a Microsoft Defender XDR incident from Microsoft Graph "
    "(GET /security/incidents/{id}?$expand=alerts: 'displayName' and 'alerts' with 'evidence'); "
    "(2) a Microsoft 365 Defender API incident ('incidentId', 'incidentName' and 'alerts'); "
    "(3) a Microsoft Sentinel incident (the Microsoft.SecurityInsights/incidents resource with "
    "'properties', alone or as {\"incident\": ..., \"alerts\": ..., \"entities\": ...}); "
    "(4) the generic shape ({\"title\": ..., \"alerts\": [...] and/or \"events\": [...]}) or "
    "SummarizeIncident's output. See docs/plugins/incident.md";

bool is_sentinel_resource(const json::object& object) {
  if (icontains(text(object, "type"), "Microsoft.SecurityInsights/incidents")) return true;
  const auto* properties = object_member(object, "properties");
  return properties && (member(*properties, "incidentNumber") ||
                        (member(*properties, "title") && member(*properties, "severity")));
}

bool is_graph_incident(const json::object& object) {
  if (icontains(text(object, "@odata.type"), "microsoft.graph.security.incident")) return true;
  if (icontains(text(object, "@odata.context"), "security/incidents")) return true;
  return member(object, "displayName") &&
         (member(object, "alerts") || member(object, "incidentWebUrl") ||
          member(object, "redirectIncidentId"));
}

}  // namespace

std::optional<std::string_view> detect_shape(const json::object& object) {
  if (array_member(object, "prompts") && (member(object, "displayName") || member(object, "id")))
    return kShapeSession;
  if (object_member(object, "triage") && array_member(object, "timeline")) return kShapeSummary;
  if (is_sentinel_resource(object)) return kShapeSentinel;
  if (const auto* inner = object_member(object, "incident"); inner && is_sentinel_resource(*inner))
    return kShapeSentinel;
  if (is_graph_incident(object)) return kShapeDefenderXdr;
  if (member(object, "incidentId") || member(object, "incidentName")) return kShapeDefenderXdrApi;
  // A title is enough to be the generic shape; its reader says what else is missing.
  if (member(object, "title")) return kShapeGeneric;
  return std::nullopt;
}

Incident read_incident(const json::value& document, const ReadOptions& options) {
  const std::string name(options.input_name);
  const auto* object = document.if_object();
  if (!object) {
    if (document.is_array())
      throw InputError("the input '" + name +
                       "' is a JSON array: pass one incident object (if this is a list of "
                       "incidents, pass one element). " +
                       std::string(kAccepted));
    throw InputError("the input '" + name + "' must be a JSON object. " + std::string(kAccepted));
  }
  // An OData collection ({"value": [incident]}) as `GET /security/incidents?$expand=alerts`
  // returns it: one incident is read, several are refused rather than mixed up.
  if (const auto* value = array_member(*object, "value");
      value && !member(*object, "title") && !member(*object, "displayName")) {
    if (value->size() != 1 || !(*value)[0].is_object())
      throw InputError("the input '" + name + "' is a collection of " +
                       std::to_string(value->size()) +
                       " items ('value'): pass exactly one incident, e.g. value[0]");
    return read_incident((*value)[0], options);
  }
  auto shape = detect_shape(*object);
  if (!shape)
    throw InputError("the input '" + name + "' is not an incident this skill can read: it has " +
                     member_names(*object) + ". " + std::string(kAccepted));
  if (*shape == kShapeSession) {
    if (!options.allow_session)
      throw InputError("the input '" + name +
                       "' is a secpilot session export: Incident.WriteReport reports on "
                       "sessions; this skill takes one incident. " +
                       std::string(kAccepted));
    return read_session(*object);
  }
  if (*shape == kShapeSentinel) {
    if (const auto* inner = object_member(*object, "incident");
        inner && is_sentinel_resource(*inner))
      return read_sentinel(*inner, member(*object, "alerts"), member(*object, "entities"));
    const auto* properties = object_member(*object, "properties");
    const auto* alerts = member(*object, "alerts");
    const auto* entities = member(*object, "entities");
    if (properties && !alerts) alerts = member(*properties, "alerts");
    if (properties && !entities) entities = member(*properties, "entities");
    return read_sentinel(*object, alerts, entities);
  }
  if (*shape == kShapeDefenderXdr) return read_defender_xdr(*object);
  if (*shape == kShapeDefenderXdrApi) return read_defender_xdr_api(*object);
  return read_generic(*object, *shape);
}

}  // namespace incident
