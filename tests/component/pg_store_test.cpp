// The store on a real PostgreSQL (tests/support/postgres_server): the store and record
// contracts every backend passes (tests/unit/store/*_contract_test.cpp), and what only a shared
// database has: credentials, the leader's lock per prefix, fencing when the connection that
// holds it is gone, concurrent schema creation, a server restart.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "postgres_server.hpp"
#include "store/pg_store.hpp"
#include "store_backend.hpp"

namespace vigil::store {
namespace {

namespace fs = std::filesystem;
using test::postgres_server;

// One server for the binary's contract tests (a fresh database per test); started on first use
// from the main thread, stopped at exit.
postgres_server& shared_server() {
  static postgres_server server;
  return server;
}

pg_options options(postgres_server& pg, const std::string& database = "vigil",
                   const std::string& query = "") {
  return {pg.url(database) + query, std::nullopt, pg.password()};
}

std::unique_ptr<store> lead(const pg_options& o, const std::string& prefix) {
  auto lease = pg_lease::connect(o, prefix);
  if (!lease->try_lead()) throw store_error("another lease leads " + prefix);
  return open_postgres_store(std::move(lease));
}

class pg_backend final : public store_backend {
 public:
  pg_backend() : pg_(shared_server()), db_("t" + std::to_string(++count_)) { create(); }
  ~pg_backend() override { pg_.sql("DROP DATABASE " + db_ + " WITH (FORCE)"); }
  std::unique_ptr<store> open(const std::string& prefix) override {
    return lead(options(pg_, db_), prefix);
  }
  void sql(const std::string& statement) override { pg_.sql(statement, db_); }
  std::string bytes_literal(const std::string& hex) const override {
    return "'\\x" + hex + "'::bytea";
  }
  std::string location() const override {
    return "postgresql://vigil@127.0.0.1:" + std::to_string(pg_.port()) + "/" + db_;
  }
  void wipe() override {
    pg_.sql("DROP DATABASE " + db_ + " WITH (FORCE)");
    create();
  }

 private:
  void create() { pg_.sql("CREATE DATABASE " + db_); }
  static inline int count_ = 0;
  postgres_server& pg_;
  std::string db_;
};

}  // namespace

std::vector<backend_maker> backends_under_test() {
  return {{"postgres", [](const fs::path&) { return std::make_unique<pg_backend>(); }}};
}

namespace {

class pg_store_test : public store_fixture {
 protected:
  postgres_server pg;  // its own server: these tests stop it and kill its sessions
  // Ends the sessions of `application` as the superuser, waiting until they are gone.
  void terminate(const std::string& application) {
    pg.sql(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = '" +
        application + "'");
  }
  static change_set one_bed(const std::string& id) {
    change_set c;
    c.beds.push_back(make_row(bed_with_cuff(id, 120)));
    c.outbox = {{"clinic/beds/" + id + "/x", "p", false, 1, 1}};
    return c;
  }
  // Whether `lease` leads within a few seconds (the server releases a closed session's lock
  // when its backend exits, a moment after the client closed it).
  static bool leads_soon(pg_lease& lease) {
    for (int i = 0; i < 250; ++i) {
      if (lease.try_lead()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
};

TEST_F(pg_store_test, the_password_of_the_options_logs_in_and_a_wrong_one_is_named_clearly) {
  auto s = lead(options(pg), "clinic");
  EXPECT_EQ(s->describe(), "postgresql://vigil@127.0.0.1:" + std::to_string(pg.port()) + "/vigil");
  pg_options wrong = options(pg);
  wrong.password = "not-the-password";
  const auto error = store_error_of([&] { pg_lease::connect(wrong, "clinic"); });
  EXPECT_NE(error.find("cannot connect to " + s->describe()), std::string::npos) << error;
  EXPECT_NE(error.find("password authentication failed"), std::string::npos) << error;
  EXPECT_EQ(error.find("not-the-password"), std::string::npos) << error;
  // A password in the URL is no more shown than one from the credentials file; the file's
  // user overrides the URL's.
  pg_options in_url{
      "postgresql://someone:secret-in-url@127.0.0.1:" + std::to_string(pg.port()) + "/vigil",
      std::string("vigil"), std::nullopt};
  const auto url_error = store_error_of([&] { pg_lease::connect(in_url, "clinic"); });
  EXPECT_NE(url_error.find("password authentication failed for user \"vigil\""), std::string::npos)
      << url_error;
  EXPECT_EQ(url_error.find("secret-in-url"), std::string::npos) << url_error;
}

TEST_F(pg_store_test, one_lease_per_prefix_leads_until_it_is_gone) {
  auto first = pg_lease::connect(options(pg), "clinic");
  auto second = pg_lease::connect(options(pg), "clinic");
  auto other_prefix = pg_lease::connect(options(pg), "ward3");
  EXPECT_TRUE(first->try_lead());
  EXPECT_FALSE(second->try_lead());
  EXPECT_TRUE(first->try_lead()) << "asking again changes nothing";
  EXPECT_TRUE(other_prefix->try_lead()) << "prefixes lead independently";
  EXPECT_THROW(open_postgres_store(std::move(second)), store_error);
  second = pg_lease::connect(options(pg), "clinic");
  first.reset();
  EXPECT_TRUE(leads_soon(*second));
}

TEST_F(pg_store_test, a_leader_whose_session_was_ended_is_fenced_and_its_commit_is_not_kept) {
  auto s = lead(options(pg, "vigil", "?application_name=leader"), "clinic");
  s->commit(one_bed("chair-1"));
  EXPECT_NO_THROW(s->check_fence());
  terminate("leader");
  const auto error = store_error_of([&] { s->commit(one_bed("chair-2")); });
  EXPECT_NE(error.find("lost the connection to " + s->describe() + " holding the leader's lock"),
            std::string::npos)
      << error;
  EXPECT_THROW(s->commit(one_bed("chair-2")), fenced_error);
  EXPECT_THROW(s->check_fence(), fenced_error);
  s.reset();
  const auto loaded = lead(options(pg), "clinic")->load();
  ASSERT_EQ(loaded.beds.size(), 1u);
  EXPECT_EQ(loaded.beds[0].id, "chair-1");
}

TEST_F(pg_store_test, an_sql_error_keeps_the_session_and_so_is_not_a_fence) {
  auto s = lead(options(pg), "clinic");
  s->commit(one_bed("chair-1"));
  try {
    s->commit(one_bed("chair-2"));  // outbox id 1 again: a unique violation
    ADD_FAILURE() << "the duplicate id was accepted";
  } catch (const fenced_error& e) {
    ADD_FAILURE() << "fenced by an SQL error: " << e.what();
  } catch (const store_error& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate key"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(s->check_fence());
  auto ok = one_bed("chair-2");
  ok.outbox[0].outbox_id = 2;
  EXPECT_NO_THROW(s->commit(ok));
  EXPECT_EQ(s->load().beds.size(), 2u);
}

TEST_F(pg_store_test, many_instances_create_the_schema_at_once) {
  pg.sql("CREATE DATABASE fresh");
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      try {
        pg_lease::connect(options(pg, "fresh"), "ward" + std::to_string(i % 3));
      } catch (const std::exception& e) {
        ++failed;
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(pg.sql("SELECT count(*) FROM vigil_prefixes", "fresh"), "3");
}

TEST_F(pg_store_test, after_a_server_restart_the_old_leader_is_fenced_and_a_new_lease_leads) {
  auto s = lead(options(pg), "clinic");
  s->commit(one_bed("chair-1"));
  pg.stop();
  pg.start();
  EXPECT_THROW(s->check_fence(), fenced_error);
  EXPECT_THROW(s->commit(one_bed("chair-2")), fenced_error);
  auto next = pg_lease::connect(options(pg), "clinic");
  EXPECT_TRUE(next->try_lead());
  EXPECT_EQ(open_postgres_store(std::move(next))->load().beds.size(), 1u);
}

}  // namespace
}  // namespace vigil::store
