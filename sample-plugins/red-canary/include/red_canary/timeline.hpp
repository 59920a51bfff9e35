// A detection's activity timeline (GET /detections/{id}/timeline): each ActivityOccurred entry
// flattened to the process, network connection or file modification it records.
#pragma once

#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace red_canary {

// Entries in the order given: {occurred_at, activity, analyst_notes} plus `process`
// {path, command_line, pid, started_at, md5, sha256}, `network_connection` {ip_address, port,
// domain} or `file_modification` {modification_type, path, md5, sha256}. Entries of other types
// (playbook executions) keep only the common fields, with `activity` set to their type.
boost::json::array timeline_entries(const std::vector<boost::json::object>& items);

}  // namespace red_canary
