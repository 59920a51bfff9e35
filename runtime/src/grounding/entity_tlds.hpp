// Which last labels make a name a public domain and which make it an internal host name.
#pragma once

#include <string_view>

namespace secpilot::grounding::detail {

// A public top-level domain this build knows (any case): every country code, the original
// generic ones and the new gTLDs most seen in security work. Left out on purpose because in a
// prompt they are nearly always file extensions or code: md py sh so zip mov one cat pub, and
// name post bar run new host page date stream download network systems zone, and kim (a surname
// in "a.kim" more often than a TLD).
bool is_public_tld(std::string_view label) noexcept;

// An internal or reserved last label (any case): corp local localdomain internal intranet lan
// home priv private, and the reserved example test invalid localhost (RFC 2606, RFC 6761). Names
// under them are hosts, not public domains.
bool is_internal_tld(std::string_view label) noexcept;

}  // namespace secpilot::grounding::detail
