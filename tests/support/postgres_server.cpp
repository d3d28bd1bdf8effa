#include "postgres_server.hpp"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "mosquitto_broker.hpp"  // free_tcp_port

namespace vigil::test {

namespace {

namespace fs = std::filesystem;
constexpr auto ready_timeout = std::chrono::seconds(30);

// The highest version's binaries.
std::string find_bin() {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(e.path() / "bin" / "postgres")) found.push_back(e.path() / "bin");
  }
  if (found.empty()) throw std::runtime_error("no /usr/lib/postgresql/*/bin/postgres");
  std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    return std::stoi(a.parent_path().filename()) < std::stoi(b.parent_path().filename());
  });
  return found.back().string();
}

}  // namespace

postgres_server::postgres_server() : postgres_server(options{}) {}

postgres_server::postgres_server(options opts) : opts_(opts), bin_(find_bin()) {
  dir_.write("pwfile", password() + "\n");
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (!pw) throw std::runtime_error("running as root, and there is no user postgres");
    for (const auto& p : {dir_.path(), dir_.path() / "pwfile"}) {
      if (::chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        throw std::runtime_error("cannot chown " + p.string());
      }
    }
  }
  const auto init = run_to_completion(
      as_postgres({bin_ + "/initdb", "-D", (dir_.path() / "data").string(), "-U", "vigil",
                   "--pwfile=" + (dir_.path() / "pwfile").string(), "--auth-local=trust",
                   "--auth-host=scram-sha-256", "--no-locale", "-E", "UTF8", "--no-sync"}),
      std::chrono::seconds(60));
  if (init.exit_code != 0) throw std::runtime_error("initdb failed:\n" + init.output);
  start();
  sql("CREATE DATABASE vigil");
}

postgres_server::~postgres_server() {
  if (running()) stop();  // a fast shutdown; child_process SIGKILLs what is left
}

std::vector<std::string> postgres_server::as_postgres(std::vector<std::string> argv) const {
  if (geteuid() != 0) return argv;
  std::vector<std::string> out = {"/usr/bin/setpriv", "--reuid=postgres",    "--regid=postgres",
                                  "--init-groups",    "--pdeathsig=SIGKILL", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

std::string postgres_server::url(const std::string& database) const {
  return "postgresql://vigil@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

void postgres_server::start() {
  if (running()) return;
  const bool fresh_port = port_ == 0;
  // Another process can take a just-freed port before the server binds it: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (fresh_port) port_ = free_tcp_port();
    if (try_start()) return;
    if (!fresh_port) break;
  }
  throw std::runtime_error("postgres did not start; its log:\n" + log());
}

bool postgres_server::try_start() {
  process_ = std::make_unique<child_process>(
      as_postgres({bin_ + "/postgres", "-D", (dir_.path() / "data").string(), "-p",
                   std::to_string(port_), "-k", dir_.path().string(), "-c",
                   "listen_addresses=127.0.0.1", "-c", opts_.fsync ? "fsync=on" : "fsync=off", "-c",
                   "max_connections=50", "-c", "shared_buffers=16MB"}),
      (dir_.path() / "postgres.log").string());
  const std::string ping = "host=" + dir_.path().string() + " port=" + std::to_string(port_) +
                           " user=vigil dbname=postgres connect_timeout=2";
  const auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) return false;  // e.g. the port was taken
    if (PQping(ping.c_str()) == PQPING_OK && tcp_port_open(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling for readiness
  }
  process_->kill_now();
  return false;
}

void postgres_server::stop() {
  if (process_) process_->stop(SIGINT, std::chrono::seconds(15));
}

void postgres_server::kill() {
  if (process_) process_->kill_now();
}

bool postgres_server::running() { return process_ && process_->running(); }

std::string postgres_server::log() const { return dir_.read("postgres.log"); }

std::string postgres_server::sql(const std::string& statement, const std::string& database) {
  const std::string info = "host=" + dir_.path().string() + " port=" + std::to_string(port_) +
                           " user=vigil dbname=" + database;
  const std::unique_ptr<PGconn, void (*)(PGconn*)> conn(PQconnectdb(info.c_str()), PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect as the superuser: " +
                             std::string(PQerrorMessage(conn.get())));
  }
  const std::unique_ptr<PGresult, void (*)(PGresult*)> r(PQexec(conn.get(), statement.c_str()),
                                                         PQclear);
  const auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(statement + ": " + PQerrorMessage(conn.get()));
  }
  return status == PGRES_TUPLES_OK && PQntuples(r.get()) > 0 && PQnfields(r.get()) > 0
             ? PQgetvalue(r.get(), 0, 0)
             : "";
}

}  // namespace vigil::test
