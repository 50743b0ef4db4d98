// Fuzzes the worker channel's frame decoder the way the parent uses it: the
// bytes arrive in arbitrary chunks (the first input byte picks the chunk size),
// complete frames are taken as they come, and verdict and request payloads are
// decoded. Garbage must end in a clean error, never a crash or an over-read.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "sotcheck/exec/channel.hpp"
#include "sotcheck/exec/verdict.hpp"

namespace {

void decode_payload(const sotcheck::exec::Frame& frame) {
  using sotcheck::exec::FrameType;
  if (frame.type == FrameType::request) {
    (void)sotcheck::exec::decode_request(frame.payload);
  } else if (frame.type == FrameType::verdict) {
    try {
      (void)sotcheck::exec::verdict_from_json(nlohmann::ordered_json::from_cbor(frame.payload));
    } catch (const nlohmann::ordered_json::exception&) {
      // The parent turns this into a protocol death of the worker.
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = std::size_t{data[0]} + 1;
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  std::size_t left = size - 1;
  // A small cap so oversized-length headers are exercised without 16 MiB inputs.
  sotcheck::exec::FrameDecoder decoder(4096);
  while (left > 0) {
    const std::size_t n = std::min(chunk, left);
    const bool fed = decoder.feed(bytes, n).ok();
    bytes += n;
    left -= n;
    while (auto frame = decoder.next()) decode_payload(*frame);
    if (!fed) return 0;
  }
  (void)decoder.finish();
  return 0;
}
