// The one UTF-8 decoder (util/utf8.hpp) against the messages CPython 3 gives
// for the same bytes (b"...".decode("utf-8")).

#include <gtest/gtest.h>

#include <string>

#include "sotcheck/util/utf8.hpp"

namespace sotcheck::util {
namespace {

std::string error_of(const std::string& bytes) { return utf8_decode_error(bytes).value_or("decodes"); }

TEST(Utf8, InvalidStartBytesNameOneByte) {
  EXPECT_EQ(error_of("abc\xff"), "'utf-8' codec can't decode byte 0xff in position 3: invalid start byte");
  EXPECT_EQ(error_of("\x80"), "'utf-8' codec can't decode byte 0x80 in position 0: invalid start byte");
  EXPECT_EQ(error_of("\xf5\x80"), "'utf-8' codec can't decode byte 0xf5 in position 0: invalid start byte");
}

TEST(Utf8, TruncatedSequencesNameEveryByteThatIsThere) {
  EXPECT_EQ(error_of("ab\xe2"), "'utf-8' codec can't decode byte 0xe2 in position 2: unexpected end of data");
  EXPECT_EQ(error_of("\xe2\x82"), "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data");
  EXPECT_EQ(error_of("\xf0\x9f\x98"), "'utf-8' codec can't decode bytes in position 0-2: unexpected end of data");
}

TEST(Utf8, InvalidContinuationNamesTheBytesBeforeIt) {
  EXPECT_EQ(error_of("\xe2" "A"), "'utf-8' codec can't decode byte 0xe2 in position 0: invalid continuation byte");
  EXPECT_EQ(error_of("\xe2\x82" "A"),
            "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte");
  EXPECT_EQ(error_of("\xf0\x9f" "AA"),
            "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte");
  EXPECT_EQ(error_of("ok\xf0\x9f\x98\x80\xe9x"),
            "'utf-8' codec can't decode byte 0xe9 in position 6: invalid continuation byte");
}

TEST(Utf8, OverlongFormsAreRejectedAsPythonWordsThem) {
  EXPECT_EQ(error_of("\xc0\xaf"), "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte");
  EXPECT_EQ(error_of("\xc1\x81"), "'utf-8' codec can't decode byte 0xc1 in position 0: invalid start byte");
  EXPECT_EQ(error_of("\xe0\x80\xaf"), "'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte");
  EXPECT_EQ(error_of("\xf0\x80\x80\x80"),
            "'utf-8' codec can't decode byte 0xf0 in position 0: invalid continuation byte");
  // A bad second byte is reported even when the data ends right after it.
  EXPECT_EQ(error_of("\xe0\x80"), "'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte");
}

TEST(Utf8, SurrogatesAndCodePointsAboveTheLimitAreRejected) {
  EXPECT_EQ(error_of("\xed\xa0\x80"), "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte");
  EXPECT_EQ(error_of("\xf4\x90\x80\x80"),
            "'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte");
}

TEST(Utf8, WellFormedTextDecodesToItsCodePoints) {
  const std::string text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xed\x9f\xbf\xf4\x8f\xbf\xbf";
  EXPECT_FALSE(utf8_decode_error(text));
  EXPECT_TRUE(is_valid_utf8(text));
  std::u32string decoded;
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = decode_utf8(text, i, &cp);
    ASSERT_GT(n, 0u) << "at " << i;
    decoded.push_back(cp);
    i += n;
  }
  EXPECT_EQ(decoded, (std::u32string{U'a', 0xE9, 0x20AC, 0x1F600, 0xD7FF, 0x10FFFF}));
}

TEST(Utf8, DecodeOfABrokenSequenceReturnsZero) {
  std::uint32_t cp = 0;
  EXPECT_EQ(decode_utf8("\xc0\xaf", 0, &cp), 0u);
  EXPECT_EQ(decode_utf8("\xed\xa0\x80", 0, &cp), 0u);
  EXPECT_EQ(decode_utf8("\xe2\x82", 0, &cp), 0u);
  EXPECT_EQ(decode_utf8("\xf4\x90\x80\x80", 0, &cp), 0u);
  EXPECT_FALSE(is_valid_utf8("x\xff"));
}

TEST(Utf8, SecondByteRangesDecideBetweenACutAndABrokenSequence) {
  // E0 A0 and F4 8F are valid beginnings, so the end of the data is what is wrong.
  EXPECT_EQ(error_of("\xe0\xa0"), "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data");
  EXPECT_EQ(error_of("x\xf4\x8f"), "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data");
  EXPECT_EQ(error_of("\xf0\x90\x80" "A"),
            "'utf-8' codec can't decode bytes in position 0-2: invalid continuation byte");
}

TEST(Utf8, ErrorsAfterLongAsciiRunsKeepTheirPosition) {
  // The ASCII prefix is skipped a word at a time; the position must still be exact.
  const std::string ascii(37, 'a');
  EXPECT_EQ(error_of(ascii + "\xff"), "'utf-8' codec can't decode byte 0xff in position 37: invalid start byte");
  EXPECT_EQ(error_of(ascii + "\xc3\xa9" + ascii + "\xe2\x82"),
            "'utf-8' codec can't decode bytes in position 76-77: unexpected end of data");
}

TEST(Utf8, TheTextOfARecordedErrorNeedsOnlyItsFirstByte) {
  for (const std::string bytes : {"ab\xff", "\xe2\x82", "\xf0\x9f" "AA", "ok\xe2\x82"}) {
    const auto error = first_utf8_error(bytes);
    ASSERT_TRUE(error) << bytes;
    EXPECT_EQ(utf8_error_text(static_cast<unsigned char>(bytes[error->start]), *error), error_of(bytes));
  }
}

TEST(Utf8, SequenceLengthAgreesWithTheDecoder) {
  for (const std::string text : {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc0\xaf", "\xed\xa0\x80",
                                 "\xe2\x82", "\xf4\x90\x80\x80", "\xff", "\x80"}) {
    std::uint32_t cp = 0;
    EXPECT_EQ(utf8_sequence_length(text, 0), decode_utf8(text, 0, &cp)) << text;
  }
}

TEST(Utf8, AsciiPrefixStopsAtTheFirstHighByte) {
  EXPECT_EQ(ascii_prefix_length(""), 0u);
  EXPECT_EQ(ascii_prefix_length("plain text, longer than a word"), 30u);
  for (std::size_t at = 0; at < 20; ++at) {
    std::string text(24, 'x');
    text[at] = '\xc3';
    EXPECT_EQ(ascii_prefix_length(text), at);
  }
}

}  // namespace
}  // namespace sotcheck::util
