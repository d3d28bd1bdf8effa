#include "core/bed_index.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace vigil::core::detail {
namespace {

struct beds_and_index {
  std::vector<std::string> ids;
  bed_index index;
  void add(const std::string& id, std::size_t h) {
    ids.push_back(id);
    index.insert(h, ids.size() - 1);
  }
  std::optional<std::size_t> find(const std::string& id, std::size_t h) const {
    return index.find(id, h, [this](std::size_t slot) -> std::string_view { return ids[slot]; });
  }
};

TEST(bed_index_test, finds_every_bed_added_through_several_growths) {
  beds_and_index b;
  for (int i = 0; i < 5000; ++i) {
    const auto id = "bed-" + std::to_string(i);
    b.add(id, bed_index::hash(id));
  }
  EXPECT_EQ(b.index.size(), 5000u);
  for (std::size_t i = 0; i < 5000; ++i) {
    const auto id = "bed-" + std::to_string(i);
    EXPECT_EQ(b.find(id, bed_index::hash(id)), i) << id;
  }
  EXPECT_EQ(b.find("bed-5000", bed_index::hash("bed-5000")), std::nullopt);
  EXPECT_EQ(b.find("", bed_index::hash("")), std::nullopt);
}

TEST(bed_index_test, ids_with_the_same_hash_are_told_apart_by_their_text) {
  beds_and_index b;
  for (int i = 0; i < 100; ++i) b.add("chair-" + std::to_string(i), 7);  // all collide
  for (std::size_t i = 0; i < 100; ++i) EXPECT_EQ(b.find("chair-" + std::to_string(i), 7), i);
  EXPECT_EQ(b.find("chair-100", 7), std::nullopt);
  // Same text, another hash: not the same bed (the hash is always hash() of the text in use).
  EXPECT_EQ(b.find("chair-1", 8), std::nullopt);
}

TEST(bed_index_test, an_empty_index_finds_nothing) {
  beds_and_index b;
  EXPECT_EQ(b.find("chair-1", bed_index::hash("chair-1")), std::nullopt);
}

TEST(bed_index_test, same_id_is_string_equality_at_every_length_and_position) {
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string a(n, 'a');
    for (std::size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + i % 26);
    const std::string b = a;
    EXPECT_TRUE(same_id(a, b)) << n;
    EXPECT_EQ(bed_index::hash(a), bed_index::hash(b)) << n;
    EXPECT_FALSE(same_id(a, a + "x")) << n;
    for (std::size_t i = 0; i < n; ++i) {
      std::string c = a;
      c[i] = '#';
      EXPECT_FALSE(same_id(a, c)) << n << " differing at " << i;
      EXPECT_FALSE(same_id(c, a)) << n << " differing at " << i;
    }
  }
}

TEST(bed_index_test, hash_spreads_similar_ids_over_the_low_bits) {
  // The table uses the low bits: 4,096 ids that differ in one or two characters should fill
  // most of 4,096 buckets (a uniform hash leaves about 1/e of them empty).
  std::vector<bool> used(4096);
  std::size_t buckets = 0;
  for (int i = 0; i < 4096; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "bed-%04d", i);
    const std::size_t b = bed_index::hash(id) & 4095;
    buckets += used[b] ? 0 : 1;
    used[b] = true;
  }
  EXPECT_GT(buckets, 2400U);
}

}  // namespace
}  // namespace vigil::core::detail
