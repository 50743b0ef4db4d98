#pragma once
/// The framed channel between the parent and one worker process.
///
/// A worker and the parent talk over one stream socket (socketpair). The stream
/// carries frames:
///
///   frame   := FrameHeader payload[length]
///   header  := magic u32 ('SOTF') | version u16 | type u16 | length u32   (12 bytes, host byte order)
///
/// Types: hello (worker -> parent, once, when ready), request (parent ->
/// worker: u32 catalog index of the rule to evaluate), verdict (worker ->
/// parent: the verdict's JSON value encoded as CBOR, so strings pass byte-exact
/// even when a path is not UTF-8). Payloads are capped (k_max_frame_payload);
/// the cap is checked on the header, before any payload is buffered. A verdict
/// larger than one frame travels as verdict_part frames followed by a final
/// verdict frame, the slices concatenated in order, up to k_max_verdict_payload
/// in all: every executor then reports the same large verdict.
///
/// Any malformed input (bad magic, unknown version or type, oversized length,
/// EOF in the middle of a frame) is an error, and the parent treats it as a
/// dead worker: it never guesses at a resynchronisation point.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sotcheck/util/result.hpp"

namespace sotcheck::exec {

inline constexpr std::uint32_t k_frame_magic = 0x46544f53;  ///< "SOTF" in memory on little-endian hosts
inline constexpr std::uint16_t k_frame_version = 1;
inline constexpr std::size_t k_frame_header_size = 12;
inline constexpr std::size_t k_max_frame_payload = 16u << 20;  ///< 16 MiB
/// One verdict over all its frames: far above any real report, still a bound.
inline constexpr std::size_t k_max_verdict_payload = std::size_t{1} << 30;  ///< 1 GiB

enum class FrameType : std::uint16_t { hello = 1, request = 2, verdict = 3, verdict_part = 4 };

struct Frame {
  FrameType type = FrameType::hello;
  std::string payload;
};

/// Header followed by payload, ready to write. The caller keeps payloads under
/// the cap (write_frame checks).
std::string encode_frame(FrameType type, std::string_view payload);

/// Incremental decoder for the non-blocking parent side: feed() whatever read()
/// returned, then take complete frames with next(). After the first error the
/// decoder stays failed.
class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t max_payload = k_max_frame_payload) : m_max_payload(max_payload) {}

  /// Appends bytes; fails as soon as a header is malformed or announces more
  /// than the cap (so an oversized frame is never buffered).
  util::Result<void> feed(const char* data, std::size_t size);
  /// The next complete frame, if one is buffered.
  std::optional<Frame> next();
  /// Fails once any header seen so far was malformed (including one found
  /// behind a frame that next() returned).
  util::Result<void> status() const;
  /// Called at EOF: fails if a frame was cut short.
  util::Result<void> finish() const;
  /// Bytes buffered but not yet returned as a frame.
  std::size_t pending() const { return m_buffer.size() - m_consumed; }

 private:
  util::Result<void> check_header();

  std::string m_buffer;
  std::size_t m_consumed = 0;
  std::size_t m_max_payload;
  std::string m_error;
};

/// Blocking write of one frame (worker side, and the parent's small requests):
/// retries on EINTR and short writes, never raises SIGPIPE.
util::Result<void> write_frame(int fd, FrameType type, std::string_view payload);

/// Blocking read of one frame (worker side). nullopt on a clean EOF at a frame
/// boundary (the parent closed the channel); an error on anything else.
util::Result<std::optional<Frame>> read_frame(int fd, std::size_t max_payload = k_max_frame_payload);

/// Sends one verdict payload as verdict_part frames of `frame_cap` bytes and a
/// final verdict frame (a single verdict frame when it fits). Payloads over
/// k_max_verdict_payload are refused.
util::Result<void> write_verdict(int fd, std::string_view payload, std::size_t frame_cap = k_max_frame_payload);

/// Joins the frames of one verdict on the receiving side.
class VerdictAssembler {
 public:
  explicit VerdictAssembler(std::size_t max_total = k_max_verdict_payload) : m_max_total(max_total) {}
  /// Takes a verdict_part or verdict frame. A part gives nullopt (more to
  /// come), the final frame the whole payload; an error once the slices exceed
  /// the total cap.
  util::Result<std::optional<std::string>> add(Frame frame);
  /// Drops a partly received verdict (its worker died).
  void reset() { m_parts.clear(); }
  bool in_progress() const { return !m_parts.empty(); }

 private:
  std::string m_parts;
  std::size_t m_max_total;
};

/// Request payload: a catalog index as u32.
std::string encode_request(std::uint32_t rule_index);
util::Result<std::uint32_t> decode_request(std::string_view payload);

}  // namespace sotcheck::exec
