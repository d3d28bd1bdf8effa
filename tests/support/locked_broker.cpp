#include "locked_broker.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "child_process.hpp"

namespace vigil::test {

namespace {

constexpr auto tool_timeout = std::chrono::seconds(20);

void run(std::vector<std::string> argv) {
  const std::string what = argv.front();
  const auto r = run_to_completion(std::move(argv), tool_timeout);
  if (r.exit_code != 0) {
    throw std::runtime_error(what + " failed (" + std::to_string(r.exit_code) + "): " + r.output);
  }
}

// openssl req options for a new unencrypted EC key.
const std::vector<std::string> new_ec_key{"-newkey", "ec", "-pkeyopt",
                                          "ec_paramgen_curve:prime256v1", "-nodes"};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

test_pki::test_pki() {
  const auto d = dir_.path().string() + "/";
  ca_ = {d + "ca.crt", d + "ca.key"};
  run(concat({"/usr/bin/openssl", "req", "-x509", "-days", "2", "-subj", "/CN=Vigil test CA"},
             concat(new_ec_key, {"-keyout", ca_.key, "-out", ca_.cert})));
}

issued_certificate test_pki::issue(const std::string& name, const std::string& subject_alt_names) {
  const auto d = dir_.path().string() + "/";
  issued_certificate c{d + name + ".crt", d + name + ".key"};
  const std::string csr = d + name + ".csr";
  run(concat({"/usr/bin/openssl", "req", "-subj", "/CN=" + name},
             concat(new_ec_key, {"-keyout", c.key, "-out", csr})));
  std::vector<std::string> sign{
      "/usr/bin/openssl", "x509",  "-req", "-in",  csr,   "-CA", ca_.cert, "-CAkey", ca_.key,
      "-CAcreateserial",  "-days", "2",    "-out", c.cert};
  if (!subject_alt_names.empty()) {
    const auto ext = dir_.write(name + ".ext", "subjectAltName=" + subject_alt_names + "\n");
    sign.insert(sign.end(), {"-extfile", ext});
  }
  run(std::move(sign));
  ::chmod(c.key.c_str(), 0600);
  return c;
}

std::string make_password_file(const temp_dir& dir,
                               const std::vector<std::pair<std::string, std::string>>& accounts) {
  const std::string path = dir.write("passwd", "");
  for (const auto& [user, password] : accounts) {
    run({"/usr/bin/mosquitto_passwd", "-b", path, user, password});
  }
  return path;
}

std::string set_directives(const std::string& conf,
                           const std::vector<std::pair<std::string, std::string>>& values) {
  std::istringstream in{conf};
  std::string out, line;
  std::vector<bool> found(values.size());
  while (std::getline(in, line)) {
    const std::string directive = line.substr(0, line.find(' '));
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!line.empty() && line[0] != '#' && directive == values[i].first) {
        line = directive + " " + values[i].second;
        found[i] = true;
      }
    }
    out += line + "\n";
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!found[i]) throw std::runtime_error("no active \"" + values[i].first + "\" line");
  }
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace vigil::test
