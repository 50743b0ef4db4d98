// The worker channel's framing: a malformed, short or oversized frame is an
// error (the parent treats the worker as dead), never undefined behaviour.

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <string>
#include <thread>

#include "sotcheck/exec/channel.hpp"

namespace sotcheck {
namespace {

using exec::encode_frame;
using exec::Frame;
using exec::FrameDecoder;
using exec::FrameType;

/// A connected socket pair, closed on destruction.
struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0); }
  ~SocketPair() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  void close_end(int i) {
    ::close(fds[i]);
    fds[i] = -1;
  }
  int fds[2] = {-1, -1};
};

std::string header_bytes(std::uint32_t magic, std::uint16_t version, std::uint16_t type, std::uint32_t length) {
  std::string out(12, '\0');
  std::memcpy(out.data(), &magic, 4);
  std::memcpy(out.data() + 4, &version, 2);
  std::memcpy(out.data() + 6, &type, 2);
  std::memcpy(out.data() + 8, &length, 4);
  return out;
}

TEST(Channel, FramesSurviveBeingFedOneByteAtATime) {
  const std::string big(100000, 'x');
  const std::string stream = encode_frame(FrameType::hello, "{}") + encode_frame(FrameType::request, "") +
                             encode_frame(FrameType::verdict, big);
  FrameDecoder decoder;
  std::vector<Frame> frames;
  for (char c : stream) {
    ASSERT_TRUE(decoder.feed(&c, 1).ok());
    while (auto frame = decoder.next()) frames.push_back(std::move(*frame));
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].type, FrameType::hello);
  EXPECT_EQ(frames[0].payload, "{}");
  EXPECT_EQ(frames[1].type, FrameType::request);
  EXPECT_EQ(frames[1].payload, "");
  EXPECT_EQ(frames[2].payload, big);
  EXPECT_TRUE(decoder.finish().ok());
}

TEST(Channel, EofInTheMiddleOfAHeaderOrPayloadIsAnError) {
  const std::string frame = encode_frame(FrameType::verdict, "0123456789");
  for (std::size_t cut : {std::size_t{1}, std::size_t{11}, std::size_t{12}, frame.size() - 1}) {
    FrameDecoder decoder;
    ASSERT_TRUE(decoder.feed(frame.data(), cut).ok());
    EXPECT_FALSE(decoder.next().has_value());
    const auto finished = decoder.finish();
    ASSERT_FALSE(finished.ok()) << "cut at " << cut;
    EXPECT_NE(finished.error().find("middle of a frame"), std::string::npos);
  }
}

TEST(Channel, OversizedFrameIsRejectedFromItsHeaderAlone) {
  FrameDecoder decoder;
  const std::string header = header_bytes(exec::k_frame_magic, exec::k_frame_version, 3,
                                          static_cast<std::uint32_t>(exec::k_max_frame_payload + 1));
  const auto fed = decoder.feed(header.data(), header.size());  // no payload byte needed to refuse it
  ASSERT_FALSE(fed.ok());
  EXPECT_NE(fed.error().find("exceeds"), std::string::npos);
  EXPECT_FALSE(decoder.next().has_value());

  FrameDecoder small(16);
  const std::string frame = encode_frame(FrameType::verdict, std::string(17, 'y'));
  EXPECT_FALSE(small.feed(frame.data(), frame.size()).ok());
}

TEST(Channel, BadMagicUnknownVersionAndUnknownTypeAreRejected) {
  const std::string noise = "this is not a sotcheck frame";
  FrameDecoder garbage;
  const auto fed = garbage.feed(noise.data(), noise.size());
  ASSERT_FALSE(fed.ok());
  EXPECT_EQ(fed.error(), "bad frame magic");

  FrameDecoder version;
  const std::string v2 = header_bytes(exec::k_frame_magic, 2, 1, 0);
  EXPECT_FALSE(version.feed(v2.data(), v2.size()).ok());

  FrameDecoder type;
  const std::string t9 = header_bytes(exec::k_frame_magic, exec::k_frame_version, 9, 0);
  EXPECT_FALSE(type.feed(t9.data(), t9.size()).ok());
}

TEST(Channel, ABadHeaderAfterAGoodFrameStillYieldsTheGoodFrameFirst) {
  const std::string stream = encode_frame(FrameType::verdict, "ok") + "GARBAGE GARBAGE";
  FrameDecoder decoder;
  // The good frame is complete in this chunk; the garbage right behind it is
  // noticed as soon as the good frame has been taken.
  ASSERT_TRUE(decoder.feed(stream.data(), stream.size()).ok());
  EXPECT_TRUE(decoder.status().ok());
  auto good = decoder.next();
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(good->payload, "ok");
  EXPECT_FALSE(decoder.status().ok());
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_FALSE(decoder.finish().ok());
  // Once failed, the decoder stays failed.
  EXPECT_FALSE(decoder.feed("x", 1).ok());
}

TEST(Channel, BlockingReadAndWriteOverASocketPair) {
  SocketPair pair;
  ASSERT_TRUE(exec::write_frame(pair.fds[0], FrameType::request, exec::encode_request(42)).ok());
  auto frame = exec::read_frame(pair.fds[1]);
  ASSERT_TRUE(frame.ok()) << frame.error();
  ASSERT_TRUE(frame->has_value());
  EXPECT_EQ((*frame)->type, FrameType::request);
  auto index = exec::decode_request((*frame)->payload);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(*index, 42u);
  EXPECT_FALSE(exec::decode_request("abc").ok());

  pair.close_end(0);
  auto eof = exec::read_frame(pair.fds[1]);
  ASSERT_TRUE(eof.ok());
  EXPECT_FALSE(eof->has_value());  // a clean EOF at a frame boundary is the end of the conversation
}

TEST(Channel, BlockingReadReportsShortAndOversizedFrames) {
  {
    SocketPair pair;
    const std::string frame = encode_frame(FrameType::verdict, "0123456789");
    ASSERT_EQ(::write(pair.fds[0], frame.data(), frame.size() - 3), static_cast<ssize_t>(frame.size() - 3));
    pair.close_end(0);
    auto read = exec::read_frame(pair.fds[1]);
    ASSERT_FALSE(read.ok());
    EXPECT_NE(read.error().find("middle of a frame payload"), std::string::npos);
  }
  {
    SocketPair pair;
    const std::string header = header_bytes(exec::k_frame_magic, exec::k_frame_version, 3, 1u << 30);
    ASSERT_EQ(::write(pair.fds[0], header.data(), header.size()), 12);
    auto read = exec::read_frame(pair.fds[1]);
    ASSERT_FALSE(read.ok());
    EXPECT_NE(read.error().find("exceeds"), std::string::npos);
  }
}

TEST(Channel, WritingToAClosedPeerIsAnErrorNotSigpipe) {
  SocketPair pair;
  pair.close_end(1);
  EXPECT_FALSE(exec::write_frame(pair.fds[0], FrameType::hello, "{}").ok());
}

TEST(Channel, ALargeVerdictTravelsAsPartsAndIsJoinedInOrder) {
  SocketPair pair;
  std::string payload;
  for (int i = 0; i < 1000; ++i) payload += std::to_string(i) + ",";
  // A 64-byte frame cap stands in for the real 16 MiB one.
  std::thread writer([&] { EXPECT_TRUE(exec::write_verdict(pair.fds[0], payload, 64).ok()); });
  exec::VerdictAssembler assembler;
  std::optional<std::string> whole;
  std::size_t frames = 0;
  while (!whole) {
    auto frame = exec::read_frame(pair.fds[1]);
    ASSERT_TRUE(frame.ok() && frame->has_value());
    EXPECT_LE((*frame)->payload.size(), 64u);
    ++frames;
    auto added = assembler.add(std::move(**frame));
    ASSERT_TRUE(added.ok()) << added.error();
    whole = std::move(*added);
  }
  writer.join();
  EXPECT_EQ(*whole, payload);
  EXPECT_EQ(frames, (payload.size() + 63) / 64);
  EXPECT_FALSE(assembler.in_progress());
}

TEST(Channel, AVerdictThatFitsIsOneFrameAndTheTotalIsStillCapped) {
  SocketPair pair;
  ASSERT_TRUE(exec::write_verdict(pair.fds[0], "small").ok());
  auto frame = exec::read_frame(pair.fds[1]);
  ASSERT_TRUE(frame.ok() && frame->has_value());
  EXPECT_EQ((*frame)->type, FrameType::verdict);

  exec::VerdictAssembler capped(10);
  auto first = capped.add(Frame{FrameType::verdict_part, "123456"});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->has_value());
  EXPECT_TRUE(capped.in_progress());
  const auto over = capped.add(Frame{FrameType::verdict_part, "789012"});
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().find("cap"), std::string::npos);
}

}  // namespace
}  // namespace sotcheck
