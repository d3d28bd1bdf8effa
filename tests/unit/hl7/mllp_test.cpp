// MLLP framing: frames split anyhow, junk, cut-off and oversized frames, a missing 0x0D.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hl7/mllp.hpp"
#include "hl7/text.hpp"
#include "hl7_test_support.hpp"

namespace vigil::hl7 {
namespace {

std::vector<mllp_item> drain(mllp_reader& r) {
  std::vector<mllp_item> out;
  while (auto item = r.next()) out.push_back(std::move(*item));
  return out;
}

TEST(Mllp, WrapFramesAMessage) {
  EXPECT_EQ(mllp_wrap("MSH|x\r"), std::string("\x0BMSH|x\r\x1C\x0D"));
}

TEST(Mllp, SeveralFramesInOneRead) {
  mllp_reader r(1024);
  r.feed(mllp_wrap("one") + mllp_wrap("two") + mllp_wrap(""));
  const auto items = drain(r);
  ASSERT_EQ(items.size(), 3U);
  EXPECT_TRUE(items[0].is_frame);
  EXPECT_EQ(items[0].frame, "one");
  EXPECT_EQ(items[1].frame, "two");
  EXPECT_TRUE(items[2].is_frame);
  EXPECT_EQ(items[2].frame, "");
  EXPECT_FALSE(r.mid_frame());
}

TEST(Mllp, OneFrameOverManyReadsByteByByte) {
  const std::string wire = mllp_wrap("MSH|^~\\&|A\rPID|1\r");
  mllp_reader r(1024);
  std::vector<mllp_item> items;
  for (std::size_t i = 0; i < wire.size(); ++i) {
    r.feed(wire.substr(i, 1));
    for (auto& it : drain(r)) items.push_back(std::move(it));
    if (i + 1 < wire.size()) {
      EXPECT_TRUE(r.mid_frame()) << i;
    }
  }
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].frame, "MSH|^~\\&|A\rPID|1\r");
  EXPECT_FALSE(r.mid_frame());
}

TEST(Mllp, EndSplitBetween1CAnd0D) {
  mllp_reader r(1024);
  r.feed(
      "\x0B"
      "abc\x1C");
  EXPECT_FALSE(r.next().has_value());
  EXPECT_TRUE(r.mid_frame());
  r.feed("\x0D");
  const auto item = r.next();
  ASSERT_TRUE(item && item->is_frame);
  EXPECT_EQ(item->frame, "abc");
}

TEST(Mllp, NotMllpIsReportedAndNoFrameComes) {
  mllp_reader r(4096);
  r.feed(test::data_file("bad/not_mllp.bin"));
  const auto items = drain(r);
  ASSERT_EQ(items.size(), 1U);
  EXPECT_FALSE(items[0].is_frame);
  EXPECT_EQ(items[0].error, "851 bytes outside an MLLP frame (not 0x0B ... 0x1C 0x0D) dropped");
  EXPECT_FALSE(r.mid_frame());
}

TEST(Mllp, JunkBeforeAFrameIsReportedThenTheFrameIsRead) {
  mllp_reader r(4096);
  r.feed(cat("\r\n", mllp_wrap("m")));
  const auto items = drain(r);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0].error, "2 bytes outside an MLLP frame (not 0x0B ... 0x1C 0x0D) dropped");
  EXPECT_EQ(items[1].frame, "m");
}

TEST(Mllp, CutOffFrameStaysPendingForTheCallersTimeout) {
  mllp_reader r(4096);
  r.feed(test::data_file("bad/cut_off_frame.bin"));
  EXPECT_FALSE(r.next().has_value());
  EXPECT_TRUE(r.mid_frame());
  EXPECT_EQ(r.pending_bytes(), 150U);
}

TEST(Mllp, ANewStartInsideAFrameReportsTheCutOffOne) {
  mllp_reader r(4096);
  r.feed(
      "\x0B"
      "half" +
      mllp_wrap("whole"));
  const auto items = drain(r);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0].error,
            "MLLP frame cut off after 4 bytes by a new 0x0B; reading the new frame");
  EXPECT_EQ(items[1].frame, "whole");
}

TEST(Mllp, OversizeFrameIsDroppedAndTheNextOneRead) {
  const std::string data = test::data_file("bad/oversize_frame.bin");
  mllp_reader r(4096);
  // In reads of 1,000 bytes, as a socket might deliver them.
  std::vector<mllp_item> items;
  for (std::size_t i = 0; i < data.size(); i += 1000) {
    r.feed(std::string_view(data).substr(i, 1000));
    for (auto& it : drain(r)) items.push_back(std::move(it));
  }
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0].error, "MLLP frame longer than 4096 bytes dropped; skipping to the next 0x0B");
  ASSERT_TRUE(items[1].is_frame);
  EXPECT_EQ(items[1].frame, test::data_file("bad/good.hl7"));
  EXPECT_FALSE(r.mid_frame());
}

TEST(Mllp, EndNotFollowedByCrDropsTheFrameAndResyncs) {
  mllp_reader r(4096);
  r.feed(test::data_file("bad/end_without_cr.bin"));
  const auto items = drain(r);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0].error, "MLLP frame end 0x1C not followed by 0x0D; frame dropped");
  ASSERT_TRUE(items[1].is_frame);
  EXPECT_EQ(items[1].frame, test::data_file("bad/good.hl7"));
}

TEST(Mllp, EmptyFeedGivesNothing) {
  mllp_reader r(16);
  r.feed("");
  EXPECT_FALSE(r.next().has_value());
  EXPECT_FALSE(r.mid_frame());
}

}  // namespace
}  // namespace vigil::hl7
