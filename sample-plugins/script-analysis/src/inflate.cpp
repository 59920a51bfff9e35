#include "script_analysis/inflate.hpp"

#include <algorithm>
#include <climits>

#include <zlib.h>

namespace script_analysis {

std::string_view compression_name(Compression compression) noexcept {
  switch (compression) {
    case Compression::Gzip:
      return "gzip";
    case Compression::RawDeflate:
      return "deflate";
    case Compression::Zlib:
      return "zlib";
  }
  return "unknown";
}

std::optional<Compression> sniff_compression(std::string_view bytes) noexcept {
  if (bytes.size() >= 3 && bytes[0] == '\x1f' && bytes[1] == '\x8b' && bytes[2] == '\x08')
    return Compression::Gzip;
  if (bytes.size() >= 2) {
    auto cmf = static_cast<unsigned char>(bytes[0]);
    auto flg = static_cast<unsigned char>(bytes[1]);
    if ((cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0)
      return Compression::Zlib;
  }
  return std::nullopt;
}

Inflated inflate_bytes(std::string_view compressed, Compression compression, size_t max_output) {
  Inflated result;
  z_stream stream{};
  // windowBits: 16 + 15 reads a gzip header, -15 raw deflate, 15 a zlib header.
  int window_bits = compression == Compression::Gzip         ? 16 + MAX_WBITS
                    : compression == Compression::RawDeflate ? -MAX_WBITS
                                                             : MAX_WBITS;
  if (inflateInit2(&stream, window_bits) != Z_OK) return result;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(std::min<size_t>(compressed.size(), UINT_MAX));
  constexpr size_t kChunk = 64 * 1024;
  int status = Z_OK;
  while (status == Z_OK) {
    if (result.data.size() >= max_output) {
      result.truncated = true;
      break;
    }
    size_t room = std::min(kChunk, max_output - result.data.size());
    size_t before = result.data.size();
    result.data.resize(before + room);
    stream.next_out = reinterpret_cast<Bytef*>(result.data.data() + before);
    stream.avail_out = static_cast<uInt>(room);
    status = inflate(&stream, Z_NO_FLUSH);
    result.data.resize(before + (room - stream.avail_out));
    if (status == Z_BUF_ERROR && stream.avail_in == 0) break;  // input ended mid-stream
  }
  result.complete = status == Z_STREAM_END;
  inflateEnd(&stream);
  return result;
}

std::optional<std::string> inflate_within(std::string_view compressed, Compression compression,
                                          Budget& budget) {
  size_t allowance = budget.stream_allowance();
  if (allowance == 0) {
    budget.spend_decompressed(0, true);
    return std::nullopt;
  }
  Inflated inflated = inflate_bytes(compressed, compression, allowance);
  budget.spend_decompressed(inflated.data.size(), inflated.truncated);
  if (inflated.data.empty()) return std::nullopt;
  return std::move(inflated.data);
}

}  // namespace script_analysis
