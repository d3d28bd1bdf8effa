// The store tests every implementation passes (store_contract_test.cpp, record_contract_test.cpp)
// run over a backend: how to open a store on it, and the few things the tests do to its
// database behind the store's back. Each test binary names its backends (backends_under_test()).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace vigil::store {

// What f() throws as store_error, or "" when it does not throw.
inline std::string store_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const store_error& e) {
    return e.what();
  }
  return "";
}

class store_backend {
 public:
  virtual ~store_backend() = default;
  // A store leading `prefix` (one at a time per prefix; the tests close one before the next).
  virtual std::unique_ptr<store> open(const std::string& prefix) = 0;
  // Runs a statement on the database (no store open).
  virtual void sql(const std::string& statement) = 0;
  virtual std::string bytes_literal(const std::string& hex) const = 0;  // e.g. x'0102'
  virtual std::string location() const = 0;  // how a problem names the database
  virtual void wipe() = 0;                   // an empty database again (no store open)
};

// Makes a backend for one test, in the test's private directory.
struct backend_maker {
  std::string name;
  std::function<std::unique_ptr<store_backend>(const std::filesystem::path& dir)> make;
};
inline void PrintTo(const backend_maker& m, std::ostream* os) { *os << m.name; }
inline std::string backend_name(const ::testing::TestParamInfo<backend_maker>& i) {
  return i.param.name;
}

class backend_test : public store_fixture, public ::testing::WithParamInterface<backend_maker> {
 protected:
  std::unique_ptr<store_backend> backend;
  void SetUp() override {
    store_fixture::SetUp();
    backend = GetParam().make(dir);
  }
  void TearDown() override {
    backend.reset();
    store_fixture::TearDown();
  }
  std::unique_ptr<store> open(const std::string& prefix = "clinic") {
    return backend->open(prefix);
  }
  // The error opening the store gives, or "" if it opens.
  std::string open_error() {
    return store_error_of([&] { open(); });
  }
};

// The backends the contract runs on in this test binary (each binary defines it).
std::vector<backend_maker> backends_under_test();

}  // namespace vigil::store
