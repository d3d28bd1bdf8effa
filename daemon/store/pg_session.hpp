// The connection under a pg_lease and its store (daemon/store only: the one place that
// includes libpqxx): pqxx's exceptions turned into the store's.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <utility>

#include "store/store.hpp"

namespace vigil::store::pg {

class session {
 public:
  // `conninfo` holds the password: it is not kept.
  session(const std::string& conninfo, std::string describe);
  pqxx::connection& conn() { return conn_; }
  const std::string& describe() const { return describe_; }
  void set_leading() { leading_ = true; }

  // Runs f(); a connection that is gone throws fenced_error, any other failure (an SQL error:
  // the session, and so the lock, is still ours) store_error "<what> <describe()>: <cause>".
  // A transaction f() did not commit is rolled back by its destructor first.
  template <class F>
  decltype(auto) guard(const char* what, F&& f) {
    // Once gone, gone: pqxx is not asked again (it would only fail again, and libpqxx 6.4
    // leaks the PGresult of every statement that finds the connection broken).
    if (!lost_.empty()) fenced(lost_.c_str());
    try {
      return std::forward<F>(f)();
    } catch (const store_error&) {
      throw;
    } catch (const pqxx::broken_connection& e) {
      fenced(e.what());
    } catch (const pqxx::in_doubt_error& e) {
      fenced(e.what());
    } catch (const std::exception& e) {
      if (!conn_.is_open()) fenced(e.what());
      throw store_error(std::string(what) + " " + describe_ + ": " + trimmed(e.what()));
    }
  }

 private:
  [[noreturn]] void fenced(const char* cause);
  static std::string trimmed(const char* cause);

  pqxx::connection conn_;
  std::string describe_;
  bool leading_ = false;
  std::string lost_;  // why the connection is gone, once it is
};

}  // namespace vigil::store::pg
