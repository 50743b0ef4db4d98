#include "sotcheck/exec/channel.hpp"
#include "sotcheck/util/errno_text.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <type_traits>

namespace sotcheck::exec {
namespace {

struct FrameHeader {
  std::uint32_t magic;
  std::uint16_t version;
  std::uint16_t type;
  std::uint32_t length;
};
static_assert(sizeof(FrameHeader) == k_frame_header_size && std::is_trivially_copyable_v<FrameHeader>);

bool known_type(std::uint16_t type) {
  return type >= static_cast<std::uint16_t>(FrameType::hello) &&
         type <= static_cast<std::uint16_t>(FrameType::verdict_part);
}

using util::errno_text;

/// Sends all bytes; send() with MSG_NOSIGNAL on sockets so a dead peer is an
/// EPIPE error rather than a SIGPIPE, write() for anything else (tests use pipes).
util::Result<void> write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return util::make_error(errno_text("write"));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

/// Reads exactly `size` bytes. Returns the count read before EOF (< size only at EOF).
util::Result<std::size_t> read_exact(int fd, char* data, std::size_t size) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, data + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return util::make_error(errno_text("read"));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

util::Result<void> validate_header(const FrameHeader& header, std::size_t max_payload) {
  if (header.magic != k_frame_magic) return util::make_error("bad frame magic");
  if (header.version != k_frame_version)
    return util::make_error("unsupported frame version " + std::to_string(header.version));
  if (!known_type(header.type)) return util::make_error("unknown frame type " + std::to_string(header.type));
  if (header.length > max_payload)
    return util::make_error("frame of " + std::to_string(header.length) + " bytes exceeds the " +
                            std::to_string(max_payload) + "-byte cap");
  return {};
}

}  // namespace

std::string encode_frame(FrameType type, std::string_view payload) {
  const FrameHeader header{k_frame_magic, k_frame_version, static_cast<std::uint16_t>(type),
                           static_cast<std::uint32_t>(payload.size())};
  std::string out(sizeof header + payload.size(), '\0');
  std::memcpy(out.data(), &header, sizeof header);
  if (!payload.empty()) std::memcpy(out.data() + sizeof header, payload.data(), payload.size());
  return out;
}

util::Result<void> FrameDecoder::check_header() {
  if (pending() < sizeof(FrameHeader)) return {};
  FrameHeader header;
  std::memcpy(&header, m_buffer.data() + m_consumed, sizeof header);
  auto valid = validate_header(header, m_max_payload);
  if (!valid) m_error = valid.error();
  return valid;
}

util::Result<void> FrameDecoder::feed(const char* data, std::size_t size) {
  if (!m_error.empty()) return util::make_error(m_error);
  // Drop what has been consumed before growing, so the buffer holds at most one
  // frame plus one read's worth of bytes.
  if (m_consumed > 0) {
    m_buffer.erase(0, m_consumed);
    m_consumed = 0;
  }
  m_buffer.append(data, size);
  return check_header();
}

std::optional<Frame> FrameDecoder::next() {
  if (!m_error.empty() || pending() < sizeof(FrameHeader)) return std::nullopt;
  FrameHeader header;
  std::memcpy(&header, m_buffer.data() + m_consumed, sizeof header);
  if (pending() < sizeof header + header.length) return std::nullopt;
  Frame frame;
  frame.type = static_cast<FrameType>(header.type);
  frame.payload.assign(m_buffer, m_consumed + sizeof header, header.length);
  m_consumed += sizeof header + header.length;
  // The following frame's header may already be buffered: validate it now.
  (void)check_header();
  return frame;
}

util::Result<void> FrameDecoder::status() const {
  if (!m_error.empty()) return util::make_error(m_error);
  return {};
}

util::Result<void> FrameDecoder::finish() const {
  if (!m_error.empty()) return util::make_error(m_error);
  if (pending() > 0)
    return util::make_error("channel closed in the middle of a frame (" + std::to_string(pending()) +
                            " bytes of a partial frame)");
  return {};
}

util::Result<void> write_frame(int fd, FrameType type, std::string_view payload) {
  if (payload.size() > k_max_frame_payload) return util::make_error("frame payload over the cap");
  const std::string frame = encode_frame(type, payload);
  return write_all(fd, frame.data(), frame.size());
}

util::Result<std::optional<Frame>> read_frame(int fd, std::size_t max_payload) {
  FrameHeader header;
  auto got = read_exact(fd, reinterpret_cast<char*>(&header), sizeof header);
  if (!got) return util::make_error(got.error());
  if (*got == 0) return std::optional<Frame>{};
  if (*got < sizeof header) return util::make_error("channel closed in the middle of a frame header");
  auto valid = validate_header(header, max_payload);
  if (!valid) return util::make_error(valid.error());
  Frame frame;
  frame.type = static_cast<FrameType>(header.type);
  frame.payload.resize(header.length);
  got = read_exact(fd, frame.payload.data(), header.length);
  if (!got) return util::make_error(got.error());
  if (*got < header.length) return util::make_error("channel closed in the middle of a frame payload");
  return std::optional<Frame>{std::move(frame)};
}

util::Result<void> write_verdict(int fd, std::string_view payload, std::size_t frame_cap) {
  if (payload.size() > k_max_verdict_payload) return util::make_error("verdict payload over the cap");
  if (frame_cap == 0 || frame_cap > k_max_frame_payload) frame_cap = k_max_frame_payload;
  while (payload.size() > frame_cap) {
    if (auto sent = write_frame(fd, FrameType::verdict_part, payload.substr(0, frame_cap)); !sent) return sent;
    payload.remove_prefix(frame_cap);
  }
  return write_frame(fd, FrameType::verdict, payload);
}

util::Result<std::optional<std::string>> VerdictAssembler::add(Frame frame) {
  if (m_parts.size() + frame.payload.size() > m_max_total) {
    m_parts.clear();
    return util::make_error("verdict over the " + std::to_string(m_max_total) + "-byte cap");
  }
  if (frame.type == FrameType::verdict_part) {
    m_parts += frame.payload;
    return std::optional<std::string>{};
  }
  if (m_parts.empty()) return std::optional<std::string>{std::move(frame.payload)};
  std::string whole = std::move(m_parts);
  m_parts.clear();
  whole += frame.payload;
  return std::optional<std::string>{std::move(whole)};
}

std::string encode_request(std::uint32_t rule_index) {
  std::string out(sizeof rule_index, '\0');
  std::memcpy(out.data(), &rule_index, sizeof rule_index);
  return out;
}

util::Result<std::uint32_t> decode_request(std::string_view payload) {
  std::uint32_t index = 0;
  if (payload.size() != sizeof index) return util::make_error("request payload is not 4 bytes");
  std::memcpy(&index, payload.data(), sizeof index);
  return index;
}

}  // namespace sotcheck::exec
