// What the store tests share: a private directory per test, and beds made by the real engine.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/engine.hpp"
#include "core/engine_books.hpp"

namespace vigil::store {

class store_fixture : public ::testing::Test {
 protected:
  std::filesystem::path dir;
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("vigil-store-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  // A bed with an open, acknowledged SBP_HIGH, a baseline and counters.
  static core::bed_state busy_bed(const std::string& id = "chair-1") {
    core::engine eng;
    core::engine_output out;
    core::blood_pressure bp;
    bp.device_id = "d";
    bp.systolic_mmhg = 124;
    bp.diastolic_mmhg = 78;
    eng.on_blood_pressure(id, bp, 0, out);
    eng.on_monitor_status(id, {"d", core::monitor_state::online, 0, 60'000}, 0, out);
    core::infusion_event start;
    start.kind = core::infusion_kind::started;
    start.planned_minutes = 40;
    eng.on_infusion(id, start, 1'000, out);
    bp.systolic_mmhg = 186;
    eng.on_blood_pressure(id, bp, 2'000, out);
    eng.on_ack(id, {id + ":SBP_HIGH:1", "kim", 3'000}, 3'000, out);
    return *core::engine_books(eng).state_of(id);
  }
  // A bed whose last cuff reading was `systolic`.
  static core::bed_state bed_with_cuff(const std::string& id, double systolic) {
    core::engine eng;
    core::engine_output out;
    core::blood_pressure bp;
    bp.device_id = "d";
    bp.systolic_mmhg = systolic;
    bp.diastolic_mmhg = 70;
    eng.on_blood_pressure(id, bp, 0, out);
    return *core::engine_books(eng).state_of(id);
  }
};

}  // namespace vigil::store
