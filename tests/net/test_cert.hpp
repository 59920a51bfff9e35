// Self-signed certificates made at test time with OpenSSL's C API, so that no key material is
// checked in and nothing expires.
#pragma once

#include <string>
#include <vector>

#include "test_server.hpp"

namespace secpilot::net::testing {

// A self-signed P-256 certificate valid from an hour ago for a day, with CN = the first name and a
// subjectAltName of every `dns_names` entry (DNS:) and `ip_addresses` entry (IP:).
TlsIdentity make_self_signed(const std::vector<std::string>& dns_names,
                             const std::vector<std::string>& ip_addresses);

}  // namespace secpilot::net::testing
