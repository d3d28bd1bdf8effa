// The store's SQL (store/schema.cpp): PostgreSQL's forms derived from SQLite's.
#include "store/schema.hpp"

#include <gtest/gtest.h>

namespace vigil::store {
namespace {

TEST(schema_test, postgres_gets_its_types_parameters_and_ctid_but_literals_stay) {
  EXPECT_EQ(sql::postgres("CREATE TABLE t (a INTEGER NOT NULL, b BLOB, c REAL, d TEXT)"),
            "CREATE TABLE t (a BIGINT NOT NULL, b BYTEA, c DOUBLE PRECISION, d TEXT)");
  EXPECT_EQ(sql::postgres("DELETE FROM t WHERE rowid IN (SELECT rowid FROM t WHERE a = ?12)"),
            "DELETE FROM t WHERE ctid IN (SELECT ctid FROM t WHERE a = $12)");
  EXPECT_EQ(sql::postgres("SELECT 'INTEGER ?1 rowid', my_rowid, REALM FROM t WHERE b = ?2"),
            "SELECT 'INTEGER ?1 rowid', my_rowid, REALM FROM t WHERE b = $2");
}

}  // namespace
}  // namespace vigil::store
