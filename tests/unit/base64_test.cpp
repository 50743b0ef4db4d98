#include "sotcheck/pyyaml/base64.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/constructed.hpp"
#include "support/yaml_documents.hpp"

// `!!binary` as base64.decodebytes reads it. Expected values are what Python 3.11 prints.

namespace sotcheck::pyyaml {
namespace {

std::string decoded(std::string_view text) {
  return testing::constructed_or_error<std::string>(text, decode_base64, [](const std::string& s) { return s; });
}

TEST(Base64, DecodesLenientlyAsDecodebytes) {
  EXPECT_EQ(decoded("aGVsbG8="), "hello");
  EXPECT_EQ(decoded("aGVs bG8=\n"), "hello");  // characters outside the alphabet are skipped
  EXPECT_EQ(decoded("Y*Q=="), "a");
  EXPECT_EQ(decoded("YW=="), "a");             // the unused bits of the last sextet are ignored
  EXPECT_EQ(decoded("YQ==YQ=="), "a");         // a pad that completes a quad ends the data
  EXPECT_EQ(decoded("aG=Vs"), "hel");          // a pad that does not is ignored
  EXPECT_EQ(decoded("===="), "");
  EXPECT_EQ(decoded(""), "");
}

TEST(Base64, ErrorsAreBinasciis) {
  EXPECT_EQ(decoded("aGVsbG8"), "ERROR failed to decode base64 data: Incorrect padding");
  EXPECT_EQ(decoded("aGVsbA="), "ERROR failed to decode base64 data: Incorrect padding");
  EXPECT_EQ(decoded("a"),
            "ERROR failed to decode base64 data: Invalid base64-encoded string: number of data characters (1) "
            "cannot be 1 more than a multiple of 4");
  EXPECT_EQ(decoded("abcde"),
            "ERROR failed to decode base64 data: Invalid base64-encoded string: number of data characters (5) "
            "cannot be 1 more than a multiple of 4");
  // Python names the codec error here ("'ascii' codec can't encode character ..."); the prefix is the same.
  EXPECT_EQ(decoded("\xc3\xa9").rfind("ERROR failed to convert base64 data into ascii", 0), 0u);
}

TEST(Base64, BinaryNodesHoldTheBytes) {
  const testing::LoadedYaml d = testing::load_yaml("v: !!binary |\n  aGVs\n  bG8=\nw: !!binary ''\n");
  ASSERT_TRUE(d.ok()) << d.error;
  EXPECT_EQ(d.repr(), "{'v': b'hello', 'w': b''}");
  EXPECT_NE(testing::load_yaml("v: !!binary aGVsbG8").error.find("line 1, column 4: failed to decode base64 data"),
            std::string::npos);
}

}  // namespace
}  // namespace sotcheck::pyyaml
