// What a test of a locked-down broker needs besides mosquitto_broker: a throwaway certificate
// authority (openssl), a password file (mosquitto_passwd), and a shipped mosquitto.conf turned
// into the test's own by replacing the values of some of its directives.
//
//   test_pki pki;                                            // a fresh CA in a temp dir
//   auto server = pki.issue("broker", "IP:127.0.0.1,DNS:localhost");
//   auto passwd = make_password_file(pki.dir(), {{"vigild", "pw"}});
//   auto conf = set_directives(read_text(shipped), {{"certfile", server.cert}, ...});
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "temp_dir.hpp"

namespace vigil::test {

struct issued_certificate {
  std::string cert;  // PEM file paths
  std::string key;   // mode 0600, as vigild demands of a private key
};

class test_pki {
 public:
  test_pki();  // a self-signed CA (EC P-256: key generation takes milliseconds)

  const std::string& ca_file() const { return ca_.cert; }
  // A certificate for `name` (its CN and file names) signed by this CA. `subject_alt_names` in
  // openssl's syntax ("IP:127.0.0.1,DNS:localhost"); empty: none (a client's certificate).
  issued_certificate issue(const std::string& name, const std::string& subject_alt_names = "");
  const temp_dir& dir() const { return dir_; }

 private:
  temp_dir dir_;
  issued_certificate ca_;
};

// A mosquitto password file with these (user, password) accounts in `dir`; returns its path.
std::string make_password_file(const temp_dir& dir,
                               const std::vector<std::pair<std::string, std::string>>& accounts);

// `conf` (mosquitto.conf syntax) with the value of every active line whose directive is named
// in `values` replaced. Throws if a named directive has no active line: a test that adapts a
// shipped file notices when that file no longer has the shape it relies on.
std::string set_directives(const std::string& conf,
                           const std::vector<std::pair<std::string, std::string>>& values);

std::string read_text(const std::string& path);

}  // namespace vigil::test
