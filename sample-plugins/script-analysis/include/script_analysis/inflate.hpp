// Bounded decompression with zlib: what PowerShell's IO.Compression.GzipStream and DeflateStream,
// and a shell's `gunzip`, do to a payload, stopping at a size limit so that a small bomb cannot
// cost gigabytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "script_analysis/limits.hpp"

namespace script_analysis {

enum class Compression {
  Gzip,        // RFC 1952, as GzipStream and gzip write it
  RawDeflate,  // RFC 1951 without header, as .NET's DeflateStream writes it
  Zlib,        // RFC 1950, zlib's own header
};

std::string_view compression_name(Compression compression) noexcept;

// Gzip or zlib when the bytes start with that format's header; raw deflate has no header.
std::optional<Compression> sniff_compression(std::string_view bytes) noexcept;

struct Inflated {
  std::string data;        // what was decompressed, at most max_output bytes
  bool complete = false;   // the stream ended properly
  bool truncated = false;  // stopped because max_output was reached
};

// Decompresses one stream (a gzip member, a zlib stream or raw deflate data). Corrupt or cut-off
// input yields what was decoded before the damage, with complete = false.
Inflated inflate_bytes(std::string_view compressed, Compression compression, size_t max_output);

// The same within an analysis' Budget: at most budget.stream_allowance() bytes, recorded (and a
// stop at the bound reported as a limit hit). nullopt when nothing at all could be decoded.
std::optional<std::string> inflate_within(std::string_view compressed, Compression compression,
                                          Budget& budget);

}  // namespace script_analysis
