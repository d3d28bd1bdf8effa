#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>

#include "store/bed_record.hpp"
#include "store_backend.hpp"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;

// Runs SQL on the file as another program would (no store open on it).
void sqlite_exec(const fs::path& file, const std::string& statement) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &h), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(h, statement.c_str(), nullptr, nullptr, &err), SQLITE_OK)
      << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(h);
}

class sqlite_backend_impl final : public store_backend {
 public:
  explicit sqlite_backend_impl(fs::path dir) : dir_(std::move(dir)), file_(dir_ / "vigil.db") {}
  std::unique_ptr<store> open(const std::string& prefix) override {
    return open_sqlite_store(file_, prefix);
  }
  void sql(const std::string& statement) override { sqlite_exec(file_, statement); }
  std::string bytes_literal(const std::string& hex) const override { return "x'" + hex + "'"; }
  std::string location() const override { return file_.string(); }
  void wipe() override {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

 private:
  fs::path dir_, file_;
};

class sqlite_store_test : public store_fixture {
 protected:
  fs::path db() const { return dir / "vigil.db"; }
  std::unique_ptr<store> open(const std::string& prefix = "clinic") {
    return open_sqlite_store(db(), prefix);
  }
  void sql(const std::string& statement) { sqlite_exec(db(), statement); }
  // The error opening the store gives, or "" if it opens.
  std::string open_error() {
    return store_error_of([&] { open(); });
  }
};

TEST_F(sqlite_store_test, the_database_is_made_for_the_daemon_alone_in_wal_mode) {
  open();
  struct stat st {};
  ASSERT_EQ(::stat(db().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream f(db(), std::ios::binary);
  std::string header(20, '\0');
  f.read(header.data(), 20);
  EXPECT_EQ(header.substr(0, 15), "SQLite format 3");
  EXPECT_EQ(header[18], 2) << "not WAL";  // file format write version 2 means WAL
}

TEST_F(sqlite_store_test, a_second_store_on_the_same_file_is_refused_naming_the_file) {
  auto first = open();
  const auto error = open_error();
  EXPECT_NE(error.find(db().string()), std::string::npos) << error;
  EXPECT_NE(error.find("database is locked"), std::string::npos) << error;
  EXPECT_NE(error.find("second vigild"), std::string::npos) << error;
  first.reset();
  EXPECT_EQ(open_error(), "") << "the lock outlived its store";
}

TEST_F(sqlite_store_test, a_file_that_is_not_a_database_is_refused_naming_the_file) {
  std::ofstream(db(), std::ios::binary) << std::string(8192, 'x');
  const auto error = open_error();
  EXPECT_NE(error.find(db().string()), std::string::npos) << error;
  EXPECT_NE(error.find("file is not a database"), std::string::npos) << error;
}

TEST_F(sqlite_store_test, a_damaged_database_is_refused_naming_the_file) {
  {
    auto s = open();
    change_set c;
    for (int i = 0; i < 200; ++i) {
      auto bed = busy_bed("chair-" + std::to_string(i));
      c.beds.push_back(make_row(bed));
    }
    s->commit(c);
  }
  sql("PRAGMA wal_checkpoint(TRUNCATE)");
  // Scribble over the middle of the second page: a b-tree page of the beds table.
  {
    std::fstream f(db(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 + 8);
    const std::string junk(600, '\x7f');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const auto error = open_error();
  EXPECT_NE(error.find(db().string()), std::string::npos) << error;
  EXPECT_NE(error.find("corrupt"), std::string::npos) << error;
}

}  // namespace

std::vector<backend_maker> backends_under_test() {
  return {
      {"sqlite", [](const fs::path& dir) { return std::make_unique<sqlite_backend_impl>(dir); }}};
}

}  // namespace vigil::store
