// The process pool's channel (exec/channel.cpp): framing and the incremental
// decoder, and a verdict's full trip as the pool makes it (JSON value -> CBOR
// -> frame -> decoder -> CBOR -> Verdict). This is the per-rule IPC cost that
// `sotcheck bench` reports as the `dispatch` phase, minus the syscalls.

#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include <string>

#include "sotcheck/exec/channel.hpp"
#include "sotcheck/exec/verdict.hpp"

namespace {

using sotcheck::exec::FrameDecoder;
using sotcheck::exec::FrameType;

void BM_FrameEncode(benchmark::State& state) {
  const std::string payload(static_cast<std::size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    std::string frame = sotcheck::exec::encode_frame(FrameType::verdict, payload);
    benchmark::DoNotOptimize(frame.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * payload.size()));
}
BENCHMARK(BM_FrameEncode)->Arg(4)->Arg(512)->Arg(64 << 10);

/// 64 frames fed to the decoder in 4 KiB reads, as the parent's non-blocking
/// reads deliver them.
void BM_FrameDecode(benchmark::State& state) {
  const std::string payload(static_cast<std::size_t>(state.range(0)), 'x');
  std::string stream;
  constexpr int k_frames = 64;
  for (int i = 0; i < k_frames; ++i) stream += sotcheck::exec::encode_frame(FrameType::verdict, payload);
  constexpr std::size_t k_read_size = 4096;
  for (auto _ : state) {
    FrameDecoder decoder;
    int frames = 0;
    for (std::size_t offset = 0; offset < stream.size(); offset += k_read_size) {
      if (!decoder.feed(stream.data() + offset, std::min(k_read_size, stream.size() - offset)).ok()) {
        state.SkipWithError("decoder refused a valid stream");
        return;
      }
      while (auto frame = decoder.next()) frames += 1;
    }
    if (frames != k_frames) state.SkipWithError("decoder lost frames");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_FrameDecode)->Arg(4)->Arg(512)->Arg(64 << 10);

sotcheck::exec::Verdict typical_failed_verdict() {
  sotcheck::exec::Verdict verdict;
  verdict.rule_id = "CONTENT-REGEX-017";
  verdict.status = sotcheck::exec::Status::fail;
  verdict.severity = sotcheck::catalog::Severity::high;
  verdict.message = "Found 3 files with forbidden content";
  nlohmann::ordered_json paths = nlohmann::ordered_json::array();
  for (int i = 0; i < 3; ++i) paths.push_back("03_core/shards/0" + std::to_string(i) + "_identity/docs/notes.md");
  verdict.evidence = {{"violations", paths}, {"checked_files", 1234}};
  verdict.timestamp = "2025-01-01T00:00:00Z";
  return verdict;
}

void BM_VerdictRoundTrip(benchmark::State& state) {
  const sotcheck::exec::Verdict verdict = typical_failed_verdict();
  for (auto _ : state) {
    const std::vector<std::uint8_t> cbor = nlohmann::ordered_json::to_cbor(sotcheck::exec::to_json(verdict));
    const std::string frame = sotcheck::exec::encode_frame(
        FrameType::verdict, std::string_view(reinterpret_cast<const char*>(cbor.data()), cbor.size()));
    FrameDecoder decoder;
    if (!decoder.feed(frame.data(), frame.size()).ok()) {
      state.SkipWithError("decoder refused a valid frame");
      return;
    }
    const auto received = decoder.next();
    auto decoded = sotcheck::exec::verdict_from_json(nlohmann::ordered_json::from_cbor(received->payload));
    benchmark::DoNotOptimize(decoded.ok());
  }
}
BENCHMARK(BM_VerdictRoundTrip);

}  // namespace
