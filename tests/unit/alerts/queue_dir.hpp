// A private directory per test for the alert queue's files, removed afterwards.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace vigil::alerts {

class queue_dir : public ::testing::Test {
 protected:
  std::filesystem::path dir;
  std::filesystem::path file;
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("vigil-alerts-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    file = dir / "alerts.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
};

}  // namespace vigil::alerts
