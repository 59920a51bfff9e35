// Shell pipelines that turn a constant into a command: echo <data> | <filters> [| sh], a filter
// fed by a here-string (base64 -d <<< <data>), wrapped or not in $( ) or backticks and in eval,
// bash -c or sh -c. The filters understood are base64 decoding (base64 -d, openssl base64 -d),
// decompression (gunzip, gzip -d, zcat), hex (xxd -r -p) and rev.
#pragma once

#include <optional>

#include "transform.hpp"

namespace script_analysis {

enum class PipelineKind {
  Decoding,   // at least one base64, gunzip or xxd filter
  Reversing,  // rev only
};

// Rewrites every pipeline of that kind: into the decoded command when its output is run (| sh,
// eval, bash -c), into the decoded value when captured by $( ), else into `echo '<value>'`.
std::optional<Rewrite> rewrite_pipelines(const TransformInput& input, PipelineKind kind);

}  // namespace script_analysis
