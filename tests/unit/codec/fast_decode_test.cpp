// decode_heart_rate and decode_blood_pressure read common payloads by hand and hand the rest to
// protobuf (codec.cpp, "the readings' fast path"). Their answer must be protobuf's on every
// input: here both are compared on encodings of random values and on every cut, byte flip,
// repeated field, unknown field and odd varint of them, plus random bytes.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "vigil/v1/vitals.pb.h"

namespace vigil::codec {
namespace {

namespace pb = vigil::v1;

bool same_number(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

// The reference: protobuf's parse, then the checks codec.cpp makes after it.
void expect_as_protobuf(const std::string& bytes) {
  const auto got = decode_heart_rate(bytes);
  pb::HeartRate m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    ASSERT_FALSE(got) << testing::PrintToString(bytes);
    ASSERT_EQ(got.error(),
              "not a valid vigil.v1.HeartRate (" + std::to_string(bytes.size()) + " bytes)");
    return;
  }
  if (!pb::Validity_IsValid(m.validity())) {
    ASSERT_FALSE(got) << testing::PrintToString(bytes);
    ASSERT_EQ(got.error(),
              "HeartRate.validity: unknown enum value " + std::to_string(m.validity()));
    return;
  }
  ASSERT_TRUE(got) << testing::PrintToString(bytes) << ": " << got.error();
  const auto& v = got.value();
  ASSERT_EQ(v.device_id, m.device_id());
  ASSERT_EQ(v.measured_at_ms, m.measured_at_ms());
  ASSERT_EQ(v.seq, m.seq());
  ASSERT_TRUE(same_number(v.bpm, m.bpm())) << v.bpm << " vs " << m.bpm();
  ASSERT_EQ(static_cast<int>(v.validity), static_cast<int>(m.validity()));
}

void expect_bp_as_protobuf(const std::string& bytes) {
  const auto got = decode_blood_pressure(bytes);
  pb::BloodPressure m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    ASSERT_FALSE(got) << testing::PrintToString(bytes);
    ASSERT_EQ(got.error(),
              "not a valid vigil.v1.BloodPressure (" + std::to_string(bytes.size()) + " bytes)");
    return;
  }
  if (m.source() != pb::BP_SOURCE_UNSPECIFIED && m.source() != pb::BP_SOURCE_NIBP &&
      m.source() != pb::BP_SOURCE_ARTERIAL) {
    ASSERT_FALSE(got) << testing::PrintToString(bytes);
    ASSERT_EQ(got.error(), "BloodPressure.source: unknown enum value " +
                               std::to_string(static_cast<int>(m.source())));
    return;
  }
  if (!pb::Validity_IsValid(m.validity())) {
    ASSERT_FALSE(got) << testing::PrintToString(bytes);
    ASSERT_EQ(got.error(),
              "BloodPressure.validity: unknown enum value " + std::to_string(m.validity()));
    return;
  }
  ASSERT_TRUE(got) << testing::PrintToString(bytes) << ": " << got.error();
  const auto& v = got.value();
  ASSERT_EQ(v.device_id, m.device_id());
  ASSERT_EQ(v.measured_at_ms, m.measured_at_ms());
  ASSERT_EQ(v.seq, m.seq());
  ASSERT_TRUE(same_number(v.systolic_mmhg, m.systolic_mmhg()));
  ASSERT_TRUE(same_number(v.diastolic_mmhg, m.diastolic_mmhg()));
  ASSERT_EQ(v.mean_mmhg.has_value(), m.has_mean_mmhg());
  if (v.mean_mmhg) {
    ASSERT_TRUE(same_number(*v.mean_mmhg, m.mean_mmhg()));
  }
  ASSERT_EQ(v.source == core::bp_source::arterial, m.source() == pb::BP_SOURCE_ARTERIAL);
  ASSERT_EQ(static_cast<int>(v.validity), static_cast<int>(m.validity()));
}

class generator {
 public:
  explicit generator(std::uint32_t seed) : rng_(seed) {}

  std::uint64_t any() { return rng_(); }
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool one_in(int n) { return below(n) == 0; }

  std::string device_id() {
    static const std::vector<std::string> ids = {
        "",         "mon-bed-0042",         "csv:b1",
        "m",        std::string("a\0b", 3), "caf\xc3\xa9",  // UTF-8
        "bad-\xff", std::string(200, 'x'),  "\x7f\x01"};
    return ids[static_cast<std::size_t>(below(static_cast<int>(ids.size())))];
  }
  std::int64_t int64() {
    switch (below(5)) {
      case 0: return 0;
      case 1: return 1'700'000'000'000 + below(1'000'000);
      case 2: return -below(1000) - 1;  // a 10-byte varint
      case 3: return static_cast<std::int64_t>(any() >> below(64));
      default: return below(300);
    }
  }
  float real() {
    switch (below(6)) {
      case 0: return 0;
      case 1: return std::nanf("");
      case 2: return -std::numeric_limits<float>::infinity();
      case 3: return std::bit_cast<float>(static_cast<std::uint32_t>(any()));
      default: return static_cast<float>(below(3000)) / 10.0F;
    }
  }
  int enum_value() {
    switch (below(4)) {
      case 0: return below(4);
      case 1: return below(12);
      case 2: return -below(5) - 1;
      default: return static_cast<int>(any());
    }
  }

  std::string heart_rate() {
    pb::HeartRate m;
    if (!one_in(5)) m.set_device_id(device_id());
    if (!one_in(5)) m.set_measured_at_ms(int64());
    if (!one_in(5)) m.set_seq(static_cast<std::uint64_t>(int64()));
    if (!one_in(5)) m.set_bpm(real());
    if (!one_in(3)) m.set_validity(static_cast<pb::Validity>(enum_value()));
    return m.SerializeAsString();
  }
  std::string blood_pressure() {
    pb::BloodPressure m;
    if (!one_in(5)) m.set_device_id(device_id());
    if (!one_in(5)) m.set_measured_at_ms(int64());
    if (!one_in(5)) m.set_seq(static_cast<std::uint64_t>(int64()));
    if (!one_in(5)) m.set_systolic_mmhg(real());
    if (!one_in(5)) m.set_diastolic_mmhg(real());
    if (one_in(2)) m.set_mean_mmhg(real());
    if (!one_in(3)) m.set_source(static_cast<pb::BpSource>(one_in(2) ? below(3) : enum_value()));
    if (!one_in(3)) m.set_validity(static_cast<pb::Validity>(enum_value()));
    return m.SerializeAsString();
  }

  // Everything a sender or a bad link could make of `bytes`.
  std::vector<std::string> variants(const std::string& bytes) {
    std::vector<std::string> out{bytes};
    for (std::size_t n = 0; n < bytes.size(); ++n) out.push_back(bytes.substr(0, n));  // cuts
    for (int i = 0; i < 8 && !bytes.empty(); ++i) {                                    // flips
      std::string b = bytes;
      b[static_cast<std::size_t>(below(static_cast<int>(b.size())))] ^=
          static_cast<char>(1 << below(8));
      out.push_back(b);
    }
    for (int i = 0; i < 4 && !bytes.empty(); ++i) {  // a random byte anywhere
      std::string b = bytes;
      b[static_cast<std::size_t>(below(static_cast<int>(b.size())))] = static_cast<char>(any());
      out.push_back(b);
    }
    out.push_back(bytes + bytes);                                   // every field twice: last wins
    out.push_back(bytes + std::string("\x98\x06\x01", 3));          // unknown field 99
    out.push_back(std::string("\x15\x01\x02\x03\x04", 5) + bytes);  // field 2 as fixed32: unknown
    out.push_back(bytes + std::string("\x28\x81\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11));
    out.push_back(bytes + std::string("\x0a\x80\x80\x80\x80\x80\x00", 7));  // 6-byte length
    out.push_back(bytes + std::string("\x0a\x81\x00", 3) + "x");            // 2-byte length of 1
    out.push_back(bytes + std::string("\x8a\x00\x01", 3) + "y");            // 2-byte tag of field 1
    out.push_back(bytes + std::string("\x00", 1));                          // tag 0
    out.push_back(bytes + std::string("\x0c", 1));                          // end group
    return out;
  }

  std::string random_bytes() {
    static const char alphabet[] = {'\x0a', '\x10', '\x18', '\x25', '\x28', '\x2d', '\x35',
                                    '\x38', '\x40', '\x00', '\x01', '\x7f', '\x80', '\xff',
                                    'a',    '\x02', '\x05', '\x0d', '\x12', '\x1a'};
    std::string b(static_cast<std::size_t>(below(24)), '\0');
    for (char& c : b) c = one_in(4) ? static_cast<char>(any()) : alphabet[below(sizeof alphabet)];
    return b;
  }

 private:
  std::mt19937_64 rng_;
};

class fast_decode_test : public testing::Test {
 protected:
  void SetUp() override { silence_protobuf_log(); }  // invalid UTF-8 is expected here
};

TEST_F(fast_decode_test, heart_rate_decodes_as_protobuf_would_on_every_variant) {
  generator g(1);
  for (int i = 0; i < 3000; ++i) {
    for (const auto& b : g.variants(g.heart_rate())) ASSERT_NO_FATAL_FAILURE(expect_as_protobuf(b));
    ASSERT_NO_FATAL_FAILURE(expect_as_protobuf(g.random_bytes()));
  }
}

TEST_F(fast_decode_test, blood_pressure_decodes_as_protobuf_would_on_every_variant) {
  generator g(2);
  for (int i = 0; i < 3000; ++i) {
    for (const auto& b : g.variants(g.blood_pressure())) {
      ASSERT_NO_FATAL_FAILURE(expect_bp_as_protobuf(b));
    }
    ASSERT_NO_FATAL_FAILURE(expect_bp_as_protobuf(g.random_bytes()));
  }
}

TEST_F(fast_decode_test, payload_over_the_fast_paths_limit_decodes_too) {
  pb::HeartRate m;
  m.set_device_id(std::string(5000, 'm'));
  m.set_bpm(72);
  const auto d = decode_heart_rate(m.SerializeAsString());
  ASSERT_TRUE(d) << d.error();
  EXPECT_EQ(d.value().device_id.size(), 5000U);
  EXPECT_EQ(d.value().bpm, 72);
}

}  // namespace
}  // namespace vigil::codec
