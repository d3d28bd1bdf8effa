// The store on SQLite (the embedded default): one database file, WAL journal, synchronous=FULL
// (a commit is on stable storage when it returns), and an exclusive lock held for the
// connection's life, so a second vigild pointed at the same state_dir fails at start-up
// instead of both writing.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace vigil::store {

// Opens (creating if needed) the database at `file` for the beds and outbox under `prefix`:
// takes the lock, checks the file's integrity (PRAGMA quick_check) and creates or checks the
// schema. Throws store_error naming the file when it is not a database, is corrupt, is locked
// by another process, or was written by a newer version.
std::unique_ptr<store> open_sqlite_store(const std::filesystem::path& file, std::string prefix);

}  // namespace vigil::store
